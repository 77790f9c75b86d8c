import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import f1_score

from netralitas_nlp.calibration import apply_temperature, best_f1_threshold, fit_temperature, sigmoid, tune_thresholds
from netralitas_nlp.metrics import (
    expected_calibration_error,
    micro_f1,
    multilabel_report,
    none_fpr,
    precision_recall_f1,
    reliability_bins,
)

# Hand-made fixture: 5 texts, 2 labels.
Y = np.array([[1, 0], [1, 1], [0, 0], [0, 1], [0, 0]])
P = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [0, 0]])


def test_precision_recall_f1_by_hand():
    p, r, f = precision_recall_f1(Y, P)
    # label 0: tp=1 fp=1 fn=1 -> P=R=F=0.5; label 1: tp=2 fp=0 fn=0 -> 1
    assert p.tolist() == [0.5, 1.0] and r.tolist() == [0.5, 1.0] and f.tolist() == [0.5, 1.0]
    # micro: tp=3 fp=1 fn=1 -> 6/8
    assert micro_f1(Y, P) == pytest.approx(0.75)


def test_none_fpr_by_hand():
    # texts 2 and 4 have no gold label; text 2 got a label -> 1/2
    assert none_fpr(Y, P) == 0.5
    assert none_fpr(np.ones((2, 2)), np.ones((2, 2))) == 0.0


def test_undefined_scores_are_zero():
    p, r, f = precision_recall_f1(np.zeros((3, 1)), np.zeros((3, 1)))
    assert (p, r, f) == ([0.0], [0.0], [0.0])


def test_report_keys_and_values():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3], [0.1, 0.6], [0.2, 0.1]])
    rep = multilabel_report(Y, probs, np.array([0.5, 0.5]), ("a", "b"))
    assert rep["macro_f1"] == pytest.approx(0.75)
    assert rep["per_label"]["a"] == pytest.approx(
        {
            "precision": 0.5,
            "recall": 0.5,
            "f1": 0.5,
            "support": 2,
            "predicted": 2,
            "pr_auc": rep["per_label"]["a"]["pr_auc"],
            "ece": rep["per_label"]["a"]["ece"],
            "threshold": 0.5,
        }
    )
    # label b is ranked perfectly -> average precision 1
    assert rep["per_label"]["b"]["pr_auc"] == pytest.approx(1.0)


def test_ece_by_hand():
    # bin [0.2,0.3): 2 predictions of 0.25, one positive -> |0.25-0.5| = 0.25; bin [0.9,1): 0.95 vs 1 -> 0.05
    y = np.array([0, 1, 1])
    p = np.array([0.25, 0.25, 0.95])
    assert expected_calibration_error(y, p) == pytest.approx((2 * 0.25 + 0.05) / 3)
    assert [b["count"] for b in reliability_bins(y, p)] == [2, 1]


binary = arrays(np.int64, st.tuples(st.integers(1, 30), st.integers(2, 4)), elements=st.integers(0, 1))


@given(binary, st.data())
@settings(max_examples=60, deadline=None)
def test_f1_matches_sklearn(y_true, data):
    y_pred = data.draw(arrays(np.int64, y_true.shape, elements=st.integers(0, 1)))
    _, _, f = precision_recall_f1(y_true, y_pred)
    # Where a label has no gold and no predicted positive, F1 is undefined: we report 0 (recent
    # scikit-learn reports 1). Compare only defined columns.
    for j in range(y_true.shape[1]):
        if y_true[:, j].any() or y_pred[:, j].any():
            assert f[j] == pytest.approx(f1_score(y_true[:, j], y_pred[:, j], zero_division=0))
        else:
            assert f[j] == 0.0
    if y_true.any() or y_pred.any():
        assert micro_f1(y_true, y_pred) == pytest.approx(f1_score(y_true, y_pred, average="micro", zero_division=0))
    assert 0.0 <= none_fpr(y_true, y_pred) <= 1.0


@given(st.lists(st.tuples(st.integers(0, 1), st.floats(0, 1)), min_size=1, max_size=40), st.floats(0.01, 0.99))
@settings(max_examples=100, deadline=None)
def test_tuned_threshold_is_at_least_as_good_as_any_fixed_one(pairs, fixed):
    y = np.array([a for a, _ in pairs])
    s = np.array([b for _, b in pairs])
    t = best_f1_threshold(y, s)

    def f1_at(th):
        return precision_recall_f1(y[:, None], (s >= th)[:, None])[2][0]

    assert f1_at(t) >= f1_at(fixed) - 1e-12


def test_threshold_by_hand_and_default():
    y = np.array([1, 1, 0, 1, 0])
    s = np.array([0.9, 0.8, 0.7, 0.4, 0.1])
    # cuts: top2 F1=0.8, top3 0.667, top4 0.857 (tp 3, pred 4) -> between 0.4 and 0.1
    assert best_f1_threshold(y, s) == pytest.approx(0.25)
    assert best_f1_threshold(np.zeros(3), np.array([0.1, 0.2, 0.3]), default=0.5) == 0.5
    assert tune_thresholds(np.c_[y, y], np.c_[s, s]).tolist() == pytest.approx([0.25, 0.25])


def test_temperature_recovers_known_scale():
    rng = np.random.default_rng(0)
    true_logits = rng.normal(0, 2, size=(20000, 1))
    y = (rng.random(true_logits.shape) < sigmoid(true_logits)).astype(int)
    # A model that is over-confident by a factor 3 needs T close to 3.
    assert fit_temperature(true_logits * 3, y) == pytest.approx(3.0, rel=0.1)


@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(-30, 30)), st.floats(0.1, 10))
def test_temperature_keeps_order_and_range(z, t):
    p = apply_temperature(z, t)
    assert ((p >= 0) & (p <= 1)).all()
    order = np.argsort(z, kind="stable")
    assert (np.diff(p[order]) >= 0).all()


def test_cap_none_fpr_raises_thresholds_until_the_budget_holds():
    from netralitas_nlp.calibration import cap_none_fpr, none_fpr_of

    y = np.array([[1, 0], [1, 0], [0, 1], [0, 0], [0, 0], [0, 0], [0, 0]])
    p = np.array([[0.9, 0.1], [0.6, 0.1], [0.1, 0.8], [0.55, 0.1], [0.7, 0.1], [0.1, 0.6], [0.1, 0.1]])
    t = np.array([0.5, 0.5])
    assert none_fpr_of(y, p, t) == 0.75  # 3 of 4 clean rows flagged
    capped = cap_none_fpr(y, p, t, budget=0.25)
    assert none_fpr_of(y, p, capped) <= 0.25
    assert (capped >= t).all()  # never lowers a threshold
    # the cheapest alarms go first: label 1's clean 0.6 costs no true positive (its positive is 0.8)
    assert capped[1] > 0.6 and capped[1] < 0.8
    assert (cap_none_fpr(y, p, t, budget=1.0) == t).all()


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.int64, (30, 3), elements=st.integers(0, 1)),
    arrays(np.float64, (30, 3), elements=st.floats(0, 1)),
    st.floats(0.0, 0.5),
)
def test_cap_none_fpr_meets_any_budget_and_never_lowers(y, p, budget):
    from netralitas_nlp.calibration import cap_none_fpr, none_fpr_of

    t = np.full(3, 0.3)
    capped = cap_none_fpr(y, p, t, budget)
    assert (capped >= t).all()
    assert none_fpr_of(y, p, capped) <= budget + 1e-12
