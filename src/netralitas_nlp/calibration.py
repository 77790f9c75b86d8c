"""Decision thresholds and probability calibration as pure functions over arrays."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))


def best_f1_threshold(y_true: np.ndarray, scores: np.ndarray, default: float = 0.5) -> float:
    """The threshold that maximises F1 of one label, over every distinct cut of `scores`.

    The cut is placed midway between two neighbouring scores, so a score seen on dev does not sit
    exactly on the boundary. With no positive in `y_true` there is nothing to tune: `default`.
    """
    y = np.asarray(y_true, int)
    s = np.asarray(scores, float)
    if y.sum() == 0:
        return default
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    # Evaluate a cut only after the last of a run of equal scores: ties go together.
    last_of_run = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    tp = np.cumsum(y_sorted)[last_of_run]
    predicted = (np.arange(1, len(s) + 1))[last_of_run]
    f1 = 2 * tp / (predicted + y.sum())
    best = int(np.argmax(f1))
    cut_scores = s_sorted[last_of_run]
    upper = cut_scores[best]
    lower = cut_scores[best + 1] if best + 1 < len(cut_scores) else upper - 1e-6
    return float((upper + lower) / 2)


def tune_thresholds(y_true: np.ndarray, probs: np.ndarray, default: float = 0.5) -> np.ndarray:
    """Per-label F1-optimal thresholds, (k,) array."""
    y_true, probs = np.asarray(y_true), np.asarray(probs)
    return np.array([best_f1_threshold(y_true[:, j], probs[:, j], default) for j in range(probs.shape[1])])


def none_fpr_of(y_true: np.ndarray, probs: np.ndarray, thresholds: np.ndarray) -> float:
    """Share of rows with no gold label that get any label at `thresholds`."""
    y, p = np.asarray(y_true), np.asarray(probs)
    clean = ~y.any(1)
    return float((p[clean] >= np.asarray(thresholds)).any(1).mean()) if clean.any() else 0.0


def cap_none_fpr(y_true: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, budget: float) -> np.ndarray:
    """Raise thresholds until the false-alarm rate on clean rows is at most `budget`.

    Per-label F1-optimal thresholds ignore what staff pay most for: flags on texts that break no
    rule. Each step raises one label's threshold just past its lowest-scoring flagged clean row,
    choosing the label that loses the fewest true positives per false alarm removed. Greedy,
    deterministic, and it never lowers a threshold.
    """
    y, p = np.asarray(y_true, int), np.asarray(probs, float)
    t = np.asarray(thresholds, float).copy()
    clean = ~y.any(1)
    while none_fpr_of(y, p, t) > budget:
        best = None
        for j in range(p.shape[1]):
            alarms = p[clean, j][p[clean, j] >= t[j]]
            if not len(alarms):
                continue
            # Midway to the next score above the alarm, as best_f1_threshold places cuts: a score
            # moved by float noise (folding T into the weights) must not cross the new threshold.
            above = p[:, j][p[:, j] > alarms.min()]
            new = float((alarms.min() + above.min()) / 2) if len(above) else float(alarms.min()) + 1e-4
            lost_tp = int(((p[:, j] >= t[j]) & (p[:, j] < new) & (y[:, j] == 1)).sum())
            cost = (lost_tp, -float(alarms.min()))  # fewest positives lost; then the weakest alarm first
            if best is None or cost < best[0]:
                best = (cost, j, new)
        if best is None:
            break
        t[best[1]] = best[2]
    return t


def binary_log_loss(y_true: np.ndarray, probs: np.ndarray) -> float:
    p = np.clip(np.asarray(probs, float), 1e-7, 1 - 1e-7)
    y = np.asarray(y_true, float)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def fit_temperature(logits: np.ndarray, y_true: np.ndarray, bounds: tuple[float, float] = (0.05, 20.0)) -> float:
    """One temperature T for all labels minimising log loss of sigmoid(logits / T) (Guo et al. 2017).

    A single scalar cannot change the ranking or the F1-optimal cut order, so thresholds tuned
    after calibration keep their meaning, and it cannot overfit a small dev set.
    """
    z, y = np.asarray(logits, float), np.asarray(y_true, float)
    res = minimize_scalar(
        lambda log_t: binary_log_loss(y, sigmoid(z / np.exp(log_t))), bounds=(np.log(bounds[0]), np.log(bounds[1])), method="bounded"
    )
    return float(np.exp(res.x))


def apply_temperature(logits: np.ndarray, temperature: float) -> np.ndarray:
    return sigmoid(np.asarray(logits, float) / temperature)
