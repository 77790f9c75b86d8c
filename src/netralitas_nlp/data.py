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
import re
from collections import deque
from collections.abc import Callable, Iterator
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


class BadRecord(dict):
    """A record that could not be read as it stands (lenient reading): the cells read, and why not."""

    def __init__(self, cells: dict, reason: str):
        super().__init__(cells)
        self.reason = reason


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file when sniffing is not enough (Excel exports with a title row, odd delimiters)."""

    delimiter: str | None = None  # CSV: None = from the header line
    encoding: str | None = None  # CSV/JSONL: None = detected
    header_row: int = 1  # CSV line / Excel row holding the column names; the ones above are skipped
    # Lenient: a malformed record becomes a BadRecord and reading goes on (one bad line must not stop
    # a 100,000-row run); a line that is not valid in the detected encoding is decoded as cp1252.
    lenient: bool = False
    warn: Callable[[str], None] | None = None  # told what lenient reading repaired or suspects

    def note(self, message: str) -> None:
        if self.warn is not None:
            self.warn(message)


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

    def __init__(self, path: Path, encoding: str, lenient: bool = False):
        self.path, self.encoding, self.line = path, encoding, 0
        self.lenient, self.recoded = lenient, 0  # recoded: lines read in a fallback encoding

    def __iter__(self) -> Iterator[str]:
        if self.encoding.startswith("utf-16"):
            with open(self.path, encoding=self.encoding, newline="") as f:
                for self.line, text in enumerate(f, start=1):
                    yield text
            return
        with open(self.path, "rb") as f:
            for self.line, raw in enumerate(f, start=1):
                yield self._decode(raw)

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError as e:
            if not self.lenient:
                raise DataError(self.path, f"unreadable encoding: line {self.line} is not valid {self.encoding} ({e.reason})") from e
        # Detection sees the first 64 KiB only; a cp1252 export can turn non-ASCII much later.
        # Every line decodes as cp1252 or latin-1, so no row is lost; the caller is told how many.
        self.recoded += 1
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def _sample(path: Path, encoding: str) -> str:
    with open(path, "rb") as f:
        return f.read(SNIFF_BYTES).decode(encoding, errors="replace")


def file_delimiter(path: str | Path, options: ReadOptions | None = None) -> str:
    """The delimiter `iter_tabular` reads this CSV/TSV file with (writers reuse it)."""
    path, opts = Path(path), options or ReadOptions()
    if opts.delimiter:
        return opts.delimiter
    return sniff_delimiter(_sample(path, opts.encoding or detect_encoding(path)), path.suffix.lower(), opts.header_row)


DELIMITERS = ",;\t|"


def sniff_delimiter(sample: str, suffix: str, header_row: int = 1) -> str:
    """The header line settles it (column names rarely hold a delimiter, texts full of commas often do)."""
    if suffix == ".tsv":
        return "\t"
    lines = sample.splitlines()
    header = lines[header_row - 1] if len(lines) >= header_row else ""
    counts = sorted(((header.count(d), d) for d in DELIMITERS), reverse=True)
    if counts[0][0] > counts[1][0]:
        return counts[0][1]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def iter_tabular(path: Path, encoding: str | None = None, options: ReadOptions | None = None) -> Iterator[tuple[int, dict]]:
    """Yield (row number, {column: value}) from a CSV/TSV file; row 1 is the first data row."""
    opts = options or ReadOptions(encoding=encoding)
    enc = opts.encoding or encoding or detect_encoding(path)
    if not _sample(path, enc).strip():
        raise DataError(path, "empty file: no header row")
    lines = _Lines(path, enc, opts.lenient)
    source = _Replay(lines)
    for _ in range(opts.header_row - 1):
        next(source, None)  # title lines above the header (Excel exports)
    reader = csv.reader(source, delimiter=file_delimiter(path, ReadOptions(opts.delimiter, enc, opts.header_row)), strict=True)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise DataError(path, f"no header row at line {opts.header_row}") from None
    except csv.Error as e:
        raise DataError(path, f"broken CSV near line {source.line}: {e}") from e
    _check_header(path, header)
    yield from _records(path, reader, source, header, opts)
    if lines.recoded:
        opts.note(f"{lines.recoded} line(s) were not valid {enc} and were read as cp1252")


def _records(path: Path, reader, source: _Replay, header: list[str], opts: ReadOptions) -> Iterator[tuple[int, dict]]:
    n = 0
    while True:
        source.mark()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            n += 1
            reason = f"broken CSV at line {source.first_line()}: {e}"
            if not opts.lenient:
                raise DataError(path, f"broken CSV near line {source.line}: {e}") from e
            source.replay_tail()  # the lines after the broken one are read again, as records of their own
            yield n, BadRecord({}, reason)
            continue
        except DataError as e:
            raise DataError(path, e.reason, n + 1) from e
        n += 1
        if not any(c.strip() for c in cells) and len(cells) <= 1:
            continue  # a blank line is not a row
        if len(cells) > len(header):
            reason = f"{len(cells)} cells but the header has {len(header)} columns (line {source.line}); a quote may be broken"
            if not opts.lenient:
                raise DataError(path, reason, n)
            yield n, BadRecord(dict(zip(header, cells)), reason)
            continue
        _check_merged(source, cells, reader.dialect.delimiter, n, opts)
        yield n, dict(zip(header, cells + [""] * (len(header) - len(cells))))


class _Replay:
    """Lines for the csv reader that can be read again: after a broken quote, the lines it swallowed."""

    def __init__(self, lines: _Lines):
        self.lines, self.pending, self.taken, self.line = iter(lines), deque(), [], 0
        self._source = lines

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.pending:
            self.line, text = self.pending.popleft()
        else:
            text = next(self.lines)
            self.line = self._source.line
        self.taken.append((self.line, text))
        return text

    def mark(self) -> None:
        self.taken = []

    def first_line(self) -> int:
        return self.taken[0][0] if self.taken else self.line

    def replay_tail(self) -> None:
        self.pending.extendleft(reversed(self.taken[1:]))
        self.taken = []


_SHAPE = (re.compile(r"[A-Za-z]"), re.compile(r"\d"))


def _shape(cell: str) -> str:
    return _SHAPE[1].sub("9", _SHAPE[0].sub("a", cell.strip()))


def _check_merged(source: _Replay, cells: list[str], delimiter: str, n: int, opts: ReadOptions) -> None:
    """Warn when a multi-line record's inner lines start like records (an id of the same shape): an
    unbalanced quote may have merged them, and the record count falls short of the ids."""
    if len(source.taken) < 2 or not cells or not any(ch.isdigit() for ch in cells[0]):
        return
    shape = _shape(cells[0])
    starts = [ln for ln, text in source.taken[1:] if delimiter in text and _shape(text.split(delimiter, 1)[0]) == shape]
    if starts:
        opts.note(f"row {n} (line {source.taken[0][0]}) may hold {len(starts) + 1} merged records: lines {starts} start like records")


def _check_header(path: Path, header: list[str]) -> None:
    if not any(header):
        raise DataError(path, "the header row is empty")
    dupes = {h for h in header if header.count(h) > 1}
    if dupes:
        raise DataError(path, f"duplicate column names: {sorted(dupes)}")


def _cell(value) -> str:
    return "" if value is None else str(value)


def iter_excel(path: Path, sheet: str | None = None, options: ReadOptions | None = None) -> Iterator[tuple[int, dict]]:
    import openpyxl  # imported here: only Excel users pay for it

    opts = options or ReadOptions()
    try:
        # Values as Excel last saved them, and the formulas: a formula with no saved value (a file
        # written by a program, never opened in Excel) reads as empty and must be reported, not dropped.
        books = [openpyxl.load_workbook(path, read_only=True, data_only=d) for d in (True, False)]
    except Exception as e:  # openpyxl raises many types for a broken zip/xml
        raise DataError(path, f"not a readable .xlsx workbook ({type(e).__name__}: {e})") from e
    try:
        if sheet is not None and sheet not in books[0].sheetnames:
            raise DataError(path, f"no sheet {sheet!r}; sheets are {books[0].sheetnames}")
        values, formulas = (b[sheet].iter_rows(values_only=True) if sheet else b.worksheets[0].iter_rows(values_only=True) for b in books)
        for _ in range(opts.header_row - 1):
            next(values, None), next(formulas, None)  # title rows above the header
        header_row = next(values, None)
        next(formulas, None)
        if header_row is None:
            raise DataError(path, "empty sheet: no header row")
        header = [_cell(h).strip() for h in header_row]
        _check_header(path, header)
        yield from _excel_records(path, header, values, formulas, opts)
    finally:
        for b in books:
            b.close()


def _excel_records(path: Path, header: list[str], values, formulas, opts: ReadOptions) -> Iterator[tuple[int, dict]]:
    for n, (row, frow) in enumerate(zip(values, formulas), start=1):
        cells = [_cell(v) for v in row]
        record = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        uncached = [h for h, v, f in zip(header, row, frow) if v is None and isinstance(f, str) and f.startswith("=")]
        if uncached:
            reason = f"formula without a saved value in {uncached}; open and save the file in Excel, then read it again"
            if not opts.lenient:
                raise DataError(path, reason, n)
            yield n, BadRecord(record, reason)
        elif any(c.strip() for c in cells):
            yield n, record


def iter_jsonl(path: Path, encoding: str | None = None, options: ReadOptions | None = None) -> Iterator[tuple[int, dict]]:
    opts = options or ReadOptions(encoding=encoding)
    enc = opts.encoding or encoding or detect_encoding(path)
    lines = _Lines(path, enc, opts.lenient)
    try:
        for text in lines:
            n = lines.line
            if not text.strip():
                continue
            obj, reason = _json_object(text)
            if reason is None:
                yield n, obj
            elif opts.lenient:
                yield n, BadRecord({}, reason)
            else:
                raise DataError(path, reason, n)
    except DataError as e:
        if e.row is None and e.reason.startswith("unreadable"):
            raise DataError(path, e.reason, lines.line) from e
        raise
    if lines.recoded:
        opts.note(f"{lines.recoded} line(s) were not valid {enc} and were read as cp1252")


def _json_object(text: str) -> tuple[dict | None, str | None]:
    """(object, None) or (None, why the line is not a JSON object)."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        return None, f"invalid JSON: {e.msg} at column {e.colno}"
    if not isinstance(obj, dict):
        return None, f"expected a JSON object, got {type(obj).__name__}"
    return obj, None


def iter_rows(
    path: str | Path, sheet: str | None = None, encoding: str | None = None, options: ReadOptions | None = None
) -> Iterator[tuple[int, dict]]:
    """Yield (row number, raw record) from any supported file, streaming; `options`: see ReadOptions."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file not found")
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise DataError(path, "empty file")
    if suffix in JSONL:
        return iter_jsonl(path, encoding, options)
    if suffix in EXCEL:
        return iter_excel(path, sheet, options)
    if suffix in TABULAR:
        return iter_tabular(path, encoding, options)
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
