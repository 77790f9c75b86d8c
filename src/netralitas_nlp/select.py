"""What to label next: acquisition functions over a pool of unlabelled posts, and their CLI.

Pure functions over arrays (probabilities, thresholds) pick row indices; the CLI reads a pool
(`real.iter_pool`), scores it with one or more model directories and writes references (never
text) with the reason each post was chosen. The triage app's queue uses the same functions.

    python -m netralitas_nlp.select --model models/default --model models/tfidf \
        --pool pemilu2024-capres-tweets --n 500 --strategy mix -o selected.jsonl

Strategies (`mix` combines them in fixed shares, at least 25% random):
- `uncertainty`: probabilities nearest their thresholds, plus rows where the models disagree;
- `high`: the highest-scoring rows per label (finds the rare labels);
- `query`: rows matching phrases an inspector would search for (per label, `QUERIES`);
- `random`: a seeded uniform sample, so prevalence and false-alarm rates can be estimated honestly.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

from .labels import LABELS

# Phrases an inspector types when hunting the rare labels (lower-cased regular expressions).
QUERIES: dict[str, tuple[str, ...]] = {
    "money_politics": (
        r"serangan fajar",
        r"\bamplop",
        r"politik uang",
        r"money ?politic",
        r"beli suara",
        r"\bmahar\b",
        r"bagi[- ]?bagi (uang|duit|sembako|kaos|beras|amplop)",
        r"\b(dibayar|bayaran|nasi bungkus)\b",
        r"\b(sembako|bansos|blt)\b.{0,60}\b(pilih|coblos|menang|kampanye|paslon|capres|caleg|suara|0[1-3])",
        r"\b(50|100|200)\s?(rb|ribu|k)\b.{0,40}\b(pilih|coblos|suara)",
    ),
    "intimidation": (
        r"\bdipaksa\b",
        r"\bdiancam\b",
        r"\bmengancam\b",
        r"\bintimidasi\b",
        r"\bmengintimidasi\b",
        r"\bmobilisasi\b",
        r"\bdiarahkan\b.{0,30}\b(pilih|coblos|dukung)",
        r"\b(kades|kepala desa|camat|lurah|asn|pns|honorer|aparat)\b.{0,60}"
        r"\b(pilih|coblos|dukung|menangkan|kampanye|0[1-3])",
        r"\b(mutasi|dipecat|tidak diperpanjang)\b.{0,60}\b(pilih|dukung|coblos)",
        r"\bnetralitas\b",
    ),
    "partisanship": (
        r"#\w*(01|02|03|amin|menang|lanjut|rebound)\w*",
        r"\b(coblos|pilih|dukung)\b",
        r"\bsalam (satu|dua|tiga) jari\b",
        r"\bkampanye\b",
        r"\brelawan\b",
        r"\bpresiden ke",
        r"\bsatu putaran\b",
    ),
    "hoax_hate": (r"\bhoax|\bhoaks", r"\bfitnah\b", r"\bkafir\b", r"\bpki\b", r"\bantek\b", r"\bcebong|\bkampret|\bkadrun"),
}


def margin(probs: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Per row, the smallest distance of any label's probability to its threshold (smaller = less sure)."""
    return np.abs(np.asarray(probs) - np.asarray(thresholds)[None, :]).min(1)


def disagreement(decisions: list[np.ndarray]) -> np.ndarray:
    """Per row, how many labels the models' decisions disagree on (0 with a single model)."""
    stack = np.stack([np.asarray(d, bool) for d in decisions])
    return (stack.any(0) & ~stack.all(0)).sum(1)


def uncertainty_order(probs: list[np.ndarray], thresholds: list[np.ndarray]) -> np.ndarray:
    """Row indices, most uncertain first: disagreement between models first, then the smallest margin."""
    decisions = [p >= t for p, t in zip(probs, thresholds)]
    dis = disagreement(decisions)
    m = np.min([margin(p, t) for p, t in zip(probs, thresholds)], axis=0)
    return np.lexsort((m, -dis))


def high_order(probs: list[np.ndarray], label: int) -> np.ndarray:
    """Row indices by the highest probability any model gives `label`."""
    return np.argsort(-np.max([p[:, label] for p in probs], axis=0), kind="stable")


def query_hits(texts: list[str], label: str) -> np.ndarray:
    """Indices of texts matching any inspector query of `label`."""
    pattern = re.compile("|".join(QUERIES[label]))
    return np.array([i for i, t in enumerate(texts) if pattern.search(t.lower())], int)


_RT = re.compile(r"^rt\s+@?\w+:?\s*|@\w+|https?://\S+|[\W_]+")


def near_key(text: str) -> str:
    """A key equal for retweets and near copies: no 'RT @user:', mentions, links, punctuation or case."""
    return " ".join(_RT.sub(" ", text.lower()).split())


