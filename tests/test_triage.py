"""Triage web app: permissions per role, CSRF, XSS, sessions, rate limiting, import, queue,
concurrent edits, history, escalations, exports and the round trip into `train`."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from netralitas_nlp import score, train
from netralitas_nlp.config import load_config
from netralitas_nlp.data import read_examples
from netralitas_nlp.labels import LABELS
from netralitas_nlp.triage import __main__ as cli
from netralitas_nlp.triage.app import Settings, create_app
from netralitas_nlp.triage.db import AuditEvent, Base, Decision, Item, pack_labels, unpack_labels
from netralitas_nlp.triage.evidence import parse_evidence, segments
from netralitas_nlp.triage.services.users import create_user

PASSWORD = "correct horse battery"
XSS = [
    "<script>window.__xss=1</script> Kades bagi amplop buat coblos caleg",
    '<img src=x onerror="window.__xss=1"> PNS sebar hoaks surat suara sudah dicoblos',
    '"><svg onload=window.__xss=1> Camat ancam mutasi staf kalau tidak pilih no 3',
]
ROLE_USERS = {"rev": "reviewer", "rev2": "reviewer", "sup": "supervisor", "adm": "admin"}


# ---------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch):
    """Argon2id with small parameters: the real cost (64 MiB, 3 passes) per user makes the suite slow.
    Verification reads the parameters from the hash, so the code path is the production one."""
    from argon2 import PasswordHasher

    from netralitas_nlp.triage import security

    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    from conftest import TINY, write_jsonl

    d = tmp_path_factory.mktemp("triage-model")
    p = write_jsonl(d / "all.jsonl", [{"text": t, "labels": labs} for t, labs in TINY])
    out = d / "models" / "tiny"
    train.train(
        load_config(None, ["model=tfidf", "swap_augment=false", f"train=[{p}]", f"dev={p}", f"test={p}", f"output={out}", "tfidf_min_df=1"])
    )
    return d / "models"


def raw_rows() -> list[dict]:
    from conftest import TINY

    rows = []
    for i, (text, _) in enumerate(TINY):
        rows.append(
            {
                "no_tracking": f"LAP-{i:03d}",
                "isi_laporan": text,
                "satker": "Dinas Pendidikan" if i % 2 else "Kecamatan Barat",
                "wilayah": "Kab. Contoh",
                "tanggal": f"{1 + i % 9:02d}/02/2024",
                "anonim": "ya" if i % 3 == 0 else "tidak",
                "rahasia": "tidak",
            }
        )
    for k, text in enumerate(XSS):
        rows.append({"no_tracking": f"XSS-{k}", "isi_laporan": text, "satker": '<b onmouseover="window.__xss=1">Unit</b>'} | _blank_meta())
    rows.append({"no_tracking": "EMPTY-1", "isi_laporan": "", "satker": "Dinas Pendidikan"} | _blank_meta())
    rows.append({"no_tracking": "FORMULA-1", "isi_laporan": '=HYPERLINK("http://x") Lurah bagi sembako', "satker": "=1+1"} | _blank_meta())
    return rows


def _blank_meta() -> dict:
    return {"wilayah": "Kab. Contoh", "tanggal": "2024-02-10", "anonim": "tidak", "rahasia": "ya"}


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def files(models_dir, tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("triage-files")
    raw = write_csv(d / "lapor.csv", raw_rows())
    scored = d / "lapor-scored.csv"
    assert score.main(["--model", str(models_dir / "tiny"), str(raw), "-o", str(scored)]) == 0
    return {"raw": raw, "scored": scored}


def database_url(tmp_path: Path) -> str:
    """A temporary SQLite file; or, with NETRALITAS_TEST_DATABASE_URL set (e.g.
    postgresql+psycopg://user:pw@localhost/triage_test), that database, emptied first."""
    url = os.environ.get("NETRALITAS_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'triage.db'}"
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def app(tmp_path, models_dir):
    app = create_app(Settings(database_url=database_url(tmp_path), models_dir=models_dir, max_upload_mb=1))
    with app.state.sessions() as db:
        for name, role in ROLE_USERS.items():
            create_user(db, name, role, PASSWORD)
        db.commit()
    return app


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(app, username: str) -> TestClient:
    c = TestClient(app)
    page = c.get("/login")
    r = c.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text), "next": "/queue"})
    assert r.status_code == 200 and r.url.path == "/queue", r.text
    c.csrf = csrf_of(r.text)
    return c


