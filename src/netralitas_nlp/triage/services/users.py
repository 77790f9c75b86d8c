"""User management: who may exist, with which role, and what a change revokes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import security
from ..db import User
from ..states import ROLES
from . import NotFound, Refused, audit
from .auth import revoke_sessions


def all_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.username)))


def create_user(db: Session, username: str, role: str, password: str) -> User:
    """Add a user (flushed, not committed); ValueError says what is wrong with the request."""
    username = username.strip()
    if not username or len(username) > 64 or not all(c.isalnum() or c in "._-" for c in username):
        raise Refused("user name: 1-64 letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise Refused(f"role must be one of {', '.join(ROLES)}")
    try:
        security.check_password_strength(password)
    except ValueError as e:
        raise Refused(str(e)) from e
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise Refused(f"user {username!r} already exists")
    user = User(username=username, role=role, password_hash=security.hash_password(password), active=True)
    db.add(user)
    db.flush()
    return user


def add_user(db: Session, admin: User, username: str, role: str, password: str, ip: str) -> User:
    """An admin creates a user: the rules of create_user, then the audit record and the commit."""
    try:
        user = create_user(db, username, role, password)
    except Refused:
        db.rollback()
        raise
    audit.record(db, admin, "user_created", username.strip(), ip=ip, role=role)
    db.commit()
    return user


def change_user(db: Session, admin: User, user_id: int, *, role: str = "", active: str = "", password: str = "", ip: str = "") -> dict:
    """Apply an admin's changes (empty values change nothing); returns what changed, as audited."""
    target = db.get(User, user_id)
    if target is None:
        raise NotFound("No such user.")
    try:
        changes = _apply_changes(target, admin, role, active, password)
    except Refused:
        db.rollback()  # nothing of a refused request is kept, even a change checked before the refusal
        raise
    if changes:
        revoke_sessions(db, target.id)  # a new role, a deactivation or a reset takes effect at once
    audit.record(db, admin, "user_changed", target.username, ip=ip, **changes)
    db.commit()
    return changes


def _apply_changes(target: User, admin: User, role: str, active: str, password: str) -> dict:
    changes: dict = {}
    if role and role != target.role:
        if role not in ROLES:
            raise Refused("Unknown role.")
        target.role = changes["role"] = role
    if active in ("yes", "no") and (active == "yes") != target.active:
        if target.id == admin.id:
            raise Refused("You cannot deactivate yourself.")  # an admin could lock themselves out
        target.active = changes["active"] = active == "yes"
    if password:
        try:
            security.check_password_strength(password)
        except ValueError as e:
            raise Refused(str(e)) from e
        target.password_hash = security.hash_password(password)
        changes["password"] = "reset"
    return changes
