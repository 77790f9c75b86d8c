"""Writers: the journal's records to CSV/TSV, Excel or JSONL, plus the rejects file, renamed into place."""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

Records = Callable[[], Iterator[dict]]  # a fresh pass over the `{"row", "fields"}` records each call
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
OUTPUT_SUFFIXES = (".csv", ".tsv", ".txt", *JSONL_SUFFIXES, *EXCEL_SUFFIXES)
# OWASP CSV injection: a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-5", "+62812...") is shown as a number, never run: it keeps its value.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
EXCEL_CELL_LIMIT = 32_767  # characters Excel keeps in one cell; openpyxl would write more and Excel cut it
# What `str()` made of an Excel number or date when the reader turned the cell into text.
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{6})?)?")
EXACT_DIGITS = 15  # Excel keeps 15 significant digits: a longer number (a NIK) stays text


def neutralise(text: str) -> str:
    """`text` made inert for a spreadsheet: a formula-like cell gets the OWASP `'` prefix."""
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def output_header(columns: list[str], added: list[str], records: Iterable[dict]) -> list[str]:
    """Input columns (first row's order, then any later JSONL keys), then the `added` (score) columns."""
    header = [c for c in columns if c not in added]
    seen = set(header) | set(added)
    for r in records:
        for k in r["fields"]:
            if k not in seen:
                seen.add(k)
                header.append(k)
    return header + added


def write_output(
    output: Path,
    rejects_path: Path,
    columns: list[str],
    added: list[str],
    id_col: str | None,
    records: Records,
    delimiter: str = ",",
    safe: bool = True,
    typed: bool = False,
) -> list[str]:
    """Write the output (its suffix picks the format; a CSV gets `delimiter`, the input's) and the rejects file.

    `safe`: no text cell can run as a spreadsheet formula (CSV: `'` prefix; Excel: stored as text).
    `typed`: the input was Excel, so an Excel output gets its numbers and dates back as numbers and dates.
    Returns warnings (Excel cells cut at its cell limit), for the run's summary.
    """
    warnings: list[str] = []
    tmp = output.with_name(output.name + ".tmp")
    with open(rejects_path, "w", encoding="utf-8-sig", newline="") as rf:
        rejects = _Writer(csv.writer(rf), safe)
        rejects.writerow(["row", "id", "reason"])

        def with_rejects() -> Iterator[dict]:
            # Rejects are collected during the one pass that writes the output.
            for r in records():
                if r["status"] != "ok":
                    rejects.writerow([r["row"], _cell(r["fields"].get(id_col, "")) if id_col else "", r["status"]])
                yield r

        fmt = output.suffix.lower()
        if fmt in JSONL_SUFFIXES:
            write_jsonl(tmp, with_rejects())
        elif fmt in EXCEL_SUFFIXES:
            cut = write_xlsx(tmp, output_header(columns, added, records()), with_rejects(), safe, typed)
            warnings += [cut_warning(cut)] if cut else []
        else:
            delimiter = "\t" if fmt == ".tsv" else delimiter
            write_csv(tmp, output_header(columns, added, records()), with_rejects(), delimiter, safe)
    os.replace(tmp, output)
    return warnings


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r["fields"], ensure_ascii=False, default=str) + "\n")


class _Writer:
    """A csv writer that neutralises formula-like cells when `safe` (the rejects file is opened in Excel too)."""

    def __init__(self, writer, safe: bool):
        self.writer, self.safe = writer, safe

    def writerow(self, cells: list) -> None:
        self.writer.writerow([neutralise(c) if self.safe and isinstance(c, str) else c for c in cells])


def write_csv(path: Path, header: list[str], records: Iterable[dict], delimiter: str, safe: bool = True) -> None:
    # utf-8-sig: Excel, which most operators open CSVs with, needs the BOM to read UTF-8.
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = _Writer(csv.writer(f, delimiter=delimiter), safe)
        w.writerow(header)
        for r in records:
            w.writerow([_cell(r["fields"].get(c, "")) for c in header])


def write_xlsx(
    path: Path, header: list[str], records: Iterable[dict], safe: bool = True, typed: bool = False
) -> list[tuple[int, str, int]]:
    """Write an Excel sheet; returns (row, column, length) of each text cut at `EXCEL_CELL_LIMIT`."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("scored")
    sheet.append([_xlsx_cell(sheet, h, safe) for h in header])
    cut = []
    for r in records:
        values = [r["fields"].get(col, "") for col in header]
        for col, v in zip(header, values):
            if isinstance(v, str) and len(v) > EXCEL_CELL_LIMIT:
                cut.append((r["row"], col, len(v)))
        sheet.append([_xlsx_cell(sheet, restore_type(v) if typed else v, safe) for v in values])
    book.save(path)
    return cut


def cut_warning(cut: list[tuple[int, str, int]]) -> str:
    """One line naming the Excel cells cut at the cell limit (the first few rows)."""
    rows = ", ".join(f"row {row} {col!r} ({n:,} chars)" for row, col, n in cut[:5])
    more = f" and {len(cut) - 5} more" if len(cut) > 5 else ""
    return (
        f"{len(cut)} Excel cell(s) longer than {EXCEL_CELL_LIMIT:,} characters were cut, marked {CUT_MARK.strip()!r}: "
        f"{rows}{more}; write .csv or .jsonl to keep them whole"
    )


CUT_MARK = " [CUT: Excel cell limit; full text in a .csv/.jsonl output]"


def restore_type(value):
    """An Excel number or date that the reader turned into text (`str()`), back as a number or date.

    Only the exact text `str()` writes converts, so "0812..." or "1.50" stay text; long numbers too.
    """
    if not isinstance(value, str) or not value or len(value) > 26:
        return value
    if _DATETIME.fullmatch(value):
        return datetime.fromisoformat(value) if " " in value else date.fromisoformat(value)
    for kind in (int, float):
        try:
            number = kind(value)
        except ValueError:
            continue
        digits = len(value.lstrip("+-").replace(".", "").lstrip("0"))
        if str(number) == value and digits <= EXACT_DIGITS and "e" not in value and number == number:
            return number
    return value


def _xlsx_cell(sheet, value, safe: bool):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    # Excel cannot store control characters; strip them rather than fail the whole export.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:  # Excel would cut it without a word: cut it here, marked and reported
        value = value[: EXCEL_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
    cell = WriteOnlyCell(sheet, value=value)
    if safe:
        cell.data_type = "s"  # openpyxl stores a string starting with "=" as a live formula otherwise
    return cell


def _cell(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)
