"""The resume journal: scored records appended to `OUTPUT.partial.jsonl`, a checkpoint after each chunk.

A checkpoint (`OUTPUT.progress.json`, replaced atomically) records how many input rows and how
many journal bytes are done, so `--resume` cuts off a chunk half-written before a crash and
continues without losing or repeating a row. It also records the run's identity (input, model,
options: `identity.py`); a resume whose identity differs is refused, naming each difference.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from ..data import DataError
from .identity import differences

FRESH = {"rows_done": 0, "bytes": 0, "summary": None}


class Journal:
    def __init__(self, output: Path, input: Path, identity: dict):
        self.input, self.identity = input, identity
        self.partial = output.with_name(output.name + ".partial.jsonl")
        self.progress = output.with_name(output.name + ".progress.json")
        self.state = dict(FRESH)
        self._file = None

    def open(self, resume: bool) -> dict:
        """Start (or, with `resume`, continue) the journal; returns the last checkpoint."""
        if resume and self.progress.exists() and self.partial.exists():
            self.state = json.loads(self.progress.read_text(encoding="utf-8"))
            self._check_identity(self.state.get("identity") or {})
        self._file = open(self.partial, "a+b")  # noqa: SIM115 -- held across chunks, closed by close()
        self._file.truncate(self.state["bytes"])  # drop a chunk half-written before a crash
        self._file.seek(0, os.SEEK_END)
        return self.state

    def _check_identity(self, saved: dict) -> None:
        diff = differences(saved, self.identity)
        if diff:
            raise DataError(
                self.input,
                "cannot resume: this run differs from the interrupted one ("
                + "; ".join(diff)
                + "); start again without --resume, or resume with the same input, model and options",
            )

    def append(self, records: list[dict], text_col: str, summary: dict) -> None:
        """Write one chunk's records durably, then checkpoint."""
        for r in records:
            self._file.write((json.dumps(r, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
        self._file.flush()
        os.fsync(self._file.fileno())
        self.state = {
            "rows_done": self.state["rows_done"] + len(records),
            "bytes": self._file.tell(),
            "identity": self.identity,
            "text_column": text_col,
            "summary": summary,
        }
        _atomic_write(self.progress, json.dumps(self.state))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def records(self) -> Iterator[dict]:
        with open(self.partial, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)

    def remove(self) -> None:
        self.partial.unlink()
        self.progress.unlink()


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
