"""The evaluation suite: the seed test split, then real text that no one on the team wrote.

`python -m netralitas_nlp.evaluate --suite [--model DIR ...]` runs every model on:
- the seed test split (all four labels; hand-written by the team, so it flatters every model);
- each evaluation-only public set of `../shared/data/README.md`, scored only on the labels that
  set speaks about (a hate-speech set says nothing about money politics);
- public sets that no project config trains on (`HELD_OUT`), used here as proxies;
and the candidate-swap check on the seed test split. Sets whose folder is absent are skipped and
listed with the reason, so the suite also runs on a machine without `../shared`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import Example, label_matrix, read_examples
from .labels import LABEL_INDEX, LABELS
from .metrics import multilabel_report
from .swap import swap_check

SEED_TEST = "data/seed/test.jsonl"
# Training-allowed sets that no config in configs/ trains on: evaluating on them is honest.
HELD_OUT = ("jannati2018-political-stance",)


@dataclass
class SuiteSet:
    name: str
    covers: tuple[str, ...]
    meaning: str
    load: Callable[[], list[Example]]
    available: bool = True
    skip_reason: str = ""


def seed_set(path: str = SEED_TEST) -> SuiteSet:
    return SuiteSet(
        name=f"seed test ({path})",
        covers=LABELS,
        meaning="The project's hand-written seed corpus (data/README.md), test split: all four labels, BRIEF conventions. "
        "Written by the team, so it overstates quality on real posts.",
        load=lambda: read_examples(path),
        available=Path(path).exists(),
        skip_reason=f"{path} not found",
    )


def public_sets(root: Path | None = None) -> list[SuiteSet]:
    """The evaluation-only public sets (every eval split), then the held-out proxies."""
    from . import public

    out = []
    for slug, src in public.SOURCES.items():
        splits = src.splits if src.use == "eval" else (src.eval_splits if slug not in HELD_OUT else src.splits)
        for split in splits:
            suffix = "" if split == "all" else f" [{split}]"
            role = "evaluation-only" if public.is_eval_only(slug, split) else "held out: no config trains on it"
            out.append(
                SuiteSet(
                    name=f"{slug}{suffix}",
                    covers=tuple(src.covers),
                    meaning=f"{src.title} ({role}; {src.register}; licence: {src.license}). {src.meaning}",
                    load=lambda slug=slug, split=split: public.load_source(slug, root=root, split=split),
                    available=public.available(slug, root),
                    skip_reason=f"{public.source_dir(slug, root)} not present (set NETRALITAS_SHARED_DATA)",
                )
            )
    return out


def real_sets(root: Path | None = None) -> list[SuiteSet]:
    """The real annotated set's test and dev splits (data/real/, joined with ../shared/data at run time)."""
    from . import real

    meaning = (
        "Real 2017-2024 posts from the training-allowed pools of ../shared/data, selected by active learning and at random, "
        "double-annotated by the project's guideline and adjudicated (data/README.md)."
    )
    roles = {
        "test": "Held out from training and threshold tuning.",
        "dev": "The default tunes thresholds on it: its F1 is optimistic for such models; listed for the swap check.",
    }
    return [
        SuiteSet(
            name=f"real {split} (data/real/{split}.jsonl)",
            covers=LABELS,
            meaning=f"{meaning} {role}",
            load=lambda split=split: real.load_real(split, root),
            available=real.real_path(split).exists() and real.available(root),
            skip_reason=f"{real.real_path(split)} or the ../shared/data sources it names not present",
        )
        for split, role in roles.items()
    ]


def pool_sample(n: int = 2000, seed: int = 13, root: Path | None = None) -> list[str]:
    """Up to `n` unlabelled political posts for the swap check (no labels needed): reserved rows and
    posts of the real annotated set excluded, retweets and near copies once."""
    import random

    from . import public, real
    from .select import dedupe

    slugs = [s for s in ("pemilu2024-capres-tweets", "satriadata2024-bdc-pilpres-tweets") if public.available(s, root)]
    if not slugs:
        return []
    annotated = real.annotated_ids()
    rows = [r for slug in slugs for r in real.iter_pool(slug, root) if r.ref not in annotated]
    texts = [r.text for r in rows]
    texts = [texts[i] for i in dedupe(texts)]
    return random.Random(seed).sample(texts, min(n, len(texts)))


