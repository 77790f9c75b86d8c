"""Transformer path on a tiny randomly initialised BERT built here from fixture text (seconds)."""

import json

import numpy as np
import pytest
import torch
from tokenizers import BertWordPieceTokenizer
from transformers import AutoModelForSequenceClassification, BertConfig, BertModel, PreTrainedTokenizerFast, pipeline

from conftest import TINY
from netralitas_nlp import train
from netralitas_nlp.config import load_config
from netralitas_nlp.labels import LABELS
from netralitas_nlp.models import load_model
from netralitas_nlp.transformer import length_grouped_batches, pos_weights
from netralitas_nlp.windows import encode_windows


@pytest.fixture(scope="module")
def tiny_backbone(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny-bert")
    wp = BertWordPieceTokenizer(lowercase=True)
    wp.train_from_iterator([t for t, _ in TINY] * 3, vocab_size=300, min_frequency=1)
    tok = PreTrainedTokenizerFast(
        tokenizer_object=wp._tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=64,
    )
    tok.save_pretrained(d)
    torch.manual_seed(0)
    cfg = BertConfig(
        vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, max_position_embeddings=64
    )
    BertModel(cfg).save_pretrained(d)
    return d


def tcfg(splits, backbone, out, *extra):
    return load_config(
        None,
        [
            "model=transformer",
            f"backbone={backbone}",
            f"train=[{splits['train']}]",
            f"dev={splits['dev']}",
            f"test={splits['test']}",
            f"output={out}",
            "batch_size=16",
            "epochs=1",
            "max_length=32",
            "lr=1e-3",
            *extra,
        ],
    )


def test_train_two_steps_save_and_load_through_pipeline(tmp_path, tiny_splits, tiny_backbone):
    out = train.train(tcfg(tiny_splits, tiny_backbone, tmp_path / "m"))  # 28 texts / batch 16 = 2 steps
    steps = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]
    assert steps[-1] == {**steps[-1], "epoch": 1} and "dev_macro_f1_tuned" in steps[-1]

    model = AutoModelForSequenceClassification.from_pretrained(out)
    assert [model.config.id2label[i] for i in range(len(LABELS))] == list(LABELS)
    clf = pipeline("text-classification", model=str(out), top_k=None)
    texts = ["Kades bagi amplop buat coblos caleg", "Jalan desa rusak parah"]
    scores = clf(texts)
    assert {d["label"] for d in scores[0]} == set(LABELS)
    ours = load_model(out).predict_proba(texts)
    # The calibration temperature is folded into the head: pipeline scores are our probabilities.
    for i, row in enumerate(scores):
        for d in row:
            assert d["score"] == pytest.approx(float(ours[i, LABELS.index(d["label"])]), abs=1e-4)


def test_thresholds_applied_and_long_texts_windowed(tmp_path, tiny_splits, tiny_backbone):
    predictor = load_model(train.train(tcfg(tiny_splits, tiny_backbone, tmp_path / "m")))
    meta = json.loads((tmp_path / "m" / "netralitas.json").read_text())
    assert meta["kind"] == "transformer" and np.allclose(meta["thresholds"], predictor.thresholds)
    text = "Camat ancam mutasi staf kalau tidak coblos paslon"
    p = predictor.predict_proba([text])[0]
    predictor.thresholds = p - 1e-6
    assert predictor.predict([text]) == [list(LABELS)]
    predictor.thresholds = p + 1e-6
    assert predictor.predict([text]) == [[]]
    # A text of many windows gets one row, the maximum over its windows.
    long = " ".join(["jalan rusak"] * 100 + [text])
    enc, mapping = encode_windows(predictor.model.tokenizer, [long, text], predictor.model.max_length)
    assert mapping.tolist().count(0) > 1 and predictor.predict_proba([long, text]).shape == (2, len(LABELS))
    assert predictor.predict_proba([long])[0] == pytest.approx(predictor.predict_proba([long, "x"])[0], abs=1e-5)


def test_resume_continues_from_checkpoint(tmp_path, tiny_splits, tiny_backbone, capsys):
    out = tmp_path / "m"
    train.train(tcfg(tiny_splits, tiny_backbone, out, "epochs=1"))
    ck = torch.load(out / "checkpoint" / "state.pt", weights_only=False)
    assert ck["state"]["epoch"] == 1 and ck["state"]["step"] == 2
    train.train(tcfg(tiny_splits, tiny_backbone, out, "epochs=2", "patience=5"), resume=True)
    assert "resumed from" in capsys.readouterr().err
    ck = torch.load(out / "checkpoint" / "state.pt", weights_only=False)
    assert ck["state"]["epoch"] == 2 and ck["state"]["step"] == 4  # only the missing epoch ran