def upload(c: TestClient, path: Path, **form) -> object:
    with open(path, "rb") as f:
        return c.post("/import", data={"csrf_token": c.csrf, **form}, files={"file": (path.name, f, "text/csv")})


def counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'id="n-(\w+)">(\d+)<', html)}


@pytest.fixture
def loaded(app, files):
    """The app with the scored file imported by the admin."""
    r = upload(login(app, "adm"), files["scored"], source="LAPOR")
    assert r.status_code == 200, r.text
    return app


def item_id(app, source_id: str) -> int:
    with app.state.sessions() as db:
        return db.scalar(select(Item.id).where(Item.source_id == source_id))


def form_of(c: TestClient, iid: int) -> dict:
    html = c.get(f"/items/{iid}").text
    return {"csrf_token": csrf_of(html), "version": re.search(r'name="version" value="(\d+)"', html).group(1)}


# ---------------------------------------------------------------- schema and CLI


def test_migration_matches_models_and_is_idempotent(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from netralitas_nlp.triage.db import upgrade

    upgrade(app.state.engine)  # a second upgrade is a no-op
    with app.state.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_cli_create_user(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["create-user", "ana", "--role", "admin", "--password-stdin", "--database-url", url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["create-user", "ana", "--role", "admin", "--password-stdin", "--database-url", url]) == 2
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["create-user", "bob", "--role", "reviewer", "--password-stdin", "--database-url", url]) == 2
    app = create_app(Settings(database_url=url))
    with app.state.sessions() as db:
        from netralitas_nlp.triage.db import User

        stored = db.scalar(select(User.password_hash).where(User.username == "ana"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    from netralitas_nlp.triage import security

    assert "$m=65536,t=3" in security._DUMMY_HASH  # the production hasher: argon2id, 64 MiB, 3 passes
    login(app, "ana")


# ---------------------------------------------------------------- sessions, CSRF, roles


def routes(app, method: str) -> set[str]:
    # Through the OpenAPI schema: newer FastAPI keeps included routers nested in app.routes.
    return {path for path, ops in app.openapi()["paths"].items() if method.lower() in ops}


def page_routes(app) -> list[str]:
    return sorted({p.replace("{item_id}", "1") for p in routes(app, "GET") if p != "/login"})


def post_routes(app) -> list[str]:
    return sorted({p.replace("{item_id}", "1").replace("{user_id}", "1") for p in routes(app, "POST")})


def test_the_routes_are_all_there(app):
    gets = {"/", "/login", "/queue", "/items/{item_id}", "/supervise", "/dashboard", "/audit", "/import", "/users"}
    assert routes(app, "GET") == gets | {"/export/reviews.jsonl", "/export/summary.csv"}
    assert routes(app, "POST") == {"/login", "/logout", "/items/{item_id}/decide", "/import", "/users", "/users/{user_id}"}


def test_every_route_but_login_needs_a_session(loaded):
    c = TestClient(loaded)
    routes = page_routes(loaded)
    assert {"/queue", "/items/1", "/import", "/users", "/export/reviews.jsonl", "/dashboard", "/audit"} <= set(routes)
    for path in routes:
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    for path in post_routes(loaded):
        if path != "/login":
            r = c.post(path, data={"csrf_token": "x"}, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    assert c.get("/static/app.js").status_code == 200  # assets hold no data


def test_every_post_rejects_missing_or_wrong_csrf(loaded):
    c = login(loaded, "adm")
    routes = post_routes(loaded)
    assert {"/items/1/decide", "/import", "/users", "/users/1", "/logout"} <= set(routes)
    iid = item_id(loaded, "LAP-000")
    with loaded.state.sessions() as db:
        before = db.scalar(select(func.count()).select_from(Decision))
    for path in routes:
        path = path.replace("/items/1/", f"/items/{iid}/")
        for token in ({}, {"csrf_token": "forged"}):
            data = {"version": "1", "labels": "partisanship", "username": "x", "password": PASSWORD, "role": "admin", **token}
            r = TestClient(loaded, cookies=c.cookies).post(path, data=data, follow_redirects=False)
            assert r.status_code == 403, (path, token, r.status_code)
    with loaded.state.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Decision)) == before
    assert c.get("/queue").status_code == 200  # logout without a token did not log out


ROLE_PAGES = {
    "/queue": "reviewer",
    "/dashboard": "reviewer",
    "/supervise": "supervisor",
    "/audit": "supervisor",
    "/export/reviews.jsonl": "supervisor",
    "/export/summary.csv": "supervisor",
    "/import": "admin",
    "/users": "admin",
}


@pytest.mark.parametrize("username", ["rev", "sup", "adm"])
def test_role_permissions_on_pages(loaded, username):
    c = login(loaded, username)
    rank = ["reviewer", "supervisor", "admin"].index(ROLE_USERS[username])
    for path, role in ROLE_PAGES.items():
        allowed = rank >= ["reviewer", "supervisor", "admin"].index(role)
        assert c.get(path).status_code == (200 if allowed else 403), (username, path)
    assert c.get(f"/items/{item_id(loaded, 'LAP-001')}").status_code == 200


def test_role_permissions_on_actions(loaded, files):
    rev, sup = login(loaded, "rev"), login(loaded, "sup")
    r = upload(rev, files["scored"])
    assert r.status_code == 403 and "admin" in r.text
    assert sup.post("/users", data={"csrf_token": sup.csrf, "username": "eve", "role": "admin", "password": PASSWORD}).status_code == 403
    assert rev.post("/users/1", data={"csrf_token": rev.csrf, "role": "admin"}).status_code == 403
    iid = item_id(loaded, "LAP-004")
    form = form_of(rev, iid)
    assert rev.post(f"/items/{iid}/decide", data={**form, "action": "resolve"}).status_code == 403
    adm = login(loaded, "adm")
    r = adm.post("/users", data={"csrf_token": adm.csrf, "username": "eve", "role": "reviewer", "password": PASSWORD})
    assert r.status_code == 200 and "eve" in r.text
    login(loaded, "eve")


def test_login_rate_limit_and_session_cookie(app):
    c = TestClient(app)
    for _ in range(5):
        r = c.post("/login", data={"username": "rev", "password": "wrong password!", "csrf_token": csrf_of(c.get("/login").text)})
        assert r.status_code == 401
    r = c.post("/login", data={"username": "rev", "password": PASSWORD, "csrf_token": csrf_of(c.get("/login").text)})
    assert r.status_code == 429 and "Too many" in r.text
    # another user is not locked out by rev's failures
    page = c.get("/login")
    r = c.post("/login", data={"username": "sup", "password": PASSWORD, "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "triage_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    with app.state.sessions() as db:
        actions = list(db.scalars(select(AuditEvent.action)))
    assert actions.count("login_failed") == 5 and "login_blocked" in actions and "login" in actions


def test_login_needs_its_csrf_token_and_refuses_open_redirects(app):
    c = TestClient(app)
    assert c.post("/login", data={"username": "rev", "password": PASSWORD}).status_code == 403
    page = c.get("/login")
    data = {"username": "rev", "password": PASSWORD, "csrf_token": csrf_of(page.text), "next": "//evil.example/x"}
    r = c.post("/login", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/queue"


def test_logout_revokes_the_session(app):
    c = login(app, "rev")
    stolen = dict(c.cookies)
    assert c.post("/logout", data={"csrf_token": c.csrf}).url.path == "/login"
    r = TestClient(app, cookies=stolen).get("/queue", follow_redirects=False)
    assert r.status_code == 303  # the old cookie is dead server-side, not only deleted in the browser


def test_expired_session_and_secure_cookie_flag(app, tmp_path, models_dir):
    from netralitas_nlp.triage.db import SessionRow, utcnow

    c = login(app, "rev")
    with app.state.sessions() as db:
        for row in db.scalars(select(SessionRow)):
            row.expires_at = utcnow()
        db.commit()
    assert c.get("/queue", follow_redirects=False).status_code == 303
    secure = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'secure.db'}", models_dir=models_dir, secure_cookies=True))
    with secure.state.sessions() as db:
        create_user(db, "rev", "reviewer", PASSWORD)
        db.commit()
    c = TestClient(secure, base_url="https://testserver")
    page = c.get("/login")
    assert "secure" in page.headers["set-cookie"].lower()
    r = c.post("/login", data={"username": "rev", "password": PASSWORD, "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and "; secure" in r.headers["set-cookie"].lower()


def test_malformed_form_gets_an_error_page_not_a_traceback(loaded):
    rev = login(loaded, "rev")
    r = rev.post(f"/items/{item_id(loaded, 'LAP-001')}/decide", data={"csrf_token": rev.csrf, "version": "not-a-number"})
    assert r.status_code == 400 and "version" in r.text and "Traceback" not in r.text


def test_deactivated_user_is_logged_out(app):
    rev, adm = login(app, "rev"), login(app, "adm")
    with app.state.sessions() as db:
        from netralitas_nlp.triage.db import User

        rid = db.scalar(select(User.id).where(User.username == "rev"))
    assert adm.post(f"/users/{rid}", data={"csrf_token": adm.csrf, "active": "no"}).status_code == 200
    assert rev.get("/queue", follow_redirects=False).status_code == 303


def test_security_headers_and_no_inline_script(loaded):
    c = login(loaded, "adm")
    for path in ["/queue", f"/items/{item_id(loaded, 'XSS-0')}", "/dashboard", "/import", "/login"]:
        r = c.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
        tags = re.findall(r"<script\b[^>]*>", r.text)
        assert tags == ['<script src="/static/app.js" defer>'], (path, tags)  # the one static file only
        assert not re.search(r"\son\w+=", r.text.replace("&#34;", '"').split("<main>")[0])  # no inline handlers in our markup


# ---------------------------------------------------------------- XSS


def test_xss_payloads_in_imported_text_are_escaped(loaded):
    c = login(loaded, "adm")
    queue = c.get("/queue?q=window.__xss").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in queue
    for k in range(len(XSS)):
        html = c.get(f"/items/{item_id(loaded, f'XSS-{k}')}").text
        for raw in ("<script>window", "<img src=x", "<svg onload", "<b onmouseover"):
            assert raw not in html and raw not in queue
        assert "&lt;b onmouseover=&#34;window.__xss=1&#34;&gt;Unit&lt;/b&gt;" in html  # metadata cell escaped too
    html = c.get(f"/items/{item_id(loaded, 'XSS-0')}").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html.replace(
        '<mark class="ev ev-money_politics " title="evidence for money_politics">', ""
    )


def test_xss_in_file_name_and_error_messages(app, files, tmp_path):
    c = login(app, "adm")
    evil = tmp_path / "<script>alert(1)<"
    evil.write_bytes(files["scored"].read_bytes())
    with open(files["scored"], "rb") as f:
        r = c.post("/import", data={"csrf_token": c.csrf}, files={"file": ("<img src=x onerror=alert(1)>.csv", f, "text/csv")})
    assert r.status_code == 200 and "<img src=x" not in r.text and "&lt;img src=x onerror=alert(1)&gt;.csv" in r.text
    r = c.get("/queue?q=<script>alert(1)</script>")
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


# ---------------------------------------------------------------- import


def test_import_scored_file_counts_dedup_and_metadata(app, files):
    c = login(app, "adm")
    r = upload(c, files["scored"], source="LAPOR")
    n = len(raw_rows())
    assert counts(r.text) == {"rows": n, "new": n, "duplicates": 0, "unscored": 1, "rejected": 0}
    assert "empty text: 1" in r.text
    again = upload(c, files["scored"], source="LAPOR")
    assert counts(again.text) == {"rows": n, "new": 0, "duplicates": n, "unscored": 0, "rejected": 0}
    # Another complaint system may reuse the same ids: they are other items, not duplicates.
    other = upload(c, files["scored"], source="Bawaslu")
    assert counts(other.text) == {"rows": n, "new": n, "duplicates": 0, "unscored": 1, "rejected": 0}
    with app.state.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Item)) == 2 * n
        it = db.scalar(select(Item).where(Item.source == "LAPOR", Item.source_id == "LAP-006"))
        assert it.unit == "Kecamatan Barat" and it.region == "Kab. Contoh" and it.date == "2024-02-07"
        assert it.flags == {"anonim": True, "rahasia": False} and it.meta["no_tracking"] == "LAP-006"
        assert it.source == "LAPOR" and it.score_status == "ok" and 0 <= it.priority <= 100
        empty = db.scalar(select(Item).where(Item.source == "LAPOR", Item.source_id == "EMPTY-1"))
        assert empty.score_status == "empty text" and empty.priority is None and empty.status == "new"
    assert "not scored: empty text" in c.get("/queue?q=EMPTY-1").text


def test_import_raw_export_scores_with_the_score_code_path(app, files):
    c = login(app, "adm")
    r = upload(c, files["raw"])
    assert r.status_code == 400 and "choose a model" in r.text
    r = upload(c, files["raw"], model="tiny")
    assert counts(r.text)["new"] == len(raw_rows()) and "scored here with model tiny" in r.text
    with open(files["scored"], encoding="utf-8-sig") as f:
        expected = {row["no_tracking"]: row for row in csv.DictReader(f)}
    with app.state.sessions() as db:
        for it in db.scalars(select(Item)):
            row = expected[it.source_id]
            assert unpack_labels(it.model_labels) == [x for x in row["labels"].split(";") if x]
            assert it.evidence == row["evidence"] and it.score_status == row["status"]
            if row["status"] == "ok":
                assert it.p_money_politics == pytest.approx(float(row["p_money_politics"]))


def test_import_rejects_bad_rows_with_reasons(app, files, tmp_path):
    with open(files["scored"], encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    rows[0]["p_hoax_hate"] = "lots"
    rows[1]["labels"] = "partisanship;bribery"
    path = write_csv(tmp_path / "bad.csv", rows)
    r = upload(login(app, "adm"), path)
    got = counts(r.text)
    assert got["rejected"] == 2 and got["new"] == len(rows) - 2
    assert "not a number" in r.text and "unknown label" in r.text


def test_upload_type_size_and_content_limits(app, files, tmp_path):
    c = login(app, "adm")
    exe = tmp_path / "x.exe"
    exe.write_bytes(b"MZ\x90\x00")
    assert upload(c, exe).status_code == 415
    fake = tmp_path / "fake.csv"
    fake.write_bytes(b"PK\x03\x04binary\x00\x00")
    assert upload(c, fake).status_code == 415
    big = tmp_path / "big.csv"
    big.write_bytes(b"id,text\n" + b"1,aaaa\n" * 200_000)  # 1.4 MB > the 1 MB test limit
    assert upload(c, big).status_code == 413
    with app.state.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Item)) == 0


# ---------------------------------------------------------------- queue


def test_queue_sorting_filters_search_and_pagination(loaded):
    c = login(loaded, "rev")

    def ids(qs: str) -> list[str]:
        html = c.get(f"/queue?{qs}").text
        return re.findall(r'<td><a href="/items/\d+[^"]*">([^<]+)</a>', html)

    all_ids = ids("")
    with loaded.state.sessions() as db:
        prios = {it.source_id: it.priority for it in db.scalars(select(Item))}
    ordered = [prios[i] for i in all_ids if prios[i] is not None]
    assert ordered == sorted(ordered, reverse=True) and prios[all_ids[-1]] is None  # unscored last
    mp = ids("label=money_politics")
    assert mp and all("money_politics" in c.get(f"/items/{item_id(loaded, i)}").text for i in mp)
    assert set(ids("label=money_politics&pmin=0.5")) <= set(mp)
    assert set(ids("pmax=0.2")).isdisjoint(ids("pmin=0.9"))
    assert set(ids("unit=Dinas+Pendidikan")) == {f"LAP-{i:03d}" for i in range(1, 28, 2)} | {"EMPTY-1"}
    assert ids("date_from=2024-02-09&date_to=2024-02-09") == ["LAP-008", "LAP-017", "LAP-026"] or sorted(
        ids("date_from=2024-02-09&date_to=2024-02-09")
    ) == ["LAP-008", "LAP-017", "LAP-026"]
    assert ids("q=serangan+fajar") == ["LAP-014"]
    assert ids("q=100%25") == []  # a LIKE wildcard in the search is literal
    assert ids("q=LAP-02") and all(i.startswith("LAP-02") for i in ids("q=LAP-02"))
    assert ids("status=reviewed") == []
    assert ids("region=Kab.+Contoh") and ids("source=LAPOR")
    # pagination: 50 per page
    with loaded.state.sessions() as db:
        for k in range(60):
            db.add(Item(source_id=f"BULK-{k:03d}", text=f"teks {k}", model_labels=";", priority=0.01, meta={}, flags={}))
        db.commit()
    first, second = ids("q=BULK"), ids("q=BULK&page_no=2")
    assert len(first) == 50 and len(second) == 10 and not set(first) & set(second)


# ---------------------------------------------------------------- decisions


def decide(c: TestClient, iid: int, form: dict, **data):
    return c.post(f"/items/{iid}/decide", data={**form, **data}, follow_redirects=False)


def test_decisions_append_history_and_move_to_the_next_item(loaded):
    rev = login(loaded, "rev")
    iid = item_id(loaded, "LAP-016")
    html = rev.get(f"/items/{iid}?status=new").text
    next_href = re.search(r'id="next" rel="next" href="([^"]+)"', html).group(1)
    form = form_of(rev, iid) | {"back": "status=new"}
    r = decide(rev, iid, form, labels=["partisanship", "money_politics"], note="foto + amplop", opened_at="1")
    assert r.status_code == 303 and r.headers["location"] == next_href.replace("&amp;", "&")
    form2 = form_of(rev, iid)
    assert form2["version"] == "2"
    assert decide(rev, iid, form2, labels=["money_politics"], actor_not_asn="true").status_code == 303
    with loaded.state.sessions() as db:
        it = db.get(Item, iid)
        ds = list(db.scalars(select(Decision).where(Decision.item_id == iid).order_by(Decision.id)))
        assert [d.labels for d in ds] == [pack_labels(["partisanship", "money_politics"]), pack_labels(["money_politics"])]
        assert [d.base_version for d in ds] == [1, 2] and it.version == 3 and it.status == "reviewed" and it.actor_not_asn
        events = [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.target == "LAP-016"))]
        assert events == ["confirm", "confirm"]
    page = rev.get(f"/items/{iid}").text
    assert "foto + amplop" in page and page.count("<li>") >= 2


def test_stale_save_is_refused_and_shows_the_other_decision(loaded):
    a, b = login(loaded, "rev"), login(loaded, "rev2")
    iid = item_id(loaded, "LAP-005")
    fa, fb = form_of(a, iid), form_of(b, iid)
    assert decide(a, iid, fa, labels=["intimidation"], note="jelas ancaman mutasi").status_code == 303
    r = decide(b, iid, fb, labels=["hoax_hate"], note="<i>hoaks</i>?")
    assert r.status_code == 409 and ">&lt;i&gt;hoaks&lt;/i&gt;?</textarea>" in r.text  # the unsaved note is kept, escaped
    assert "Not saved" in r.text and "rev saved" in r.text and "intimidation" in r.text and "jelas ancaman mutasi" in r.text
    assert 'name="version" value="2"' in r.text and 'value="hoax_hate" id="label-hoax_hate" data-key="3" checked' in r.text
    with loaded.state.sessions() as db:
        it = db.get(Item, iid)
        assert unpack_labels(it.final_labels) == ["intimidation"] and it.version == 2
        assert db.scalar(select(func.count()).select_from(Decision).where(Decision.item_id == iid)) == 1
        assert db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "stale_save_refused")) == 1
    # after seeing it, b can still record a (different) decision on the new version
    assert decide(b, iid, form_of(b, iid), labels=["hoax_hate"]).status_code == 303


