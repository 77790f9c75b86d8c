"""Partial labels: rows whose source does not speak about a label must not train that label."""

import json

import numpy as np
import pytest
import torch

from conftest import TINY, write_jsonl
from netralitas_nlp import train
from netralitas_nlp.config import load_config
from netralitas_nlp.data import DataError, read_examples
from netralitas_nlp.data import label_mask as mask_of
from netralitas_nlp.labels import LABELS
from netralitas_nlp.transformer import MaskedBCE, pos_weights


def test_covered_field_is_parsed_and_checked(tmp_path):
    p = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"text": "ujaran kebencian", "labels": ["hoax_hate"], "covered": ["hoax_hate"]},
            {"text": "tanpa covered", "labels": []},
        ],
    )
    exs = read_examples(p)
    assert exs[0].covered == ["hoax_hate"] and exs[1].covered == list(LABELS)
    assert mask_of(exs).tolist() == [[0, 0, 1, 0], [1, 1, 1, 1]]
    bad = write_jsonl(tmp_path / "b.jsonl", [{"text": "x", "labels": ["partisanship"], "covered": ["hoax_hate"]}])
    with pytest.raises(DataError, match=r"b.jsonl, row 1: labels \['partisanship'\] are not all among `covered`"):
        read_examples(bad)
    csv = tmp_path / "c.csv"
    csv.write_text("text,labels,covered\nhalo,hoax_hate,hoax_hate;money_politics\n", encoding="utf-8")
    assert read_examples(csv)[0].covered == ["hoax_hate", "money_politics"]


def test_masked_bce_ignores_unknown_cells_and_equals_bce_when_all_known():
    logits = torch.tensor([[2.0, -1.0], [0.5, 3.0]])
    target = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    pw = torch.tensor([2.0, 1.0])
    full = torch.nn.BCEWithLogitsLoss(pos_weight=pw)(logits, target)
    assert MaskedBCE(pw)(logits, target, torch.ones_like(target)) == pytest.approx(float(full))
    mask = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    flipped = target.clone()
    flipped[:, 1] = 1 - flipped[:, 1]  # the unknown column's values must not matter
    a, b = MaskedBCE(pw)(logits, target, mask), MaskedBCE(pw)(logits, flipped, mask)
    assert float(a) == pytest.approx(float(b))
    only_col0 = torch.nn.BCEWithLogitsLoss(pos_weight=pw[:1])(logits[:, :1], target[:, :1])
    assert float(a) == pytest.approx(float(only_col0))


def test_pos_weights_count_known_rows_only():
    y = np.array([[1, 0], [0, 0], [0, 1], [0, 0]])
    mask = np.array([[1, 1], [1, 1], [0, 1], [0, 1]])  # two rows do not know label 0
    assert pos_weights(y, 1.0, mask).tolist() == [1.0, 3.0]


def _tiny_with_unknowns(tmp_path, unknown_label: list[str]):
    """The tiny set, plus rows that cover only hoax_hate and carry `unknown_label` nowhere."""
    rows = [{"text": t, "labels": labs} for t, labs in TINY]
    extra = [
        {"text": "Kades bagi amplop sembako untuk coblos paslon 2 kata netizen", "labels": [], "covered": ["hoax_hate"]},
        {"text": "Lurah bagi uang serangan fajar ke warga", "labels": [], "covered": ["hoax_hate"]},
    ]
    return write_jsonl(tmp_path / "train.jsonl", rows + extra), write_jsonl(tmp_path / "dev.jsonl", rows)


def test_tfidf_label_ignores_rows_that_do_not_cover_it(tmp_path):
    train_p, dev_p = _tiny_with_unknowns(tmp_path, [])
    sets = [
        f"dev={dev_p}",
        f"test={dev_p}",
        "model=tfidf",
        "tfidf_min_df=1",
        "calibrate=false",
        "tune_thresholds=false",
        "swap_augment=false",
    ]
    masked = train.train(load_config(None, [f"train=[{train_p}]", f"output={tmp_path / 'masked'}", *sets]))
    # The same extra rows as full negatives: money_politics must now score them lower.
    rows = [json.loads(line) for line in train_p.read_text().splitlines()]
    for r in rows:
        r.pop("covered", None)
    full_p = write_jsonl(tmp_path / "full.jsonl", rows)
    full = train.train(load_config(None, [f"train=[{full_p}]", f"output={tmp_path / 'full'}", *sets]))
    from netralitas_nlp.models import load_model

    text = ["Lurah bagi uang serangan fajar ke warga"]
    j = LABELS.index("money_politics")
    p_masked, p_full = load_model(masked).predict_proba(text)[0, j], load_model(full).predict_proba(text)[0, j]
    assert p_masked > p_full + 0.05
    card = json.loads((masked / "data.json").read_text())
    assert card["train"]["label_covered"] == {"partisanship": 28, "intimidation": 28, "hoax_hate": 30, "money_politics": 28}
