"""Pages for looking over the work: the dashboard (everyone) and the audit log (supervisors)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .. import dashboard
from ..deps import DB, Reviewer, Supervisor
from ..services import audit
from ..web import render

router = APIRouter()


@router.get("/dashboard")
def dash(request: Request, user: Reviewer, db: DB) -> HTMLResponse:
    return render(request, "dashboard.html", {"fig": dashboard.figures(db)})


@router.get("/audit")
def audit_log(request: Request, user: Supervisor, db: DB, page_no: int = 1) -> HTMLResponse:
    page_no = max(1, page_no)
    return render(request, "audit.html", {"events": audit.page(db, page_no), "page_no": page_no})
