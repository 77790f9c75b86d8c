import json

import numpy as np
import pytest

from netralitas_nlp import evaluate, train
from netralitas_nlp.config import load_config
from netralitas_nlp.labels import LABELS
from netralitas_nlp.models import load_model


def config_for(kind: str, splits, out, *extra):
    sets = [
        f"model={kind}",
        f"train=[{splits['train']}]",
        f"dev={splits['dev']}",
        f"test={splits['test']}",
        f"output={out}",
        "tfidf_min_df=1",
        *extra,
    ]
    return load_config(None, sets)


@pytest.mark.parametrize("kind", ["tfidf", "rules"])
def test_train_save_load_evaluate_round_trip(tmp_path, tiny_splits, kind, capsys):
    out = tmp_path / kind
    assert (
        train.main(
            [
                f"--set=model={kind}",
                f"--set=train=[{tiny_splits['train']}]",
                f"--set=dev={tiny_splits['dev']}",
                f"--set=test={tiny_splits['test']}",
                f"--set=output={out}",
                "--set=tfidf_min_df=1",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == str(out)
    for name in ("netralitas.json", "config.yaml", "metrics.json", "data.json", "versions.json", "README.md"):
        assert (out / name).is_file(), name
    data_card = json.loads((out / "data.json").read_text())
    assert len(data_card["train"]["files"][0]["sha256"]) == 64
    assert load_config(out / "config.yaml").model == kind

    report_path, json_path = tmp_path / "r.html", tmp_path / "r.json"
    assert (
        evaluate.main(["--model", str(out), "--data", str(tiny_splits["test"]), "--json", str(json_path), "--report", str(report_path)])
        == 0
    )
    metrics = json.loads(json_path.read_text())
    assert set(metrics["per_label"]) == set(LABELS)
    for key in ("macro_f1", "micro_f1", "none_fpr", "ece"):
        assert 0.0 <= metrics[key] <= 1.0
    # The saved metrics and a fresh evaluation of the loaded model agree.
    saved = json.loads((out / "metrics.json").read_text())["test"]
    assert metrics["macro_f1"] == pytest.approx(saved["macro_f1"])
    assert "<svg" in report_path.read_text()


def test_tfidf_learns_the_training_set_and_explains(tmp_path, tiny_splits):
    out = train.train(config_for("tfidf", tiny_splits, tmp_path / "m"))
    model = load_model(out)
    assert json.loads((out / "metrics.json").read_text())["train_seconds"] >= 0
    texts = ["Kades bagi amplop 100rb per kepala buat coblos caleg Partai Maju", "Jalan desa rusak parah sudah setahun belum diperbaiki"]
    preds = model.predict(texts)
    assert "money_politics" in preds[0] and preds[1] == []
    ev = model.evidence(texts[:1], [["money_politics"]])[0]["money_politics"]
    assert ev and all(isinstance(w, str) for w in ev)
    probs = model.predict_proba(texts)
    assert probs.shape == (2, len(LABELS)) and ((probs >= 0) & (probs <= 1)).all()


def test_thresholds_are_applied(tmp_path, tiny_splits):
    model = load_model(train.train(config_for("tfidf", tiny_splits, tmp_path / "m")))
    texts = ["Pak camat pakai kaos partai dan pose dua jari di deklarasi capres"]
    p = model.predict_proba(texts)
    model.thresholds = np.full(len(LABELS), 1.01)
    assert model.predict(texts) == [[]]
    model.thresholds = np.full(len(LABELS), -0.01)
    assert model.predict(texts) == [list(LABELS)]
    model.thresholds = p[0] - 1e-9  # exactly at-or-above every probability -> all labels
    assert model.predict(texts) == [list(LABELS)]


def test_rules_fire_with_evidence_and_respect_unless(tmp_path, tiny_splits):
    model = load_model(train.train(config_for("rules", tiny_splits, tmp_path / "r", "tune_thresholds=false")))
    texts = ["Kades bagi amplop utk coblos paslon 2 pas serangan fajar", "Saya menolak amplop dari timses dan melapor ke Bawaslu"]
    preds = model.predict(texts)
    assert "money_politics" in preds[0] and "money_politics" not in preds[1]
    assert "serangan fajar" in model.evidence(texts[:1], [["money_politics"]])[0]["money_politics"]


def test_report_escapes_texts(tmp_path, tiny_rows):
    from conftest import write_jsonl

    splits = {s: write_jsonl(tmp_path / f"{s}.jsonl", tiny_rows) for s in ("train", "dev", "test")}
    # All four gold labels on an unrelated text: it is a false negative for some label, so it is shown.
    attack = {"id": "x", "text": "<script>alert(1)</script> <img src=x onerror=alert(2)>", "labels": list(LABELS)}
    splits["test"] = write_jsonl(tmp_path / "attack.jsonl", tiny_rows + [attack])
    out = train.train(config_for("tfidf", splits, tmp_path / "m"))
    html_path = tmp_path / "r.html"
    evaluate.main(["--model", str(out), "--data", str(splits["test"]), "--report", str(html_path)])
    html = html_path.read_text()
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;alert(1)" in html


def test_evaluate_compares_models_and_reports_bad_data(tmp_path, tiny_splits, capsys):
    a = train.train(config_for("tfidf", tiny_splits, tmp_path / "a"))
    b = train.train(config_for("rules", tiny_splits, tmp_path / "b"))
    j = tmp_path / "both.json"
    assert evaluate.main(["--model", str(a), "--model", str(b), "--data", str(tiny_splits["test"]), "--json", str(j)]) == 0
    both = json.loads(j.read_text())
    assert [m["kind"] for m in both["models"]] == ["tfidf", "rules"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "labels": ["nope"]}\n')
    assert evaluate.main(["--model", str(a), "--data", str(bad)]) == 2
    assert "bad.jsonl, row 1: unknown label 'nope'" in capsys.readouterr().err


def test_evaluate_swap_check_in_json(tmp_path, tiny_splits, capsys):
    a = train.train(config_for("tfidf", tiny_splits, tmp_path / "a"))
    j = tmp_path / "s.json"
    assert evaluate.main(["--model", str(a), "--data", str(tiny_splits["test"]), "--json", str(j), "--swap-check"]) == 0
    sc = json.loads(j.read_text())["swap_check"]
    assert sc["n"] == 28 and sc["with_candidate_reference"] > 0 and 0.0 <= sc["flip_rate"] <= 1.0
    assert "swap check" in capsys.readouterr().out
