"""Scoring settings: one dataclass for a file run, one for what the pure core does per text.

The defaults live here only; the CLI's defaults and the triage importer read them from these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..data import ReadOptions
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
    delimiter: str | None = None  # CSV: None = from the header line
    encoding: str | None = None  # CSV/JSONL: None = detected
    header_row: int = 1  # the line/row holding the column names (Excel exports often have a title row)
    strict: bool = False  # stop at the first malformed record instead of rejecting it and going on
    policy: Policy = field(default_factory=Policy)

    def __post_init__(self):
        for name in ("chunk_size", "max_chars", "batch_size", "header_row"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name.replace('_', '-')} must be at least 1, got {getattr(self, name)}")
        if self.threads < 0:
            raise ValueError(f"threads must be 0 (all cores) or more, got {self.threads}")

    def read_options(self, warn=None) -> ReadOptions:
        """How the input is read; `warn` is told what lenient reading repaired or suspects."""
        return ReadOptions(self.delimiter, self.encoding, self.header_row, lenient=not self.strict, warn=warn)

    @property
    def rejects_path(self) -> Path:
        return self.rejects or self.output.with_name(self.output.stem + ".rejects.csv")
