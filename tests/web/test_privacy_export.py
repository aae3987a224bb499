""""Data saya": the archive holds each of the person's records and nothing of anyone else; it is built in
the request when small and by `flask privacy run` when large; only its owner downloads it, until it expires."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.extensions import db as _db
from elearn.models import DataExport, QuizAttempt
from elearn.models._types import utcnow
from elearn.services.privacy.registry import POLICIES
from privacyworld import build_world


@pytest.fixture
def world(client, db, write_course, sync, make_user, login):
    return build_world(client, db, write_course, sync, make_user, login)


def _request_archive(client, db, user_id: int) -> DataExport:
    assert client.post("/account/data/export").status_code == 302
    export = db.session.scalars(select(DataExport).where(DataExport.user_id == user_id)
                                .order_by(DataExport.id.desc())).first()
    assert export.state == "ready"
    return export


def _download(client, export: DataExport) -> bytes:
    response = client.get(f"/account/data/exports/{export.id}.zip")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    return response.data


def _person_row_ids(db, user_id: int) -> dict[str, set]:
    """Primary keys of every row the registry says is the person's, straight from the database."""
    found = {}
    for policy in POLICIES:
        table = _db.metadata.tables[policy.table]
        conditions = []
        for link in policy.links:
            if link.export:
                condition = table.c[link.column] == user_id
                if link.export_where is not None:
                    condition = condition & link.export_where(table, user_id)
                conditions.append(condition)
        if not conditions:
            continue
        from sqlalchemy import or_

        keys = list(table.primary_key.columns)
        found[policy.table] = {tuple(r) for r in db.session.execute(select(*keys).where(or_(*conditions)))}
    return found


def test_the_archive_holds_each_record_of_the_person_and_nothing_of_anyone_else(client, db, world, login):
    siti, budi = world.siti, world.budi
    login(siti.user)
    export = _request_archive(client, db, siti.user.id)
    expected = _person_row_ids(db, siti.user.id)  # as it was built (the download adds an audit row)
    archive = zipfile.ZipFile(io.BytesIO(_download(client, export)))
    names = set(archive.namelist())
    assert {"README.txt", "data.json"} <= names
    document = json.loads(archive.read("data.json"))
    assert document["format"] == "binapustaka-my-data" and document["person_id"] == siti.user.id
    tables = document["tables"]
    for policy in POLICIES:
        if policy.table not in expected:
            continue
        keys = [c.name for c in _db.metadata.tables[policy.table].primary_key.columns]
        got = {tuple(row[k] for k in keys) for row in tables[policy.table]}
        assert got == expected[policy.table], policy.table
        assert f"csv/{policy.table}.csv" in names
        rows = list(csv.reader(io.StringIO(archive.read(f"csv/{policy.table}.csv").decode("utf-8-sig"))))
        assert len(rows) - 1 == len(expected[policy.table]), policy.table
    # every feature left its records: none of these tables is empty for a person who used everything
    for table in ("users", "enrollments", "module_progress", "completions", "certificates", "quiz_attempts",
                  "course_feedback", "action_plans", "assignment_members", "password_resets", "audit_events",
                  "data_exports"):
        assert tables[table], table
    assert {e["action"] for e in tables["audit_events"]} >= {
        "login.success", "login.failure", "record.viewed", "privacy.notice_acknowledged", "profile.updated",
        "action_plan.submitted", "action_plan.reviewed", "password.reset_issued", "certificate.issued"}
    text = "\n".join(archive.read(n).decode("utf-8-sig") for n in names)
    for own in siti.needles + siti.texts:
        assert own in text, own
    for other in budi.needles + budi.texts + [world.supervisor.name, world.supervisor.email, world.admin.email]:
        assert other not in text, other
    # the person's answers, never the answer key, feedback or explanations
    attempt = tables["quiz_attempts"][0]
    assert {"question", "answer", "mark"} <= set(attempt["answers"][0])
    assert "RAHASIA" not in text and "questions" not in attempt
    assert "password_hash" not in tables["users"][0] and "token_hash" not in tables["password_resets"][0]
    assert tables["enrollments"][0]["course_title"] in ("Literasi Informasi", "Dasar Kearsipan")


def test_a_large_archive_is_built_by_privacy_run_and_the_link_expires(app, client, db, world, login):
    app.config["PRIVACY_EXPORT_INLINE_ROWS"] = 3
    login(world.budi.user)
    assert client.post("/account/data/export").status_code == 302
    export = db.session.scalars(select(DataExport).where(DataExport.user_id == world.budi.user.id)
                                .order_by(DataExport.id.desc())).first()
    assert export.state == "pending"
    page = client.get("/account/data").get_data(as_text=True)
    assert "Sedang disiapkan" in page
    assert client.get(f"/account/data/exports/{export.id}.zip").status_code == 404
    result = app.test_cli_runner().invoke(args=["privacy", "run"])
    assert result.exit_code == 0 and "archives built: 1" in result.output
    db.session.expire_all()
    assert db.session.get(DataExport, export.id).state == "ready"
    response = client.get(f"/account/data/exports/{export.id}.zip")
    assert response.status_code == 200
    assert json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("data.json"))["person_id"] == world.budi.user.id
    assert "archives built: 0" in app.test_cli_runner().invoke(args=["privacy", "run"]).output
    db.session.get(DataExport, export.id).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/account/data/exports/{export.id}.zip").status_code == 404
    assert "Kedaluwarsa" in client.get("/account/data").get_data(as_text=True)