def test_simultaneous_saves_exactly_one_wins(loaded):
    clients = [login(loaded, "rev"), login(loaded, "rev2"), login(loaded, "sup")]
    iid = item_id(loaded, "LAP-010")
    forms = [form_of(c, iid) for c in clients]
    barrier, codes = threading.Barrier(len(clients)), []

    def save(c, form, lab):
        barrier.wait()
        codes.append(decide(c, iid, form, labels=[lab]).status_code)

    threads = [threading.Thread(target=save, args=(c, f, lab)) for c, f, lab in zip(clients, forms, LABELS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [303, 409, 409]
    with loaded.state.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Decision).where(Decision.item_id == iid)) == 1
        assert db.get(Item, iid).version == 2


def test_escalation_resolution_and_disagreements(loaded):
    rev, rev2, sup = login(loaded, "rev"), login(loaded, "rev2"), login(loaded, "sup")
    iid = item_id(loaded, "LAP-017")
    assert decide(rev, iid, form_of(rev, iid), action="escalate", labels=["intimidation"], note="atasan?").status_code == 303
    page = rev2.get(f"/items/{iid}").text
    assert "waiting for a supervisor" in page and "<fieldset disabled>" in page
    assert decide(rev2, iid, form_of(rev2, iid), labels=["hoax_hate"]).status_code == 403
    sup_page = sup.get("/supervise").text
    assert "LAP-017" in sup_page and "atasan?" in sup_page
    assert "Resolve (c)" in sup.get(f"/items/{iid}").text
    assert decide(sup, iid, form_of(sup, iid), labels=["intimidation", "hoax_hate"]).status_code == 303
    with loaded.state.sessions() as db:
        it = db.get(Item, iid)
        assert it.status == "reviewed" and unpack_labels(it.final_labels) == ["intimidation", "hoax_hate"]
        assert [d.action for d in it.decisions] == ["escalate", "resolve"]
    # two reviewers who differ on the same item show up for the supervisor
    other = item_id(loaded, "LAP-002")
    decide(rev, other, form_of(rev, other), labels=["partisanship"])
    decide(rev2, other, form_of(rev2, other), labels=[], actor_not_asn="true")
    html = sup.get("/supervise").text
    section = html.split("Where reviewers disagreed")[1]
    assert "LAP-002" in section and "rev2: confirm · no label · not ASN" in section and "LAP-017" in section


