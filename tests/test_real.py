"""The real annotated set (by reference) and the selection functions, on a hand-made shared folder."""

from __future__ import annotations

import json

import numpy as np
import pytest

from netralitas_nlp import real, select
from netralitas_nlp.data import DataError

POOL = "pemilu2024-capres-tweets"
FILE = "pemilu2024_capres_tweets.csv"
TWEETS = [
    "ayo coblos 02 biar menang satu putaran",
    "debat semalam seru juga",
    "RT @akun: ayo coblos 02 biar menang satu putaran",  # a retweet of row 0
    "ini baris yang dicadangkan untuk evaluasi",
    "",
    "kadrun semua pendukung sebelah",
]


@pytest.fixture
def shared(tmp_path):
    folder = tmp_path / "data" / POOL
    folder.mkdir(parents=True)
    rows = "".join(f'x,{i},2023-01-01,"{t}",,Positive\n' for i, t in enumerate(TWEETS))
    (folder / FILE).write_text("candidate,row_id,date,text,text_en,label\n" + rows, encoding="utf-8")
    (folder / "EVAL_ROWS.txt").write_text(f"# reserved\n{FILE}\t3\n", encoding="utf-8")
    return tmp_path / "data"


def _refs(directory, rows: list[dict]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for split in real.SPLITS:
        (directory / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows if r["split"] == split), encoding="utf-8")


def _ref(row: int, labels: list[str], split: str = "train", text: str | None = None) -> dict:
    raw = TWEETS[row] if text is None else text
    return {
        "id": real.ref_id(POOL, FILE, row),
        "source": POOL,
        "file": FILE,
        "row": row,
        "sha256": real.text_sha256(raw),
        "labels": labels,
        "split": split,
    }


def test_pool_drops_reserved_and_empty_rows(shared):
    rows = list(real.iter_pool(POOL, shared))
    assert [r.row for r in rows] == [0, 1, 2, 5]
    assert all("text" not in r.ref for r in rows)


def test_load_real_joins_text_and_checks_the_hash(shared, tmp_path):
    refs = tmp_path / "real"
    _refs(refs, [_ref(0, ["partisanship"]), _ref(1, [], "dev"), _ref(5, ["hoax_hate"], "test")])
    train = real.load_real("train", shared, refs)
    assert [(ex.text, ex.labels) for ex in train] == [(TWEETS[0], ["partisanship"])]
    assert train[0].meta["source"] == f"real:{POOL}" and "sha256" not in train[0].meta
    assert real.available(shared, refs)

    _refs(refs, [_ref(0, [], text="a different text"), _ref(1, [], "dev"), _ref(5, [], "test")])
    with pytest.raises(DataError, match=r"train.jsonl.*row 1.*sha256 mismatch"):
        real.load_real("train", shared, refs)


def test_load_real_names_a_missing_row(shared, tmp_path):
    refs = tmp_path / "real"
    missing = {**_ref(0, []), "row": 99, "id": real.ref_id(POOL, FILE, 99)}
    _refs(refs, [missing, _ref(1, [], "dev"), _ref(5, [], "test")])
    with pytest.raises(DataError, match="row not found"):
        real.load_real("train", shared, refs)
    assert not real.available(tmp_path / "nowhere", refs)


def test_dedupe_drops_retweets_and_near_copies():
    texts = ["Ayo coblos 02!", "RT @a: ayo coblos 02", "ayo   COBLOS 02 https://t.co/x", "lain lagi ya"]
    assert select.dedupe(texts) == [0, 3]


def test_uncertainty_puts_disagreement_then_small_margins_first():
    t = np.full(4, 0.5)
    a = np.array([[0.9, 0.1, 0.1, 0.1], [0.52, 0.1, 0.1, 0.1], [0.7, 0.1, 0.1, 0.1]])
    b = np.array([[0.9, 0.1, 0.1, 0.1], [0.55, 0.1, 0.1, 0.1], [0.3, 0.1, 0.1, 0.1]])
    assert select.margin(a, t).tolist() == pytest.approx([0.4, 0.02, 0.2])
    assert select.disagreement([a >= t, b >= t]).tolist() == [0, 0, 1]
    assert select.uncertainty_order([a, b], [t, t]).tolist() == [2, 1, 0]


def test_select_mix_is_unique_and_at_least_a_quarter_random():
    rng = np.random.default_rng(0)
    texts = [f"post {i} serangan fajar" if i % 7 == 0 else f"post {i}" for i in range(400)]
    probs = [rng.random((400, 4)), rng.random((400, 4))]
    chosen = select.select(texts, probs, [np.full(4, 0.5)] * 2, n=100)
    idx = [i for i, _ in chosen]
    assert len(idx) == len(set(idx)) == 100
    strategies = [r["strategy"] for _, r in chosen]
    assert strategies.count("random") >= 25
    assert all("serangan fajar" in texts[i] for i, r in chosen if r["strategy"] == "query" and r["label"] == "money_politics")
    with pytest.raises(ValueError, match="unknown strategy"):
        select.select(texts, probs, [np.full(4, 0.5)] * 2, n=10, strategy="vibes")


def test_cleanlab_flags_the_row_whose_label_contradicts_confident_probabilities():
    from netralitas_nlp.audit import label_issues

    rng = np.random.default_rng(1)
    n = 60
    y = np.zeros((n, 4), int)
    for j in range(4):
        y[j * 15 : j * 15 + 10, j] = 1  # ten positives per label
    probs = np.clip(np.where(y == 1, 0.9, 0.05) + rng.normal(0, 0.02, (n, 4)), 0.01, 0.99)
    y[58, 0] = 1  # a row the model is sure is not partisanship, labelled as partisanship
    flags = label_issues(y, probs)
    assert flags.shape == (n, 4) and flags[58, 0]
    assert flags[:, 0].sum() <= 3  # the clean rows are left alone


def test_training_without_shared_data_skips_real_entries_and_says_so(tmp_path, capsys):
    from conftest import TINY, write_jsonl
    from netralitas_nlp import train
    from netralitas_nlp.config import load_config

    p = write_jsonl(tmp_path / "tiny.jsonl", [{"text": t, "labels": labs} for t, labs in TINY])
    sets = ["model=tfidf", f"train=[{p}, 'real:train']", f"dev=[{p}, 'real:dev']", f"test={p}", "tfidf_min_df=1"]
    sets += [f"public_root={tmp_path / 'no-shared'}", f"output={tmp_path / 'm'}"]
    out = train.train(load_config(None, sets))
    assert "skipped" in capsys.readouterr().err
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "trained on the seed corpus alone" in card
