"""Reading, validating and splitting labelled text files (JSONL, CSV/TSV, Excel).

The interchange format (BRIEF §5): JSONL objects with `text` and `labels` (a list of label ids,
`[]` for none); CSV and Excel hold the same columns with `labels` joined by `;`. Every other field
is kept as metadata. One optional field has a meaning: `covered`, the label ids the row's source
speaks about (partial labels: a hate-speech set says nothing about money politics). Absent means
all labels; training masks the loss of the labels a row does not cover instead of reading them as
negatives. Errors name the file, the row and the reason, because operators fix exports
by hand and need to find the bad row.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .labels import LABEL_INDEX, LABELS, validate_labels

TABULAR = {".csv", ".tsv", ".txt"}
EXCEL = {".xlsx", ".xlsm"}
JSONL = {".jsonl", ".ndjson", ".json"}
SNIFF_BYTES = 1 << 16
# A real cell rarely exceeds this; csv's default (128 KiB) rejects 1 MB complaint attachments.
csv.field_size_limit(1 << 28)


class DataError(ValueError):
    """A problem with an input file, naming where it is so a person can fix it."""

    def __init__(self, path: str | Path, reason: str, row: int | None = None):
        self.path, self.row, self.reason = str(path), row, reason
        where = f"{self.path}, row {row}" if row is not None else self.path
        super().__init__(f"{where}: {reason}")


@dataclass
class Example:
    text: str
    labels: list[str]
    meta: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.meta.get("id", ""))

    @property
    def covered(self) -> list[str]:
        """The label ids this example's labels speak about (all, unless the source is partial)."""
        return self.meta.get("covered", list(LABELS))


# ---------------------------------------------------------------- encodings and raw rows


def detect_encoding(path: str | Path, head: bytes | None = None) -> str:
    """Guess the text encoding from the first bytes: a BOM, strict UTF-8, else cp1252/latin-1.

    Excel writes "Unicode text" as UTF-16 with a BOM; older Windows tools write cp1252. Bytes that
    are neither (binary files, NUL-heavy data) are refused instead of decoded into garbage.
    """
    if head is None:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise DataError(path, "unreadable encoding: the file contains NUL bytes (binary or UTF-16 without BOM?)")
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        # A multi-byte character cut by the sniff window is still UTF-8.
        if e.start >= len(head) - 3 and e.reason == "unexpected end of data":
            return "utf-8"
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


class _Lines:
    """Decode a file line by line so a decoding error names its physical line, not a buffer.

    UTF-16 cannot be split on b"\\n" bytes, so it is read through a text wrapper instead.
    """

    def __init__(self, path: Path, encoding: str):
        self.path, self.encoding, self.line = path, encoding, 0

    def __iter__(self) -> Iterator[str]:
        if self.encoding.startswith("utf-16"):
            with open(self.path, encoding=self.encoding, newline="") as f:
                for self.line, text in enumerate(f, start=1):
                    yield text
            return
        with open(self.path, "rb") as f:
            for self.line, raw in enumerate(f, start=1):
                try:
                    yield raw.decode(self.encoding)
                except UnicodeDecodeError as e:
                    raise DataError(self.path, f"unreadable encoding: line {self.line} is not valid {self.encoding} ({e.reason})") from e


def _sample(path: Path, encoding: str) -> str:
    with open(path, "rb") as f:
        return f.read(SNIFF_BYTES).decode(encoding, errors="replace")


def file_delimiter(path: str | Path) -> str:
    """The delimiter `iter_tabular` reads this CSV/TSV file with (writers reuse it)."""
    path = Path(path)
    return sniff_delimiter(_sample(path, detect_encoding(path)), path.suffix.lower())


def sniff_delimiter(sample: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def iter_tabular(path: Path, encoding: str | None = None) -> Iterator[tuple[int, dict]]:
    """Yield (row number, {column: value}) from a CSV/TSV file; row 1 is the first data row."""
    enc = encoding or detect_encoding(path)
    sample = _sample(path, enc)
    if not sample.strip():
        raise DataError(path, "empty file: no header row")
    lines = _Lines(path, enc)
    reader = csv.reader(lines, delimiter=sniff_delimiter(sample, path.suffix.lower()), strict=True)
    n = 0
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
        _check_header(path, header)
        for n, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells) and len(cells) <= 1:
                continue  # a blank line is not a row
            if len(cells) > len(header):
                raise DataError(
                    path, f"{len(cells)} cells but the header has {len(header)} columns (line {lines.line}); a quote may be broken", n
                )
            yield n, dict(zip(header, cells + [""] * (len(header) - len(cells))))
    except csv.Error as e:
        raise DataError(path, f"broken CSV near line {lines.line}: {e}") from e
    except DataError as e:
        if e.row is None and e.reason.startswith("unreadable"):
            raise DataError(path, e.reason, n + 1) from e
        raise


def _check_header(path: Path, header: list[str]) -> None:
    if not any(header):
        raise DataError(path, "the header row is empty")
    dupes = {h for h in header if header.count(h) > 1}
    if dupes:
        raise DataError(path, f"duplicate column names: {sorted(dupes)}")