def test_unknown_label_or_action_is_refused(loaded):
    rev = login(loaded, "rev")
    iid = item_id(loaded, "LAP-001")
    assert decide(rev, iid, form_of(rev, iid), labels=["bribery"]).status_code == 400
    assert decide(rev, iid, form_of(rev, iid), action="delete").status_code == 400


# ---------------------------------------------------------------- exports and dashboard


def review_some(app) -> dict[str, list[str]]:
    rev = login(app, "rev")
    chosen = {
        "LAP-000": ["partisanship"],
        "LAP-012": ["money_politics"],
        "LAP-009": ["hoax_hate"],
        "XSS-0": ["money_politics"],
        "LAP-023": [],
    }
    for sid, labels in chosen.items():
        iid = item_id(app, sid)
        assert decide(rev, iid, form_of(rev, iid), labels=labels).status_code == 303
    iid = item_id(app, "LAP-004")
    decide(rev, iid, form_of(rev, iid), action="escalate", labels=["intimidation"])  # not exported: undecided
    iid = item_id(app, "LAP-016")
    decide(rev, iid, form_of(rev, iid), labels=["money_politics"], actor_not_asn="true")
    return chosen | {"LAP-016": []}


def test_export_jsonl_round_trips_into_train(loaded, tmp_path):
    from conftest import TINY, write_jsonl

    expected = review_some(loaded)
    sup = login(loaded, "sup")
    r = sup.get("/export/reviews.jsonl")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = [json.loads(x) for x in r.text.splitlines()]
    assert {row["id"]: row["labels"] for row in rows} == expected
    by_id = {row["id"]: row for row in rows}
    assert by_id["LAP-016"]["actor_not_asn"] is True and by_id["LAP-000"]["reviewed_by"] == "rev"
    assert by_id["LAP-000"]["flags"] == {"anonim": True, "rahasia": False} and by_id["LAP-000"]["unit"] == "Kecamatan Barat"
    exported = tmp_path / "reviews.jsonl"
    exported.write_text(r.text, encoding="utf-8")
    examples = read_examples(exported)  # the training reader accepts it as it is
    assert [ex.labels for ex in examples] == [row["labels"] for row in rows]
    seed = write_jsonl(tmp_path / "seed-train.jsonl", [{"text": t, "labels": labs} for t, labs in TINY])
    cfg = load_config(
        None,
        [
            "model=tfidf",
            "swap_augment=false",
            f"train=[{seed}, {exported}]",
            f"dev={seed}",
            f"test={seed}",
            f"output={tmp_path / 'm'}",
            "tfidf_min_df=1",
        ],
    )
    out = train.train(cfg)
    card = json.loads((out / "data.json").read_text())
    assert card["train"]["n"] == len(TINY) + len(rows)
    assert [f["path"] for f in card["train"]["files"]] == [str(seed), str(exported)]


