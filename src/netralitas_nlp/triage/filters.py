"""Queue filters: parsed from the query string, turned into parameterised SQLAlchemy clauses."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..labels import LABELS
from .db import Item, score_column
from .states import STATUSES

PAGE_SIZE = 50


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class Filters:
    label: str = ""
    pmin: str = ""
    pmax: str = ""
    status: str = ""
    source: str = ""
    unit: str = ""
    region: str = ""
    date_from: str = ""
    date_to: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params) -> Filters:
        f = cls(**{k: str(params.get(k, "") or "")[:200].strip() for k in cls.__dataclass_fields__})
        f.label = f.label if f.label in LABELS else ""
        f.status = f.status if f.status in STATUSES else ""
        return f

    def querystring(self) -> str:
        return urlencode({k: v for k, v in asdict(self).items() if v})

    def clauses(self) -> list:
        out = []
        if self.label:
            tag = f"%;{self.label};%"
            # the human decision when there is one, else the model's labels
            out.append(or_(Item.final_labels.like(tag), Item.final_labels.is_(None) & Item.model_labels.like(tag)))
        # probability range: of the chosen label, else of "any label" (priority / 100)
        col, scale = (getattr(Item, score_column(self.label)), 1.0) if self.label else (Item.priority, 100.0)
        if (lo := _float(self.pmin)) is not None:
            out.append(col >= lo * scale)
        if (hi := _float(self.pmax)) is not None:
            out.append(col <= hi * scale)
        for name in ("status", "source", "unit", "region"):
            if value := getattr(self, name):
                out.append(getattr(Item, name) == value)
        if self.date_from:
            out.append(Item.date >= self.date_from)
        if self.date_to:
            out.append(Item.date <= self.date_to)
        if self.q:
            term = f"%{_like_escape(self.q)}%"
            out.append(or_(Item.text.ilike(term, escape="\\"), Item.source_id.ilike(term, escape="\\")))
        return out


ORDER = (Item.priority.desc().nulls_last(), Item.id)


def page(db: Session, f: Filters, number: int) -> tuple[list[Item], int]:
    from sqlalchemy import func

    total = db.scalar(select(func.count()).select_from(Item).where(*f.clauses())) or 0
    stmt = select(Item).where(*f.clauses()).order_by(*ORDER).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    return list(db.scalars(stmt)), total


def neighbours(db: Session, f: Filters, item_id: int) -> tuple[int | None, int | None]:
    """Previous and next item ids in queue order under the same filters."""
    ids = list(db.scalars(select(Item.id).where(*f.clauses()).order_by(*ORDER)))
    if item_id not in ids:
        return None, (ids[0] if ids else None)
    i = ids.index(item_id)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


def choices(db: Session) -> dict[str, list[str]]:
    """Distinct values for the source, unit and region drop-downs."""
    out = {}
    for name in ("source", "unit", "region"):
        col = getattr(Item, name)
        out[name] = [v for v in db.scalars(select(col).where(col.is_not(None)).distinct().order_by(col)) if v]
    return out
