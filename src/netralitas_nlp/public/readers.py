"""Readers of the raw files, one per format quirk; rows come back with the index EVAL_ROWS.txt uses."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from ..data import DataError
from .catalogue import ENV_VAR, Table, UTable
from .quirks import Row

csv.field_size_limit(1 << 28)  # news articles and blog posts exceed csv's 128 KiB default


def _missing(path: Path, reason: str = "file not found") -> DataError:
    return DataError(path, f"{reason}; point {ENV_VAR} at the folder holding the shared datasets (default ../shared/data)")


# ---------------------------------------------------------------- readers (one per format quirk)


def _read_csv(path: Path, encoding: str, sep: str) -> Iterator[tuple[int, Row]]:
    """(0-based data-row index as csv.DictReader counts it, row); the index matches EVAL_ROWS.txt."""
    try:
        with open(path, encoding=encoding, newline="") as f:
            yield from enumerate(csv.DictReader(f, delimiter=sep))
    except FileNotFoundError as e:
        raise _missing(path) from e
    except (UnicodeDecodeError, csv.Error) as e:
        raise _missing(path, f"unreadable as {encoding} CSV with sep {sep!r} ({e})") from e


def _read_xlsx(path: Path) -> Iterator[tuple[int, Row]]:
    import openpyxl  # imported here: only the Excel sources pay for it

    if not path.is_file():
        raise _missing(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a broken zip/xml
        raise _missing(path, f"not a readable .xlsx workbook ({type(e).__name__})") from e
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, ())]
        for i, values in enumerate(rows):
            yield i, {h: ("" if v is None else str(v)) for h, v in zip(header, values)}
    finally:
        book.close()


def _read_table(folder: Path, table: Table) -> Iterator[tuple[int, Row]]:
    path = folder / table.file
    return _read_xlsx(path) if table.reader == "xlsx" else _read_csv(path, table.encoding, table.sep)


def _read_indolem(path: Path) -> Iterator[tuple[tuple, str]]:
    """(JSON key path, tweet) for every tweet of an IndoLEM thread file, as EVAL_ROWS.txt addresses them."""
    try:
        threads = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise _missing(path) from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _missing(path, f"unreadable JSON ({e})") from e
    for i, thread in enumerate(threads):
        for j, tweet in enumerate(thread.get("tweets", [])):
            yield (i, "tweets", j), tweet
        for k, (_, tweet) in enumerate(thread.get("next_tweet", [])):
            yield (i, "next_tweet", k, 1), tweet


def _unlabelled_rows(folder: Path, table: UTable) -> Iterator[tuple[int | tuple, str]]:
    if table.reader == "indolem_json":
        yield from _read_indolem(folder / table.file)
        return
    for i, row in _read_csv(folder / table.file, table.encoding, table.sep):
        yield i, row.get(table.text) or ""
