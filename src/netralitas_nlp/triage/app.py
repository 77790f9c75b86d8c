"""The triage web app (FastAPI, server-rendered Jinja2 pages, one static JS file).

Every route except /login and /static needs a session; every POST checks the session's CSRF token;
roles are ranked reviewer < supervisor < admin. Decisions are appended, never updated in place,
and an item's `version` makes a stale save fail loudly instead of overwriting a colleague.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..labels import BY_ID, HUMAN_DECISION_NOTE, LABELS, TAXONOMY, validate_labels
from . import dashboard, export, security
from .db import ROLES, AuditEvent, Decision, ImportBatch, Item, SessionRow, User, open_db, pack_labels, unpack_labels, utcnow
from .evidence import parse_evidence, segments
from .filters import PAGE_SIZE, Filters, choices, neighbours, page
from .importer import ImportFailed, import_file

HERE = Path(__file__).parent
UPLOAD_TYPES = {".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json", ".xlsx"}
ACTIONS = {"confirm": "reviewed", "resolve": "reviewed", "escalate": "escalated"}


@dataclass
class Settings:
    database_url: str = "sqlite:///triage.db"
    models_dir: Path = Path("models")
    max_upload_mb: float = 50.0
    secure_cookies: bool = False  # set behind HTTPS: the cookie is then never sent in clear


class LoginRequired(Exception):
    pass


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: refuse request bodies over the upload limit, even without Content-Length."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await _too_large(send)
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large(send)


async def _too_large(send) -> None:
    body = b"Request body too large for this server's upload limit."
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in security.HEADERS.items()]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# -------------------------------------------------------------------- dependencies


def db_session(request: Request):
    with request.app.state.sessions() as db:
        yield db


DB = Annotated[Session, Depends(db_session)]


def current(request: Request, db: DB) -> SessionRow:
    token = request.cookies.get(security.SESSION_COOKIE)
    row = db.get(SessionRow, security.token_id(token)) if token else None
    now = utcnow()
    if row is None or row.expires_at < now or not row.user.active:
        raise LoginRequired
    if now - row.last_seen > timedelta(minutes=5):  # touch rarely: a write per request would serialise SQLite
        row.last_seen = now
        db.commit()
    request.state.session = row
    return row


Current = Annotated[SessionRow, Depends(current)]


def need(role: str):
    def dep(sess: Current) -> User:
        if not sess.user.can(role):
            raise HTTPException(403, f"This page needs the {role} role; you are a {sess.user.role}.")
        return sess.user

    return dep


def posting(role: str):
    """A state-changing request: a session, a matching CSRF token, then the role."""

    def dep(sess: Current, csrf_token: Annotated[str, Form()] = "") -> User:
        if not security.same_token(sess.csrf, csrf_token):
            raise HTTPException(403, "Missing or wrong CSRF token: reload the page and try again.")
        if not sess.user.can(role):
            raise HTTPException(403, f"This action needs the {role} role; you are a {sess.user.role}.")
        return sess.user

    return dep


Reviewer = Annotated[User, Depends(need("reviewer"))]
Supervisor = Annotated[User, Depends(need("supervisor"))]
Admin = Annotated[User, Depends(need("admin"))]
PostReviewer = Annotated[User, Depends(posting("reviewer"))]
PostAdmin = Annotated[User, Depends(posting("admin"))]


def templates() -> Jinja2Templates:
    # autoescape=True for every template: posts contain <script> and worse; nothing is marked safe.
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    env.globals.update(LABELS=LABELS, BY_ID=BY_ID, TAXONOMY=TAXONOMY, ROLES=ROLES, HUMAN_DECISION_NOTE=HUMAN_DECISION_NOTE)
    env.filters["labels"] = unpack_labels
    return Jinja2Templates(env=env)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    engine, factory = open_db(settings.database_url)
    app = FastAPI(title="netralitas triage", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings, app.state.engine, app.state.sessions = settings, engine, factory
    tpl = templates()

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for k, v in security.HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    app.add_middleware(BodyLimit, limit=int(settings.max_upload_mb * 1024 * 1024) + 64 * 1024)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{_next_param(target)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def _bad_form(request: Request, exc: RequestValidationError):
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        message = f"The form was incomplete or malformed ({fields}): reload the page and try again."
        return tpl.TemplateResponse(request, "error.html", {"status": 400, "message": message, "user": None}, 400)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        return tpl.TemplateResponse(
            request, "error.html", {"status": exc.status_code, "message": exc.detail, "user": None}, exc.status_code
        )

    def render(request: Request, name: str, ctx: dict, status: int = 200) -> HTMLResponse:
        sess = getattr(request.state, "session", None)
        ctx = {"user": sess.user if sess else None, "csrf": sess.csrf if sess else "", **ctx}
        return tpl.TemplateResponse(request, name, ctx, status)

    def audit(db: Session, request: Request, user: User | None, action: str, target: str = "", **detail) -> None:
        ip = request.client.host if request.client else ""
        db.add(
            AuditEvent(
                user_id=user.id if user else None,
                username=user.username if user else "",
                action=action,
                target=target,
                detail=detail,
                ip=ip,
            )
        )

    # ---------------------------------------------------------------- login

    @app.get("/login")
    def login_form(request: Request, next: str = "/queue"):
        token = security.new_token()
        resp = render(request, "login.html", {"login_csrf": token, "next": _safe_next(next), "error": ""})
        _set_login_csrf(resp, token, settings)
        return resp

    @app.post("/login")
    def login(
        request: Request,
        *,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        csrf_token: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "/queue",
        db: DB,
    ):
        # Login CSRF: the form's token must match the cookie set with the form (double submit).
        if not security.same_token(request.cookies.get(security.LOGIN_CSRF_COOKIE), csrf_token):
            raise HTTPException(403, "Missing or wrong CSRF token: reload the login page and try again.")
        ip = request.client.host if request.client else ""
        username = username.strip()[:64]
        if security.login_blocked(db, username, ip):
            audit(db, request, None, "login_blocked", username)
            db.commit()
            return _login_again(request, render, settings, next, "Too many failed logins: wait 15 minutes and try again.", 429)
        user = db.scalar(select(User).where(User.username == username))
        ok = security.verify_password(user.password_hash if user else None, password) and user is not None and user.active
        security.record_login(db, username, ip, ok)
        if not ok:
            audit(db, request, None, "login_failed", username)
            db.commit()
            return _login_again(request, render, settings, next, "Wrong user name or password.", 401)
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
        audit(db, request, user, "login", username)
        db.commit()
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

    @app.post("/logout")
    def logout(request: Request, user: PostReviewer, db: DB):
        db.execute(delete(SessionRow).where(SessionRow.id == request.state.session.id))
        audit(db, request, user, "logout", user.username)
        db.commit()
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(security.SESSION_COOKIE, path="/")
        return resp

    # ---------------------------------------------------------------- queue and items

    @app.get("/")
    def home(_: Current):
        return RedirectResponse("/queue", status_code=303)

    @app.get("/queue")
    def queue(request: Request, user: Reviewer, db: DB, page_no: int = 1):
        f = Filters.from_params(request.query_params)
        page_no = max(1, page_no)
        items, total = page(db, f, page_no)
        pages = max(1, -(-total // PAGE_SIZE))
        return render(
            request,
            "queue.html",
            {"items": items, "total": total, "f": f, "qs": f.querystring(), "page_no": page_no, "pages": pages, "choices": choices(db)},
        )

    def item_context(db: Session, item: Item, f: Filters, **extra) -> dict:
        prev_id, next_id = neighbours(db, f, item.id)
        decisions = list(
            db.scalars(select(Decision).where(Decision.item_id == item.id).options(selectinload(Decision.user)).order_by(Decision.id))
        )
        ev = parse_evidence(item.evidence)
        chosen = extra.pop("chosen", None)
        return {
            "item": item,
            "segments": segments(item.text, ev),
            "evidence": ev,
            "decisions": decisions,
            "prev_id": prev_id,
            "next_id": next_id,
            "qs": f.querystring(),
            "chosen": chosen if chosen is not None else item.current_labels,
            "opened_at": f"{time.time():.3f}",
            "stale": None,
            **extra,
        }

    @app.get("/items/{item_id}")
    def item_view(request: Request, item_id: int, user: Reviewer, db: DB):
        item = db.get(Item, item_id)
        if item is None:
            raise HTTPException(404, "No such item.")
        return render(request, "item.html", item_context(db, item, Filters.from_params(request.query_params)))

    @app.post("/items/{item_id}/decide")
    def decide(
        request: Request,
        item_id: int,
        *,
        version: Annotated[int, Form()],
        action: Annotated[str, Form()] = "confirm",
        labels: Annotated[list[str] | None, Form()] = None,
        actor_not_asn: Annotated[bool, Form()] = False,
        note: Annotated[str, Form()] = "",
        opened_at: Annotated[float | None, Form()] = None,
        back: Annotated[str, Form()] = "",
        user: PostReviewer,
        db: DB,
    ):
        item = db.get(Item, item_id)
        if item is None:
            raise HTTPException(404, "No such item.")
        if action not in ACTIONS:
            raise HTTPException(400, f"Unknown action {action!r}.")
        try:
            chosen = validate_labels(labels or [])
        except ValueError as e:
            raise HTTPException(400, str(e)) from e
        if item.status == "escalated" and action == "confirm" and user.can("supervisor"):
            action = "resolve"  # a supervisor's confirmation of an escalated item resolves it
        if action == "resolve" and not user.can("supervisor"):
            raise HTTPException(403, "Only a supervisor can resolve an escalation.")
        if item.status == "escalated" and not user.can("supervisor"):
            raise HTTPException(403, "This item is escalated: a supervisor decides it now.")
        f = Filters.from_params(_parse_qs(back))
        _, next_id = neighbours(db, f, item.id)  # before the save: the item may leave the filtered queue
        now = utcnow()
        values = {"version": Item.version + 1, "status": ACTIONS[action], "updated_at": now}
        if action != "escalate":  # an escalation proposes labels (in the decision row) but decides nothing
            values.update(final_labels=pack_labels(chosen), actor_not_asn=actor_not_asn)
        # Compare-and-set on the version the reviewer saw: of two concurrent saves exactly one wins.
        res = db.execute(
            update(Item).where(Item.id == item.id, Item.version == version).values(**values).execution_options(synchronize_session=False)
        )
        if res.rowcount != 1:
            db.rollback()
            db.refresh(item)
            audit(db, request, user, "stale_save_refused", item.source_id, seen_version=version, current_version=item.version)
            db.commit()
            other = db.scalar(
                select(Decision).where(Decision.item_id == item.id).options(selectinload(Decision.user)).order_by(Decision.id.desc())
            )
            ctx = item_context(db, item, f, chosen=chosen, stale={"other": other, "mine": chosen, "action": action, "note": note})
            return render(request, "item.html", ctx, 409)
        seconds = round(time.time() - opened_at, 1) if opened_at and 0 < time.time() - opened_at < 86400 else None
        db.add(
            Decision(
                item_id=item.id,
                user_id=user.id,
                action=action,
                labels=pack_labels(chosen),
                actor_not_asn=actor_not_asn,
                note=note[:5000],
                base_version=version,
                seconds=seconds,
                created_at=now,
            )
        )
        audit(db, request, user, action, item.source_id, labels=chosen, actor_not_asn=actor_not_asn, version=version + 1)
        db.commit()
        qs = f.querystring()
        target = f"/items/{next_id}" if next_id else "/queue"
        return RedirectResponse(target + (f"?{qs}" if qs else ""), status_code=303)

    # ---------------------------------------------------------------- supervisors

    @app.get("/supervise")
    def supervise(request: Request, user: Supervisor, db: DB):
        escalated = list(db.scalars(select(Item).where(Item.status == "escalated").order_by(Item.priority.desc().nulls_last(), Item.id)))
        return render(request, "supervise.html", {"escalated": escalated, "disagreements": disagreements(db)})

    @app.get("/audit")
    def audit_log(request: Request, user: Supervisor, db: DB, page_no: int = 1):
        page_no = max(1, page_no)
        events = list(db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).offset((page_no - 1) * 100).limit(100)))
        return render(request, "audit.html", {"events": events, "page_no": page_no})

    @app.get("/export/reviews.jsonl")
    def export_jsonl(request: Request, user: Supervisor, db: DB):
        items = export.reviewed_items(db)
        audit(db, request, user, "export_jsonl", "", items=len(items))
        db.commit()
        headers = {"Content-Disposition": 'attachment; filename="reviews.jsonl"'}
        return StreamingResponse(export.jsonl_lines(items), media_type="application/x-ndjson; charset=utf-8", headers=headers)

    @app.get("/export/summary.csv")
    def export_csv(request: Request, user: Supervisor, db: DB):
        body = export.summary_csv(db)
        audit(db, request, user, "export_csv", "")
        db.commit()
        headers = {"Content-Disposition": 'attachment; filename="triage-summary.csv"'}
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)

    @app.get("/dashboard")
    def dash(request: Request, user: Reviewer, db: DB):
        return render(request, "dashboard.html", {"fig": dashboard.figures(db)})

    # ---------------------------------------------------------------- admins: imports and users

    @app.get("/import")
    def import_form(request: Request, user: Admin, db: DB):
        batches = list(db.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(20)))
        return render(
            request,
            "import.html",
            {"models": available_models(settings.models_dir), "batches": batches, "error": "", "max_mb": settings.max_upload_mb},
        )

    @app.post("/import")
    def import_upload(
        request: Request,
        *,
        file: UploadFile,
        model: Annotated[str, Form()] = "",
        source: Annotated[str, Form()] = "",
        text_column: Annotated[str, Form()] = "",
        id_column: Annotated[str, Form()] = "",
        mask_pii: Annotated[bool, Form()] = False,
        user: PostAdmin,
        db: DB,
    ):
        name = Path(file.filename or "upload").name
        models = available_models(settings.models_dir)

        def fail(message: str, status: int = 400):
            batches = list(db.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(20)))
            return render(
                request, "import.html", {"models": models, "batches": batches, "error": message, "max_mb": settings.max_upload_mb}, status
            )

        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_TYPES:
            return fail(f"Unsupported file type {suffix or '(none)'}: upload .csv, .tsv, .jsonl or .xlsx.", 415)
        if model and model not in models:
            return fail("Unknown model.")
        with tempfile.TemporaryDirectory(prefix="triage-import-") as tmp:
            path = Path(tmp) / f"upload{suffix}"  # never the client's file name on disk
            size = _save_upload(file, path, int(settings.max_upload_mb * 1024 * 1024))
            if size is None:
                return fail(f"File larger than {settings.max_upload_mb:g} MB.", 413)
            if problem := _content_problem(path, suffix):
                return fail(problem, 415)
            try:
                result = import_file(
                    db,
                    path,
                    filename=name,
                    source=source.strip() or Path(name).stem,
                    user_id=user.id,
                    workdir=Path(tmp),
                    model_dir=str(models[model]) if model else None,
                    text_column=text_column.strip() or None,
                    id_column=id_column.strip() or None,
                    mask=mask_pii,
                )
            except ImportFailed as e:
                db.rollback()
                return fail(f"Import failed: {e}")
            audit(db, request, user, "import", name, **{k: v for k, v in result.counts().items() if k != "rejected"})
            try:
                db.commit()
            except IntegrityError:  # another import added some of the same source ids meanwhile
                db.rollback()
                return fail("Another import added some of these items at the same time: import the file again to skip them.", 409)
        return render(request, "import_result.html", {"result": result, "filename": name, "model": model})

    @app.get("/users")
    def users(request: Request, user: Admin, db: DB):
        return render(request, "users.html", {"users": list(db.scalars(select(User).order_by(User.username))), "error": ""})

    @app.post("/users")
    def user_create(
        request: Request,
        *,
        username: Annotated[str, Form()],
        role: Annotated[str, Form()],
        password: Annotated[str, Form()],
        user: PostAdmin,
        db: DB,
    ):
        try:
            create_user(db, username, role, password)
        except ValueError as e:
            db.rollback()
            all_users = list(db.scalars(select(User).order_by(User.username)))
            return render(request, "users.html", {"users": all_users, "error": str(e)}, 400)
        audit(db, request, user, "user_created", username.strip(), role=role)
        db.commit()
        return RedirectResponse("/users", status_code=303)

    @app.post("/users/{user_id}")
    def user_update(
        request: Request,
        user_id: int,
        *,
        role: Annotated[str, Form()] = "",
        active: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        user: PostAdmin,
        db: DB,
    ):
        target = db.get(User, user_id)
        if target is None:
            raise HTTPException(404, "No such user.")
        changes = {}
        if role and role != target.role:
            if role not in ROLES:
                raise HTTPException(400, "Unknown role.")
            target.role = changes["role"] = role
        if active in ("yes", "no") and (active == "yes") != target.active:
            if target.id == user.id:
                raise HTTPException(400, "You cannot deactivate yourself.")
            target.active = changes["active"] = active == "yes"
        if password:
            try:
                security.check_password_strength(password)
            except ValueError as e:
                raise HTTPException(400, str(e)) from e
            target.password_hash = security.hash_password(password)
            changes["password"] = "reset"
        if changes:
            db.execute(delete(SessionRow).where(SessionRow.user_id == target.id))  # revoke their sessions
        audit(db, request, user, "user_changed", target.username, **changes)
        db.commit()
        return RedirectResponse("/users", status_code=303)

    return app


# -------------------------------------------------------------------- helpers


def create_user(db: Session, username: str, role: str, password: str) -> User:
    username = username.strip()
    if not username or len(username) > 64 or not all(c.isalnum() or c in "._-" for c in username):
        raise ValueError("user name: 1-64 letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    security.check_password_strength(password)
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValueError(f"user {username!r} already exists")
    user = User(username=username, role=role, password_hash=security.hash_password(password), active=True)
    db.add(user)
    db.flush()
    return user


def disagreements(db: Session) -> list[dict]:
    """Items where different people's latest final decisions differ (labels or the not-ASN mark)."""
    rows = db.scalars(
        select(Decision)
        .where(Decision.action.in_(("confirm", "resolve", "escalate")))
        .options(selectinload(Decision.user))
        .order_by(Decision.id)
    )
    latest: dict[int, dict[str, Decision]] = {}
    for d in rows:
        latest.setdefault(d.item_id, {})[d.user.username] = d  # later rows replace earlier ones per person
    out = []
    for item_id, by_user in latest.items():
        views = {(d.labels, d.actor_not_asn) for d in by_user.values()}
        if len(by_user) > 1 and len(views) > 1:
            out.append({"item": db.get(Item, item_id), "decisions": list(by_user.values())})
    return out


