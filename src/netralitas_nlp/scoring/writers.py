"""Writers: the journal's records to CSV/TSV, Excel or JSONL, plus the rejects file, renamed into place."""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

Records = Callable[[], Iterator[dict]]  # a fresh pass over the `{"row", "fields"}` records each call
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
OUTPUT_SUFFIXES = (".csv", ".tsv", ".txt", *JSONL_SUFFIXES, *EXCEL_SUFFIXES)
# OWASP CSV injection: a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-5", "+62812...") is shown as a number, never run: it keeps its value.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


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
) -> None:
    """Write the output (its suffix picks the format; a CSV gets `delimiter`, the input's) and the rejects file.

    `safe`: no cell can run as a spreadsheet formula (CSV: `'` prefix; Excel: cells stored as text).
    """
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
            write_xlsx(tmp, output_header(columns, added, records()), with_rejects(), safe)
        else:
            delimiter = "\t" if fmt == ".tsv" else delimiter
            write_csv(tmp, output_header(columns, added, records()), with_rejects(), delimiter, safe)
    os.replace(tmp, output)


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


def write_xlsx(path: Path, header: list[str], records: Iterable[dict], safe: bool = True) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("scored")
    sheet.append([_xlsx_cell(sheet, h, safe) for h in header])
    for r in records:
        sheet.append([_xlsx_cell(sheet, r["fields"].get(col, ""), safe) for col in header])
    book.save(path)


def _xlsx_cell(sheet, value, safe: bool):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    # Excel cannot store control characters; strip them rather than fail the whole export.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    if safe:
        cell.data_type = "s"  # openpyxl stores a string starting with "=" as a live formula otherwise
    return cell


def _cell(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)