def test_export_csv_summary_is_formula_safe(loaded):
    review_some(loaded)
    sup = login(loaded, "sup")
    r = sup.get("/export/summary.csv")
    assert r.status_code == 200 and r.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert len(rows) == len(raw_rows())
    by_id = {row["id"]: row for row in rows}
    assert by_id["LAP-000"]["status"] == "reviewed" and by_id["LAP-000"]["decided_by"] == "rev"
    assert by_id["LAP-004"]["status"] == "escalated"
    assert by_id["FORMULA-1"]["unit"] == "'=1+1"  # a spreadsheet would run =1+1
    with loaded.state.sessions() as db:
        actions = set(db.scalars(select(AuditEvent.action)))
    assert {"export_csv", "import", "confirm", "escalate", "login"} <= actions
    audit = sup.get("/audit").text
    assert "export_csv" in audit and "stale" not in audit


def test_dashboard_chart_and_throughput(loaded):
    review_some(loaded)
    html = login(loaded, "rev").get("/dashboard").text
    assert html.count("<rect ") >= 4 and '<svg id="chart"' in html
    throughput = html.split('id="throughput"')[1]
    assert re.search(r'<td>rev</td><td class="num">7</td><td class="num">7</td><td class="num">7.0</td>', throughput)
    assert "Dinas Pendidikan" in html and "2024-02-01" in html


