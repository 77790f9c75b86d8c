"""ONNX Runtime inference for exportable model directories (`ModelDir.onnx_file()`: `onnx/model.int8.onnx`).

Dynamic int8 quantisation (weights int8, activations quantised per batch at run time) uses the
CPU's VNNI int8 units; on the project's AVX-512 machines that is the fast path of `score`.
Tokenisation, windowing and thresholds are the torch path's, so decisions differ only by the
quantisation error (measured in `benchmarks/score_bench.py`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .labels import LABELS
from .modeldir import ModelDir
from .windows import windowed_logits


class OnnxModel:
    def __init__(self, session, tokenizer, max_length: int, batch_size: int, fallback=None, load_fallback: Callable[[], Any] | None = None):
        self.session, self.tokenizer = session, tokenizer
        self.max_length, self.batch_size = max_length, batch_size
        self.input_names = {i.name for i in session.get_inputs()}
        self.fallback = fallback  # the torch model, for evidence (gradients)
        self.load_fallback = load_fallback  # or how to load it, on first use: most runs never need it

    @classmethod
    def load(
        cls, directory: Path, threads: int = 0, batch_size: int = 64, int8: bool = True, fallback=None, load_fallback=None
    ) -> OnnxModel:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        folder = ModelDir(directory)
        path = folder.onnx_file(int8)
        if not path.exists():
            raise FileNotFoundError(f"{path} not found; run `python -m netralitas_nlp.export --model {directory} --onnx --int8`")
        opts = ort.SessionOptions()
        # Explicit thread counts: ORT's default spins one thread per core and busy-waits.
        opts.intra_op_num_threads = threads or os.cpu_count() or 1
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        settings = folder.read_inference()
        return cls(session, AutoTokenizer.from_pretrained(directory), settings["max_length"], batch_size, fallback, load_fallback)

    def logits(self, texts: list[str]) -> np.ndarray:
        """(n, k) logits, windows and max-over-windows exactly as the torch path."""

        def run(batch) -> np.ndarray:
            return self.session.run(["logits"], {name: batch[name].astype(np.int64) for name in self.input_names})[0]

        return windowed_logits(self.tokenizer, texts, self.max_length, self.batch_size, len(LABELS), run, "np")

    def evidence(self, texts: list[str], labels: list[list[str]]) -> list[dict[str, list[str]]]:
        if self.fallback is None and self.load_fallback is not None:
            self.fallback = self.load_fallback()
        if self.fallback is None:
            return [{} for _ in texts]
        return self.fallback.evidence(texts, labels)


def export_onnx(directory: Path, int8: bool = True, opset: int = 17) -> Path:
    """Export the saved classifier to ONNX (dynamic batch and length), then quantise it to int8."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(directory).eval()
    model.config.return_dict = False
    tok = AutoTokenizer.from_pretrained(directory)
    sample = tok(["contoh teks pendek", "contoh teks yang sedikit lebih panjang untuk ekspor"], padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]
    folder = ModelDir(directory)
    folder.onnx_dir.mkdir(exist_ok=True)
    fp32 = folder.onnx_file(int8=False)
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    with torch.no_grad():
        torch.onnx.export(
            model,
            tuple(sample[n] for n in names),
            str(fp32),
            input_names=names,
            output_names=["logits"],
            dynamic_axes={**axes, "logits": {0: "batch"}},
            opset_version=opset,
            dynamo=False,
        )
    if not int8:
        return fp32
    from onnxruntime.quantization import QuantType, quantize_dynamic

    int8_path = folder.onnx_file(int8=True)
    # Per-channel scales keep the int8 decisions close to fp32 (per-tensor flips more labels).
    quantize_dynamic(str(fp32), str(int8_path), weight_type=QuantType.QInt8, per_channel=True)
    return int8_path
