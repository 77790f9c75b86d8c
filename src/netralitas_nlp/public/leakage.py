"""Leakage rules, in one place: evaluation-only sets and splits, rows reserved in EVAL_ROWS.txt, the
texts of evaluation-only sets that must not appear in training sources, and the guard that refuses
evaluation-only rows in training data (train.py and suite.py ask here)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..data import DataError, Example
from .catalogue import SOURCES, TABLES, available
from .examples import _new_stats, _raw_examples
from .quirks import dedupe_key

EVAL_ROWS_FILE = "EVAL_ROWS.txt"


def is_eval_only(slug: str, split: str = "all") -> bool:
    """True if `split` of `slug` holds any evaluation-only rows ("all" is eval-only if any split is)."""
    src = SOURCES[slug]
    if src.use == "eval":
        return True
    return bool(src.eval_splits) and (split == "all" or split in src.eval_splits)


def refuse_eval_only(examples: list[Example]) -> None:
    """Evaluation-only sets (../shared/data/README.md) must never reach training, even re-exported."""
    for ex in examples:
        slug = ex.meta.get("source")
        if slug in SOURCES and is_eval_only(slug, str(ex.meta.get("split", "all"))):
            raise ValueError(f"training data contains rows of the evaluation-only set {slug!r} (split {ex.meta.get('split', 'all')})")


# ---------------------------------------------------------------- reserved (EVAL_ROWS.txt) rows


def reserved_rows(folder: Path) -> set[tuple[str, int | tuple]]:
    """{(file, locator)} from EVAL_ROWS.txt: a 0-based CSV data-row index, or a JSON key path as a tuple."""
    path = folder / EVAL_ROWS_FILE
    if not path.is_file():
        return set()
    out: set[tuple[str, int | tuple]] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            file, locator = line.split("\t", 1)
            value = json.loads(locator)
        except (ValueError, json.JSONDecodeError) as e:
            raise DataError(path, f"expected 'file<TAB>row index or JSON key path' ({e})", n) from e
        out.add((file, tuple(value) if isinstance(value, list) else int(value)))
    return out


@lru_cache(maxsize=4)
def _eval_keys(root: Path) -> frozenset[str]:
    """Dedupe keys of every evaluation-only text under `root` (eval sources and eval splits).

    The same text inside a training source would leak: Netifier's test split shares texts with its
    train split and with Ibrohim 2019. Sources whose files are absent cannot leak and are skipped.
    """
    keys: set[str] = set()
    for slug, src in SOURCES.items():
        if not available(slug, root):
            continue
        for table in TABLES[slug]:
            if src.use == "eval" or table.split in src.eval_splits:
                keys.update(dedupe_key(ex.text) for _, ex in _raw_examples(slug, root / slug, table, _new_stats()))
    return frozenset(keys)
