"""The triage app's routes, one APIRouter per area; each route parses, calls a service, renders."""

from __future__ import annotations

from . import auth, data, oversight, review

ROUTERS = (auth.router, review.router, oversight.router, data.router)
