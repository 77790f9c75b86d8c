"""Decisions on items: who may take which action, the compare-and-set save, and the history.

Decisions are appended, never updated in place. An item's `version` makes a stale save fail
loudly instead of silently overwriting a colleague's decision.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from ...labels import validate_labels
from ..db import Decision, Item, User, pack_labels, utcnow
from ..states import ACTIONS, Action, Role, Status
from . import Forbidden, NotFound, Refused, audit

MAX_NOTE = 5000
MAX_SECONDS = 86400  # a timer longer than a day is a tab left open, not time spent deciding


@dataclass
class Stale:
    """A save refused because someone else decided the item since the reviewer opened it."""

    other: Decision | None  # the latest decision, the one that won


def get_item(db: Session, item_id: int) -> Item:
    item = db.get(Item, item_id)
    if item is None:
        raise NotFound("No such item.")
    return item


def check(item: Item, user: User, action: str, labels: list[str]) -> tuple[Action, list[str]]:
    """The action this user's request really takes, and the labels in taxonomy order; or Refused."""
    if action not in ACTIONS:
        raise Refused(f"Unknown action {action!r}.")
    try:
        chosen = validate_labels(labels)
    except ValueError as e:
        raise Refused(str(e)) from e
    act = Action(action)
    supervisor = user.can(Role.SUPERVISOR)
    escalated = item.status == Status.ESCALATED
    if escalated and act is Action.CONFIRM and supervisor:
        act = Action.RESOLVE  # a supervisor's confirmation of an escalated item resolves it
    if act is Action.RESOLVE and not supervisor:
        raise Forbidden("Only a supervisor can resolve an escalation.")
    if escalated and not supervisor:
        raise Forbidden("This item is escalated: a supervisor decides it now.")
    return act, chosen


def save(
    db: Session,
    item: Item,
    user: User,
    action: Action,
    labels: list[str],
    *,
    seen_version: int,
    actor_not_asn: bool = False,
    note: str = "",
    opened_at: float | None = None,
    ip: str = "",
) -> Decision | Stale:
    """Record a checked decision if the item is still at `seen_version`; else audit the refusal."""
    now = utcnow()
    values = {"version": Item.version + 1, "status": action.status.value, "updated_at": now}
    if action.decides:
        values.update(final_labels=pack_labels(labels), actor_not_asn=actor_not_asn)
    # Compare-and-set on the version the reviewer saw: of two concurrent saves exactly one wins.
    stmt = update(Item).where(Item.id == item.id, Item.version == seen_version).values(**values)
    if db.execute(stmt.execution_options(synchronize_session=False)).rowcount != 1:
        return _refuse_stale(db, item, user, seen_version, ip)
    decision = Decision(
        item_id=item.id,
        user_id=user.id,
        action=action.value,
        labels=pack_labels(labels),
        actor_not_asn=actor_not_asn,
        note=note[:MAX_NOTE],
        base_version=seen_version,
        seconds=seconds_since(opened_at),
        created_at=now,
    )
    db.add(decision)
    detail = {"labels": labels, "actor_not_asn": actor_not_asn, "version": seen_version + 1}
    audit.record(db, user, action.value, item.source_id, ip=ip, **detail)
    db.commit()
    return decision


def _refuse_stale(db: Session, item: Item, user: User, seen_version: int, ip: str) -> Stale:
    db.rollback()
    db.refresh(item)
    audit.record(db, user, "stale_save_refused", item.source_id, ip=ip, seen_version=seen_version, current_version=item.version)
    db.commit()
    return Stale(other=latest(db, item.id))


def seconds_since(opened_at: float | None) -> float | None:
    """Time spent on the item, from the form's timestamp; None when absent or implausible."""
    if not opened_at:
        return None
    elapsed = time.time() - opened_at
    return round(elapsed, 1) if 0 < elapsed < MAX_SECONDS else None


def history(db: Session, item_id: int) -> list[Decision]:
    stmt = select(Decision).where(Decision.item_id == item_id).options(selectinload(Decision.user)).order_by(Decision.id)
    return list(db.scalars(stmt))


def latest(db: Session, item_id: int) -> Decision | None:
    stmt = select(Decision).where(Decision.item_id == item_id).options(selectinload(Decision.user)).order_by(Decision.id.desc())
    return db.scalar(stmt)


def escalated(db: Session) -> list[Item]:
    """Items waiting for a supervisor, most urgent first."""
    stmt = select(Item).where(Item.status == Status.ESCALATED.value).order_by(Item.priority.desc().nulls_last(), Item.id)
    return list(db.scalars(stmt))


def disagreements(db: Session) -> list[dict]:
    """Items where different people's latest final decisions differ (labels or the not-ASN mark)."""
    rows = db.scalars(select(Decision).where(Decision.action.in_(ACTIONS)).options(selectinload(Decision.user)).order_by(Decision.id))
    latest_by: dict[int, dict[str, Decision]] = {}
    for d in rows:
        latest_by.setdefault(d.item_id, {})[d.user.username] = d  # later rows replace earlier ones per person
    out = []
    for item_id, by_user in latest_by.items():
        views = {(d.labels, d.actor_not_asn) for d in by_user.values()}
        if len(by_user) > 1 and len(views) > 1:
            out.append({"item": db.get(Item, item_id), "decisions": list(by_user.values())})
    return out
