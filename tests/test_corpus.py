import random
import string

from netralitas_nlp.corpus import SPLITS, clusters, corpus_stats, distinct_n, near_duplicate_pairs, split_examples
from netralitas_nlp.data import Example

BASE = "Kepala Dinas Pendidikan mengumpulkan guru honorer dan meminta mereka memilih paslon nomor urut 2 di TPS 14"


def test_near_duplicates_found_and_unrelated_texts_not():
    texts = [BASE, BASE.replace("Pendidikan", "Kesehatan").replace("2", "3"), "Jalan desa rusak parah belum diperbaiki sejak tahun lalu"]
    pairs = near_duplicate_pairs(texts)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert clusters(3, pairs) == [0, 0, 2]


def test_distinct_n():
    assert distinct_n(["a b a b"], 1) == 0.5
    assert distinct_n(["a b c"], 2) == 1.0


def make_corpus() -> list[Example]:
    exs = []
    labels_cycle = [[], ["partisanship"], ["intimidation"], ["hoax_hate"], ["money_politics"], ["partisanship", "money_politics"]]
    rng = random.Random(0)
    for i in range(120):
        # Random letter strings: no two texts are near-duplicates of each other.
        text = " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 8))) for _ in range(10))
        exs.append(Example(text=text, labels=labels_cycle[i % 6], meta={"id": f"x{i:03d}"}))
    # A near-duplicate pair that must land in one split.
    exs.append(Example(text=BASE, labels=["intimidation"], meta={"id": "dupA"}))
    exs.append(Example(text=BASE.replace("Pendidikan", "Kesehatan"), labels=["intimidation"], meta={"id": "dupB"}))
    return exs


def test_split_is_deterministic_stratified_and_keeps_duplicates_together():
    exs = make_corpus()
    a, b = split_examples(exs, seed=1), split_examples(list(reversed(exs)), seed=1)
    assert {s: [e.id for e in a[s]] for s in SPLITS} == {s: [e.id for e in b[s]] for s in SPLITS}
    assert sum(len(a[s]) for s in SPLITS) == len(exs)
    where = {e.id: s for s in SPLITS for e in a[s]}
    assert where["dupA"] == where["dupB"]
    for s in ("dev", "test"):  # every label set reaches the held-out splits
        assert {"|".join(e.labels) for e in a[s]} >= {"", "partisanship", "intimidation", "hoax_hate", "money_politics"}
    assert 0.7 < len(a["train"]) / len(exs) < 0.9


def test_stats_report_cross_split_duplicates():
    exs = make_corpus()
    splits = {"train": exs[:-1], "dev": exs[-1:], "test": []}  # force the duplicate pair across splits
    st = corpus_stats(splits)
    assert st["near_duplicates"]["pairs_across_splits"] == 1
    assert st["near_duplicates"]["held_out_with_duplicate_share"] == 1.0
    assert st["n"] == len(exs) and st["per_label_total"]["intimidation"] == 22
