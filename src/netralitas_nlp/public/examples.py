"""One table's usable rows as Examples with our label ids, before reserved, leakage and duplicate filtering."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..data import Example
from ..labels import LABELS
from .catalogue import SOURCES, TABLES, Table
from .quirks import clean_text, dedupe_key
from .readers import _read_table


def _new_stats() -> dict:
    keys = ("n_raw", "n_empty", "n_unmapped", "n_reserved_dropped", "n_eval_overlap", "n_duplicate", "n_conflicting", "n_out")
    return dict.fromkeys(keys, 0)


def _raw_examples(slug: str, folder: Path, table: Table, stats: dict) -> Iterator[tuple[str, Example]]:
    """(dedupe key, Example) for each usable row of one table, before reserved/duplicate filtering."""
    src = SOURCES[slug]
    for i, row in _read_table(folder, table):
        stats["n_raw"] += 1
        text = clean_text(table.text(row))
        if not text:
            stats["n_empty"] += 1
            continue
        mapped = table.label(row)
        if mapped is None:
            stats["n_unmapped"] += 1
            continue
        source_row = (row.get(table.row_id) or i) if table.row_id else i
        meta = {
            "id": f"{slug}/{Path(table.file).stem}/{source_row}" if len(TABLES[slug]) > 1 else f"{slug}/{source_row}",
            "source": slug,
            "covered": list(src.covers),
            "source_row": source_row,
            "split": table.split,
            "file": table.file,
            "row_index": i,
            **table.const,
            **{f"orig_{c}": row.get(c, "") for c in table.orig},
        }
        labels = [lab for lab in LABELS if mapped.get(lab) == 1]
        key = table.key(row) if table.key else dedupe_key(text)
        yield key, Example(text=text, labels=labels, meta=meta)
