"""The model folder: every file name in it, its metadata, and the listing of model folders.

A trained model is a folder. What each file holds:

- `netralitas.json`: kind, labels, thresholds, temperature, blinded candidates (the Predictor's).
- `config.yaml`, `metrics.json`, `data.json`, `versions.json`, `README.md`: the training run
  (resolved config, dev/test figures, data fingerprints, package versions, model card).
- The kind's own files: `lexicon.yaml` (rules), `tfidf.joblib` (tfidf), the Hugging Face files
  (`config.json`, weights, tokenizer) plus `inference.json` (transformer), and after training a
  transformer also `train_log.jsonl` and, while a run is resumable, `checkpoint/`.
- `onnx/model.onnx` and `onnx/model.int8.onnx`: the export (`python -m netralitas_nlp.export`).

No other module spells these names; they ask a `ModelDir`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .labels import LABELS


class ModelDir:
    META = "netralitas.json"
    CONFIG = "config.yaml"
    METRICS = "metrics.json"
    DATA_CARD = "data.json"
    VERSIONS = "versions.json"
    CARD = "README.md"
    LEXICON = "lexicon.yaml"
    TFIDF = "tfidf.joblib"
    HF_CONFIG = "config.json"
    INFERENCE = "inference.json"
    TRAIN_LOG = "train_log.jsonl"
    CHECKPOINT = "checkpoint"
    CHECKPOINT_STATE = "state.pt"
    ONNX_DIR = "onnx"
    ONNX_FP32 = "model.onnx"
    ONNX_INT8 = "model.int8.onnx"

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)

    def __fspath__(self) -> str:
        return os.fspath(self.path)

    def __repr__(self) -> str:
        return f"ModelDir({str(self.path)!r})"

    def __truediv__(self, name: str) -> Path:
        return self.path / name

    @property
    def name(self) -> str:
        return self.path.name

    # -- the files
    @property
    def meta(self) -> Path:
        return self.path / self.META

    @property
    def config(self) -> Path:
        return self.path / self.CONFIG

    @property
    def metrics(self) -> Path:
        return self.path / self.METRICS

    @property
    def data_card(self) -> Path:
        return self.path / self.DATA_CARD

    @property
    def versions(self) -> Path:
        return self.path / self.VERSIONS

    @property
    def card(self) -> Path:
        return self.path / self.CARD

    @property
    def lexicon(self) -> Path:
        return self.path / self.LEXICON

    @property
    def tfidf(self) -> Path:
        return self.path / self.TFIDF

    @property
    def hf_config(self) -> Path:
        return self.path / self.HF_CONFIG

    @property
    def inference(self) -> Path:
        return self.path / self.INFERENCE

    @property
    def train_log(self) -> Path:
        return self.path / self.TRAIN_LOG

    @property
    def checkpoint(self) -> Path:
        return self.path / self.CHECKPOINT

    @property
    def checkpoint_tmp(self) -> Path:
        """Where a new checkpoint is written before it replaces the old one."""
        return self.path / (self.CHECKPOINT + ".tmp")

    @classmethod
    def checkpoint_state(cls, checkpoint: Path) -> Path:
        """The state file inside a checkpoint folder (`checkpoint` or `checkpoint_tmp`)."""
        return checkpoint / cls.CHECKPOINT_STATE

    @property
    def onnx_dir(self) -> Path:
        return self.path / self.ONNX_DIR

    def onnx_file(self, int8: bool = True) -> Path:
        return self.onnx_dir / (self.ONNX_INT8 if int8 else self.ONNX_FP32)

    # -- questions
    def is_model(self) -> bool:
        """A folder that `load_model` can open (it has `netralitas.json`)."""
        return self.meta.is_file()

    def is_exported(self) -> bool:
        """The int8 ONNX export is present."""
        return self.onnx_file(int8=True).exists()

    # -- metadata
    def kind(self) -> str:
        """The model kind, read without checking the labels."""
        return json.loads(self.meta.read_text(encoding="utf-8"))["kind"]

    def read_meta(self) -> dict:
        if not self.meta.exists():
            raise FileNotFoundError(
                f"{self.path} is not a netralitas-nlp model directory (no {self.META}); train one with `python -m netralitas_nlp.train`"
            )
        meta = json.loads(self.meta.read_text(encoding="utf-8"))
        if tuple(meta["labels"]) != LABELS:
            raise ValueError(f"{self.path}: model labels {meta['labels']} differ from this version's {list(LABELS)}")
        return meta

    def write_meta(self, meta: dict) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        write_json(self.meta, meta)

    def write_run(self, *, metrics: dict, data_card: dict, versions: dict, card: str) -> None:
        """The training run's records (the config is written by `config.save_config` to `self.config`)."""
        write_json(self.metrics, metrics)
        write_json(self.data_card, data_card)
        write_json(self.versions, versions)
        self.card.write_text(card, encoding="utf-8")

    def read_metrics(self) -> dict:
        return json.loads(self.metrics.read_text(encoding="utf-8"))

    def read_inference(self) -> dict:
        """A transformer's inference settings (`max_length`, `batch_size`)."""
        return json.loads(self.inference.read_text(encoding="utf-8"))

    def write_inference(self, settings: dict) -> None:
        self.inference.write_text(json.dumps(settings), encoding="utf-8")

    # -- listing
    @classmethod
    def listing(cls, root: str | os.PathLike[str]) -> list[ModelDir]:
        """The model folders directly under `root`, sorted by name; none when `root` is absent."""
        root = Path(root)
        if not root.is_dir():
            return []
        return [cls(p) for p in sorted(root.iterdir()) if cls(p).is_model()]


def write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2), encoding="utf-8")
