"""Label audit with cleanlab: which labelled rows look wrong, given out-of-fold model probabilities.

    python -m netralitas_nlp.audit --data data/seed/train.jsonl --data real:train -o audit.jsonl

Each row's probabilities come from a TF-IDF model that never saw the row (k-fold, seeded), so a
confident disagreement with the gold label is evidence worth a human look, not a verdict. cleanlab's
multi-label `find_label_issues` ranks them; the output lists every flagged row with the labels it
doubts, for review against docs/annotation-guidelines.md. The output holds the texts: keep it out of
git when it covers third-party rows.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from .calibration import sigmoid
from .config import load_config
from .data import Example, label_matrix
from .labels import LABELS


def out_of_fold(examples: list[Example], folds: int = 5, seed: int = 13) -> np.ndarray:
    """(n, k) probabilities, each row predicted by a TF-IDF model trained on the other folds."""
    from .models import model_class
    from .swap import PRESIDENTIAL_2024, blind_all

    cfg = load_config(None, ["model=tfidf", f"seed={seed}"])
    texts = blind_all([ex.text for ex in examples], PRESIDENTIAL_2024)
    y = label_matrix(examples)
    fold = np.random.default_rng(seed).permutation(len(examples)) % folds
    probs = np.zeros(y.shape)
    for f in range(folds):
        train, held = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        model = model_class("tfidf").fit([texts[i] for i in train], y[train], cfg)
        probs[held] = sigmoid(model.logits([texts[i] for i in held]))
    return probs


def label_issues(y: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """(n, k) boolean: cleanlab's per-label issues (a row may be doubted on several labels)."""
    from cleanlab.multilabel_classification.filter import find_multilabel_issues_per_class

    labels = [list(np.flatnonzero(row)) for row in y]
    return np.asarray(find_multilabel_issues_per_class(labels=labels, pred_probs=probs), bool)


def audit(examples: list[Example], folds: int = 5, seed: int = 13) -> list[dict]:
    """Flagged rows, most confident disagreement first."""
    y = label_matrix(examples)
    probs = out_of_fold(examples, folds, seed)
    flags = label_issues(y, probs)
    out = []
    for i in np.flatnonzero(flags.any(1)):
        doubted = [LABELS[j] for j in np.flatnonzero(flags[i])]
        gap = max(abs(probs[i, LABELS.index(lab)] - y[i, LABELS.index(lab)]) for lab in doubted)
        out.append(
            {
                "id": examples[i].id,
                "text": examples[i].text,
                "labels": examples[i].labels,
                "doubted": doubted,
                "probs": {lab: round(float(p), 3) for lab, p in zip(LABELS, probs[i])},
                "gap": round(float(gap), 3),
            }
        )
    return sorted(out, key=lambda r: -r["gap"])


def main(argv: list[str] | None = None) -> int:
    from .train import read_specs

    ap = argparse.ArgumentParser(prog="python -m netralitas_nlp.audit", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", action="append", required=True, help="labelled file, real:SPLIT or public:SLUG (repeat)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("-o", "--output", required=True, help="JSONL of flagged rows (holds texts: keep third-party rows out of git)")
    args = ap.parse_args(argv)
    examples = read_specs(args.data, load_config())
    flagged = audit(examples, args.folds, args.seed)
    with open(args.output, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in flagged)
    per = {lab: sum(lab in r["doubted"] for r in flagged) for lab in LABELS}
    print(f"{len(flagged)} of {len(examples)} rows flagged; per label {per} -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
