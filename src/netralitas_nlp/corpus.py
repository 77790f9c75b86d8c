"""Corpus tools: near-duplicate detection, stratified splitting and statistics.

    python -m netralitas_nlp.corpus split FILE... --out data/seed   # writes train/dev/test.jsonl
    python -m netralitas_nlp.corpus stats data/seed [--json OUT]

Splits keep every near-duplicate cluster inside one split (otherwise test scores reward
memorising paraphrases) and stratify by label set, so rare label combinations land in every split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from .data import DataError, Example, label_matrix, read_examples, read_many, write_jsonl
from .labels import LABELS
from .normalize import normalize

SPLITS = ("train", "dev", "test")
DUP_THRESHOLD = 0.5  # Jaccard of character 5-gram sets; paraphrases with names swapped score above it
DIGITS_RE = re.compile(r"\d")


def _shingle_text(text: str) -> str:
    # Digits and case are template slots (candidate numbers, amounts), not content.
    return DIGITS_RE.sub("0", normalize(text, lowercase=True))


def near_duplicate_pairs(texts: list[str], threshold: float = DUP_THRESHOLD) -> list[tuple[int, int, float]]:
    """Pairs (i, j, jaccard) with i < j whose character 5-gram sets overlap at least `threshold`."""
    if len(texts) < 2:
        return []
    vec = CountVectorizer(analyzer="char", ngram_range=(5, 5), binary=True, preprocessor=_shingle_text)
    x = vec.fit_transform(texts).astype(np.float32).tocsr()
    sizes = np.asarray(x.sum(1)).ravel()
    inter = (x @ x.T).tocoo()
    keep = inter.row < inter.col
    i, j, n = inter.row[keep], inter.col[keep], inter.data[keep]
    jac = n / np.maximum(sizes[i] + sizes[j] - n, 1)
    hit = jac >= threshold
    return sorted(zip(i[hit].tolist(), j[hit].tolist(), jac[hit].round(3).tolist()))


def clusters(n: int, pairs: list[tuple[int, int, float]]) -> list[int]:
    """Union-find over near-duplicate pairs: a cluster id for each of n items."""
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b, _ in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(a) for a in range(n)]


def _stable_key(seed: int, text: str) -> str:
    return hashlib.sha256(f"{seed}:{text}".encode()).hexdigest()


def split_examples(
    examples: list[Example], ratios: tuple[float, float, float] = (0.8, 0.1, 0.1), seed: int = 13
) -> dict[str, list[Example]]:
    """Deterministic split, stratified by label set, with near-duplicate clusters kept together."""
    cluster_of = clusters(len(examples), near_duplicate_pairs([ex.text for ex in examples]))
    groups: dict[int, list[int]] = {}
    for i, c in enumerate(cluster_of):
        groups.setdefault(c, []).append(i)
    by_signature: dict[str, list[list[int]]] = {}
    for members in groups.values():
        members.sort(key=lambda i: (examples[i].id, examples[i].text))  # input order must not matter
        signature = "|".join(examples[members[0]].labels) or "none"
        by_signature.setdefault(signature, []).append(members)
    assigned: dict[str, list[int]] = {s: [] for s in SPLITS}
    for signature in sorted(by_signature):
        counts = dict.fromkeys(SPLITS, 0)
        ordered = sorted(by_signature[signature], key=lambda m: _stable_key(seed, examples[m[0]].text))
        for members in ordered:
            total = sum(counts.values()) + len(members)
            # Give the cluster to the split furthest below its target share of this label set.
            target = max(SPLITS, key=lambda s: ratios[SPLITS.index(s)] * total - counts[s])
            counts[target] += len(members)
            assigned[target].extend(members)
    return {s: [examples[i] for i in sorted(assigned[s], key=lambda i: examples[i].id)] for s in SPLITS}


# ---------------------------------------------------------------- statistics


def distinct_n(texts: list[str], n: int) -> float:
    """Unique n-grams / all n-grams over lower-cased word tokens (higher = less repetitive)."""
    grams = Counter()
    for t in texts:
        words = re.findall(r"\w+", t.lower())
        grams.update(zip(*(words[k:] for k in range(n))))
    total = sum(grams.values())
    return len(grams) / total if total else 0.0


def corpus_stats(splits: dict[str, list[Example]], low_threshold: float = 0.4) -> dict:
    all_ex = [ex for s in SPLITS for ex in splits[s]]
    split_of = [s for s in SPLITS for _ in splits[s]]
    y = label_matrix(all_ex)
    words = np.array([len(re.findall(r"\w+", ex.text)) for ex in all_ex])
    out = {
        "n": len(all_ex),
        "per_split": {s: len(splits[s]) for s in SPLITS},
        "per_label": {s: dict(zip(LABELS, label_matrix(splits[s]).sum(0).tolist())) for s in SPLITS},
        "per_label_total": dict(zip(LABELS, y.sum(0).tolist())),
        "no_label_share": float((y.sum(1) == 0).mean()),
        "multi_label_share": float((y.sum(1) > 1).mean()),
        "labels_per_text": dict(sorted(Counter(y.sum(1).tolist()).items())),
        "cooccurrence": {a: dict(zip(LABELS, row)) for a, row in zip(LABELS, (y.T @ y).tolist())},
        "per_register": dict(Counter(str(ex.meta.get("register", "?")) for ex in all_ex).most_common()),
        "length_words": {
            "min": int(words.min()),
            "p10": float(np.percentile(words, 10)),
            "median": float(np.median(words)),
            "mean": float(words.mean()),
            "p90": float(np.percentile(words, 90)),
            "max": int(words.max()),
        },
        "distinct_1": distinct_n([ex.text for ex in all_ex], 1),
        "distinct_2": distinct_n([ex.text for ex in all_ex], 2),
        "distinct_3": distinct_n([ex.text for ex in all_ex], 3),
        "top_openings": Counter(" ".join(re.findall(r"\w+", ex.text.lower())[:3]) for ex in all_ex).most_common(10),
    }
    for name, thr in (("near_duplicates", DUP_THRESHOLD), (f"near_duplicates_at_{low_threshold}", low_threshold)):
        pairs = near_duplicate_pairs([ex.text for ex in all_ex], thr)
        cross = [(i, j, jac) for i, j, jac in pairs if split_of[i] != split_of[j]]
        held_out = {k for i, j, _ in cross for k in (i, j) if split_of[k] != "train"}
        n_held = len(splits["dev"]) + len(splits["test"])
        out[name] = {
            "threshold": thr,
            "pairs_total": len(pairs),
            "pairs_across_splits": len(cross),
            "held_out_with_duplicate_share": len(held_out) / max(n_held, 1),
            "examples": [[all_ex[i].id, all_ex[j].id, jac] for i, j, jac in cross[:5]],
        }
    return out


def print_stats(st: dict) -> None:
    print(f"texts: {st['n']}  per split: {st['per_split']}")
    print(f"no label: {st['no_label_share']:.1%}  multi-label: {st['multi_label_share']:.1%}  labels per text: {st['labels_per_text']}")
    print("positives per label (total / train / dev / test):")
    for lab in LABELS:
        print(f"  {lab:15s} {st['per_label_total'][lab]:5d} / " + " / ".join(str(st["per_label"][s][lab]) for s in SPLITS))
    print("co-occurrence:")
    for a in LABELS:
        print(f"  {a:15s} " + " ".join(f"{st['cooccurrence'][a][b]:5d}" for b in LABELS))
    print(f"registers: {st['per_register']}")
    print(f"length (words): {st['length_words']}")
    print(f"distinct-1/2/3: {st['distinct_1']:.3f} / {st['distinct_2']:.3f} / {st['distinct_3']:.3f}")
    print(f"most common openings: {st['top_openings'][:5]}")
    for key in [k for k in st if k.startswith("near_duplicates")]:
        d = st[key]
        print(
            f"near-duplicates (char-5gram Jaccard >= {d['threshold']}): {d['pairs_total']} pairs, "
            f"{d['pairs_across_splits']} across splits; dev+test texts with a duplicate in another split: "
            f"{d['held_out_with_duplicate_share']:.2%}"
        )


def load_splits(directory: str | Path) -> dict[str, list[Example]]:
    return {s: read_examples(Path(directory) / f"{s}.jsonl") for s in SPLITS}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas_nlp.corpus")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("split", help="split labelled files into train/dev/test.jsonl")
    sp.add_argument("files", nargs="+")
    sp.add_argument("--out", required=True)
    sp.add_argument("--seed", type=int, default=13)
    st = sub.add_parser("stats", help="print corpus statistics of a split directory")
    st.add_argument("directory")
    st.add_argument("--json")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "split":
            parts = split_examples(read_many(args.files), seed=args.seed)
            Path(args.out).mkdir(parents=True, exist_ok=True)
            for s in SPLITS:
                write_jsonl(parts[s], Path(args.out) / f"{s}.jsonl")
            print({s: len(v) for s, v in parts.items()})
        else:
            stats = corpus_stats(load_splits(args.directory))
            print_stats(stats)
            if args.json:
                Path(args.json).write_text(json.dumps(stats, indent=2, ensure_ascii=False), encoding="utf-8")
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
