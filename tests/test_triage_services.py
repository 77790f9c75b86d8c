"""Triage business rules, called directly (no HTTP): decisions, users, logins, imports, states."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from netralitas_nlp.labels import LABELS
from netralitas_nlp.triage import security
from netralitas_nlp.triage.db import AuditEvent, Decision, Item, SessionRow, open_db, score_column
from netralitas_nlp.triage.services import Forbidden, NotFound, Refused, auth, decisions, imports, users
from netralitas_nlp.triage.states import ACTIONS, STATUSES, Action, Status

PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path):
    engine, factory = open_db(f"sqlite:///{tmp_path / 'services.db'}")
    with factory() as session:
        yield session
    engine.dispose()


@pytest.fixture
def people(db):
    out = {
        name: users.create_user(db, name, role, PASSWORD) for name, role in [("rev", "reviewer"), ("sup", "supervisor"), ("adm", "admin")]
    }
    db.commit()
    return out


def new_item(db, source_id: str = "A-1", status: str = Status.NEW) -> Item:
    item = Item(source_id=source_id, text="teks", source="t", model_labels=";partisanship;", status=status, flags={}, meta={})
    db.add(item)
    db.commit()
    return item


def audit_actions(db) -> list[str]:
    return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# ---------------------------------------------------------------- states and schema


def test_states_are_the_stored_strings():
    assert STATUSES == ("new", "reviewed", "escalated") and ACTIONS == ("confirm", "resolve", "escalate")
    assert Action("escalate").status == "escalated" and Action.RESOLVE.status == Status.REVIEWED
    assert str(Action.CONFIRM) == "confirm" and f"{Status.NEW}" == "new"


def test_score_columns_follow_the_labels():
    cols = [c.name for c in Item.__table__.columns if c.name.startswith("p_")]
    assert cols == [score_column(lab) for lab in LABELS] == [f"p_{lab}" for lab in LABELS]


# ---------------------------------------------------------------- decisions


def test_check_refuses_unknown_actions_and_labels(db, people):
    item = new_item(db)
    with pytest.raises(Refused, match="Unknown action") as e:
        decisions.check(item, people["rev"], "delete", [])
    assert e.value.status == 400
    with pytest.raises(Refused, match="unknown label"):
        decisions.check(item, people["rev"], "confirm", ["bogus"])
    assert decisions.check(item, people["rev"], "confirm", ["money_politics", "partisanship"]) == (
        Action.CONFIRM,
        ["partisanship", "money_politics"],
    )


def test_escalation_rules(db, people):
    item = new_item(db, status=Status.ESCALATED)
    with pytest.raises(Forbidden, match="supervisor decides"):
        decisions.check(item, people["rev"], "confirm", [])
    with pytest.raises(Forbidden, match="Only a supervisor") as e:
        decisions.check(new_item(db, "A-2"), people["rev"], "resolve", [])
    assert e.value.status == 403
    assert decisions.check(item, people["sup"], "confirm", [])[0] is Action.RESOLVE  # confirming an escalation resolves it
    assert decisions.check(item, people["adm"], "escalate", [])[0] is Action.ESCALATE


def test_save_appends_a_decision_and_bumps_the_version(db, people):
    item = new_item(db)
    saved = decisions.save(db, item, people["rev"], Action.CONFIRM, ["intimidation"], seen_version=1, note="x" * 6000, ip="1.2.3.4")
    assert isinstance(saved, Decision) and saved.base_version == 1 and len(saved.note) == decisions.MAX_NOTE
    db.refresh(item)
    assert (item.version, item.status, item.final_labels) == (2, "reviewed", ";intimidation;")
    event = db.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert (event.action, event.target, event.ip, event.detail["version"]) == ("confirm", "A-1", "1.2.3.4", 2)


def test_escalation_proposes_labels_but_decides_nothing(db, people):
    item = new_item(db)
    decisions.save(db, item, people["rev"], Action.ESCALATE, ["hoax_hate"], seen_version=1)
    db.refresh(item)
    assert (item.status, item.final_labels, item.version) == ("escalated", None, 2)
    assert decisions.history(db, item.id)[0].labels == ";hoax_hate;"
    assert [i.id for i in decisions.escalated(db)] == [item.id]


def test_stale_save_is_refused_and_audited(db, people):
    item = new_item(db)
    first = decisions.save(db, item, people["sup"], Action.CONFIRM, ["partisanship"], seen_version=1)
    stale = decisions.save(db, item, people["rev"], Action.CONFIRM, [], seen_version=1)
    assert isinstance(stale, decisions.Stale) and stale.other.id == first.id and stale.other.user.username == "sup"
    db.refresh(item)
    assert (item.version, item.final_labels) == (2, ";partisanship;")
    assert db.scalar(select(func.count()).select_from(Decision)) == 1
    assert audit_actions(db)[-1] == "stale_save_refused"


def test_disagreements_compare_each_persons_latest_view(db, people):
    item = new_item(db)
    decisions.save(db, item, people["rev"], Action.CONFIRM, ["partisanship"], seen_version=1)
    assert decisions.disagreements(db) == []
    decisions.save(db, item, people["sup"], Action.CONFIRM, ["intimidation"], seen_version=2)
    (found,) = decisions.disagreements(db)
    assert found["item"].id == item.id and {d.user.username for d in found["decisions"]} == {"rev", "sup"}


def test_seconds_since_ignores_missing_and_implausible_timers():
    import time

    assert decisions.seconds_since(None) is None
    assert decisions.seconds_since(time.time() + 60) is None  # a clock ahead of ours
    assert decisions.seconds_since(time.time() - 2 * 86400) is None  # a tab left open
    assert 9 <= decisions.seconds_since(time.time() - 10) <= 11


def test_get_item_not_found(db):
    with pytest.raises(NotFound):
        decisions.get_item(db, 999)


# ---------------------------------------------------------------- users and logins


def test_create_user_rules(db, people):
    for name, role, password, message in [
        ("a b", "reviewer", PASSWORD, "user name"),
        ("ok", "boss", PASSWORD, "role must be one of reviewer, supervisor, admin"),
        ("ok", "reviewer", "short", "at least"),
        ("rev", "reviewer", PASSWORD, "already exists"),
    ]:
        with pytest.raises(ValueError, match=message):
            users.create_user(db, name, role, password)


def test_change_user_revokes_sessions_and_refuses_self_deactivation(db, people):
    adm, rev = people["adm"], people["rev"]
    token = auth.open_session(db, rev, PASSWORD, "")
    assert users.change_user(db, adm, rev.id, role="supervisor") == {"role": "supervisor"}
    assert auth.active_session(db, token) is None  # a new role takes effect at once
    with pytest.raises(Refused, match="deactivate yourself"):
        users.change_user(db, adm, adm.id, role="reviewer", active="no")
    db.refresh(adm)
    assert adm.role == "admin" and adm.active  # the role change checked before the refusal is not kept
    with pytest.raises(Refused, match="Unknown role"):
        users.change_user(db, adm, rev.id, role="boss")
    with pytest.raises(NotFound):
        users.change_user(db, adm, 999)
    assert audit_actions(db)[-1] == "user_changed"


def test_login_sessions_and_rate_limit(db, people):
    with pytest.raises(Refused) as e:
        auth.authenticate(db, "nobody", PASSWORD, "9.9.9.9")
    assert e.value.status == 401
    user = auth.authenticate(db, " rev ", PASSWORD, "9.9.9.9")
    token = auth.open_session(db, user, PASSWORD, "9.9.9.9")
    row = auth.active_session(db, token)
    assert row.user.username == "rev" and db.get(SessionRow, token) is None  # only the token's hash is stored
    auth.close_session(db, row, "9.9.9.9")
    assert auth.active_session(db, token) is None
    for _ in range(security.MAX_FAILURES_PER_USER):
        with pytest.raises(Refused):
            auth.authenticate(db, "sup", "wrong password!", "8.8.8.8")
    with pytest.raises(Refused, match="Too many") as e:
        auth.authenticate(db, "sup", PASSWORD, "8.8.8.8")
    assert e.value.status == 429 and audit_actions(db)[-1] == "login_blocked"


def test_deactivated_user_has_no_session(db, people):
    token = auth.open_session(db, people["rev"], PASSWORD, "")
    people["rev"].active = False
    db.commit()
    assert auth.active_session(db, token) is None


# ---------------------------------------------------------------- imports


def test_upload_checks(db, people, tmp_path):
    def refused(name: str, body: bytes, **kw) -> Refused:
        with pytest.raises(Refused) as e:
            imports.import_upload(db, imports.Upload(name, io.BytesIO(body), **kw), people["adm"], models={}, max_mb=0.001)
        return e.value

    assert refused("x.exe", b"MZ").status == 415
    assert refused("x.csv", b"a" * 2000).status == 413
    assert refused("x.csv", b"").message == "The file is empty."
    assert refused("x.xlsx", b"text").message.startswith("Not an Excel workbook")
    assert refused("x.csv", b"id,text\n1,a\n", model="nope").message == "Unknown model."
    assert refused("x.csv", b"id,text\n1,a\n").message.startswith("Import failed: this is a raw export")
    assert imports.Upload("../../etc/x.csv", io.BytesIO()).name == "x.csv"
    assert imports.Upload(None, io.BytesIO()).name == "upload"
    assert imports.available_models(tmp_path / "missing") == {}
    assert db.scalar(select(func.count()).select_from(Item)) == 0