def test_evidence_words_come_from_the_text(tmp_path, tiny_splits, tiny_backbone):
    predictor = load_model(train.train(tcfg(tiny_splits, tiny_backbone, tmp_path / "m")))
    text = "Kades bagi amplop 100rb buat coblos caleg"
    ev = predictor.evidence([text], [["money_politics", "hoax_hate"]])[0]
    assert set(ev) == {"money_politics", "hoax_hate"}
    assert all(w in text for words in ev.values() for w in words)
    # Batched attribution equals attribution of the text alone (rows do not interact).
    other = "Camat ancam mutasi staf yang tidak hadir kampanye paslon nomor dua di lapangan"
    batched = predictor.evidence([other, text, "netral"], [["intimidation"], ["money_politics", "hoax_hate"], []])
    assert batched[1] == ev and batched[2] == {} and set(batched[0]) == {"intimidation"}


def test_length_grouped_batches_cover_each_index_once():
    import random

    lengths = [5, 50, 7, 48, 6, 49]
    batches = length_grouped_batches(lengths, 3, random.Random(0))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(max(lengths[i] for i in b) - min(lengths[i] for i in b) <= 4 for b in batches)


def test_pos_weights():
    y = np.array([[1, 0], [0, 0], [0, 0], [0, 1]])
    assert pos_weights(y, 1.0).tolist() == [3.0, 3.0]
    assert pos_weights(y, 0.5).tolist() == pytest.approx([3**0.5, 3**0.5])
    assert pos_weights(y, 0.0).tolist() == [1.0, 1.0]


def test_mean_pool_layer_computes_masked_mean_and_survives_save(tmp_path, tiny_backbone):
    """A backbone without a trained pooler gets the frozen mean-pooling layer (pooling: auto)."""
    from transformers import AutoModel

    from netralitas_nlp.transformer import load_pretrained

    src = tmp_path / "no-pooler"
    AutoModel.from_pretrained(tiny_backbone).save_pretrained(src)  # copy, then drop the pooler
    bare = BertModel(BertConfig.from_pretrained(tiny_backbone), add_pooling_layer=False)
    bare.load_state_dict(AutoModel.from_pretrained(tiny_backbone).state_dict(), strict=False)
    bare.save_pretrained(src)
    PreTrainedTokenizerFast.from_pretrained(tiny_backbone).save_pretrained(src)

    tok, model = load_pretrained(str(src))
    assert model.config.num_hidden_layers == 3 and model.config.netralitas_mean_pool_layer == 2
    model.eval()
    enc = tok(["kades bagi amplop", "jalan desa rusak parah sekali"], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model.bert(**enc, output_hidden_states=True).hidden_states
    mask = enc["attention_mask"].unsqueeze(-1).float()
    mean = (hidden[-2] * mask).sum(1) / mask.sum(1)
    expected = torch.nn.functional.layer_norm(mean, (mean.shape[-1],), eps=model.config.layer_norm_eps)
    assert torch.allclose(hidden[-1][:, 0], expected, atol=1e-2)
    model.save_pretrained(tmp_path / "saved")
    again = AutoModelForSequenceClassification.from_pretrained(tmp_path / "saved")
    assert again.config.num_hidden_layers == 3


def test_onnx_export_int8_matches_torch_and_score_uses_it(tmp_path, tiny_splits, tiny_backbone):
    from netralitas_nlp import export
    from netralitas_nlp.models import load_predictor
    from netralitas_nlp.onnx_engine import OnnxModel

    out = train.train(tcfg(tiny_splits, tiny_backbone, tmp_path / "m"))
    assert export.main(["--model", str(out), "--onnx", "--int8"]) == 0
    texts = [t for t, _ in TINY]
    torch_logits = load_model(out).model.logits(texts)
    onnx_fp32 = OnnxModel.load(out, int8=False).logits(texts)
    assert np.allclose(torch_logits, onnx_fp32, atol=1e-3)
    onnx_int8 = OnnxModel.load(out).logits(texts)
    assert np.corrcoef(torch_logits.ravel(), onnx_int8.ravel())[0, 1] > 0.95
    predictor = load_predictor(str(out), "auto", threads=1, batch_size=8)
    assert isinstance(predictor.model, OnnxModel)
    assert isinstance(load_predictor(str(out), "torch", 1, 8).model, type(load_model(out).model))


def test_train_cli_prints_only_the_model_path(tmp_path, tiny_splits, tiny_backbone, capsys):
    out = tmp_path / "m"
    args = [
        "--set=model=transformer",
        f"--set=backbone={tiny_backbone}",
        f"--set=train=[{tiny_splits['train']}]",
        f"--set=dev={tiny_splits['dev']}",
        f"--set=test={tiny_splits['test']}",
        f"--set=output={out}",
        "--set=epochs=1",
        "--set=max_length=32",
    ]
    assert train.main(args) == 0
    assert capsys.readouterr().out == f"{out}\n"  # `make run` reads the path from stdout


def test_same_seed_same_model(tmp_path, tiny_splits, tiny_backbone):
    a = load_model(train.train(tcfg(tiny_splits, tiny_backbone, tmp_path / "a")))
    b = load_model(train.train(tcfg(tiny_splits, tiny_backbone, tmp_path / "b")))
    c = load_model(train.train(tcfg(tiny_splits, tiny_backbone, tmp_path / "c", "seed=99")))
    texts = [t for t, _ in TINY]
    assert np.array_equal(a.model.logits(texts), b.model.logits(texts))
    assert not np.allclose(a.model.logits(texts), c.model.logits(texts))
