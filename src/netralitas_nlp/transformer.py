"""Fine-tuned transformer classifier: a multi-label head on an IndoBERT-family (or offline) backbone.

Saved directories are plain Hugging Face checkpoints: `AutoModelForSequenceClassification` and
`pipeline("text-classification", model=DIR, top_k=None)` load them, with `id2label` equal to our
label ids and `problem_type="multi_label_classification"` (sigmoid scores). The calibration
temperature is folded into the classification layer, so the pipeline's scores are the calibrated
probabilities too.

Pooling: the stock sequence-classification head reads the first token through BERT's pooler.
The offline backbone (multilingual-e5) was trained for masked *mean* pooling and ships no pooler; a
frozen-feature probe on the seed corpus gave macro-F1 0.78 (dev) with mean pooling against 0.72 with
the CLS vector. So for backbones without a trained pooler (`pooling: auto`), one extra encoder layer
is appended that computes the masked mean: its query and key weights are zero (uniform attention over
the unmasked tokens), its value is the identity and its output is scaled up so the residual vanishes
under the LayerNorm. It stays frozen. The result is a plain `BertForSequenceClassification` with one
more layer, loadable by the stock classes, whose first-token output is the mean-pooled text. A
custom head class would break loading with `pipeline`, which other tools rely on. The pooler after
it starts as the identity instead of noise.
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm

from .backbone import hub_error, resolve_backbone
from .calibration import sigmoid, tune_thresholds
from .labels import LABEL_INDEX, LABELS
from .metrics import binarize, precision_recall_f1
from .modeldir import ModelDir
from .windows import windowed_logits


def pick_device() -> tuple[torch.device, torch.dtype | None]:
    """CUDA with bf16 autocast where available, else CPU in fp32."""
    if torch.cuda.is_available():
        return torch.device("cuda"), torch.bfloat16 if torch.cuda.is_bf16_supported() else None
    return torch.device("cpu"), None


def set_threads(threads: int) -> None:
    torch.set_num_threads(threads or os.cpu_count() or 1)


def load_pretrained(spec: str, pooling: str = "auto", num_labels: int = len(LABELS)):
    """Tokenizer and classifier from a resolved backbone, with a clear error when offline."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    path = resolve_backbone(spec)
    try:
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForSequenceClassification.from_pretrained(
            path,
            num_labels=num_labels,
            problem_type="multi_label_classification",
            id2label=dict(enumerate(LABELS)),
            label2id=dict(LABEL_INDEX),
        )
    except OSError as e:
        raise hub_error(spec, e) from e
    trained_pooler = has_trained_pooler(path)
    if pooling == "mean" or (pooling == "auto" and not trained_pooler):
        append_mean_pool_layer(model)
    if not trained_pooler:
        init_identity_pooler(model)
    return tokenizer, model


MEAN_POOL_GAIN = 1000.0  # makes the residual (the CLS state) negligible inside the LayerNorm


def append_mean_pool_layer(model) -> None:
    """Append a BERT layer whose first-token output is LayerNorm(masked mean of the previous layer)."""
    encoder = model.base_model.encoder
    config = model.config
    layer = (
        type(encoder.layer[-1])(config)
        if _layer_takes_config_only(encoder.layer[-1])
        else type(encoder.layer[-1])(config, layer_idx=len(encoder.layer))
    )
    h = config.hidden_size
    with torch.no_grad():
        for p in layer.parameters():
            p.zero_()
        att = layer.attention
        att.self.value.weight.copy_(torch.eye(h))
        att.output.dense.weight.copy_(torch.eye(h) * MEAN_POOL_GAIN)
        att.output.LayerNorm.weight.fill_(1.0)
        layer.output.LayerNorm.weight.fill_(1.0)
    encoder.layer.append(layer)
    config.num_hidden_layers += 1
    config.netralitas_mean_pool_layer = config.num_hidden_layers - 1


def _layer_takes_config_only(layer) -> bool:
    import inspect

    return "layer_idx" not in inspect.signature(type(layer).__init__).parameters


