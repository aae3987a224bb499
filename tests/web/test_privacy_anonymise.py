"""An approved deletion anonymises the person: every report gives the same totals as before, and no
page, export, PDF, credential, command output, log line or database row shows their name, email or NIP."""
from __future__ import annotations

import io
import json
import logging
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from elearn.extensions import db as _db
from elearn.models import (AuditEvent, Certificate, Completion, PasswordReset, PrivacyRequest, QuizAttempt,
                           UnitSupervisor, User)
from elearn.models._types import utcnow
from elearn.services.password_reset import find_valid_reset, issue_reset_token
from elearn.services.quiz_views import question_stats
from privacyworld import build_world
from tabular import csv_rows, xlsx_rows


@pytest.fixture
def world(client, db, write_course, sync, make_user, login):
    return build_world(client, db, write_course, sync, make_user, login)


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _column_sum(rows: list[list[str]], header: str) -> float:
    index = rows[0].index(header)
    return sum(float(r[index] or 0) for r in rows[1:])


def _totals(client, year: int, course_id: int) -> dict:
    """Every total the hours report, matrix and programme metrics show, on the page and in CSV and XLSX."""
    found = {}
    hours_page = client.get(f"/reports/hours?year={year}").get_data(as_text=True)
    found["hours page"] = (sum(int(n) for n in re.findall(r"</a></th><td>[^<]*</td><td[^>]*>(\d+)</td>", hours_page)),
                           re.search(r"(\d+) dari (\d+) orang", hours_page).groups())
    for fmt, read in (("csv", lambda r: csv_rows(r.data)), ("xlsx", lambda r: xlsx_rows(r.data))):
        hours = read(client.get(f"/reports/hours?year={year}&format={fmt}"))
        found[f"hours {fmt}"] = (len(hours) - 1, _column_sum(hours, "JP"))
        matrix = read(client.get(f"/reports/matrix?format={fmt}"))
        status = matrix[0].index("Status")
        found[f"matrix {fmt}"] = sorted((r[3], r[status]) for r in matrix[1:])
        metrics = read(client.get(f"/reports/programme?year={year}&format={fmt}"))
        found[f"programme {fmt}"] = [_column_sum(metrics, h) for h in metrics[0][1:]
                                     if h not in ("Kepuasan (1–5)", "Bulan")] + [
            [r[4] for r in metrics[1:]]]
    matrix_page = client.get("/reports/matrix").get_data(as_text=True)
    found["matrix page"] = (re.findall(r"<td>(\d+) / (\d+) / (\d+)</td>", matrix_page),
                            len(re.findall(r'class="cell-completed"', matrix_page)),
                            re.search(r"(\d+) orang", matrix_page).group(1))
    programme_page = client.get(f"/reports/programme?year={year}").get_data(as_text=True)
    found["programme page"] = re.findall(r"<dd>([^<]*)</dd>", programme_page)
    course_page = client.get("/reports/courses/literasi").get_data(as_text=True)
    found["course results"] = re.findall(r"<dt>[^<]*</dt><dd>([^<]*)</dd>", course_page)
    return found


def _approve_deletion(client, db, login, world, person) -> PrivacyRequest:
    login(person.user)
    assert client.post("/account/data/deletion", data={"reason": f"Saya {person.name} pindah kerja",
                                                       "confirm": "y"}).status_code == 302
    client.post("/logout")
    request = db.session.scalar(select(PrivacyRequest).where(PrivacyRequest.user_id == person.user.id))
    login(world.admin)
    prefix = f"r{request.id}"
    assert client.post(f"/admin/privacy/requests/{request.id}", data={
        f"{prefix}-decision": "approve", f"{prefix}-confirm": "y"}).status_code == 302
    client.post("/logout")
    return request


def _year() -> int:
    from zoneinfo import ZoneInfo

    return utcnow().astimezone(ZoneInfo("Asia/Makassar")).year


