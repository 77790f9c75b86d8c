"""The real annotated set: posts from `../shared/data`, labelled by the project, stored by reference.

`data/real/{train,dev,test}.jsonl` hold, per post, a source slug, the file and row locator inside
that source, the sha256 of the raw cell text, our `labels`, `covered`, why the post was selected and
the annotators' decisions, and **never the text**: the third-party licences forbid copies. The
text is joined at run time from the source folder; a missing file, a missing row or a changed text
(hash mismatch) is a `DataError` naming the reference file and row.

The same module reads the annotation *pools*: the in-domain text the selection command
(`select.py`) draws from, with reserved rows (`EVAL_ROWS.txt`) and any text of an
evaluation-only set removed, so neither can ever be selected or trained on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import public
from .data import DataError, Example, iter_jsonl
from .labels import LABELS

REAL_DIR = Path(__file__).resolve().parents[2] / "data" / "real"
SPLITS = ("train", "dev", "test")
REAL = "real:"  # a `train`/`dev` entry `real:SPLIT` joins data/real/SPLIT.jsonl with ../shared/data

# Sources posts may be drawn from. Jannati stays out: the suite holds it out as the partisanship proxy.
# The rest are training-allowed (../shared/data/README.md); reserved rows are dropped below.
POOLS = (
    "pemilu2024-capres-tweets",
    "satriadata2024-bdc-pilpres-tweets",
    "indolem-tweets-unlabeled",
    "ibrohim2019-multilabel-hatespeech",
    "turnbackhoax2019-scrape",
    "turnbackhoax2024-categorized",
)


@dataclass(frozen=True)
class PoolRow:
    source: str
    file: str
    row: int | tuple  # 0-based CSV data-row index, or a JSON key path (IndoLEM)
    raw: str  # the cell as read: hashed, so the join can prove it found the same text

    @property
    def ref(self) -> str:
        return ref_id(self.source, self.file, self.row)

    @property
    def text(self) -> str:
        return public.clean_text(self.raw)


def ref_id(source: str, file: str, row: int | tuple | list) -> str:
    loc = json.dumps(list(row)) if isinstance(row, (tuple, list)) else str(row)
    return f"{source}/{file}/{loc}"


def text_sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _rows(slug: str, folder: Path) -> Iterator[PoolRow]:
    """Every (file, locator, raw text) of one source, reserved rows included (callers filter)."""
    if slug in public.UNLABELLED:
        for table in public.UNLABELLED[slug]:
            for loc, raw in public._unlabelled_rows(folder, table):
                yield PoolRow(slug, table.file, loc, str(raw or ""))
        return
    if slug not in public.SOURCES:
        raise KeyError(f"unknown pool {slug!r} (known: {', '.join(POOLS)})")
    for table in public.TABLES[slug]:
        if public.is_eval_only(slug, table.split):
            continue
        for i, row in public._read_table(folder, table):
            yield PoolRow(slug, table.file, i, str(table.text(row) or ""))


def iter_pool(slug: str, root: Path | None = None) -> Iterator[PoolRow]:
    """Rows of a pool that may be annotated and trained on: non-empty, not reserved, not in an eval-only set."""
    if slug in public.SOURCES and public.is_eval_only(slug):
        raise ValueError(f"{slug} is evaluation-only: it is never a selection pool")
    folder = public.source_dir(slug, root)
    reserved = public.reserved_rows(folder)
    held_out = public._eval_keys(public._root(root).resolve())
    for r in _rows(slug, folder):
        text = r.text
        if text and (r.file, r.row) not in reserved and public.dedupe_key(text) not in held_out:
            yield r


# ---------------------------------------------------------------- the stored set


def real_path(split: str, directory: Path = REAL_DIR) -> Path:
    if split not in SPLITS:
        raise ValueError(f"unknown real split {split!r} (known: {', '.join(SPLITS)})")
    return directory / f"{split}.jsonl"


def read_refs(path: Path) -> list[tuple[int, dict]]:
    return list(iter_jsonl(path))


def _index(refs: list[dict], root: Path | None) -> dict[tuple[str, str, str], str]:
    """{(source, file, locator): raw text} for just the rows the references name."""
    wanted: dict[str, set[tuple[str, str]]] = {}
    for ref in refs:
        wanted.setdefault(ref["source"], set()).add((ref["file"], json.dumps(ref["row"])))
    found = {}
    for slug, keys in wanted.items():
        folder = public.source_dir(slug, root)
        if not folder.is_dir():
            raise DataError(folder, f"source folder of {slug!r} not found (set NETRALITAS_SHARED_DATA)")
        for r in _rows(slug, folder):
            key = (r.file, json.dumps(list(r.row) if isinstance(r.row, tuple) else r.row))
            if key in keys:
                found[(slug, *key)] = r.raw
    return found


def load_real(split: str, root: Path | None = None, directory: Path = REAL_DIR) -> list[Example]:
    """Join one split's references with the source text; the hash must match, row by row."""
    path = real_path(split, directory)
    numbered = read_refs(path)
    texts = _index([ref for _, ref in numbered], root)
    out = []
    for n, ref in numbered:
        key = (ref["source"], ref["file"], json.dumps(ref["row"]))
        if key not in texts:
            raise DataError(path, f"{ref['id']}: row not found in {ref['source']}/{ref['file']}", n)
        raw = texts[key]
        if text_sha256(raw) != ref["sha256"]:
            raise DataError(path, f"{ref['id']}: text changed since annotation (sha256 mismatch)", n)
        unknown = set(ref["labels"]) - set(LABELS)
        if unknown:
            raise DataError(path, f"unknown label(s) {sorted(unknown)}", n)
        meta = {k: v for k, v in ref.items() if k not in ("labels", "sha256")}
        meta.update(id=ref["id"], source="real:" + ref["source"], covered=ref.get("covered", list(LABELS)), split=split)
        out.append(Example(text=public.clean_text(raw), labels=list(ref["labels"]), meta=meta))
    return out


def annotated_ids(directory: Path = REAL_DIR) -> set[str]:
    """Ids of every post in the stored set (any split present), so samples can leave them out."""
    return {ref["id"] for s in SPLITS if real_path(s, directory).exists() for _, ref in read_refs(real_path(s, directory))}


def available(root: Path | None = None, directory: Path = REAL_DIR) -> bool:
    """True when the reference files exist and every source they name is present."""
    if not all(real_path(s, directory).is_file() for s in SPLITS):
        return False
    sources = {ref["source"] for s in SPLITS for _, ref in read_refs(real_path(s, directory))}
    return all(public.available(slug, root) for slug in sources)