def available_models(models_dir: Path) -> dict[str, Path]:
    """Model directories (those with netralitas.json) under models_dir, by folder name."""
    if not models_dir.is_dir():
        return {}
    return {p.name: p for p in sorted(models_dir.iterdir()) if (p / "netralitas.json").is_file()}


def _save_upload(file: UploadFile, path: Path, limit: int) -> int | None:
    size = 0
    with open(path, "wb") as out:
        while block := file.file.read(1 << 20):
            size += len(block)
            if size > limit:
                return None
            out.write(block)
    return size


def _content_problem(path: Path, suffix: str) -> str | None:
    """The content must match the extension: a zip for .xlsx, text (no NUL bytes) otherwise."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if not head:
        return "The file is empty."
    if suffix == ".xlsx":
        return None if head.startswith(b"PK\x03\x04") else "Not an Excel workbook (.xlsx is a zip file)."
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text as Excel writes it
    if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF", b"\x7fELF", b"MZ")):
        return "Not a text file."
    return None


def _parse_qs(qs: str) -> dict:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(qs.lstrip("?")))


def _safe_next(target: str) -> str:
    # Only paths on this site: "//evil.example" or "https://..." would be an open redirect.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


def _next_param(target: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": target})


def _set_login_csrf(resp: Response, token: str, settings: Settings) -> None:
    resp.set_cookie(
        security.LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict", secure=settings.secure_cookies, path="/login"
    )


def _login_again(request: Request, render, settings: Settings, next: str, error: str, status: int) -> HTMLResponse:
    token = security.new_token()
    resp = render(request, "login.html", {"login_csrf": token, "next": _safe_next(next), "error": error}, status)
    _set_login_csrf(resp, token, settings)
    return resp


def app_from_env() -> FastAPI:
    """For `uvicorn --factory netralitas_nlp.triage.app:app_from_env` (settings from environment)."""
    import os

    return create_app(
        Settings(
            database_url=os.environ.get("TRIAGE_DATABASE_URL", "sqlite:///triage.db"),
            models_dir=Path(os.environ.get("TRIAGE_MODELS_DIR", "models")),
            max_upload_mb=float(os.environ.get("TRIAGE_MAX_UPLOAD_MB", "50")),
            secure_cookies=os.environ.get("TRIAGE_SECURE_COOKIES", "") == "1",
        )
    )
