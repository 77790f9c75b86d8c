"""The queue, the item view and the decision form, and the supervisors' escalations page."""

from __future__ import annotations

import time
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ..db import Item
from ..deps import DB, ClientIP, Current, PostReviewer, Reviewer, Supervisor
from ..evidence import parse_evidence, segments
from ..filters import PAGE_SIZE, Filters, choices, neighbours, page
from ..services import decisions
from ..web import render

router = APIRouter()


@router.get("/")
def home(_: Current) -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
def queue(request: Request, user: Reviewer, db: DB, page_no: int = 1) -> HTMLResponse:
    f = Filters.from_params(request.query_params)
    page_no = max(1, page_no)
    items, total = page(db, f, page_no)
    pages = max(1, -(-total // PAGE_SIZE))
    ctx = {"items": items, "total": total, "f": f, "qs": f.querystring(), "page_no": page_no, "pages": pages, "choices": choices(db)}
    return render(request, "queue.html", ctx)


@router.get("/items/{item_id}")
def item_view(request: Request, item_id: int, user: Reviewer, db: DB) -> HTMLResponse:
    item = decisions.get_item(db, item_id)
    return render(request, "item.html", item_context(db, item, Filters.from_params(request.query_params)))


@router.post("/items/{item_id}/decide")
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
    ip: ClientIP,
) -> Response:
    item = decisions.get_item(db, item_id)
    act, chosen = decisions.check(item, user, action, labels or [])
    f = Filters.from_params(dict(parse_qsl(back.lstrip("?"))))
    _, next_id = neighbours(db, f, item.id)  # before the save: the item may leave the filtered queue
    saved = decisions.save(
        db, item, user, act, chosen, seen_version=version, actor_not_asn=actor_not_asn, note=note, opened_at=opened_at, ip=ip
    )
    if isinstance(saved, decisions.Stale):
        stale = {"other": saved.other, "mine": chosen, "action": act, "note": note}
        return render(request, "item.html", item_context(db, item, f, chosen=chosen, stale=stale), 409)
    qs = f.querystring()
    target = f"/items/{next_id}" if next_id else "/queue"
    return RedirectResponse(target + (f"?{qs}" if qs else ""), status_code=303)


@router.get("/supervise")
def supervise(request: Request, user: Supervisor, db: DB) -> HTMLResponse:
    ctx = {"escalated": decisions.escalated(db), "disagreements": decisions.disagreements(db)}
    return render(request, "supervise.html", ctx)


def item_context(db: Session, item: Item, f: Filters, *, chosen: list[str] | None = None, stale: dict | None = None) -> dict:
    """What item.html shows: the text with its evidence marked, the history, the queue neighbours."""
    prev_id, next_id = neighbours(db, f, item.id)
    ev = parse_evidence(item.evidence)
    return {
        "item": item,
        "segments": segments(item.text, ev),
        "evidence": ev,
        "decisions": decisions.history(db, item.id),
        "prev_id": prev_id,
        "next_id": next_id,
        "qs": f.querystring(),
        "chosen": chosen if chosen is not None else item.current_labels,
        "opened_at": f"{time.time():.3f}",  # the decision form sends it back: time spent on the item
        "stale": stale,
    }
