"""``python -m netralitas_nlp.public``: list the sources, or export one as JSONL for inspection."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..data import DataError, write_jsonl
from .catalogue import SOURCES, UNLABELLED, _root, available
from .leakage import is_eval_only
from .loading import load_source_with_stats, load_stats, load_unlabelled_with_stats

PROJECT_DATA = Path(__file__).resolve().parents[3] / "data"


def _list(root: Path | None) -> int:
    print(f"root: {_root(root)}")
    print(f"{'slug':38} {'use':10} {'covers':14} {'rows':>7}  status")
    for slug, src in SOURCES.items():
        ok = available(slug, root)
        rows = str(load_stats(slug, root)["n_out"]) if ok else "-"
        print(f"{slug:38} {src.use:10} {','.join(src.covers):14} {rows:>7}  {'available' if ok else 'missing'}")
    for slug in UNLABELLED:
        ok = available(slug, root)
        rows = str(load_unlabelled_with_stats(slug, root)[1]["n_out"]) if ok else "-"
        print(f"{slug:38} {'unlabelled':10} {'-':14} {rows:>7}  {'available' if ok else 'missing'}")
    return 0


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _export(slug: str, out: Path, split: str, root: Path | None) -> int:
    if _inside(out, PROJECT_DATA) or _inside(out, Path.cwd() / "data"):
        print(f"refusing to write {out}: it is inside the project's data/ folder, and shared data must never be committed", file=sys.stderr)
        return 2
    examples, stats = load_source_with_stats(slug, root, split)
    if is_eval_only(slug, split):
        print(f"warning: {slug} split {split!r} holds evaluation-only rows: never train or tune on this file", file=sys.stderr)
    write_jsonl(examples, out)
    print(f"wrote {len(examples)} examples to {out} ({json.dumps(stats)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netralitas_nlp.public", description="Third-party dataset adapters.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_list = sub.add_parser("list", help="list the sources and whether their files are present")
    p_list.add_argument("--root", type=Path, default=None)
    p_exp = sub.add_parser("export", help="write one source as JSONL for inspection (outside the project's data/)")
    p_exp.add_argument("slug", choices=sorted(SOURCES))
    p_exp.add_argument("-o", "--output", type=Path, required=True)
    p_exp.add_argument("--split", default="all")
    p_exp.add_argument("--root", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        if args.cmd == "list":
            return _list(args.root)
        return _export(args.slug, args.output, args.split, args.root)
    except (DataError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