def init_identity_pooler(model) -> None:
    """Start an untrained pooler at the identity instead of noise (see module docstring)."""
    pooler = getattr(model.base_model, "pooler", None)
    if pooler is not None and hasattr(pooler, "dense"):
        with torch.no_grad():
            pooler.dense.weight.copy_(torch.eye(pooler.dense.weight.shape[0]))
            pooler.dense.bias.zero_()


def has_trained_pooler(path: str) -> bool:
    """Whether the checkpoint carries pooler weights (hub IndoBERTs do; the offline e5 does not)."""
    p = Path(path)
    if not (p / "model.safetensors").exists():
        return True  # hub checkpoints or .bin files: trust their own pooler
    from safetensors import safe_open

    with safe_open(str(p / "model.safetensors"), "pt") as f:
        return any("pooler" in k for k in f.keys())  # noqa: SIM118 (safe_open is not iterable)


# ---------------------------------------------------------------- batching


def length_grouped_batches(lengths: list[int], batch_size: int, rng: random.Random, group: bool = True) -> list[list[int]]:
    """Shuffled batches of similar length: less padding, still a random order of batches."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    if group:
        mega = batch_size * 50
        idx = [i for k in range(0, len(idx), mega) for i in sorted(idx[k : k + mega], key=lambda i: -lengths[i])]
    batches = [idx[k : k + batch_size] for k in range(0, len(idx), batch_size)]
    rng.shuffle(batches)
    return batches


def pos_weights(y: np.ndarray, power: float, mask: np.ndarray | None = None) -> torch.Tensor:
    """(negatives / positives) ** power per label, counted over the rows that know the label;
    power 0.5 softens the rare-label boost."""
    known = np.ones_like(y) if mask is None else np.asarray(mask)
    pos = (y * known).sum(0).clip(min=1)
    return torch.tensor(((known.sum(0) - pos).clip(min=1) / pos) ** power, dtype=torch.float32)


class MaskedBCE(torch.nn.Module):
    """Weighted BCE (or focal BCE with gamma > 0) averaged over the known (row, label) cells only.

    Partial labels: a hate-speech set says nothing about money politics, so those cells must
    neither push the logit down (as a negative would) nor dilute the mean.
    """

    def __init__(self, pos_weight: torch.Tensor, gamma: float = 0.0):
        super().__init__()
        self.gamma = gamma
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, logits: torch.Tensor, target: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target, pos_weight=self.pos_weight, reduction="none")
        if self.gamma:
            p = torch.sigmoid(logits)
            loss = (1 - (p * target + (1 - p) * (1 - target))) ** self.gamma * loss
        if mask is None:
            return loss.mean()
        return (loss * mask).sum() / mask.sum().clamp(min=1)


# ---------------------------------------------------------------- model


class TransformerModel:
    folds_temperature = True  # the classification layer absorbs T (fold_temperature)
    exportable = True  # to ONNX (onnx_engine.export_onnx)
    has_engine_settings = True  # load(batch_size=, threads=)
    cheap_evidence = False  # gradient x input costs about ten times the scoring
    swaps_per_epoch = True  # swap_augment re-draws candidate swaps every epoch (Trainer)

    def __init__(self, model, tokenizer, max_length: int, batch_size: int = 64, threads: int = 0):
        self.model, self.tokenizer = model, tokenizer
        self.max_length, self.batch_size, self.threads = max_length, batch_size, threads
        self.device, self.autocast_dtype = pick_device()
        self.model.to(self.device)

    # -- inference
    @torch.inference_mode()
    def logits(self, texts: list[str]) -> np.ndarray:
        """(n, k) logits; a text split into windows takes each label's maximum over its windows."""
        set_threads(self.threads)
        self.model.eval()

        def run(batch) -> np.ndarray:
            with self._autocast():
                return self.model(**{key: v.to(self.device) for key, v in batch.items()}).logits.float().cpu().numpy()

        return windowed_logits(self.tokenizer, texts, self.max_length, self.batch_size, len(LABELS), run, "pt")

    def _autocast(self):
        if self.autocast_dtype is None:
            return nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=self.autocast_dtype)

    def evidence(self, texts: list[str], labels: list[list[str]], top: int = 5) -> list[dict[str, list[str]]]:
        """Words ranked by gradient x input on the word embeddings, summed over each word's pieces.

        Faithful to this model rather than to a proxy, and cheap enough: only texts with a predicted
        label are explained, in batches, with one backward pass per label present in the batch (rows
        do not interact, so the gradient of a sum of rows' logits is each row's own gradient).
        The first window of a long text is explained.
        """
        out: list[dict[str, list[str]]] = [{} for _ in texts]
        flagged = [i for i, labs in enumerate(labels) if labs]
        emb_layer = self.model.get_input_embeddings()
        self.model.eval()
        set_threads(self.threads)
        for k in range(0, len(flagged), self.batch_size):
            idx = flagged[k : k + self.batch_size]
            enc = self.tokenizer([texts[i] for i in idx], truncation=True, max_length=self.max_length, padding=True, return_tensors="pt")
            feeds = {key: v.to(self.device) for key, v in enc.items() if key != "input_ids"}
            embeds = emb_layer(enc["input_ids"].to(self.device)).detach().requires_grad_(True)
            logits = self.model(inputs_embeds=embeds, **feeds).logits
            wanted = [lab for lab in LABELS if any(lab in labels[i] for i in idx)]
            for n, lab in enumerate(wanted):
                rows = [r for r, i in enumerate(idx) if lab in labels[i]]
                (grad,) = torch.autograd.grad(logits[rows, LABEL_INDEX[lab]].sum(), embeds, retain_graph=n < len(wanted) - 1)
                scores = (grad * embeds).sum(-1).detach().cpu().numpy()
                for r in rows:
                    out[idx[r]][lab] = _top_words(texts[idx[r]], enc, r, scores[r], top)
        return out

    # -- persistence
    def fold_temperature(self, temperature: float) -> None:
        """Divide the classification layer by T so every consumer sees calibrated probabilities."""
        head = self.model.classifier
        with torch.no_grad():
            head.weight.div_(temperature)
            head.bias.div_(temperature)

    def save(self, directory: Path) -> None:
        self.model.save_pretrained(directory)
        self.tokenizer.save_pretrained(directory)
        ModelDir(directory).write_inference({"max_length": self.max_length, "batch_size": self.batch_size})

    @classmethod
    def load(cls, directory: Path, batch_size: int | None = None, threads: int = 0) -> TransformerModel:
        """The saved model; `batch_size` (default: the saved one) and `threads` are run-time choices of the scorer."""
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        settings = ModelDir(directory).read_inference()
        model = AutoModelForSequenceClassification.from_pretrained(directory)
        return cls(
            model,
            AutoTokenizer.from_pretrained(directory),
            settings["max_length"],
            settings["batch_size"] if batch_size is None else batch_size,
            threads,
        )

    # -- training
    @classmethod
    def fit(
        cls,
        texts: list[str],
        y: np.ndarray,
        cfg,
        *,
        mask: np.ndarray | None = None,
        dev: tuple[list[str], np.ndarray] | None = None,
        out_dir: Path | None = None,
        resume: bool = False,
    ) -> TransformerModel:
        torch.manual_seed(cfg.seed)  # the new head's initial weights are part of the run
        tokenizer, model = load_pretrained(cfg.backbone, cfg.pooling)
        self = cls(model, tokenizer, cfg.max_length, cfg.eval_batch_size, cfg.threads)
        Trainer(self, cfg, out_dir or cfg.output_dir).train(texts, y, dev, mask=mask, resume=resume)
        return self