def test_reports_give_the_same_totals_before_and_after_anonymisation(client, db, world, login):
    year, course_id = _year(), world.course_ids["literasi"]
    before = {}
    for viewer in (world.supervisor, world.admin):
        login(viewer)
        before[viewer.role] = _totals(client, year, course_id)
        client.post("/logout")
    completions = db.session.scalar(select(func.count()).select_from(Completion))
    stats_before = [(s.key, s.attempts, s.percent_correct) for s in question_stats(
        db.session, db.session.scalar(select(QuizAttempt.quiz_id).limit(1)))]
    _approve_deletion(client, db, login, world, world.siti)
    for viewer in (world.supervisor, world.admin):
        login(viewer)
        assert _totals(client, year, course_id) == before[viewer.role], viewer.role
        client.post("/logout")
    assert db.session.scalar(select(func.count()).select_from(Completion)) == completions
    stats_after = [(s.key, s.attempts, s.percent_correct) for s in question_stats(
        db.session, db.session.scalar(select(QuizAttempt.quiz_id).limit(1)))]
    assert stats_after == stats_before
    assert before["supervisor"]["hours csv"][1] > 0 and before["supervisor"]["matrix page"][1] > 0


def _pages_to_search(world, person, certificate_ids: list[int]) -> dict:
    uid = person.user.id
    reports = ["/reports/", "/reports/matrix", "/reports/matrix?format=csv&nip=1", "/reports/matrix?format=xlsx&nip=1",
               "/reports/hours", "/reports/hours?format=csv&nip=1", "/reports/hours?format=xlsx&nip=1",
               "/reports/programme", "/reports/programme?format=csv", "/reports/courses/literasi",
               "/reports/courses/literasi?format=csv", "/reports/action-plans", "/reports/assignments",
               f"/users/{uid}/transcript/", f"/users/{uid}/transcript.pdf"]
    reports += [f"/certificates/{cid}/" for cid in certificate_ids]
    reports += [f"/certificates/{cid}.pdf" for cid in certificate_ids]
    reports += [f"/certificates/{cid}.json" for cid in certificate_ids]
    admin = reports + ["/admin/users", f"/admin/users?q={person.name.split()[0]}", f"/admin/users/{uid}",
                       "/admin/audit", "/admin/audit?page=2", "/admin/privacy", "/admin/units"]
    return {"supervisor": reports, "admin": admin}


def _text_of(response) -> str:
    if response.mimetype == "application/pdf":
        return _pdf_text(response.data)
    if "spreadsheetml" in response.mimetype:
        return json.dumps(xlsx_rows(response.data), ensure_ascii=False)
    return response.get_data(as_text=True)