def swap_summary(report: dict) -> dict:
    """The figures of a swap check that tables show (the full report stays in `swap_check`)."""
    keys = ("n", "with_candidate_reference", "flips", "flip_rate", "flip_rate_among_naming", "mean_shift")
    return {k: report[k] for k in keys}


def covered_report(examples: list[Example], probs: np.ndarray, thresholds: np.ndarray, covers: tuple[str, ...]) -> dict:
    """multilabel_report restricted to the labels the set speaks about."""
    idx = [LABEL_INDEX[lab] for lab in covers]
    y = label_matrix(examples)[:, idx]
    return multilabel_report(y, probs[:, idx], np.asarray(thresholds)[idx], tuple(covers))


def run_suite(
    model_dirs: list[str],
    sets: list[SuiteSet],
    swap_on: str | None = SEED_TEST,
    log=print,
    pool: list[str] | None = None,
    engine: str = "torch",
) -> dict:
    """Every model on every available set, each with the swap check; the full swap check on the seed
    test split, and on `pool` (unlabelled posts: flips need no labels)."""
    from .models import load_predictor

    predictors = [(str(d), load_predictor(d, engine=engine)) for d in model_dirs]
    result = {"models": [{"model": name, "kind": p.kind} for name, p in predictors], "engine": engine, "sets": [], "skipped": []}
    for s in sets:
        if not s.available:
            log(f"skip {s.name}: {s.skip_reason}")
            result["skipped"].append({"name": s.name, "reason": s.skip_reason})
            continue
        examples = s.load()
        texts = [ex.text for ex in examples]
        entry = {"name": s.name, "n": len(examples), "covers": list(s.covers), "meaning": s.meaning, "results": []}
        entry["positives"] = dict(zip(s.covers, label_matrix(examples)[:, [LABEL_INDEX[c] for c in s.covers]].sum(0).tolist()))
        for name, p in predictors:
            log(f"{s.name}: scoring {len(texts)} texts with {name}")
            probs = p.predict_proba(texts)
            swap = swap_summary(swap_check(p, texts, base=probs))
            entry["results"].append({"model": name, **covered_report(examples, probs, p.thresholds, s.covers), "swap": swap})
        result["sets"].append(entry)
    if pool:
        log(f"swap check on {len(pool)} unlabelled pool posts")
        result["swap_pool"] = {"n": len(pool), "models": [{"model": name, **swap_summary(swap_check(p, pool))} for name, p in predictors]}
    if swap_on and Path(swap_on).exists():
        texts = [ex.text for ex in read_examples(swap_on)]
        result["swap_check"] = {"data": swap_on, "models": [{"model": name, **swap_check(p, texts)} for name, p in predictors]}
    return result


def format_table(result: dict) -> str:
    """Plain-text summary: a row per set, a column per model (macro-F1 over the covered labels)."""
    names = [m["model"] for m in result["models"]]
    width = max([len(s["name"]) for s in result["sets"]] + [20]) + 2
    lines = ["set".ljust(width) + "covers".ljust(34) + "".join(Path(n).name[:18].rjust(20) for n in names)]
    for s in result["sets"]:
        cells = "".join(f"{r['macro_f1']:.3f}".rjust(20) for r in s["results"])
        lines.append(s["name"].ljust(width) + ",".join(s["covers"])[:33].ljust(34) + cells)
    if "swap_check" in result:
        cells = "".join(f"{m['flip_rate']:.2%}".rjust(20) for m in result["swap_check"]["models"])
        lines.append("swap flip rate (seed test)".ljust(width) + "".ljust(34) + cells)
    for s in result["sets"]:
        cells = "".join(f"{r['swap']['flip_rate']:.2%}".rjust(20) for r in s["results"] if "swap" in r)
        lines.append(f"  swap flips: {s['name']}"[:width].ljust(width) + "".ljust(34) + cells)
    if "swap_pool" in result:
        cells = "".join(f"{m['flip_rate']:.2%}".rjust(20) for m in result["swap_pool"]["models"])
        lines.append(f"swap flip rate (pool, n={result['swap_pool']['n']})".ljust(width) + "".ljust(34) + cells)
    lines += [f"skipped {s['name']}: {s['reason']}" for s in result["skipped"]]
    return "\n".join(lines)
