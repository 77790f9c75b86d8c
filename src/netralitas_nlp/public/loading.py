"""Loading a source: labelled Examples, or unlabelled texts, with reserved, leaked and duplicate rows dropped and counted."""

from __future__ import annotations

from pathlib import Path

from ..data import Example
from .catalogue import SOURCES, TABLES, UNLABELLED, _root, source_dir
from .examples import _new_stats, _raw_examples
from .leakage import _eval_keys, reserved_rows
from .quirks import clean_text, dedupe_key
from .readers import _unlabelled_rows

# ---------------------------------------------------------------- labelled loading


def load_source_with_stats(
    slug: str, root: Path | None = None, split: str = "all", drop_reserved: bool = True
) -> tuple[list[Example], dict]:
    """Load one source as Examples with our label ids, plus counts of what was dropped and why."""
    src = SOURCES.get(slug)
    if src is None:
        raise KeyError(f"unknown labelled source {slug!r} (known: {', '.join(SOURCES)})")
    if split != "all" and split not in src.splits:
        raise ValueError(f"{slug} has splits {src.splits}, not {split!r}")
    folder = source_dir(slug, root)
    reserved = reserved_rows(folder) if drop_reserved else set()
    tables = [t for t in TABLES[slug] if split == "all" or t.split == split]
    held_out = _eval_keys(_root(root).resolve()) if src.use != "eval" else frozenset()
    stats, rows = _new_stats(), []
    for table in tables:
        rows.extend(_raw_examples(slug, folder, table, stats))
    # A reserved row's text is reserved wherever else it occurs in the source.
    reserved_keys = {k for k, ex in rows if (ex.meta["file"], ex.meta["row_index"]) in reserved}
    seen: dict[str, Example] = {}  # both the table's key and the text key point at the kept example
    out = []
    for key, ex in rows:
        text_key = dedupe_key(ex.text)
        first = seen.get(key) or seen.get(text_key)
        if key in reserved_keys:
            stats["n_reserved_dropped"] += 1
        elif ex.meta["split"] not in src.eval_splits and text_key in held_out:
            stats["n_eval_overlap"] += 1
        elif first is not None:
            stats["n_duplicate"] += 1
            stats["n_conflicting"] += first.labels != ex.labels
        else:
            seen[key] = seen[text_key] = ex
            out.append(ex)
    stats["n_out"] = len(out)
    stats["positives"] = {lab: sum(lab in ex.labels for ex in out) for lab in src.covers}
    return out, stats


def load_source(slug: str, root: Path | None = None, split: str = "all", drop_reserved: bool = True) -> list[Example]:
    return load_source_with_stats(slug, root, split, drop_reserved)[0]


def load_stats(slug: str, root: Path | None = None, split: str = "all", drop_reserved: bool = True) -> dict:
    return load_source_with_stats(slug, root, split, drop_reserved)[1]


# ---------------------------------------------------------------- unlabelled loading


def load_unlabelled_with_stats(slug: str, root: Path | None = None, drop_reserved: bool = True) -> tuple[list[str], dict]:
    """Cleaned, de-duplicated texts of a text-only source (for masked-LM pretraining), reserved rows dropped."""
    if slug not in UNLABELLED:
        raise KeyError(f"unknown unlabelled source {slug!r} (known: {', '.join(UNLABELLED)})")
    folder = source_dir(slug, root)
    reserved = reserved_rows(folder) if drop_reserved else set()
    stats = _new_stats()
    rows = []
    for table in UNLABELLED[slug]:
        for loc, raw in _unlabelled_rows(folder, table):
            stats["n_raw"] += 1
            text = clean_text(raw)
            if not text:
                stats["n_empty"] += 1
                continue
            rows.append((dedupe_key(text), text, (table.file, loc) in reserved))
    reserved_keys = {k for k, _, is_reserved in rows if is_reserved}
    seen: set[str] = set()
    out = []
    for key, text, _ in rows:
        if key in reserved_keys:
            stats["n_reserved_dropped"] += 1
        elif key in seen:
            stats["n_duplicate"] += 1
        else:
            seen.add(key)
            out.append(text)
    stats["n_out"] = len(out)
    return out, stats


def load_unlabelled(slug: str, root: Path | None = None, drop_reserved: bool = True) -> list[str]:
    return load_unlabelled_with_stats(slug, root, drop_reserved)[0]
