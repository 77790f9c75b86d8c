"""The triage web app (FastAPI, server-rendered Jinja2 pages, one static JS file): assembly only.

Where things live: `routers/` (one APIRouter per area: auth and users, review, oversight, data),
`deps` (session, current user, roles, CSRF), `services/` (the business rules, usable without
HTTP), `web` (templates and error pages), `middleware` (upload limit, security headers).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .db import open_db
from .middleware import BodyLimit, security_headers
from .routers import ROUTERS
from .services.imports import available_models
from .services.users import create_user
from .settings import Settings
from .web import HERE, install_error_pages, templates

# Re-exported: the CLI, the tests and deployments import these names from this module.
__all__ = ["Settings", "app_from_env", "available_models", "create_app", "create_user"]

BODY_SLACK = 64 * 1024  # room for the multipart envelope and form fields around an upload


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app on `settings.database_url`, migrated to the newest schema before the first request."""
    settings = settings or Settings()
    engine, factory = open_db(settings.database_url)
    app = FastAPI(title="netralitas triage", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings, app.state.engine, app.state.sessions = settings, engine, factory
    app.state.templates = templates()
    app.middleware("http")(security_headers)
    # Added last, so outermost: an oversized body is refused before any route or form parsing runs.
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes + BODY_SLACK)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_error_pages(app)
    for router in ROUTERS:
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory netralitas_nlp.triage.app:app_from_env` (settings from environment)."""
    return create_app(Settings.from_env())
