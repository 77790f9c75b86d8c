"""Rendering: the Jinja2 environment, pages with the session's user and CSRF token, error pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ..labels import BY_ID, HUMAN_DECISION_NOTE, LABELS, TAXONOMY
from .db import unpack_labels
from .deps import LoginRequired
from .services import Refused
from .states import ROLES, STATUSES, Action, Status

HERE = Path(__file__).parent


def templates() -> Jinja2Templates:
    # autoescape=True for every template: posts contain <script> and worse; nothing is marked safe.
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    env.globals.update(
        LABELS=LABELS,
        BY_ID=BY_ID,
        TAXONOMY=TAXONOMY,
        ROLES=ROLES,
        STATUSES=STATUSES,
        Status=Status,
        Action=Action,
        HUMAN_DECISION_NOTE=HUMAN_DECISION_NOTE,
    )
    env.filters["labels"] = unpack_labels
    return Jinja2Templates(env=env)


def render(request: Request, name: str, ctx: dict, status: int = 200) -> HTMLResponse:
    """A page; the base template shows the session's user and puts its CSRF token in forms."""
    sess = getattr(request.state, "session", None)
    ctx = {"user": sess.user if sess else None, "csrf": sess.csrf if sess else "", **ctx}
    return request.app.state.templates.TemplateResponse(request, name, ctx, status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    # user None: an error page offers no navigation that could act on the session
    ctx = {"status": status, "message": message, "user": None}
    return request.app.state.templates.TemplateResponse(request, "error.html", ctx, status)


def next_param(target: str) -> str:
    return urlencode({"next": target})


def install_error_pages(app: FastAPI) -> None:
    """Errors as pages (never a traceback); a missing session as a redirect to the login page."""

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{next_param(target)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def _bad_form(request: Request, exc: RequestValidationError):
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return error_page(request, 400, f"The form was incomplete or malformed ({fields}): reload the page and try again.")

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        return error_page(request, exc.status_code, exc.detail)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused):  # a service's rule, not handled by its route
        return error_page(request, exc.status, exc.message)
