"""FastAPI dependencies: the database session, the settings, the logged-in user, roles and CSRF.

Every route except /login and /static takes a session dependency; every POST takes `posting`, which
checks the session's CSRF token before the role. All of them share one database session per
request (FastAPI caches `db_session`), so objects they return belong to the route's session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request
from sqlalchemy.orm import Session

from . import security
from .db import SessionRow, User
from .services import auth
from .settings import Settings
from .states import Role


class LoginRequired(Exception):
    """No live session: answered with a redirect to the login page (see web.install_error_pages)."""


def db_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as db:
        yield db


def app_settings(request: Request) -> Settings:
    return request.app.state.settings


DB = Annotated[Session, Depends(db_session)]
AppSettings = Annotated[Settings, Depends(app_settings)]


def current(request: Request, db: DB) -> SessionRow:
    row = auth.active_session(db, request.cookies.get(security.SESSION_COOKIE))
    if row is None:
        raise LoginRequired
    request.state.session = row  # web.render reads the user and CSRF token from here
    return row


Current = Annotated[SessionRow, Depends(current)]


def need(role: str) -> Callable[[SessionRow], User]:
    def dep(sess: Current) -> User:
        if not sess.user.can(role):
            raise HTTPException(403, f"This page needs the {role} role; you are a {sess.user.role}.")
        return sess.user

    return dep


def posting(role: str) -> Callable[..., User]:
    """A state-changing request: a session, a matching CSRF token, then the role."""

    def dep(sess: Current, csrf_token: Annotated[str, Form()] = "") -> User:
        if not security.same_token(sess.csrf, csrf_token):
            raise HTTPException(403, "Missing or wrong CSRF token: reload the page and try again.")
        if not sess.user.can(role):
            raise HTTPException(403, f"This action needs the {role} role; you are a {sess.user.role}.")
        return sess.user

    return dep


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


ClientIP = Annotated[str, Depends(client_ip)]
Reviewer = Annotated[User, Depends(need(Role.REVIEWER.value))]
Supervisor = Annotated[User, Depends(need(Role.SUPERVISOR.value))]
Admin = Annotated[User, Depends(need(Role.ADMIN.value))]
PostReviewer = Annotated[User, Depends(posting(Role.REVIEWER.value))]
PostAdmin = Annotated[User, Depends(posting(Role.ADMIN.value))]