def _top_words(text: str, enc, row: int, scores: np.ndarray, top: int) -> list[str]:
    """The `top` words of `text` with the largest positive summed attribution."""
    per_word: dict[int, float] = {}
    for pos, w in enumerate(enc.word_ids(row)):
        if w is not None:
            per_word[w] = per_word.get(w, 0.0) + float(scores[pos])
    best = sorted((w for w in per_word if per_word[w] > 0), key=lambda w: -per_word[w])[:top]
    words = []
    for w in best:
        span = enc.word_to_chars(row, w)
        if span is not None:
            words.append(text[span.start : span.end])
    return words


class Trainer:
    """The fine-tuning recipe: weighted BCE, AdamW with warm-up and decay, clipping, early stopping."""

    def __init__(self, tm: TransformerModel, cfg, out_dir: Path):
        self.tm, self.cfg, self.out_dir = tm, cfg, Path(out_dir)
        self.folder = ModelDir(self.out_dir)
        self.ckpt_dir = self.folder.checkpoint

    def train(
        self,
        texts: list[str],
        y: np.ndarray,
        dev: tuple[list[str], np.ndarray] | None,
        mask: np.ndarray | None = None,
        resume: bool = False,
    ) -> None:
        cfg, model = self.cfg, self.tm.model
        set_threads(cfg.threads)
        torch.manual_seed(cfg.seed)
        self.freeze(model)
        enc = None if cfg.swap_augment else self.tokenize(texts)  # augmented runs tokenize per epoch
        total = math.ceil(len(texts) / cfg.batch_size) * cfg.epochs
        optimizer, scheduler = self.optimizer(model, total)
        loss_fn = self.loss(y, mask).to(self.tm.device)
        state, best = {"epoch": 0, "step": 0, "best_f1": -1.0, "bad_epochs": 0}, None
        if resume and ModelDir.checkpoint_state(self.ckpt_dir).exists():
            state, best = self.load_checkpoint(optimizer, scheduler)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        targets = torch.tensor(y, dtype=torch.float32)
        known = torch.tensor(np.ones_like(y) if mask is None else mask, dtype=torch.float32)
        interval = 2 if sys.stderr.isatty() else 30  # keep CI logs short
        with (
            open(self.folder.train_log, "a", encoding="utf-8") as log,
            tqdm(total=total, initial=state["step"], desc="train", unit="step", mininterval=interval) as bar,
        ):
            while state["epoch"] < cfg.epochs and state["bad_epochs"] < cfg.patience:
                self.run_epoch(
                    self.epoch_encoding(texts, enc, state["epoch"]), (targets, known), loss_fn, optimizer, scheduler, state, bar, log
                )
                f1 = self.dev_f1(dev) if dev is not None else float(state["epoch"])
                self.write_log(log, {"epoch": state["epoch"], "dev_macro_f1_tuned": f1})
                bar.write(f"epoch {state['epoch']}: dev macro-F1 (thresholds tuned) {f1:.4f}", file=sys.stderr)  # stdout: path only
                if f1 > state["best_f1"]:  # early stopping keeps the best epoch's weights
                    state["best_f1"], state["bad_epochs"] = f1, 0
                    best = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
                else:
                    state["bad_epochs"] += 1
                self.save_checkpoint(state, best, optimizer, scheduler)
        if best is not None:
            model.load_state_dict(best)

    def epoch_encoding(self, texts: list[str], enc: dict | None, epoch: int) -> dict:
        """With `swap_augment`, each epoch sees half of the texts that name a candidate permuted.

        Re-drawn every epoch (seeded by epoch, so `--resume` replays it), the model meets the same
        text under several candidate numbers at no extra steps, unlike added copies.
        """
        if not self.cfg.swap_augment:
            return enc
        from .swap import swap_some

        return self.tokenize(swap_some(texts, random.Random(f"{self.cfg.seed}:swap:{epoch}")))

    def run_epoch(self, enc, targets, loss_fn, optimizer, scheduler, state: dict, bar, log) -> None:
        self.tm.model.train()
        rng = random.Random(self.cfg.seed + state["epoch"])
        for batch_idx in length_grouped_batches(enc["length"], self.cfg.batch_size, rng, self.cfg.group_by_length):
            loss = self.step(self.tm.model, enc, batch_idx, targets, loss_fn, optimizer, scheduler)
            state["step"] += 1
            bar.update(1)
            bar.set_postfix(loss=f"{loss:.4f}", epoch=state["epoch"] + 1, refresh=False)
            if state["step"] % self.cfg.log_every == 0:
                self.write_log(log, {"step": state["step"], "epoch": state["epoch"] + 1, "loss": loss, "lr": scheduler.get_last_lr()[0]})
        state["epoch"] += 1

    @staticmethod
    def write_log(log, record: dict) -> None:
        log.write(json.dumps({**record, "time": time.time()}) + "\n")
        log.flush()

    def freeze(self, model) -> None:
        if self.cfg.freeze_embeddings:
            # The word-embedding matrix is 96M of the offline backbone's 118M parameters: training
            # it costs most of the optimiser's time and memory and gains little on 2k examples.
            model.get_input_embeddings().weight.requires_grad_(False)
        layers = list(getattr(getattr(model.base_model, "encoder", None), "layer", []))
        for layer in layers[: self.cfg.freeze_layers]:
            layer.requires_grad_(False)
        pool_idx = getattr(model.config, "netralitas_mean_pool_layer", None)
        if pool_idx is not None:
            layers[pool_idx].requires_grad_(False)  # a fixed mean, not a learnt layer

    def tokenize(self, texts: list[str]) -> dict:
        from datasets import Dataset

        ds = Dataset.from_dict({"text": texts}).map(
            lambda b: self.tm.tokenizer(b["text"], truncation=True, max_length=self.cfg.max_length), batched=True, remove_columns=["text"]
        )
        ds = ds.map(lambda b: {"length": [len(x) for x in b["input_ids"]]}, batched=True)
        return ds.to_dict()

    def optimizer(self, model, total_steps: int):
        from transformers import get_linear_schedule_with_warmup

        decay, no_decay = [], []
        for name, p in model.named_parameters():
            if p.requires_grad:
                (no_decay if p.ndim < 2 or "LayerNorm" in name else decay).append(p)
        opt = torch.optim.AdamW(
            [{"params": decay, "weight_decay": self.cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=self.cfg.lr
        )
        return opt, get_linear_schedule_with_warmup(opt, int(self.cfg.warmup_ratio * total_steps), total_steps)

    def loss(self, y: np.ndarray, mask: np.ndarray | None = None) -> torch.nn.Module:
        pw = pos_weights(y, self.cfg.pos_weight_power, mask)
        return MaskedBCE(pw, self.cfg.focal_gamma if self.cfg.loss == "focal" else 0.0)

    def step(self, model, enc, batch_idx, targets, loss_fn, optimizer, scheduler) -> float:
        feats = {k: [enc[k][i] for i in batch_idx] for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc}
        batch = self.tm.tokenizer.pad(feats, return_tensors="pt")
        dev = self.tm.device
        with self.tm._autocast():
            logits = model(**{k: v.to(dev) for k, v in batch.items()}).logits
        target, known = (t[batch_idx].to(dev) for t in targets)
        loss = loss_fn(logits.float(), target, known)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], self.cfg.grad_clip)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        return float(loss.detach())

    def dev_f1(self, dev: tuple[list[str], np.ndarray]) -> float:
        texts, y = dev
        probs = sigmoid(self.tm.logits(texts))
        return float(precision_recall_f1(y, binarize(probs, tune_thresholds(y, probs)))[2].mean())

    def save_checkpoint(self, state: dict, best_state, optimizer, scheduler) -> None:
        """Everything `--resume` needs, written to a temp name first so a crash leaves the old one."""
        tmp = self.folder.checkpoint_tmp
        tmp.mkdir(parents=True, exist_ok=True)
        torch.save(
            {
                "state": state,
                "model": self.tm.model.state_dict(),
                "best": best_state,
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "torch_rng": torch.get_rng_state(),
            },
            ModelDir.checkpoint_state(tmp),
        )
        if self.ckpt_dir.exists():
            for f in self.ckpt_dir.iterdir():
                f.unlink()
            self.ckpt_dir.rmdir()
        tmp.rename(self.ckpt_dir)

    def load_checkpoint(self, optimizer, scheduler):
        ck = torch.load(ModelDir.checkpoint_state(self.ckpt_dir), map_location="cpu", weights_only=False)
        self.tm.model.load_state_dict(ck["model"])
        optimizer.load_state_dict(ck["optimizer"])
        scheduler.load_state_dict(ck["scheduler"])
        torch.set_rng_state(ck["torch_rng"])
        print(f"resumed from {self.ckpt_dir} at epoch {ck['state']['epoch']}, step {ck['state']['step']}", file=sys.stderr)
        return ck["state"], ck["best"]
