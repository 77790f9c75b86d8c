"""Reading the rows to score and finding their text and id columns; the per-cell check."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from ..data import EXCEL, JSONL, BadRecord, DataError, ReadOptions, iter_rows

TEXT_COLUMNS = (
    "text",
    "teks",
    "isi",
    "isi_laporan",
    "isi_aduan",
    "uraian",
    "uraian_laporan",
    "konten",
    "content",
    "caption",
    "tweet",
    "full_text",
    "komentar",
    "comment",
    "pesan",
    "message",
    "laporan",
    "aduan",
    "deskripsi",
    "description",
    "body",
)
ID_COLUMNS = ("id", "no", "nomor", "tracking_id", "no_tracking", "kode", "id_laporan", "nomor_laporan")
MAX_CHARS = 100_000  # longer cells are rejected: no post or complaint is this long, an attachment dump is

Rows = Iterator[tuple[int, dict]]


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def detect_column(columns: list[str], wanted: str | None, candidates: tuple[str, ...], what: str, path: Path) -> str | None:
    """The column asked for (which must exist), else the first known name; only a text column is required."""
    if wanted is not None:
        if wanted not in columns:
            raise DataError(path, f"no {what} column {wanted!r}; columns are {columns}")
        return wanted
    by_norm = {_norm(c): c for c in columns}
    for cand in candidates:
        if cand in by_norm:
            return by_norm[cand]
    if what == "text":
        raise DataError(path, f"no text column found (tried {', '.join(candidates)}); columns are {columns}; pass --text-column")
    return None


def check_text(value, max_chars: int) -> tuple[str | None, str]:
    """(text, 'ok') or (None, reason) for one cell."""
    if value is None:
        return None, "empty text"
    if not isinstance(value, str):
        return None, f"not text ({type(value).__name__})"
    if not value:
        return None, "empty text"
    if not value.strip():
        return None, "whitespace-only text"
    if len(value) > max_chars:
        return None, f"text longer than {max_chars} characters ({len(value)})"
    return value, "ok"


def check_record(raw: dict, text_col: str, max_chars: int) -> tuple[str | None, str]:
    """(text, 'ok') or (None, reason) for one row: a record the reader could not parse is not scored."""
    if isinstance(raw, BadRecord):
        return None, f"bad record: {raw.reason}"
    return check_text(raw.get(text_col), max_chars)


def open_rows(path: Path, sheet: str | None, options: ReadOptions | None = None) -> tuple[list[str], Rows]:
    """The first readable row's columns and every row, bad ones included; a file with no data row is an error."""
    rows = iter_rows(path, sheet, options=options)
    bad = []  # a malformed record has no trustworthy columns: they come from the first good row
    for item in rows:
        if not isinstance(item[1], BadRecord):
            return list(item[1]), chain(bad, [item], rows)
        bad.append(item)
    if bad:
        raise DataError(path, f"no readable data row: {len(bad)} malformed record(s), the first: {bad[0][1].reason}")
    raise DataError(path, "no data rows (header only?)")


def skip(rows: Rows, n: int) -> Rows:
    """`rows` without its first `n` (already scored by an interrupted run)."""
    for k, item in enumerate(rows):
        if k >= n:
            yield item


def count_rows(path: Path, sheet: str | None = None, header_row: int = 1) -> int | None:
    """About how many data rows `path` has, cheaply, for the progress bar; None when unknown.

    CSV/JSONL: line breaks less the header lines (a quoted multi-line cell makes it an upper bound);
    Excel: the sheet's recorded dimension.
    """
    try:
        if path.suffix.lower() in EXCEL:
            return _excel_rows(path, sheet, header_row)
        lines = 0
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                lines += block.count(b"\n")
                last = block
        lines += 0 if last.endswith(b"\n") else 1
        header = 0 if path.suffix.lower() in JSONL else header_row
        return max(lines - header, 0)
    except Exception:  # a count only feeds the progress bar: reading reports the real problem
        return None


def _excel_rows(path: Path, sheet: str | None, header_row: int) -> int | None:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = book[sheet] if sheet else book.worksheets[0]
        return None if ws.max_row is None else max(ws.max_row - header_row, 0)
    finally:
        book.close()