def dedupe(texts: list[str], seen: set[str] | None = None) -> list[int]:
    """Indices of the first text of each near-copy group (keys in `seen` count as taken, and are added)."""
    seen = set() if seen is None else seen
    keep = []
    for i, t in enumerate(texts):
        k = near_key(t)
        if len(k) >= 8 and k not in seen:
            seen.add(k)
            keep.append(i)
    return keep


def take(order: np.ndarray, n: int, chosen: set[int]) -> list[int]:
    """The first `n` indices of `order` not chosen yet (adds them to `chosen`)."""
    out = []
    for i in order:
        if len(out) >= n:
            break
        if int(i) not in chosen:
            chosen.add(int(i))
            out.append(int(i))
    return out


# Shares of `mix`: random first and at least 25%, so rates estimated on the set stay honest.
MIX = {"random": 0.30, "uncertainty": 0.30, "high": 0.25, "query": 0.15}


def select(
    texts: list[str],
    probs: list[np.ndarray],
    thresholds: list[np.ndarray],
    n: int,
    strategy: str = "mix",
    seed: int = 13,
    labels: tuple[str, ...] = LABELS,
) -> list[tuple[int, dict]]:
    """(row index, reason) for `n` rows of the pool, each row at most once; `high` and `query`
    share their rows equally over `labels` (name only the rare ones to hunt for them)."""
    shares = MIX if strategy == "mix" else {strategy: 1.0}
    unknown = set(shares) - set(MIX)
    if unknown:
        raise ValueError(f"unknown strategy {strategy!r} (known: mix, {', '.join(MIX)})")
    rng = random.Random(seed)
    chosen: set[int] = set()
    out: list[tuple[int, dict]] = []
    for name, share in shares.items():
        k = round(n * share) if name != list(shares)[-1] else n - len(out)
        if name == "random":
            order = np.array(rng.sample(range(len(texts)), len(texts)), int)
            out += [(i, {"strategy": "random"}) for i in take(order, k, chosen)]
        elif name == "uncertainty":
            out += [(i, {"strategy": "uncertainty"}) for i in take(uncertainty_order(probs, thresholds), k, chosen)]
        else:
            per = [k // len(labels) + (j < k % len(labels)) for j in range(len(labels))]
            for j, lab in enumerate(labels):
                if name == "high":
                    order = high_order(probs, LABELS.index(lab))
                else:
                    hits = query_hits(texts, lab)
                    order = hits[np.array(rng.sample(range(len(hits)), len(hits)), int)] if len(hits) else hits
                out += [(i, {"strategy": name, "label": lab}) for i in take(order, per[j], chosen)]
    if len(out) < n:  # a query with too few hits: fill up at random, so `n` stays a promise
        order = np.array(rng.sample(range(len(texts)), len(texts)), int)
        out += [(i, {"strategy": "random", "fill": True}) for i in take(order, n - len(out), chosen)]
    return out


def main(argv: list[str] | None = None) -> int:
    from . import real
    from .models import load_model

    ap = argparse.ArgumentParser(prog="python -m netralitas_nlp.select", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", default=[], help="model directory (repeat to compare models)")
    ap.add_argument("--pool", action="append", required=True, help=f"pool slug (repeat); one of {', '.join(real.POOLS)}")
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--strategy", default="mix", choices=["mix", *MIX])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--label", action="append", choices=LABELS, help="labels `high`/`query` hunt for (default: all)")
    ap.add_argument("--exclude", action="append", default=[], help="JSONL of references already selected or annotated")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args(argv)
    if not args.model and args.strategy in ("mix", "uncertainty", "high"):
        ap.error(f"--strategy {args.strategy} needs at least one --model")

    done = {json.loads(line)["id"] for path in args.exclude for line in Path(path).read_text(encoding="utf-8").splitlines() if line}
    rows = [r for slug in args.pool for r in real.iter_pool(slug) if r.ref not in done]
    rows = [rows[i] for i in dedupe([r.text for r in rows])]  # retweets and near copies once
    texts = [r.text for r in rows]
    predictors = [load_model(d) for d in args.model]
    probs = [p.predict_proba(texts) for p in predictors]
    labels = tuple(args.label or LABELS)
    chosen = select(texts, probs, [p.thresholds for p in predictors], args.n, args.strategy, args.seed, labels)
    with open(args.output, "w", encoding="utf-8") as f:
        for i, reason in chosen:
            r = rows[i]
            scores = {Path(d).name: [round(float(x), 4) for x in p[i]] for d, p in zip(args.model, probs)}
            ref = {"id": r.ref, "source": r.source, "file": r.file, "row": r.row, "sha256": real.text_sha256(r.raw)}
            f.write(json.dumps({**ref, "selection": {**reason, "scores": scores}}) + "\n")
    print(f"{len(chosen)} of {len(rows)} pool rows -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
