"""Scoring a whole file: the one path behind the CLI and the triage importer.

Every input row comes back, in order, with its original columns plus the score cells and `status`.
`score_file` streams in chunks through the resume journal and writes the output by an atomic rename;
`score_rows` yields the same records in memory, for callers that store them themselves.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm.auto import tqdm

from ..data import EXCEL, TABULAR, DataError, file_delimiter
from ..labels import LABELS
from ..models import Predictor, load_predictor
from .core import added_columns, chunks, score_chunk
from .identity import input_identity, model_fingerprint
from .journal import Journal
from .reading import ID_COLUMNS, TEXT_COLUMNS, Rows, count_rows, detect_column, open_rows, skip
from .settings import ScoreSettings
from .writers import OUTPUT_SUFFIXES, write_output


@dataclass
class Summary:
    rows: int = 0
    ok: int = 0
    rejected: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # what reading repaired or suspects (merged records)

    def line(self) -> str:
        per = ", ".join(f"{lab}={self.labels[lab]}" for lab in LABELS)
        rej = sum(self.rejected.values())
        rate = self.ok / self.seconds if self.seconds else 0.0
        warn = "".join(f"\nwarning: {w}" for w in self.warnings)
        return (
            f"{self.rows} rows: {self.ok} scored, {rej} rejected {dict(self.rejected)}; flagged {per}; "
            f"{self.seconds:.1f}s, {rate:.1f} scored rows/s{warn}"
        )

    def count(self, record: dict) -> None:
        """Count one `core.score_chunk` record."""
        self.rows += 1
        if record["status"] == "ok":
            self.ok += 1
            self.labels.update(x for x in record["labels"].split(";") if x)
        else:
            self.rejected[re.split(r" \(|: ", record["status"])[0]] += 1

    def to_dict(self) -> dict:
        """The counts a journal checkpoint keeps (not the time: a resumed run times itself)."""
        return {"rows": self.rows, "ok": self.ok, "rejected": dict(self.rejected), "labels": dict(self.labels)}

    @classmethod
    def from_dict(cls, d: dict | None) -> Summary:
        return cls() if not d else cls(d["rows"], d["ok"], Counter(d["rejected"]), Counter(d["labels"]))


@dataclass
class _Source:
    columns: list[str]
    rows: Rows
    text_col: str
    id_col: str | None
    predictor: Predictor
    warnings: list[str]

    @property
    def names(self) -> dict[str, str]:
        """Output names of the added columns: never an input column's name (see core.added_columns)."""
        return added_columns(self.columns)


def _open(settings: ScoreSettings, predictor: Predictor | None) -> _Source:
    # Columns are checked before the model loads: a wrong file fails fast.
    warnings: list[str] = []
    columns, rows = open_rows(settings.input, settings.sheet, settings.read_options(warnings.append))
    text_col = detect_column(columns, settings.text_column, TEXT_COLUMNS, "text", settings.input)
    id_col = detect_column(columns, settings.id_column, ID_COLUMNS, "id", settings.input)
    if predictor is None:
        predictor = load_predictor(settings.model, settings.engine, threads=settings.threads, batch_size=settings.batch_size)
    return _Source(columns, rows, text_col, id_col, predictor, warnings)


def score_file(settings: ScoreSettings, predictor: Predictor | None = None) -> Summary:
    """Score `settings.input` into `settings.output` and the rejects file; `predictor` defaults to `settings.model`'s."""
    t0 = time.time()
    check_paths(settings)
    src = _open(settings, predictor)
    journal = Journal(settings.output, settings.input, run_identity(settings, src))
    try:
        state = journal.open(settings.resume)
        summary = Summary.from_dict(state["summary"])
        _journal_chunks(journal, src, settings, summary, state["rows_done"])
    finally:
        journal.close()
    added = list(src.names.values())
    out, rejects = settings.output, settings.rejects_path
    # A CSV output keeps a CSV input's delimiter (`;` in many Indonesian exports); else a comma.
    delimiter = file_delimiter(settings.input, settings.read_options()) if settings.input.suffix.lower() in TABULAR else ","
    typed = settings.input.suffix.lower() in EXCEL
    written = write_output(out, rejects, src.columns, added, src.id_col, journal.records, delimiter, settings.formula_safe, typed)
    journal.remove()
    summary.seconds = time.time() - t0
    summary.warnings = src.warnings + written
    return summary


