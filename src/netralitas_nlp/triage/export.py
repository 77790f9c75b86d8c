"""Exports: reviewed items as labelled JSONL (the training format) and a CSV summary for the office.

The JSONL is what `train` reads as extra data (`--set "train=[data/seed/train.jsonl, reviews.jsonl]"`):
`id`, `text`, `labels` (the latest human decision) and the rest as metadata. An item whose actor a
reviewer marked as not an ASN is exported with no label, as the annotation guideline says.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..labels import LABELS
from .db import Decision, Item, unpack_labels
from .states import FINAL_ACTIONS, Status

SUMMARY_COLUMNS = (
    "id",
    "source",
    "unit",
    "region",
    "date",
    "status",
    "labels",
    "model_labels",
    "priority",
    "actor_not_asn",
    "decided_by",
    "decided_at",
    "decisions",
    "flags",
    "score_status",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # spreadsheet formula triggers


def reviewed_items(db: Session) -> list[Item]:
    with_history = selectinload(Item.decisions).selectinload(Decision.user)
    stmt = select(Item).where(Item.status == Status.REVIEWED.value).options(with_history).order_by(Item.id)
    return list(db.scalars(stmt))


def last_decision(item: Item) -> Decision | None:
    final = [d for d in item.decisions if d.action in FINAL_ACTIONS]
    return final[-1] if final else None


def training_record(item: Item) -> dict:
    d = last_decision(item)
    labels = [] if item.actor_not_asn else unpack_labels(item.final_labels)
    return {
        "id": item.source_id,
        "text": item.text,
        "labels": labels,
        "source": item.source,
        "unit": item.unit,
        "region": item.region,
        "date": item.date,
        "flags": item.flags,
        "model_labels": unpack_labels(item.model_labels),
        "model_probs": {lab: item.prob(lab) for lab in LABELS},
        "actor_not_asn": item.actor_not_asn,
        "reviewed_by": d.user.username if d else None,
        "reviewed_at": d.created_at.isoformat(timespec="seconds") if d else None,
        "n_decisions": len(item.decisions),
        "origin": "triage",
    }


def jsonl_lines(items: list[Item]) -> Iterator[str]:
    for item in items:
        yield json.dumps(training_record(item), ensure_ascii=False) + "\n"


def _safe_cell(value) -> str:
    # A cell starting with = + - @ is run as a formula by Excel: prefix it so it stays text.
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def summary_csv(db: Session) -> str:
    """Every item (not only reviewed ones): the office wants the state of the whole queue."""
    stmt = select(Item).options(selectinload(Item.decisions).selectinload(Decision.user)).order_by(Item.id)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(SUMMARY_COLUMNS)
    for item in db.scalars(stmt):
        d = item.decisions[-1] if item.decisions else None
        row = [
            item.source_id,
            item.source,
            item.unit,
            item.region,
            item.date,
            item.status,
            ";".join(unpack_labels(item.final_labels)) if item.final_labels is not None else "",
            ";".join(unpack_labels(item.model_labels)),
            "" if item.priority is None else f"{item.priority:.2f}",
            "yes" if item.actor_not_asn else "",
            d.user.username if d else "",
            d.created_at.isoformat(timespec="seconds") if d else "",
            len(item.decisions),
            ";".join(f"{k}={v}" for k, v in item.flags.items()),
            item.score_status,
        ]
        w.writerow([_safe_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()  # BOM: Excel reads UTF-8 only with it
