"""Saved-model handling shared by every model kind.

A model kind is a class with `fit(texts, y, cfg, mask=, dev=, out_dir=, resume=)` (`mask`: 1 where a row's
label is known, see data.py `covered`), `logits(texts) -> (n, k)`, `evidence(texts,
label_ids) -> list[dict[label, list[str]]]`, `save(dir)` and `load(dir)`. The `Predictor` adds what
is common to all kinds: temperature calibration and per-label thresholds, stored in
`netralitas.json` next to the model files.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .calibration import apply_temperature
from .labels import LABELS
from .metrics import binarize
from .swap import Candidates, blind

META_FILE = "netralitas.json"
# kind -> "module:Class"; imported lazily so the sparse baselines never import torch
KINDS = {
    "tfidf": "netralitas_nlp.tfidf:TfidfModel",
    "rules": "netralitas_nlp.rules:RulesModel",
    "transformer": "netralitas_nlp.transformer:TransformerModel",
}


def model_class(kind: str) -> Any:
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r} (known: {sorted(KINDS)})")
    module, name = KINDS[kind].split(":")
    return getattr(importlib.import_module(module), name)


@dataclass
class Predictor:
    model: Any
    kind: str
    thresholds: np.ndarray
    temperature: float = 1.0
    name: str = ""
    # Candidate mentions are blinded before the model reads a text (swap.py): the model was trained
    # on blinded text, so every engine and every caller must blind the same way. None: old models.
    candidates: Candidates | None = None

    def inputs(self, texts: list[str]) -> list[str]:
        """What the model reads: `texts` with candidate references blinded (when the model was trained so)."""
        return texts if self.candidates is None else [blind(t, self.candidates) for t in texts]

    def with_candidates(self, extra: Candidates | None) -> Predictor:
        """This predictor, also blinding a user's list (a Pilkada's pairs) at scoring time."""
        if extra is None or self.candidates is None:
            return self
        return dataclasses.replace(self, candidates=self.candidates.merged(extra))

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Calibrated per-label probabilities, (n, k)."""
        return apply_temperature(self.model.logits(self.inputs(texts)), self.temperature)

    def decide(self, probs: np.ndarray) -> np.ndarray:
        return binarize(probs, self.thresholds)

    def predict(self, texts: list[str]) -> list[list[str]]:
        decisions = self.decide(self.predict_proba(texts))
        return [[LABELS[j] for j in np.flatnonzero(row)] for row in decisions]

    def evidence(self, texts: list[str], labels: list[list[str]]) -> list[dict[str, list[str]]]:
        """The words or phrases behind each given label of each text."""
        return self.model.evidence(texts, labels)

    def save(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.model.save(directory)
        meta = {
            "kind": self.kind,
            "labels": list(LABELS),
            "thresholds": [float(t) for t in self.thresholds],
            "temperature": float(self.temperature),
            "blind_candidates": None if self.candidates is None else self.candidates.to_dict(),
        }
        (directory / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _read_meta(directory: Path) -> dict:
    meta_path = directory / META_FILE
    if not meta_path.exists():
        raise FileNotFoundError(
            f"{directory} is not a netralitas-nlp model directory (no {META_FILE}); train one with `python -m netralitas_nlp.train`"
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if tuple(meta["labels"]) != LABELS:
        raise ValueError(f"{directory}: model labels {meta['labels']} differ from this version's {list(LABELS)}")
    return meta


def _predictor(directory: Path, meta: dict, model: Any) -> Predictor:
    return Predictor(
        model=model,
        kind=meta["kind"],
        thresholds=np.array(meta["thresholds"], float),
        temperature=float(meta["temperature"]),
        name=directory.name,
        candidates=Candidates.from_dict(meta["blind_candidates"]) if meta.get("blind_candidates") else None,
    )


def load_model(directory: str | Path) -> Predictor:
    directory = Path(directory)
    meta = _read_meta(directory)
    return _predictor(directory, meta, model_class(meta["kind"]).load(directory))


ENGINES = ("auto", "torch", "onnx")


def load_predictor(directory: str | Path, engine: str = "auto", threads: int = 0, batch_size: int = 64) -> Predictor:
    """The predictor that scores, its engine chosen before anything loads.

    `onnx`: the exported int8 model (`onnx/model.int8.onnx`). `auto`: that when a transformer has
    one, else the saved model. `torch`: the saved model. `threads` and `batch_size` apply to the
    transformer and ONNX engines; the sparse kinds have neither. Calibration, thresholds and
    candidate blinding are the Predictor's, whichever engine computes the logits.
    """
    from .onnx_engine import INT8_FILE, ONNX_DIR, OnnxModel

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (known: {list(ENGINES)})")
    directory = Path(directory)
    meta = _read_meta(directory)
    kind = meta["kind"]
    exported = (directory / ONNX_DIR / INT8_FILE).exists()
    if engine == "onnx" or (engine == "auto" and exported and kind == "transformer"):
        # The saved model is loaded only if gradient evidence is asked for.
        model = OnnxModel.load(directory, threads=threads, batch_size=batch_size, load_fallback=lambda: model_class(kind).load(directory))
    elif kind == "transformer":  # the only kind with run-time batch and thread settings
        model = model_class(kind).load(directory, batch_size=batch_size, threads=threads)
    else:
        model = model_class(kind).load(directory)
    return _predictor(directory, meta, model)