def test_nothing_shows_the_anonymised_persons_name_email_or_nip(app, client, db, world, login, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    siti = world.siti
    certificates = list(db.session.scalars(select(Certificate).where(Certificate.user_id == siti.user.id)))
    codes = [c.code for c in certificates]
    login(siti.user)
    credential = tmp_path / "credential.json"
    credential.write_bytes(client.get(f"/certificates/{certificates[0].id}.json").data)
    client.post("/logout")
    pages = _pages_to_search(world, siti, [c.id for c in certificates])
    login(world.supervisor)  # before: the same pages do show her (the search below can find something)
    assert siti.name in client.get("/reports/matrix").get_data(as_text=True)
    assert siti.nip in _text_of(client.get("/reports/hours?format=csv&nip=1"))
    client.post("/logout")

    _approve_deletion(client, db, login, world, siti)
    seen: dict[str, str] = {}
    for viewer in (world.supervisor, world.admin):
        login(viewer)
        for url in pages[viewer.role]:
            response = client.get(url)
            assert response.status_code in (200, 409), (viewer.role, url, response.status_code)
            seen[f"{viewer.role} {url}"] = _text_of(response)
        client.post("/logout")
    for code in codes:
        seen[f"/verify/{code}"] = client.get(f"/verify/{code}").get_data(as_text=True)
        seen[f"/verify/{code}.json"] = client.get(f"/verify/{code}.json").get_data(as_text=True)
    runner = app.test_cli_runner()
    for args in (["privacy", "inventory"], ["privacy", "prune"], ["certificates", "verify", str(credential)]):
        result = runner.invoke(args=args)
        seen[" ".join(args[:2])] = result.output
    seen["log"] = caplog.text
    for where, text in seen.items():
        for needle in siti.needles + siti.texts:
            assert needle.casefold() not in text.casefold(), (where, needle)
    assert "withdrawn at the holder's request" in seen["certificates verify"]
    assert "DITARIK" in seen[f"/verify/{codes[0]}"]
    public = json.loads(seen[f"/verify/{codes[0]}.json"])
    assert public["state"] == "withdrawn" and public["withdrawn_reason"] == "holder_request"
    assert public["learner_name"] is None and public["learner_nip"] is None and public["score"] is None
    # Budi is untouched
    login(world.supervisor)
    assert world.budi.name in client.get("/reports/matrix").get_data(as_text=True)


def test_no_database_row_holds_the_old_name_email_nip_or_free_text(client, db, world, login):
    siti = world.siti
    _approve_deletion(client, db, login, world, siti)
    db.session.expire_all()
    for table in _db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            text = json.dumps([str(v) for v in row], ensure_ascii=False).casefold()
            for needle in siti.needles + siti.texts:
                assert needle.casefold() not in text, (table.name, needle)
    budi_rows = json.dumps([str(v) for v in db.session.execute(select(User.name, User.email, User.nip)).all()])
    assert world.budi.name in budi_rows and world.budi.nip in budi_rows


def test_the_account_is_closed_for_good(app, client, db, world, login):
    from tests.conftest import PASSWORD

    siti = world.siti
    person_client = app.test_client()
    person_client.post("/login", data={"email": siti.email, "password": PASSWORD})
    assert person_client.get("/account").status_code == 200
    token = issue_reset_token(db.session, siti.user.id, actor_id=world.admin.id)
    db.session.commit()
    request = _approve_deletion(client, db, login, world, siti)
    db.session.expire_all()
    user = db.session.get(User, siti.user.id)
    assert user.name == f"Peserta terhapus #{user.id}" and user.email == f"deleted-{user.id}@binapustaka.invalid"
    assert user.nip is None and not user.active and user.anonymised_at is not None
    assert person_client.get("/account").status_code == 302  # the open session ended
    response = client.post("/login", data={"email": siti.email, "password": PASSWORD})
    assert response.status_code == 200 and "Email atau kata sandi salah" in response.get_data(as_text=True)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200 and "Alamat email tidak valid" in response.get_data(as_text=True)
    assert find_valid_reset(db.session, token) is None
    assert client.get(f"/reset/{token}").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(PasswordReset)
                             .where(PasswordReset.user_id == user.id)) == 0
    login(world.admin)
    assert client.post(f"/admin/users/{user.id}", data={"email": "kembali@example.org", "name": "Kembali",
                                                       "role": "learner", "active": "y"}).status_code == 409
    assert client.post(f"/admin/users/{user.id}/reset-link").status_code == 409
    db.session.expire_all()
    assert not db.session.get(User, user.id).active
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.anonymised"))
    assert event.actor_id == world.admin.id and event.subject_id == user.id
    assert event.detail["request"] == request.id and event.detail["rows"]["users"] == 1
    assert client.post(f"/admin/privacy/requests/{request.id}", data={
        f"r{request.id}-decision": "approve", f"r{request.id}-confirm": "y"}).status_code == 409


def test_answers_keep_only_what_anonymous_statistics_need(client, db, world, login):
    siti = world.siti
    before = {a.id: dict(a.responses) for a in db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == siti.user.id))}
    _approve_deletion(client, db, login, world, siti)
    db.session.expire_all()
    for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == siti.user.id)):
        kinds = {q["key"]: q["type"] for q in attempt.questions}
        for key, value in before[attempt.id].items():
            if kinds[key] == "short":
                assert key not in attempt.responses
            else:
                assert attempt.responses[key] == value or str(attempt.responses[key]) == str(value)
        assert attempt.marks and attempt.score is not None


def test_a_supervisor_is_anonymised_too_and_stops_supervising(client, db, world, login, make_user):
    person = world.supervisor
    login(person)
    assert client.post("/account/data/deletion", data={"reason": "pensiun", "confirm": "y"}).status_code == 302
    client.post("/logout")
    request = db.session.scalar(select(PrivacyRequest).where(PrivacyRequest.user_id == person.id))
    login(world.admin)
    assert client.post(f"/admin/privacy/requests/{request.id}", data={
        f"r{request.id}-decision": "approve", f"r{request.id}-confirm": "y"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UnitSupervisor)
                             .where(UnitSupervisor.user_id == person.id)) == 0
    plans = client.get("/admin/audit").get_data(as_text=True)
    assert "kepala@example.org" not in plans
