"""The pure batch core: texts in, score records out; no file I/O, so any backend can reuse it.

`priority` = 100 x (1 - prod over labels of (1 - p_label)): the probability, in percent, that the
text breaks at least one pledge point, treating labels as independent. Sort the triage queue by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..labels import LABELS
from ..pii import mask_pii
from .reading import check_record
from .settings import Policy

if TYPE_CHECKING:  # models imports scikit-learn; importing the core stays cheap
    from ..models import Predictor

SCORE_COLUMNS = tuple(f"p_{lab}" for lab in LABELS) + ("labels", "priority", "evidence")
OUTPUT_COLUMNS = SCORE_COLUMNS + ("status",)
UNSCORED = dict.fromkeys(SCORE_COLUMNS, "")  # the score cells of a row that was not scored
PREFIX = "nn_"  # added columns whose name the input already uses get it (an export's own `status` stays)


def added_columns(columns: list[str]) -> dict[str, str]:
    """The output name of each added column: its own, or prefixed with `nn_` until no input column has it."""
    taken = set(columns)
    names = {}
    for col in OUTPUT_COLUMNS:
        name = col
        while name in taken:
            name = PREFIX + name
        names[col] = name
    return names


def priority(probs: np.ndarray) -> np.ndarray:
    """100 x P(at least one label), labels treated as independent; rows of (n, k) probabilities."""
    return 100.0 * (1.0 - np.prod(1.0 - probs, axis=1))


def format_evidence(ev: dict[str, list[str]]) -> str:
    return " | ".join(f"{lab}: {', '.join(words)}" for lab, words in ev.items() if words)


def score_batch(predictor: Predictor, texts: list[str], policy: Policy) -> list[dict]:
    """One record of score cells (p_<label>, labels, priority, evidence) per text, in order."""
    if not texts:
        return []
    if policy.mask_pii:
        texts = [mask_pii(t) for t in texts]  # the model never reads the personal data it would write
    probs = predictor.predict_proba(texts)
    labels = [[LABELS[j] for j in np.flatnonzero(row)] for row in predictor.decide(probs)]
    evidence = explain(predictor, texts, labels, policy.evidence)
    prio = priority(probs)
    records = []
    for k, ev in enumerate(evidence):
        if policy.mask_pii:
            ev = {lab: [mask_pii(w) for w in words] for lab, words in ev.items()}
        rec = {f"p_{lab}": round(float(probs[k, j]), 4) for j, lab in enumerate(LABELS)}
        rec.update(labels=";".join(labels[k]), priority=round(float(prio[k]), 2), evidence=format_evidence(ev))
        records.append(rec)
    return records


def explain(predictor: Predictor, texts: list[str], labels: list[list[str]], how: str) -> list[dict[str, list[str]]]:
    """Evidence per predicted label.

    `model`: the model's own attribution (rule matches, tf-idf x weight, or gradient x input for
    transformers). `rules`: the phrases of the hand-written lexicon (`resources/lexicon.yaml`) that
    match, for the predicted labels only. `auto` = `model` for the sparse models, whose attribution
    is nearly free, and `rules` for transformers, whose gradient attribution costs about ten times the
    scoring itself (measured: ~5 rows/s instead of ~90 on 2 cores); ask for `model` when you can wait.
    """
    if how == "none":
        return [{} for _ in texts]
    if how == "model" or (how == "auto" and predictor.kind_class.cheap_evidence):
        return predictor.evidence(texts, labels)
    return _lexicon_rules().evidence(texts, labels)


@lru_cache(maxsize=1)
def _lexicon_rules():
    # Built once per process, not per chunk: parsing and compiling the lexicon is not free.
    from ..rules import RulesModel, default_lexicon_text

    return RulesModel(default_lexicon_text())


def score_chunk(
    predictor: Predictor,
    chunk: list[tuple[int, dict]],
    text_col: str,
    policy: Policy,
    max_chars: int,
    names: dict[str, str] | None = None,
) -> list[dict]:
    """Score rows: every input row yields exactly one `{"row", "status", "labels", "fields"}` record, in order.

    `fields` are the row's own cells (the text masked when the policy says so) plus the score cells
    and `status` (`ok` or why the row was not scored), named by `names` (see `added_columns`;
    default: their own names, which replace an input column of that name).
    """
    records, texts, ok_idx = [], [], []
    for i, (n, raw) in enumerate(chunk):
        text, status = check_record(raw, text_col, max_chars)
        out = dict(raw)
        if policy.mask_pii and isinstance(out.get(text_col), str):
            # Masked for the output here and again, identically, by score_batch: what is written is what is scored.
            out[text_col] = mask_pii(out[text_col])
        records.append({"row": n, "status": status, "labels": "", "fields": out, "scores": dict(UNSCORED, status=status)})
        if text is not None:
            texts.append(text)
            ok_idx.append(i)
    for i, scores in zip(ok_idx, score_batch(predictor, texts, policy)):
        records[i]["scores"].update(scores)
        records[i]["labels"] = scores["labels"]
    for r in records:
        r["fields"].update({(names or {}).get(k, k): v for k, v in r.pop("scores").items()})
    return records


def chunks(rows: Iterable[tuple[int, dict]], size: int) -> Iterator[list[tuple[int, dict]]]:
    chunk: list[tuple[int, dict]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
