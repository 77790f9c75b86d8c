"""The transparent keyword baseline: regular expressions per label, matched phrases as evidence.

It is the floor every learned model must beat, and the one a triage officer can read in full
(`resources/lexicon.yaml`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from .labels import LABELS
from .modeldir import ModelDir
from .normalize import normalize


@lru_cache(maxsize=1)
def default_lexicon_text() -> str:
    return resources.files("netralitas_nlp").joinpath("resources/lexicon.yaml").read_text(encoding="utf-8")


class RulesModel:
    folds_temperature = False
    exportable = False
    has_engine_settings = False
    cheap_evidence = True
    swaps_per_epoch = False

    def __init__(self, lexicon_text: str):
        self.lexicon_text = lexicon_text
        spec = yaml.safe_load(lexicon_text)
        missing = [lab for lab in LABELS if lab not in spec]
        if missing:
            raise ValueError(f"lexicon lacks labels {missing}")
        self.match = {lab: [re.compile(p) for p in spec[lab].get("match", [])] for lab in LABELS}
        self.unless = {lab: [re.compile(p) for p in spec[lab].get("unless", [])] for lab in LABELS}

    @classmethod
    def fit(
        cls,
        texts: list[str],
        y: np.ndarray,
        cfg,
        *,
        mask: np.ndarray | None = None,
        dev: tuple[list[str], np.ndarray] | None = None,
        out_dir: Path | None = None,
        resume: bool = False,
    ) -> RulesModel:
        return cls(default_lexicon_text())  # nothing is learned: the lexicon is written by hand

    def matches(self, text: str) -> dict[str, list[str]]:
        clean = normalize(text, lowercase=True)
        out = {}
        for lab in LABELS:
            if any(p.search(clean) for p in self.unless[lab]):
                out[lab] = []
                continue
            out[lab] = [m.group(0) for p in self.match[lab] for m in p.finditer(clean)]
        return out

    def logits(self, texts: list[str]) -> np.ndarray:
        """+1 per match, -1 with none: sigmoid(z / T) > 0.5 exactly when a rule fired."""
        counts = np.array([[len(self.matches(t)[lab]) for lab in LABELS] for t in texts], float).reshape(-1, len(LABELS))
        return np.where(counts > 0, counts, -1.0)

    def evidence(self, texts: list[str], labels: list[list[str]]) -> list[dict[str, list[str]]]:
        return [{lab: self.matches(t)[lab] for lab in labs} for t, labs in zip(texts, labels)]

    def save(self, directory: Path) -> None:
        ModelDir(directory).lexicon.write_text(self.lexicon_text, encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> RulesModel:
        return cls(ModelDir(directory).lexicon.read_text(encoding="utf-8"))
