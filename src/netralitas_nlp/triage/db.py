"""Tables, engine and schema migrations of the triage app (SQLAlchemy 2 ORM + Alembic).

SQLite by default (one file, no set-up); PostgreSQL by URL. The schema is created only by the
Alembic migrations in `migrations/`, never by `create_all`, so a PostgreSQL deployment upgrades the
same way a laptop does. Label sets are stored as `;a;b;` strings so that a label filter is a plain,
parameterised LIKE on every backend.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker

from ..labels import LABELS
from .states import ROLES, Status
from .states import STATUSES as STATUSES  # re-exported: callers have imported it from here

MIGRATIONS = Path(__file__).parent / "migrations"


def utcnow() -> datetime:
    # Naive UTC everywhere: SQLite drops time zones, and mixing aware and naive values breaks comparisons.
    return datetime.now(timezone.utc).replace(tzinfo=None)


def pack_labels(labels: list[str] | tuple[str, ...]) -> str:
    """Labels in taxonomy order as ';a;b;' (';' alone for none), so LIKE '%;a;%' finds label a."""
    wanted = set(labels)
    return ";" + "".join(f"{lab};" for lab in LABELS if lab in wanted)


def unpack_labels(packed: str | None) -> list[str]:
    return [x for x in (packed or "").split(";") if x]


class Base(DeclarativeBase):
    type_annotation_map = {dict: JSON}


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def can(self, role: str) -> bool:
        return self.active and ROLES.index(self.role) >= ROLES.index(role)


class SessionRow(Base):
    """A login session. The cookie holds a random token; only its sha256 is stored, so a copy of
    the database does not let anyone log in, and deleting the row logs the session out."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class ImportBatch(Base):
    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(255), default="")  # empty: the file was already scored
    sha256: Mapped[str] = mapped_column(String(64))
    counts: Mapped[dict] = mapped_column(JSON, default=dict)


def score_column(label: str) -> str:
    """The items column holding the model's probability for `label`."""
    return f"p_{label}"


# One nullable probability column per label of labels.py, in taxonomy order. Built as a mixin
# because declarative mapping reads columns from class attributes; the migrations create the same
# columns, and test_migration_matches_models_and_is_idempotent checks that the two agree.
ScoreColumns = type("ScoreColumns", (), {score_column(lab): mapped_column(Float, nullable=True) for lab in LABELS})


class Item(ScoreColumns, Base):
    __tablename__ = "items"
    # Two complaint systems may both number their reports from 1: an item is (source, source id).
    __table_args__ = (UniqueConstraint("source", "source_id", name="uq_items_source_source_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(200))  # the source system's id; unique within its source
    text: Mapped[str] = mapped_column(Text)
    model_labels: Mapped[str] = mapped_column(String(200), default=";")
    final_labels: Mapped[str | None] = mapped_column(String(200))  # the latest human decision
    actor_not_asn: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[float | None] = mapped_column(Float, index=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    score_status: Mapped[str] = mapped_column(String(200), default="ok")
    status: Mapped[str] = mapped_column(String(20), default=Status.NEW.value, index=True)
    source: Mapped[str] = mapped_column(String(200), default="", index=True)
    unit: Mapped[str | None] = mapped_column(String(200), index=True)
    region: Mapped[str | None] = mapped_column(String(200), index=True)
    date: Mapped[str | None] = mapped_column(String(10), index=True)  # ISO YYYY-MM-DD when the source had a date
    flags: Mapped[dict] = mapped_column(JSON, default=dict)  # source-system flags: anonim, rahasia, ...
    meta: Mapped[dict] = mapped_column(JSON, default=dict)  # every original column, as imported
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic concurrency: bumped by every decision
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decisions: Mapped[list[Decision]] = relationship(back_populates="item", order_by="Decision.id")

    def prob(self, label: str) -> float | None:
        return getattr(self, score_column(label))

    @property
    def current_labels(self) -> list[str]:
        return unpack_labels(self.final_labels if self.final_labels is not None else self.model_labels)


class Decision(Base):
    """One human decision; rows are only ever appended (the history is the audit trail)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # a states.Action value
    labels: Mapped[str] = mapped_column(String(200))
    actor_not_asn: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    base_version: Mapped[int] = mapped_column(Integer)  # the item version the reviewer saw
    seconds: Mapped[float | None] = mapped_column(Float)  # time from opening the item to saving
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    item: Mapped[Item] = relationship(back_populates="decisions")
    user: Mapped[User] = relationship()


class AuditEvent(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")


def default_url() -> str:
    return "sqlite:///triage.db"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Request handlers run in a thread pool; SQLite serialises writers itself (busy timeout).
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # WAL: readers do not block the writer
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (`alembic upgrade head`, run in-process)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_db(url: str) -> tuple[Engine, sessionmaker]:
    engine = make_engine(url)
    upgrade(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)
