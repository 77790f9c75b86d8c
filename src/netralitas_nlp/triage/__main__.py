"""CLI: `python -m netralitas_nlp.triage serve|create-user|migrate`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from .db import ROLES, default_url, open_db


def cmd_serve(a: argparse.Namespace) -> int:
    import uvicorn

    from .app import Settings, create_app

    settings = Settings(
        database_url=a.database_url, models_dir=Path(a.models_dir), max_upload_mb=a.max_upload_mb, secure_cookies=a.secure_cookies
    )
    app = create_app(settings)  # runs the migrations before the first request
    print(f"triage: http://{a.host}:{a.port}/  (database {_display(a.database_url)}, models from {a.models_dir}/)", file=sys.stderr)
    uvicorn.run(app, host=a.host, port=a.port, log_level="info", server_header=False)
    return 0


def read_password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_create_user(a: argparse.Namespace) -> int:
    from .services.users import create_user

    _, factory = open_db(a.database_url)
    try:
        password = read_password(a.password_stdin)
        with factory() as db:
            user = create_user(db, a.name, a.role, password)
            db.commit()
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"created {a.role} {user.username!r} in {_display(a.database_url)}", file=sys.stderr)
    return 0


def cmd_migrate(a: argparse.Namespace) -> int:
    open_db(a.database_url)
    print(f"schema up to date in {_display(a.database_url)}", file=sys.stderr)
    return 0


def _display(url: str) -> str:
    # never print a PostgreSQL password
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas_nlp.triage", description="Triage web app for inspectorate staff.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    db_help = "SQLAlchemy URL (default sqlite:///triage.db; PostgreSQL: postgresql+psycopg://user@host/db)"

    s = sub.add_parser("serve", help="run the web app")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--database-url", default=default_url(), help=db_help)
    s.add_argument("--models-dir", default="models", help="folder of model directories offered for scoring raw exports")
    s.add_argument("--max-upload-mb", type=float, default=50.0)
    s.add_argument("--secure-cookies", action="store_true", help="mark the session cookie Secure (serve behind HTTPS)")
    s.set_defaults(func=cmd_serve)

    u = sub.add_parser("create-user", help="create a user (password prompted, or read from stdin)")
    u.add_argument("name")
    u.add_argument("--role", choices=ROLES, required=True)
    u.add_argument("--password-stdin", action="store_true", help="read the password from the first line of standard input")
    u.add_argument("--database-url", default=default_url(), help=db_help)
    u.set_defaults(func=cmd_create_user)

    m = sub.add_parser("migrate", help="create or upgrade the database schema (serve and create-user do this too)")
    m.add_argument("--database-url", default=default_url(), help=db_help)
    m.set_defaults(func=cmd_migrate)

    a = ap.parse_args(argv)
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
