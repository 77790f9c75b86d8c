"""Token windows for texts longer than a model's `max_length`, shared by the torch and ONNX paths.

A long text is split into windows that overlap by a quarter; each label takes its maximum over the
windows, because one violating passage is enough to flag a complaint. Batches are sorted by length
so padding stays small.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def encode_windows(tokenizer, texts: list[str], max_length: int) -> tuple[dict, np.ndarray]:
    """Tokenised windows and, for each window, the index of its text."""
    enc = tokenizer(list(texts), truncation=True, max_length=max_length, return_overflowing_tokens=True, stride=max_length // 4)
    mapping = np.asarray(enc.pop("overflow_to_sample_mapping", list(range(len(texts)))))
    return enc, mapping


def windowed_logits(
    tokenizer, texts: list[str], max_length: int, batch_size: int, n_labels: int, run: Callable[[dict], np.ndarray], tensor_type: str
) -> np.ndarray:
    """(n, n_labels) logits: `run` maps a padded batch to window logits; max over each text's windows."""
    enc, mapping = encode_windows(tokenizer, texts, max_length)
    ids = enc["input_ids"]
    order = np.argsort([len(x) for x in ids], kind="stable")
    window_logits = np.zeros((len(ids), n_labels), np.float32)
    for k in range(0, len(order), batch_size):
        idx = order[k : k + batch_size]
        batch = tokenizer.pad({key: [enc[key][i] for i in idx] for key in enc}, return_tensors=tensor_type)
        window_logits[idx] = run(batch)
    result = np.full((len(texts), n_labels), -np.inf, np.float32)
    np.maximum.at(result, mapping, window_logits)
    return result
