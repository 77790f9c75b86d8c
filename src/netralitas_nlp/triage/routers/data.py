"""Data in and out: imports (admins) and the exports of reviewed items (supervisors)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from .. import export
from ..deps import DB, Admin, AppSettings, ClientIP, PostAdmin, Supervisor
from ..services import Refused, audit, imports
from ..settings import Settings
from ..web import render

router = APIRouter()


@router.get("/import")
def import_form(request: Request, user: Admin, db: DB, settings: AppSettings) -> HTMLResponse:
    return _import_page(request, db, settings, "", 200)


@router.post("/import")
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
    settings: AppSettings,
    ip: ClientIP,
) -> HTMLResponse:
    upload = imports.Upload(file.filename, file.file, model, source, text_column, id_column, mask_pii)
    models = imports.available_models(settings.models_dir)
    try:
        result = imports.import_upload(db, upload, user, models=models, max_mb=settings.max_upload_mb, ip=ip)
    except Refused as e:
        return _import_page(request, db, settings, e.message, e.status)
    return render(request, "import_result.html", {"result": result, "filename": upload.name, "model": model})


@router.get("/export/reviews.jsonl")
def export_jsonl(user: Supervisor, db: DB, ip: ClientIP) -> Response:
    items = export.reviewed_items(db)
    audit.record(db, user, "export_jsonl", "", ip=ip, items=len(items))
    db.commit()
    headers = {"Content-Disposition": 'attachment; filename="reviews.jsonl"'}
    return StreamingResponse(export.jsonl_lines(items), media_type="application/x-ndjson; charset=utf-8", headers=headers)


@router.get("/export/summary.csv")
def export_csv(user: Supervisor, db: DB, ip: ClientIP) -> Response:
    body = export.summary_csv(db)
    audit.record(db, user, "export_csv", "", ip=ip)
    db.commit()
    headers = {"Content-Disposition": 'attachment; filename="triage-summary.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


def _import_page(request: Request, db: Session, settings: Settings, error: str, status: int) -> HTMLResponse:
    ctx = {
        "models": imports.available_models(settings.models_dir),
        "batches": imports.recent_batches(db),
        "error": error,
        "max_mb": settings.max_upload_mb,
    }
    return render(request, "import.html", ctx, status)
