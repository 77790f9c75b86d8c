"""Scoring settings: one dataclass for a file run, one for what the pure core does per text.

The defaults live here only; the CLI's defaults and the triage importer read them from these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .reading import MAX_CHARS

ENGINES = ("auto", "onnx", "torch")
EVIDENCE_MODES = ("auto", "model", "rules", "none")


@dataclass(frozen=True)
class Policy:
    """Per-text choices of the batch core (`core.score_batch`)."""

    mask_pii: bool = False  # mask NIK, phone numbers and e-mails in what is scored and in the evidence
    evidence: str = "auto"  # one of EVIDENCE_MODES; see core.explain


@dataclass
class ScoreSettings:
    """One scoring run over a file (`service.score_file`)."""

    model: str
    input: Path
    output: Path
    text_column: str | None = None
    id_column: str | None = None
    sheet: str | None = None
    batch_size: int = 64
    threads: int = 0  # 0 = all cores
    resume: bool = False
    engine: str = "auto"
    chunk_size: int = 2000  # rows per chunk: bounds memory and the resume granularity
    max_chars: int = MAX_CHARS
    rejects: Path | None = None
    formula_safe: bool = True  # no output cell can run as a spreadsheet formula (see writers.neutralise)
    policy: Policy = field(default_factory=Policy)

    @property
    def rejects_path(self) -> Path:
        return self.rejects or self.output.with_name(self.output.stem + ".rejects.csv")