def test_nobody_else_downloads_a_persons_archive(app, client, db, world, login):
    login(world.siti.user)
    client.post("/account/data/export")
    export = db.session.scalars(select(DataExport).where(DataExport.user_id == world.siti.user.id)
                                .order_by(DataExport.id.desc())).first()
    url = f"/account/data/exports/{export.id}.zip"
    client.post("/logout")
    assert client.get(url).status_code == 302  # to login
    for other in (world.budi.user, world.supervisor, world.admin):
        login(other)
        assert client.get(url).status_code == 404, other.role
        client.post("/logout")


def test_a_stale_build_claim_is_taken_over_and_nothing_is_built_twice(app, db, world):
    from elearn.services.privacy.export import build_pending

    stuck = DataExport(user_id=world.siti.user.id, state="building", claimed_at=utcnow() - timedelta(hours=2))
    fresh = DataExport(user_id=world.budi.user.id, state="building", claimed_at=utcnow())
    db.session.add_all([stuck, fresh])
    db.session.commit()
    before = {e.id for e in db.session.scalars(select(DataExport).where(DataExport.state == "ready"))}
    assert build_pending(db.session, hours=1) >= 1
    db.session.expire_all()
    assert db.session.get(DataExport, stuck.id).state == "ready"
    assert db.session.get(DataExport, fresh.id).state == "building"
    assert before <= {e.id for e in db.session.scalars(select(DataExport).where(DataExport.state == "ready"))}


def test_data_pages_require_login_and_show_only_the_persons_own(client, world, login):
    assert "/login" in client.get("/account/data").headers["Location"]
    for url in ("/account/data/export", "/account/data/deletion", "/account/data/messages/dismiss",
                "/privacy/acknowledge", "/account/data/requests/1/cancel", "/certificates/1/reissue-request"):
        response = client.post(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    login(world.siti.user)
    page = client.get("/account/data").get_data(as_text=True)
    assert world.budi.name not in page and world.budi.email not in page
    assert "Kepala Perpustakaan Api-Api" in page  # who opened her transcript


def test_quiz_answers_in_the_archive_are_the_persons_own(client, db, world, login):
    login(world.siti.user)
    export = _request_archive(client, db, world.siti.user.id)
    document = json.loads(zipfile.ZipFile(io.BytesIO(_download(client, export))).read("data.json"))
    attempts = {a["id"]: a for a in document["tables"]["quiz_attempts"]}
    for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == world.siti.user.id)):
        assert attempt.id in attempts
        assert [a["question"] for a in attempts[attempt.id]["answers"]] == [q["title"] for q in attempt.questions]


def test_an_archive_that_fails_to_build_is_marked_and_the_others_are_built(app, db, world, monkeypatch):
    from elearn.services.privacy import export as export_module

    broken = DataExport(user_id=world.siti.user.id, state="pending")
    fine = DataExport(user_id=world.budi.user.id, state="pending")
    db.session.add_all([broken, fine])
    db.session.commit()
    original = export_module.archive

    def archive(session, user_id, **kwargs):
        if user_id == world.siti.user.id:
            raise RuntimeError("disk of the database is full")
        return original(session, user_id, **kwargs)

    monkeypatch.setattr(export_module, "archive", archive)
    assert export_module.build_pending(db.session, hours=1) == 1
    db.session.expire_all()
    assert db.session.get(DataExport, broken.id).state == "failed"
    assert db.session.get(DataExport, fine.id).state == "ready"


def test_asking_again_replaces_the_earlier_archive_and_a_waiting_one_is_not_doubled(app, client, db, world, login):
    login(world.siti.user)
    first_requested = _request_archive(client, db, world.siti.user.id).requested_at
    _request_archive(client, db, world.siti.user.id)
    left = list(db.session.scalars(select(DataExport).where(DataExport.user_id == world.siti.user.id)))
    assert len(left) == 1 and left[0].requested_at > first_requested
    app.config["PRIVACY_EXPORT_INLINE_ROWS"] = 0
    client.post("/account/data/export")
    client.post("/account/data/export")
    states = [e.state for e in db.session.scalars(select(DataExport).where(DataExport.user_id == world.siti.user.id))]
    assert states == ["pending"]
