"""Evaluate saved models: `python -m netralitas_nlp.evaluate --model DIR [--model DIR2] --data FILE
[--json OUT.json] [--report OUT.html] [--swap-check]`, or the whole suite with `--suite`.

One model: the JSON's top level holds `macro_f1`, `micro_f1`, `none_fpr`, `ece` and `per_label`.
Several models: `{"data": FILE, "models": [{"model": DIR, ...metrics}, ...]}`.
`--suite` (see suite.py): `{"models": [...], "sets": [{"name", "covers", "meaning", "results": [...]}], "swap_check": ...}`;
without `--model` it evaluates every model directory under models/.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .data import DataError, label_matrix, read_examples
from .labels import LABELS
from .metrics import multilabel_report
from .modeldir import ModelDir
from .models import load_predictor
from .report import render, render_suite
from .suite import SEED_TEST, format_table, pool_sample, public_sets, real_sets, run_suite, seed_set
from .swap import swap_check


def evaluate_models(
    model_dirs: list[str], data_path: str, swap: bool = False, engine: str = "torch"
) -> tuple[list[dict], list[str], object]:
    examples = read_examples(data_path)
    texts, y = [ex.text for ex in examples], label_matrix(examples)
    runs = []
    for d in model_dirs:
        predictor = load_predictor(d, engine=engine)
        probs = predictor.predict_proba(texts)
        report = multilabel_report(y, probs, predictor.thresholds, LABELS)
        if swap:
            report["swap_check"] = swap_check(predictor, texts)
        runs.append({"name": str(d), "kind": predictor.kind, "probs": probs, "thresholds": predictor.thresholds, "report": report})
    return runs, texts, y


def print_table(runs: list[dict]) -> None:
    cols = ["macro_f1", "micro_f1", "none_fpr", "ece"] + [f"{lab}_f1" for lab in LABELS]
    width = max(len(r["name"]) for r in runs) + 2
    print("model".ljust(width) + " ".join(c.rjust(max(8, len(c))) for c in cols))
    for r in runs:
        rep = r["report"]
        vals = [rep["macro_f1"], rep["micro_f1"], rep["none_fpr"], rep["ece"]] + [rep["per_label"][lab]["f1"] for lab in LABELS]
        print(r["name"].ljust(width) + " ".join(f"{v:.3f}".rjust(max(8, len(c))) for v, c in zip(vals, cols)))


def to_json(runs: list[dict], data_path: str) -> dict:
    entries = [{"model": r["name"], "kind": r["kind"], "data": data_path, **r["report"]} for r in runs]
    return entries[0] if len(entries) == 1 else {"data": data_path, "models": entries}


def all_models(root: str = "models") -> list[str]:
    return [str(folder.path) for folder in ModelDir.listing(root)]


def main_suite(args) -> int:
    models = args.model or all_models()
    if not models:
        print("error: no model directories under models/; train one or pass --model DIR", file=sys.stderr)
        return 2
    root = Path(args.shared) if args.shared else None
    sets = [seed_set(args.data or SEED_TEST), *real_sets(root), *public_sets(root)]
    if args.only:  # e.g. --only seed --only real: the quick neutrality and real-text check
        sets = [s for s in sets if any(key in s.name for key in args.only)]
    try:
        pool = pool_sample(args.pool_sample, root=root) if args.pool_sample else []
        result = run_suite(
            models, sets, swap_on=args.data or SEED_TEST, log=lambda m: print(m, file=sys.stderr), pool=pool, engine=args.engine
        )
    except (DataError, FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(format_table(result))
    json_path, report_path = args.json or "eval-suite.json", args.report or "eval-suite.html"
    Path(json_path).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    Path(report_path).write_text(render_suite(result), encoding="utf-8")
    print(f"wrote {json_path} and {report_path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas_nlp.evaluate", description="Evaluate saved models on a labelled file.")
    ap.add_argument("--model", action="append", help="model directory (repeat to compare)")
    ap.add_argument("--data", help="labelled JSONL/CSV/Excel file (with --suite: the seed test split to use)")
    ap.add_argument("--json", help="write metrics JSON here")
    ap.add_argument("--report", help="write an HTML report here")
    ap.add_argument("--swap-check", action="store_true", help="also measure decision flips when candidate numbers/names are permuted")
    ap.add_argument("--suite", action="store_true", help="seed test split + every evaluation-only public set + swap check")
    ap.add_argument(
        "--engine", choices=["torch", "onnx", "auto"], default="torch", help="engine to measure (onnx: the int8 export users score with)"
    )
    ap.add_argument("--only", action="append", default=[], help="with --suite: only the sets whose name contains this (repeat)")
    ap.add_argument("--pool-sample", type=int, default=2000, help="with --suite: unlabelled pool posts for the swap check (0: none)")
    ap.add_argument("--shared", help="folder of the public sets (default: $NETRALITAS_SHARED_DATA or ../shared/data)")
    args = ap.parse_args(argv)
    if args.suite:
        return main_suite(args)
    if not args.model or not args.data:
        ap.error("--model and --data are required (or use --suite)")
    try:
        runs, texts, y = evaluate_models(args.model, args.data, swap=args.swap_check, engine=args.engine)
    except (DataError, FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print_table(runs)
    for r in runs:
        if "swap_check" in r["report"]:
            sc = r["report"]["swap_check"]
            per = " ".join(f"{lab}={v:.2%}" for lab, v in sc["flip_rate_per_label"].items())
            print(
                f"swap check {r['name']}: {sc['with_candidate_reference']}/{sc['n']} texts name a candidate; "
                f"decisions flip for {sc['flip_rate']:.2%} of texts ({per})"
            )
    if args.json:
        Path(args.json).write_text(json.dumps(to_json(runs, args.data), indent=2), encoding="utf-8")
    if args.report:
        Path(args.report).write_text(render(args.data, texts, y, runs), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
