"""Alembic environment: runs on the connection the app hands over (see db.upgrade)."""

from alembic import context

from netralitas_nlp.triage.db import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through netralitas_nlp.triage.db.upgrade(engine)")
# render_as_batch: SQLite cannot ALTER most things; batch mode rebuilds the table instead.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