def check_paths(settings: ScoreSettings) -> None:
    """Refuse an output or rejects path that is the input (`sub/..`, links included) or each other."""
    inp = settings.input.resolve()
    out, rej = settings.output.resolve(), settings.rejects_path.resolve()
    for what, path in (("output", out), ("rejects file", rej)):
        if path == inp or (path.exists() and inp.exists() and path.samefile(inp)):
            raise DataError(settings.input, f"the {what} {path} is the input itself; choose another -o/--rejects path")
    if out == rej:
        raise DataError(settings.output, "the output and the rejects file are the same path; choose another --rejects path")
    if settings.output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise DataError(settings.output, f"unknown output type {settings.output.suffix!r}; use one of {', '.join(OUTPUT_SUFFIXES)}")
    for path in (settings.output, settings.rejects_path):
        _check_writable(path)


def _check_writable(path: Path) -> None:
    # Checked before the model loads and any row is scored, so a bad path never costs a whole run.
    folder = path.parent
    if path.is_dir():
        raise DataError(path, "is a folder; give a file name")
    if not folder.is_dir():
        raise DataError(path, f"the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataError(path, f"the folder {folder} is not writable")


def run_identity(settings: ScoreSettings, src: _Source) -> dict:
    """Everything a resumed run must share with the interrupted one (see identity.py)."""
    p = settings.policy
    options = {
        "text_column": src.text_col,
        "id_column": src.id_col,
        "sheet": settings.sheet,
        "engine": settings.engine,
        "max_chars": settings.max_chars,
        "mask_pii": p.mask_pii,
        "evidence": p.evidence,
        "formula_safe": settings.formula_safe,
        "delimiter": settings.delimiter,
        "encoding": settings.encoding,
        "header_row": settings.header_row,
        "strict": settings.strict,
    }
    return {"input": input_identity(settings.input), "model": model_fingerprint(settings.model), "options": options}


def progress_bar(settings: ScoreSettings, done: int) -> tqdm:
    """A progress bar on stderr: total, percentage and ETA when the row count is known.

    `delay`: nothing is printed for a run shorter than a few seconds (tests, small files); a log file
    (not a terminal) gets a line at most every 10 s instead of a redraw per second.
    """
    total = count_rows(settings.input, settings.sheet, settings.header_row)
    tty = sys.stderr.isatty()
    return tqdm(desc="score", unit="row", total=total, initial=done, mininterval=1 if tty else 10, delay=3, file=sys.stderr)


def _journal_chunks(journal: Journal, src: _Source, settings: ScoreSettings, summary: Summary, done: int) -> None:
    bar = progress_bar(settings, done)
    for chunk in chunks(skip(src.rows, done), settings.chunk_size):
        records = score_chunk(src.predictor, chunk, src.text_col, settings.policy, settings.max_chars, src.names)
        for r in records:
            summary.count(r)
        journal.append(records, src.text_col, summary.to_dict())
        if bar.total is not None and bar.n + len(chunk) > bar.total:
            bar.total = None  # the count was an estimate (multi-line cells): no wrong percentage
        bar.update(len(chunk))
    bar.close()


def score_rows(settings: ScoreSettings, predictor: Predictor | None = None) -> Iterator[tuple[int, dict]]:
    """(input row number, output fields) for every row, in order, in memory: no journal, no output file.

    The file, its columns and the model are checked when this is called, not at the first row.
    """
    src = _open(settings, predictor)
    return _scored(src, settings)


def _scored(src: _Source, settings: ScoreSettings) -> Iterator[tuple[int, dict]]:
    for chunk in chunks(src.rows, settings.chunk_size):
        for r in score_chunk(src.predictor, chunk, src.text_col, settings.policy, settings.max_chars):
            yield r["row"], r["fields"]
