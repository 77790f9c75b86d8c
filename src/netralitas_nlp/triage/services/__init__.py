"""Business rules of the triage app, callable without HTTP (the routers only translate).

Each service function is one unit of work: it validates, writes the audit record and commits, so
a rule and its audit trail cannot be separated by a caller that forgets one of them. A rule that is
broken raises `Refused` (a ValueError) with the message shown to the user and a suggested status.
"""

from __future__ import annotations


class Refused(ValueError):
    """A request the rules do not allow; `status` is the HTTP status the web app answers with."""

    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class Forbidden(Refused):
    status = 403


class NotFound(Refused):
    status = 404
