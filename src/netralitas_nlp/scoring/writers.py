"""Writers: the journal's records to CSV/TSV, Excel or JSONL, plus the rejects file, renamed into place."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..data import file_delimiter
from .core import OUTPUT_COLUMNS

Records = Callable[[], Iterator[dict]]  # a fresh pass over the `{"row", "fields"}` records each call
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def output_header(columns: list[str], records: Iterable[dict]) -> list[str]:
    """Input columns (first row's order, then any later JSONL keys), then the added columns."""
    header = [c for c in columns if c not in OUTPUT_COLUMNS]
    seen = set(header)
    for r in records:
        for k in r["fields"]:
            if k not in seen and k not in OUTPUT_COLUMNS:
                seen.add(k)
                header.append(k)
    return header + list(OUTPUT_COLUMNS)


def write_output(output: Path, rejects_path: Path, columns: list[str], id_col: str | None, records: Records, source: Path) -> None:
    """Write the output (its suffix picks the format; a CSV keeps the `source` file's delimiter) and the rejects file."""
    tmp = output.with_name(output.name + ".tmp")
    with open(rejects_path, "w", encoding="utf-8-sig", newline="") as rf:
        rejects = csv.writer(rf)
        rejects.writerow(["row", "id", "reason"])

        def with_rejects() -> Iterator[dict]:
            # Rejects are collected during the one pass that writes the output.
            for r in records():
                if r["fields"]["status"] != "ok":
                    rejects.writerow([r["row"], _cell(r["fields"].get(id_col, "")) if id_col else "", r["fields"]["status"]])
                yield r

        fmt = output.suffix.lower()
        if fmt in JSONL_SUFFIXES:
            write_jsonl(tmp, with_rejects())
        elif fmt in EXCEL_SUFFIXES:
            write_xlsx(tmp, output_header(columns, records()), with_rejects())
        else:
            write_csv(tmp, output_header(columns, records()), with_rejects(), "\t" if fmt == ".tsv" else input_delimiter(source))
    os.replace(tmp, output)


def input_delimiter(path: Path) -> str:
    """The CSV output keeps a CSV input's delimiter (`;` in many Indonesian exports); else a comma."""
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return ","
    return file_delimiter(path)


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r["fields"], ensure_ascii=False, default=str) + "\n")


def write_csv(path: Path, header: list[str], records: Iterable[dict], delimiter: str) -> None:
    # utf-8-sig: Excel, which most operators open CSVs with, needs the BOM to read UTF-8.
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        for r in records:
            w.writerow([_cell(r["fields"].get(c, "")) for c in header])


def write_xlsx(path: Path, header: list[str], records: Iterable[dict]) -> None:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("scored")
    sheet.append(header)
    for r in records:
        # Excel cannot store control characters; strip them rather than fail the whole export.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c := r["fields"].get(col, ""), str) else c for col in header])
    book.save(path)


def _cell(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)
