"""Passwords (argon2id), session tokens, CSRF tokens, login rate limiting and security headers."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import LoginAttempt, utcnow

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this when the user does not exist costs the same time as a real check, so
# response time does not reveal which user names exist.
_DUMMY_HASH = _hasher.hash("not a password")

SESSION_COOKIE = "triage_session"
LOGIN_CSRF_COOKIE = "triage_login_csrf"
SESSION_HOURS = 12  # a working day; a new login after that
MIN_PASSWORD = 10
# Login rate limit: failures within the window, per user name and per client address.
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_IP = 20

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # pages hold complaint text: keep them out of shared caches
}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with older (weaker) parameters than the current ones."""
    return _hasher.check_needs_rehash(stored)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must have at least {MIN_PASSWORD} characters")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_id(token: str) -> str:
    """What the sessions table stores for a cookie token."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def login_blocked(db: Session, username: str, ip: str) -> bool:
    since = utcnow() - RATE_WINDOW
    failures = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.ok.is_(False), LoginAttempt.at >= since)
    by_user = db.scalar(failures.where(LoginAttempt.username == username)) or 0
    by_ip = db.scalar(failures.where(LoginAttempt.ip == ip)) or 0
    return by_user >= MAX_FAILURES_PER_USER or by_ip >= MAX_FAILURES_PER_IP


def record_login(db: Session, username: str, ip: str, ok: bool) -> None:
    db.add(LoginAttempt(username=username[:64], ip=ip[:64], ok=ok))
