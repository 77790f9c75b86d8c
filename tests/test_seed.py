"""Invariants of the committed seed corpus (data/seed), the ones the datasheet promises."""

from pathlib import Path

import pytest

from netralitas_nlp.corpus import SPLITS, corpus_stats, load_splits
from netralitas_nlp.labels import LABELS

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"


@pytest.fixture(scope="module")
def splits():
    return load_splits(SEED)


@pytest.fixture(scope="module")
def stats(splits):
    return corpus_stats(splits)


def test_size_balance_and_multilabel(stats):
    assert stats["n"] >= 2400
    assert stats["no_label_share"] >= 0.40
    assert stats["multi_label_share"] >= 0.10
    for lab in LABELS:
        assert stats["per_label_total"][lab] >= 300, lab
        for s in SPLITS:  # every label is represented in every split
            assert stats["per_label"][s][lab] >= 20, (s, lab)


def test_registers(stats):
    registers = {"tweet", "facebook_comment", "whatsapp_forward", "tiktok_caption", "complaint", "inspectorate_note", "news"}
    assert registers <= set(stats["per_register"])
    assert min(stats["per_register"][r] for r in registers) >= 100


def test_ids_unique_and_no_exact_duplicates(splits):
    all_ex = [ex for s in SPLITS for ex in splits[s]]
    assert len({ex.id for ex in all_ex}) == len(all_ex)
    assert len({ex.text.strip().lower() for ex in all_ex}) == len(all_ex)


def test_near_duplicates_across_splits_under_one_percent(stats):
    for key in ("near_duplicates", "near_duplicates_at_0.4"):
        assert stats[key]["held_out_with_duplicate_share"] < 0.01, stats[key]


def test_not_templated(stats):
    # Hand-written text: many distinct trigrams, no opening shared by more than 1% of texts.
    assert stats["distinct_3"] > 0.8
    assert stats["top_openings"][0][1] < 0.01 * stats["n"]
