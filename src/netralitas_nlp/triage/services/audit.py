"""The audit trail: who did what to which target, from where."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import AuditEvent, User

PAGE_SIZE = 100


def record(db: Session, user: User | None, action: str, target: str = "", *, ip: str = "", **detail) -> None:
    """Add an audit event to the session (the caller's commit stores it with the change it records)."""
    db.add(
        AuditEvent(
            user_id=user.id if user else None,
            username=user.username if user else "",
            action=str(action),
            target=target,
            detail=detail,
            ip=ip,
        )
    )


def page(db: Session, number: int) -> list[AuditEvent]:
    """Newest first, PAGE_SIZE a page; `number` counts from 1."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    return list(db.scalars(stmt))
