"""Item statuses, decision actions and user roles: the one place their values are spelt.

The enums subclass `str` so that a member compares equal to, is stored as, and renders like the
plain value the database has always held ("new", "confirm", "admin", ...).
"""

from __future__ import annotations

from enum import Enum


class _Choice(str, Enum):
    def __str__(self) -> str:  # templates and messages show the stored value, not "Status.NEW"
        return self.value


class Status(_Choice):
    NEW = "new"
    REVIEWED = "reviewed"
    ESCALATED = "escalated"


class Action(_Choice):
    """What a reviewer's decision does to an item."""

    CONFIRM = "confirm"
    RESOLVE = "resolve"  # a supervisor's decision on an escalated item
    ESCALATE = "escalate"

    @property
    def status(self) -> Status:
        """The item's status after a decision with this action."""
        return Status.ESCALATED if self is Action.ESCALATE else Status.REVIEWED

    @property
    def decides(self) -> bool:
        # An escalation proposes labels (kept in the decision row) but leaves the item undecided.
        return self is not Action.ESCALATE


class Role(_Choice):
    """Ranked: each role may do everything the ones before it may."""

    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
ACTIONS: tuple[str, ...] = tuple(a.value for a in Action)
FINAL_ACTIONS: tuple[str, ...] = (Action.CONFIRM.value, Action.RESOLVE.value)  # those that decide an item's labels
ROLES: tuple[str, ...] = tuple(r.value for r in Role)
