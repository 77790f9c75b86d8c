"""The model-kind contract and the registry of kinds.

A kind is a class that learns logits for the labels and explains them. All kinds share one `fit`
signature and say what they can do through class attributes, so callers ask a capability instead
of testing a kind's name:

- `folds_temperature`: calibration is folded into the model itself (`fold_temperature(T)`), so
  every consumer of the saved model sees calibrated scores; the Predictor then keeps T = 1.
- `exportable`: `python -m netralitas_nlp.export` can write an ONNX copy that the `onnx` engine runs.
- `has_engine_settings`: `load` takes run-time `batch_size` and `threads`.
- `swaps_per_epoch`: with `swap_augment`, the kind re-draws candidate swaps every epoch itself, so
  training adds no swapped copies.
- `cheap_evidence`: `evidence` costs about as much as scoring (rule matches, tf-idf x weight);
  when False (gradients), `score --evidence auto` falls back to the lexicon's phrases.

Kinds are imported lazily, so the sparse baselines never import torch.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, ClassVar, Protocol

import numpy as np


class ModelKind(Protocol):
    folds_temperature: ClassVar[bool]
    exportable: ClassVar[bool]
    has_engine_settings: ClassVar[bool]
    cheap_evidence: ClassVar[bool]
    swaps_per_epoch: ClassVar[bool]

    @classmethod
    def fit(
        cls,
        texts: list[str],
        y: np.ndarray,
        cfg: Any,
        *,
        mask: np.ndarray | None = None,
        dev: tuple[list[str], np.ndarray] | None = None,
        out_dir: Path | None = None,
        resume: bool = False,
    ) -> ModelKind:
        """Learn from `texts` and the (n, k) 0/1 matrix `y`; `mask` is 1 where a row's label is known
        (data.py `covered`); `dev` is the blinded dev texts and labels, for kinds that stop early;
        `out_dir` is the model folder, for kinds that log or checkpoint while they train."""
        ...

    def logits(self, texts: list[str]) -> np.ndarray:
        """(n, k) logits."""
        ...

    def evidence(self, texts: list[str], labels: list[list[str]]) -> list[dict[str, list[str]]]:
        """The words or phrases behind each given label of each text."""
        ...

    def save(self, directory: Path) -> None:
        """Write the kind's own files into the model folder (see modeldir.ModelDir)."""
        ...

    @classmethod
    def load(cls, directory: Path) -> ModelKind:
        """Read what `save` wrote; kinds with `has_engine_settings` also take `batch_size=` and `threads=`."""
        ...


# kind -> "module:Class"
KINDS = {
    "tfidf": "netralitas_nlp.tfidf:TfidfModel",
    "rules": "netralitas_nlp.rules:RulesModel",
    "transformer": "netralitas_nlp.transformer:TransformerModel",
}


def model_class(kind: str) -> type[ModelKind]:
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r} (known: {sorted(KINDS)})")
    module, name = KINDS[kind].split(":")
    return getattr(importlib.import_module(module), name)