# ---------------------------------------------------------------- evidence


def test_evidence_parsing_and_highlight_segments():
    ev = parse_evidence("money_politics: bagi amplop, 50rb | partisanship: kades | nonsense: x")
    assert ev == {"money_politics": ["bagi amplop", "50rb"], "partisanship": ["kades"]}
    segs = segments("Kades <b>bagi-amplop</b> 50rb; kadesx", ev)
    assert "".join(s.text for s in segs) == "Kades <b>bagi-amplop</b> 50rb; kadesx"
    marked = [(s.text, s.labels) for s in segs if s.labels]
    assert marked == [("Kades", ("partisanship",)), ("bagi-amplop", ("money_politics",)), ("50rb", ("money_politics",))]
    assert segments("", ev) == [] and segments("teks", {}) == [segments("teks", {})[0]]


def test_dashboard_groups_by_month_when_dates_span_more_than_62_days():
    from netralitas_nlp.triage.dashboard import chart, label_counts
    from netralitas_nlp.triage.db import utcnow

    def item(day: str, packed: str, final: str | None = None, not_asn: bool = False) -> Item:
        return Item(date=day, created_at=utcnow(), model_labels=packed, final_labels=final, actor_not_asn=not_asn, unit="Dinas A")

    short = [item("2024-01-01", ";hoax_hate;"), item("2024-01-20", ";hoax_hate;")]
    assert list(label_counts(short)[0]) == ["2024-01-01", "2024-01-20"]
    long = short + [
        item("2024-05-01", ";partisanship;", final=";money_politics;"),
        item("2024-05-02", ";hoax_hate;", final=";", not_asn=True),
    ]
    by_period, by_unit, by_basis = label_counts(long)
    assert by_period == {"2024-01": {"hoax_hate": 2}, "2024-05": {"money_politics": 1}}
    assert by_basis["human"] == {"money_politics": 1} and by_basis["model"] == {"hoax_hate": 2} and by_unit["Dinas A"]["hoax_hate"] == 2
    c = chart(by_period)
    assert len(c.bars) == 2 * len(LABELS) and max(b.h for b in c.bars) > 0 and [t for _, t in c.ticks] == ["2024-01", "2024-05"]
