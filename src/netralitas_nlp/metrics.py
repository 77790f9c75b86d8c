"""Multi-label metrics as pure functions over arrays.

Conventions: `y_true` and `y_pred` are (n, k) 0/1 arrays, `probs` is (n, k) in [0, 1], columns in
taxonomy order. Nothing here knows about models or files, so everything is testable with small
hand-made arrays.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve


def _counts(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y_true, y_pred = np.asarray(y_true, bool), np.asarray(y_pred, bool)
    tp = (y_true & y_pred).sum(0)
    fp = (~y_true & y_pred).sum(0)
    fn = (y_true & ~y_pred).sum(0)
    return tp, fp, fn


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.divide(a, b, out=np.zeros_like(a), where=b > 0)


def precision_recall_f1(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-label precision, recall and F1; 0 where undefined (no gold and no predicted positive)."""
    tp, fp, fn = _counts(y_true, y_pred)
    return _safe_div(tp, tp + fp), _safe_div(tp, tp + fn), _safe_div(2 * tp, 2 * tp + fp + fn)


def micro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    tp, fp, fn = (c.sum() for c in _counts(y_true, y_pred))
    return float(_safe_div(2 * tp, 2 * tp + fp + fn))


def none_fpr(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Share of texts with no gold label that received any predicted label."""
    y_true, y_pred = np.asarray(y_true, bool), np.asarray(y_pred, bool)
    clean = ~y_true.any(1)
    return float(y_pred[clean].any(1).mean()) if clean.any() else 0.0


def reliability_bins(y_true: np.ndarray, probs: np.ndarray, n_bins: int = 10) -> list[dict]:
    """Equal-width bins over all (text, label) probabilities: mean confidence vs observed rate."""
    y, p = np.asarray(y_true, float).ravel(), np.asarray(probs, float).ravel()
    idx = np.minimum((p * n_bins).astype(int), n_bins - 1)
    bins = []
    for b in range(n_bins):
        m = idx == b
        if m.any():
            bins.append(
                {
                    "lo": b / n_bins,
                    "hi": (b + 1) / n_bins,
                    "count": int(m.sum()),
                    "mean_prob": float(p[m].mean()),
                    "frac_pos": float(y[m].mean()),
                }
            )
    return bins


def expected_calibration_error(y_true: np.ndarray, probs: np.ndarray, n_bins: int = 10) -> float:
    """ECE: count-weighted mean |confidence - observed rate| over equal-width probability bins."""
    bins = reliability_bins(y_true, probs, n_bins)
    total = sum(b["count"] for b in bins)
    return float(sum(b["count"] * abs(b["mean_prob"] - b["frac_pos"]) for b in bins) / total) if total else 0.0


def pr_auc(y_true: np.ndarray, scores: np.ndarray) -> float | None:
    """Average precision of one label; None when the label has no positive (undefined)."""
    y = np.asarray(y_true, int)
    return float(average_precision_score(y, scores)) if y.any() else None


def pr_curve(y_true: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    precision, recall, _ = precision_recall_curve(np.asarray(y_true, int), scores)
    return precision, recall


def binarize(probs: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return (np.asarray(probs) >= np.asarray(thresholds)[None, :]).astype(np.int64)


def multilabel_report(y_true: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, labels: tuple[str, ...]) -> dict:
    """Every figure the evaluate CLI prints or saves, for one model on one data set."""
    y_true = np.asarray(y_true, int)
    y_pred = binarize(probs, thresholds)
    p, r, f = precision_recall_f1(y_true, y_pred)
    per_label = {}
    for j, name in enumerate(labels):
        per_label[name] = {
            "precision": float(p[j]),
            "recall": float(r[j]),
            "f1": float(f[j]),
            "support": int(y_true[:, j].sum()),
            "predicted": int(y_pred[:, j].sum()),
            "pr_auc": pr_auc(y_true[:, j], probs[:, j]),
            "ece": expected_calibration_error(y_true[:, j], probs[:, j]),
            "threshold": float(thresholds[j]),
        }
    return {
        "n": int(len(y_true)),
        "macro_f1": float(f.mean()),
        "micro_f1": micro_f1(y_true, y_pred),
        "none_fpr": none_fpr(y_true, y_pred),
        "exact_match": float((y_true == y_pred).all(1).mean()) if len(y_true) else 0.0,
        "ece": expected_calibration_error(y_true, probs),
        "per_label": per_label,
    }
