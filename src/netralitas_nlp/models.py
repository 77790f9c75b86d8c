"""Saved-model handling shared by every model kind.

A model kind follows `kinds.ModelKind` (one `fit` signature, `logits`, `evidence`, `save`, `load`,
and its capabilities). The `Predictor` adds what is common to all kinds: temperature calibration,
per-label thresholds and candidate blinding, stored in the model folder's metadata (`modeldir.ModelDir`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .calibration import apply_temperature
from .kinds import KINDS, ModelKind, model_class
from .labels import LABELS
from .metrics import binarize
from .modeldir import ModelDir
from .swap import Candidates, blind_all

__all__ = ["ENGINES", "KINDS", "ModelKind", "Predictor", "load_model", "load_predictor", "model_class"]


@dataclass
class Predictor:
    # The kind's model, or an engine standing in for it (onnx_engine.OnnxModel) that computes the same logits.
    model: ModelKind
    kind: str
    thresholds: np.ndarray
    temperature: float = 1.0
    name: str = ""
    # Candidate mentions are blinded before the model reads a text (swap.py): the model was trained
    # on blinded text, so every engine and every caller must blind the same way. None: old models.
    candidates: Candidates | None = None

    def inputs(self, texts: list[str]) -> list[str]:
        """What the model reads: `texts` with candidate references blinded (when the model was trained so)."""
        return blind_all(texts, self.candidates)

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

    @property
    def kind_class(self) -> type[ModelKind]:
        """The kind's class, whose capabilities hold whichever engine computes the logits."""
        return model_class(self.kind)

    def save(self, directory: str | Path) -> None:
        folder = ModelDir(directory)
        folder.path.mkdir(parents=True, exist_ok=True)
        self.model.save(folder.path)
        meta = {
            "kind": self.kind,
            "labels": list(LABELS),
            "thresholds": [float(t) for t in self.thresholds],
            "temperature": float(self.temperature),
            "blind_candidates": None if self.candidates is None else self.candidates.to_dict(),
        }
        folder.write_meta(meta)


def _predictor(directory: Path, meta: dict, model: ModelKind) -> Predictor:
    return Predictor(
        model=model,
        kind=meta["kind"],
        thresholds=np.array(meta["thresholds"], float),
        temperature=float(meta["temperature"]),
        name=directory.name,
        candidates=Candidates.from_dict(meta["blind_candidates"]) if meta.get("blind_candidates") else None,
    )


def load_model(directory: str | Path) -> Predictor:
    folder = ModelDir(directory)
    meta = folder.read_meta()
    return _predictor(folder.path, meta, model_class(meta["kind"]).load(folder.path))


ENGINES = ("auto", "torch", "onnx")


def load_predictor(directory: str | Path, engine: str = "auto", threads: int = 0, batch_size: int = 64) -> Predictor:
    """The predictor that scores, its engine chosen before anything loads.

    `onnx`: the exported int8 model (`ModelDir.onnx_file()`). `auto`: that when an exportable kind
    has one, else the saved model. `torch`: the saved model. `threads` and `batch_size` apply to the
    ONNX engine and to kinds with engine settings (the transformer); the sparse kinds have neither.
    Calibration, thresholds and candidate blinding are the Predictor's, whichever engine computes
    the logits.
    """
    from .onnx_engine import OnnxModel

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (known: {list(ENGINES)})")
    folder = ModelDir(directory)
    directory = folder.path
    meta = folder.read_meta()
    cls = model_class(meta["kind"])
    if engine == "onnx" or (engine == "auto" and cls.exportable and folder.is_exported()):
        # The saved model is loaded only if gradient evidence is asked for.
        model = OnnxModel.load(directory, threads=threads, batch_size=batch_size, load_fallback=lambda: cls.load(directory))
    elif cls.has_engine_settings:
        model = cls.load(directory, batch_size=batch_size, threads=threads)  # type: ignore[call-arg]
    else:
        model = cls.load(directory)
    return _predictor(directory, meta, model)
