"""Scoring throughput, int8 fidelity and memory. Not a test: run it by hand on a quiet machine.

    python benchmarks/score_bench.py --model models/default [--n 5000] [--repeats 3] [--rss-rows 1000000]

On the same model and the same texts it times, in turn:
  (a) the stock `transformers.pipeline("text-classification", top_k=None)` with its defaults,
  (b) our torch path (length-sorted batches, dynamic padding, explicit threads),
  (c) our ONNX int8 path (exported first if missing),
and prints median texts/s over repeats and the ratios. Then the agreement of int8 label decisions
with fp32, the macro-F1 difference on the seed test split, and the peak RSS of `score` on a
generated CSV (streaming: memory should not grow with the number of rows).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from netralitas_nlp.calibration import sigmoid  # noqa: E402
from netralitas_nlp.data import label_matrix, read_examples  # noqa: E402
from netralitas_nlp.labels import LABELS  # noqa: E402
from netralitas_nlp.metrics import binarize, multilabel_report  # noqa: E402


def realistic_texts(n: int, seed: int = 0) -> list[str]:
    """Seed-corpus texts reshaped to a social-media length mix.

    Real exports are mostly short posts and comments, with a tail of long complaints: 55% are cut to
    their first sentence or clause (5-20 words), 35% kept whole, 10% made long by joining 3-6
    texts (often beyond one 128-token window, so windowing is exercised too).
    """
    rng = random.Random(seed)
    pool = [ex.text for split in ("train", "dev", "test") for ex in read_examples(ROOT / f"data/seed/{split}.jsonl")]
    out = []
    for _ in range(n):
        r = rng.random()
        t = rng.choice(pool)
        if r < 0.55:
            words = re.split(r"(?<=[.!?])\s+", t)[0].split()
            t = " ".join(words[: rng.randint(5, 20)])
        elif r > 0.90:
            t = "\n".join(rng.choice(pool) for _ in range(rng.randint(3, 6)))
        out.append(t)
    return out


def timed(fn, texts: list[str], repeats: int) -> tuple[float, object]:
    rates, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn(texts)
        rates.append(len(texts) / (time.perf_counter() - t0))
    return statistics.median(rates), result


def pipeline_fn(model_dir: str):
    from transformers import pipeline

    clf = pipeline("text-classification", model=model_dir, top_k=None)  # its defaults: batch 1, truncation off
    order = {lab: j for j, lab in enumerate(LABELS)}

    def run(texts):
        out = np.zeros((len(texts), len(LABELS)), np.float32)
        for i, scores in enumerate(clf(texts, truncation=True)):  # truncation: the pipeline fails on >512 tokens otherwise
            for d in scores:
                out[i, order[d["label"]]] = d["score"]
        return out

    return run


def peak_rss_of_score(model_dir: str, rows: int, engine: str, tmp: Path) -> tuple[float, float]:
    """Peak RSS (MB) and wall seconds of `score` on a generated CSV of `rows` rows."""
    csv_path = tmp / f"bench_{rows}.csv"
    if not csv_path.exists():
        texts = realistic_texts(min(rows, 20000), seed=1)
        with open(csv_path, "w", encoding="utf-8") as f:
            f.write("id,isi_laporan,unit\n")
            for i in range(rows):
                t = texts[i % len(texts)].replace('"', '""')
                f.write(f'{i},"{t}",Unit {i % 37}\n')
    out = tmp / f"bench_{rows}.scored.csv"
    cmd = [
        "/usr/bin/time",
        "-f",
        "%M %e",
        sys.executable,
        "-m",
        "netralitas_nlp.score",
        "--model",
        model_dir,
        str(csv_path),
        "-o",
        str(out),
        "--engine",
        engine,
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        raise RuntimeError(res.stderr[-2000:])
    kb, secs = res.stderr.strip().splitlines()[-1].split()
    return int(kb) / 1024, float(secs)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/default")
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pipeline-repeats", type=int, default=1, help="the stock pipeline is slow: fewer repeats")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--rss-rows", type=int, default=1_000_000)
    ap.add_argument("--rss-model", default="", help="model for the RSS run (default: --model)")
    ap.add_argument("--tmp", default="/tmp/netralitas-bench")
    ap.add_argument("--rss-only", action="store_true", help="skip the throughput part")
    args = ap.parse_args()
    if args.rss_only:
        return rss_report(args, Path(args.model))

    import torch

    from netralitas_nlp.modeldir import ModelDir
    from netralitas_nlp.models import load_model
    from netralitas_nlp.onnx_engine import OnnxModel, export_onnx

    model_dir = Path(args.model)
    if not ModelDir(model_dir).is_exported():
        export_onnx(model_dir, int8=True)
    torch.set_num_threads(args.threads or torch.get_num_threads())
    texts = realistic_texts(args.n)
    lengths = [len(t.split()) for t in texts]
    print(
        f"{len(texts)} texts, words per text: median {statistics.median(lengths):.0f}, p90 {np.percentile(lengths, 90):.0f}, "
        f"max {max(lengths)}; torch threads {torch.get_num_threads()}"
    )

    predictor = load_model(model_dir)
    onnx = OnnxModel.load(model_dir, threads=args.threads)
    runs = {}
    # The one call a pipeline user adds: blind candidate references as the model was trained (swap.blind).
    pipe = pipeline_fn(str(model_dir))
    runs["(a) transformers.pipeline"] = timed(lambda t: pipe(predictor.inputs(t)), texts, args.pipeline_repeats)
    runs["(b) ours, torch fp32"] = timed(predictor.predict_proba, texts, args.repeats)
    runs["(c) ours, ONNX int8"] = timed(lambda t: sigmoid(onnx.logits(predictor.inputs(t))), texts, args.repeats)
    base = runs["(a) transformers.pipeline"][0]
    for name, (rate, _) in runs.items():
        print(f"{name:28s} {rate:8.1f} texts/s   x{rate / base:5.2f} vs (a)")

    fp32, int8 = runs["(b) ours, torch fp32"][1], runs["(c) ours, ONNX int8"][1]
    agree = (predictor.decide(fp32) == predictor.decide(int8)).mean()
    rows_agree = (predictor.decide(fp32) == predictor.decide(int8)).all(1).mean()
    print(f"int8 vs fp32 label decisions: {agree:.2%} of (text, label) pairs, {rows_agree:.2%} of texts identical")
    pipe = runs["(a) transformers.pipeline"][1]
    print(f"pipeline vs ours (fp32) max |prob diff|: {np.abs(pipe - fp32).max():.4f} (texts over 128 tokens are truncated by the pipeline)")

    test = read_examples(ROOT / "data/seed/test.jsonl")
    y, tt = label_matrix(test), [ex.text for ex in test]
    f_fp32 = multilabel_report(y, predictor.predict_proba(tt), predictor.thresholds, LABELS)["macro_f1"]
    p_int8 = sigmoid(onnx.logits(predictor.inputs(tt)))
    f_int8 = multilabel_report(y, p_int8, predictor.thresholds, LABELS)["macro_f1"]
    print(f"seed test macro-F1: fp32 {f_fp32:.4f}, int8 {f_int8:.4f}, difference {100 * (f_int8 - f_fp32):+.2f} points")
    same = binarize(p_int8, predictor.thresholds) == predictor.decide(predictor.predict_proba(tt))
    print(f"(int8 decisions on the test split: {same.mean():.2%} agree)")

    return rss_report(args, model_dir) if args.rss_rows else 0


def rss_report(args, model_dir: Path) -> int:
    from netralitas_nlp.modeldir import ModelDir

    tmp = Path(args.tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    rss_model = args.rss_model or str(model_dir)
    engine = "onnx" if ModelDir(rss_model).is_exported() else "torch"
    mb, secs = peak_rss_of_score(rss_model, args.rss_rows, engine, tmp)
    print(
        f"score on a {args.rss_rows:,}-row CSV ({rss_model}, engine {engine}): peak RSS {mb:.0f} MB, {secs:.0f} s, "
        f"{args.rss_rows / secs:.0f} rows/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
