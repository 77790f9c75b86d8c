"""Login, logout, and the admins' user management."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .. import security
from ..deps import DB, Admin, AppSettings, ClientIP, PostAdmin, PostReviewer
from ..services import Refused, auth, users
from ..settings import Settings
from ..web import render

router = APIRouter()


@router.get("/login")
def login_form(request: Request, settings: AppSettings, next: str = "/queue") -> HTMLResponse:
    return _login_page(request, settings, next, "", 200)


@router.post("/login")
def login(
    request: Request,
    *,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/queue",
    db: DB,
    settings: AppSettings,
    ip: ClientIP,
) -> Response:
    # Login CSRF: the form's token must match the cookie set with the form (double submit).
    if not security.same_token(request.cookies.get(security.LOGIN_CSRF_COOKIE), csrf_token):
        raise HTTPException(403, "Missing or wrong CSRF token: reload the login page and try again.")
    try:
        user = auth.authenticate(db, username, password, ip)
    except Refused as e:
        return _login_page(request, settings, next, e.message, e.status)
    token = auth.open_session(db, user, password, ip)
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(
        security.SESSION_COOKIE,
        token,
        max_age=security.SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    resp.delete_cookie(security.LOGIN_CSRF_COOKIE, path="/login")
    return resp


@router.post("/logout")
def logout(request: Request, user: PostReviewer, db: DB, ip: ClientIP) -> Response:
    auth.close_session(db, request.state.session, ip)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(security.SESSION_COOKIE, path="/")
    return resp


@router.get("/users")
def users_page(request: Request, user: Admin, db: DB) -> HTMLResponse:
    return render(request, "users.html", {"users": users.all_users(db), "error": ""})


@router.post("/users")
def user_create(
    request: Request,
    *,
    username: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
    user: PostAdmin,
    db: DB,
    ip: ClientIP,
) -> Response:
    try:
        users.add_user(db, user, username, role, password, ip)
    except Refused as e:
        return render(request, "users.html", {"users": users.all_users(db), "error": e.message}, 400)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}")
def user_update(
    user_id: int,
    *,
    role: Annotated[str, Form()] = "",
    active: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    user: PostAdmin,
    db: DB,
    ip: ClientIP,
) -> Response:
    users.change_user(db, user, user_id, role=role, active=active, password=password, ip=ip)  # Refused: an error page
    return RedirectResponse("/users", status_code=303)


def _safe_next(target: str) -> str:
    # Only paths on this site: "//evil.example" or "https://..." would be an open redirect.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


def _login_page(request: Request, settings: Settings, next: str, error: str, status: int) -> HTMLResponse:
    """The login form with a fresh login-CSRF token, set both in the form and in a cookie."""
    token = security.new_token()
    resp = render(request, "login.html", {"login_csrf": token, "next": _safe_next(next), "error": error}, status)
    resp.set_cookie(
        security.LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict", secure=settings.secure_cookies, path="/login"
    )
    return resp
