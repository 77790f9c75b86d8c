"""Logging in and out, and the login sessions behind the session cookie."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import security
from ..db import SessionRow, User, utcnow
from . import Refused, audit

TOUCH_EVERY = timedelta(minutes=5)  # a write per request would serialise SQLite


def active_session(db: Session, token: str | None) -> SessionRow | None:
    """The live session behind a cookie token, or None (no token, unknown, expired, user deactivated)."""
    row = db.get(SessionRow, security.token_id(token)) if token else None
    now = utcnow()
    if row is None or row.expires_at < now or not row.user.active:
        return None
    if now - row.last_seen > TOUCH_EVERY:
        row.last_seen = now
        db.commit()
    return row


def authenticate(db: Session, username: str, password: str, ip: str) -> User:
    """The user these credentials belong to; refuses (429 blocked, 401 wrong) after auditing the attempt."""
    username = username.strip()[:64]
    if security.login_blocked(db, username, ip):
        audit.record(db, None, "login_blocked", username, ip=ip)
        db.commit()
        raise Refused("Too many failed logins: wait 15 minutes and try again.", 429)
    user = db.scalar(select(User).where(User.username == username))
    # verify_password runs even for an unknown user, so timing does not reveal which names exist
    ok = security.verify_password(user.password_hash if user else None, password) and user is not None and user.active
    security.record_login(db, username, ip, ok)
    if not ok:
        audit.record(db, None, "login_failed", username, ip=ip)
        db.commit()
        raise Refused("Wrong user name or password.", 401)
    return user


def open_session(db: Session, user: User, password: str, ip: str) -> str:
    """Start a session for an authenticated user; returns the cookie token (only its hash is stored)."""
    if security.needs_rehash(user.password_hash):  # parameters were raised since: upgrade on the next login
        user.password_hash = security.hash_password(password)
    token = security.new_token()  # a fresh session id at every login (no session fixation)
    db.add(
        SessionRow(
            id=security.token_id(token),
            user_id=user.id,
            csrf=security.new_token(),
            expires_at=utcnow() + timedelta(hours=security.SESSION_HOURS),
        )
    )
    audit.record(db, user, "login", user.username, ip=ip)
    db.commit()
    return token


def close_session(db: Session, session: SessionRow, ip: str) -> None:
    """Log out: deleting the row kills the cookie server-side, wherever a copy of it lives."""
    user = session.user
    db.execute(delete(SessionRow).where(SessionRow.id == session.id))
    audit.record(db, user, "logout", user.username, ip=ip)
    db.commit()


def revoke_sessions(db: Session, user_id: int) -> None:
    db.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