def _cell(value) -> str:
    return "" if value is None else str(value)


def iter_excel(path: Path, sheet: str | None = None) -> Iterator[tuple[int, dict]]:
    import openpyxl  # imported here: only Excel users pay for it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a broken zip/xml
        raise DataError(path, f"not a readable .xlsx workbook ({type(e).__name__}: {e})") from e
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataError(path, f"no sheet {sheet!r}; sheets are {book.sheetnames}")
        rows = book[sheet].iter_rows(values_only=True) if sheet else book.worksheets[0].iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise DataError(path, "empty sheet: no header row")
        header = [_cell(h).strip() for h in header_row]
        _check_header(path, header)
        for n, values in enumerate(rows, start=1):
            cells = [_cell(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            yield n, dict(zip(header, cells + [""] * (len(header) - len(cells))))
    finally:
        book.close()


def iter_jsonl(path: Path, encoding: str | None = None) -> Iterator[tuple[int, dict]]:
    lines = _Lines(path, encoding or detect_encoding(path))
    try:
        for text in lines:
            n = lines.line
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as e:
                raise DataError(path, f"invalid JSON: {e.msg} at column {e.colno}", n) from e
            if not isinstance(obj, dict):
                raise DataError(path, f"expected a JSON object, got {type(obj).__name__}", n)
            yield n, obj
    except DataError as e:
        if e.row is None and e.reason.startswith("unreadable"):
            raise DataError(path, e.reason, lines.line) from e
        raise


def iter_rows(path: str | Path, sheet: str | None = None, encoding: str | None = None) -> Iterator[tuple[int, dict]]:
    """Yield (row number, raw record) from any supported file, streaming."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file not found")
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise DataError(path, "empty file")
    if suffix in JSONL:
        return iter_jsonl(path, encoding)
    if suffix in EXCEL:
        return iter_excel(path, sheet)
    if suffix in TABULAR:
        return iter_tabular(path, encoding)
    raise DataError(path, f"unsupported file type {suffix!r} (use .jsonl, .csv, .tsv or .xlsx)")


# ---------------------------------------------------------------- labelled examples


def parse_labels(value, path: Path, row: int) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = [x.strip() for x in value.replace(",", ";").split(";")]
    elif isinstance(value, list):
        items = [str(x).strip() for x in value]
    else:
        raise DataError(path, f"`labels` must be a list or a ';'-joined string, got {type(value).__name__}", row)
    try:
        return validate_labels([x for x in items if x])
    except ValueError as e:
        raise DataError(path, str(e), row) from e


def to_example(raw: dict, path: Path, row: int, text_column: str = "text", require_labels: bool = True) -> Example:
    if text_column not in raw:
        raise DataError(path, f"missing `{text_column}` (columns: {sorted(raw)})", row)
    text = raw[text_column]
    if not isinstance(text, str):
        raise DataError(path, f"`{text_column}` is not text ({type(text).__name__})", row)
    if not text.strip():
        raise DataError(path, "empty text", row)
    if require_labels and "labels" not in raw:
        raise DataError(path, "missing `labels` (use [] or an empty cell for no label)", row)
    labels = parse_labels(raw.get("labels"), path, row)
    meta = {k: v for k, v in raw.items() if k not in (text_column, "labels")}
    if meta.get("covered") not in (None, ""):
        meta["covered"] = parse_labels(meta["covered"], path, row)
        if not set(labels) <= set(meta["covered"]):
            raise DataError(path, f"labels {labels} are not all among `covered` {meta['covered']}", row)
    else:
        meta.pop("covered", None)
    return Example(text=text, labels=labels, meta=meta)


def read_examples(path: str | Path, require_labels: bool = True, text_column: str = "text", sheet: str | None = None) -> list[Example]:
    """Read and validate a labelled file; the first bad row raises a DataError."""
    path = Path(path)
    examples = [to_example(raw, path, n, text_column, require_labels) for n, raw in iter_rows(path, sheet)]
    if not examples:
        raise DataError(path, "no data rows (header only?)")
    return examples


def read_many(paths: list[str | Path]) -> list[Example]:
    out: list[Example] = []
    for p in paths:
        out.extend(read_examples(p))
    return out


def label_mask(examples: list[Example]) -> np.ndarray:
    """(n, n_labels) 0/1 array: 1 where the example's source speaks about the label."""
    return _multi_hot([ex.covered for ex in examples])


def write_jsonl(examples: list[Example], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for ex in examples:
            row = {"id": ex.meta.get("id"), "text": ex.text, "labels": ex.labels}
            row.update({k: v for k, v in ex.meta.items() if k != "id"})
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def label_matrix(examples: list[Example]) -> np.ndarray:
    """Multi-hot (n, n_labels) int array in taxonomy order."""
    return _multi_hot([ex.labels for ex in examples])


def _multi_hot(label_lists: list[list[str]]) -> np.ndarray:
    y = np.zeros((len(label_lists), len(LABELS)), dtype=np.int64)
    for i, labels in enumerate(label_lists):
        for lab in labels:
            y[i, LABEL_INDEX[lab]] = 1
    return y


def fingerprint(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
