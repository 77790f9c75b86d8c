"""The evaluation suite on a tiny TF-IDF model and hand-made sets (no third-party data needed)."""

import json
import random

import numpy as np
import pytest

from conftest import TINY, write_jsonl
from netralitas_nlp import evaluate, train
from netralitas_nlp.config import load_config
from netralitas_nlp.data import Example, read_examples
from netralitas_nlp.suite import SuiteSet, covered_report, run_suite
from netralitas_nlp.swap import augment, swap_some


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    d = tmp_path_factory.mktemp("suite")
    p = write_jsonl(d / "all.jsonl", [{"text": t, "labels": labs} for t, labs in TINY])
    cfg = load_config(None, ["model=tfidf", f"train=[{p}]", f"dev={p}", f"test={p}", f"output={d / 'm'}", "tfidf_min_df=1"])
    return str(train.train(cfg)), p


def test_covered_report_scores_only_covered_labels():
    exs = [Example("a", ["hoax_hate"]), Example("b", []), Example("c", ["hoax_hate"])]
    probs = np.array([[0.9, 0.9, 0.8, 0.9], [0.9, 0.9, 0.7, 0.9], [0.9, 0.9, 0.1, 0.9]])
    rep = covered_report(exs, probs, np.full(4, 0.5), ("hoax_hate",))
    assert list(rep["per_label"]) == ["hoax_hate"]
    m = rep["per_label"]["hoax_hate"]
    assert (m["precision"], m["recall"], m["support"]) == (0.5, 0.5, 2)
    assert rep["macro_f1"] == pytest.approx(0.5) and rep["none_fpr"] == 1.0  # "b" got hoax_hate


def test_run_suite_skips_missing_sets_and_checks_swaps(tiny_model, tmp_path):
    model, data = tiny_model
    hate = SuiteSet("hate", ("hoax_hate",), "HS=1 means hate speech", lambda: [Example("ASN ini posting hinaan SARA", ["hoax_hate"])])
    gone = SuiteSet("gone", ("hoax_hate",), "", lambda: [], available=False, skip_reason="folder not present")
    result = run_suite([model], [hate, gone], swap_on=str(data), log=lambda m: None)
    assert [s["name"] for s in result["sets"]] == ["hate"]
    assert result["skipped"] == [{"name": "gone", "reason": "folder not present"}]
    assert list(result["sets"][0]["results"][0]["per_label"]) == ["hoax_hate"]
    sc = result["swap_check"]["models"][0]
    assert 0 <= sc["flip_rate"] <= 1 and sc["with_candidate_reference"] > 0


def test_suite_cli_writes_json_and_html(tiny_model, tmp_path, capsys, monkeypatch):
    model, data = tiny_model
    monkeypatch.setenv("NETRALITAS_SHARED_DATA", str(tmp_path / "absent"))
    out_json, out_html = tmp_path / "s.json", tmp_path / "s.html"
    rc = evaluate.main(["--suite", "--model", model, "--data", str(data), "--json", str(out_json), "--report", str(out_html)])
    assert rc == 0
    result = json.loads(out_json.read_text())
    assert result["sets"][0]["covers"] == ["partisanship", "intimidation", "hoax_hate", "money_politics"]
    assert result["skipped"], "public sets must be listed as skipped when their folder is absent"
    html = out_html.read_text()
    assert "What the labels mean here" in html and "Candidate-swap check" in html and "Swap flips per set" in html
    assert "swap flip rate" in capsys.readouterr().out


def test_augment_adds_swapped_copies_with_the_same_labels(tiny_model):
    exs = read_examples(tiny_model[1])
    extra = augment(exs, random.Random(0))
    naming = [ex for ex in exs if any(k in ex.text.lower() for k in ("paslon", "no 3", "nomor 1", "cabup 2", "01", "dua jari", "cabup 1"))]
    assert 0 < len(extra) <= len(exs) and len(extra) >= len(naming) // 2
    originals = {ex.text: ex for ex in exs}
    for ex in extra:
        assert ex.text not in originals and ex.meta["augmented"] == "candidate_swap"
    assert {tuple(ex.labels) for ex in extra} <= {tuple(ex.labels) for ex in exs}


def test_swap_some_is_seeded_and_permutes_about_half():
    texts = [f"ayo coblos paslon 0{1 + i % 3} ya" for i in range(400)]
    a, b = swap_some(texts, random.Random(5)), swap_some(texts, random.Random(5))
    assert a == b  # the same seed replays the same epoch (resume)
    changed = sum(x != y for x, y in zip(a, texts))
    assert 150 < changed < 250
    assert swap_some(["jalan desa rusak"], random.Random(0), share=1.0) == ["jalan desa rusak"]
