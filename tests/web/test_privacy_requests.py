"""Deletion and reissue requests: the person asks, only an admin (never on their own request) decides
with a reason, the person is told; a reissue replaces the certificate for the same completion."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from elearn.models import Certificate, Completion, PrivacyRequest, User
from elearn.models._types import utcnow
from elearn.services.lesson_hours import jp_in_year
from privacyworld import build_world


@pytest.fixture
def world(client, db, write_course, sync, make_user, login):
    return build_world(client, db, write_course, sync, make_user, login)


def _ask_deletion(client, login, person, reason="Saya pindah instansi"):
    login(person)
    response = client.post("/account/data/deletion", data={"reason": reason, "confirm": "y"})
    client.post("/logout")
    return response


def _request_of(db, user_id: int, kind: str = "deletion") -> PrivacyRequest:
    return db.session.scalars(select(PrivacyRequest).where(PrivacyRequest.user_id == user_id,
                                                           PrivacyRequest.kind == kind)
                              .order_by(PrivacyRequest.id.desc())).first()


def test_a_deletion_request_needs_a_reason_and_the_confirmation(client, db, world, login):
    login(world.siti.user)
    for data in ({"reason": "", "confirm": "y"}, {"reason": "alasan"}):
        response = client.post("/account/data/deletion", data=data)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "Tuliskan alasan Anda." in page or "Centang kotak ini untuk melanjutkan." in page
    assert _request_of(db, world.siti.user.id) is None
    assert client.post("/account/data/deletion", data={"reason": "alasan", "confirm": "y"}).status_code == 302
    again = client.post("/account/data/deletion", data={"reason": "lagi", "confirm": "y"})
    assert again.status_code == 400 and "sedang menunggu keputusan" in again.get_data(as_text=True)


def test_only_admins_open_the_queue_and_decide(client, db, world, login):
    _ask_deletion(client, login, world.siti.user)
    request = _request_of(db, world.siti.user.id)
    decide = f"/admin/privacy/requests/{request.id}"
    data = {f"r{request.id}-decision": "approve", f"r{request.id}-confirm": "y"}
    assert client.get("/admin/privacy").status_code == 302
    assert client.post(decide, data=data).status_code == 302
    for who in (world.siti.user, world.budi.user, world.supervisor):
        login(who)
        assert client.get("/admin/privacy").status_code == 403
        assert client.post(decide, data=data).status_code == 403
        client.post("/logout")
    db.session.expire_all()
    assert _request_of(db, world.siti.user.id).state == "pending"
    assert db.session.get(User, world.siti.user.id).anonymised_at is None


def test_an_admin_cannot_decide_their_own_request(client, db, world, login):
    _ask_deletion(client, login, world.admin)
    request = _request_of(db, world.admin.id)
    login(world.admin)
    response = client.post(f"/admin/privacy/requests/{request.id}", data={
        f"r{request.id}-decision": "approve", f"r{request.id}-confirm": "y"})
    assert response.status_code == 400 and "admin lain" in response.get_data(as_text=True)
    client.post("/logout")
    login(world.second_admin)
    assert client.post(f"/admin/privacy/requests/{request.id}", data={
        f"r{request.id}-decision": "approve", f"r{request.id}-confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.admin.id).anonymised_at is not None


def test_refusing_needs_a_reason_and_the_person_is_told(client, db, world, login):
    _ask_deletion(client, login, world.budi.user)
    request = _request_of(db, world.budi.user.id)
    login(world.admin)
    page = client.get("/admin/privacy").get_data(as_text=True)
    assert "Saya pindah instansi" in page and world.budi.name in page
    url, prefix = f"/admin/privacy/requests/{request.id}", f"r{request.id}"
    response = client.post(url, data={f"{prefix}-decision": "refuse"})
    assert response.status_code == 400 and "Tuliskan alasan penolakan" in response.get_data(as_text=True)
    response = client.post(url, data={f"{prefix}-decision": "approve"})
    assert response.status_code == 400 and "Centang kotak ini" in response.get_data(as_text=True)
    reason = "Catatan pelatihan wajib disimpan sampai audit BKD tahun ini selesai."
    assert client.post(url, data={f"{prefix}-decision": "refuse", f"{prefix}-reason": reason}).status_code == 302
    assert client.post(url, data={f"{prefix}-decision": "approve", f"{prefix}-confirm": "y"}).status_code == 409
    client.post("/logout")
    db.session.expire_all()
    assert db.session.get(User, world.budi.user.id).anonymised_at is None
    login(world.budi.user)
    home = client.get("/").get_data(as_text=True)
    assert "Permintaan Anda sudah diputuskan" in home  # the in-app message, on every page
    data_page = client.get("/account/data").get_data(as_text=True)
    assert "Ditolak" in data_page and reason in data_page
    account = client.get("/account").get_data(as_text=True)
    assert "Ditolak" in account and reason in account
    assert client.post("/account/data/messages/dismiss", data={"next": "/courses/"}).headers["Location"] == "/courses/"
    assert "Permintaan Anda sudah diputuskan" not in client.get("/").get_data(as_text=True)
    # refused: the person may ask again
    assert client.post("/account/data/deletion", data={"reason": "tetap ingin", "confirm": "y"}).status_code == 302


def test_the_decision_reaches_the_notification_hook_before_the_address_is_gone(client, db, world, login,
                                                                                monkeypatch):
    told = []
    from elearn.services.privacy import requests as requests_module

    original = requests_module.notify_request_decided

    def spy(session, request, recipient):
        told.append((request.state, recipient.email, session.get(User, recipient.user_id).email))
        original(session, request, recipient)

    monkeypatch.setattr(requests_module, "notify_request_decided", spy)
    _ask_deletion(client, login, world.siti.user)
    request = _request_of(db, world.siti.user.id)
    login(world.admin)
    client.post(f"/admin/privacy/requests/{request.id}", data={
        f"r{request.id}-decision": "approve", f"r{request.id}-confirm": "y"})
    assert told == [("approved", world.siti.email, world.siti.email)]


def test_a_person_cancels_only_their_own_pending_request(client, db, world, login):
    _ask_deletion(client, login, world.siti.user)
    request = _request_of(db, world.siti.user.id)
    login(world.budi.user)
    assert client.post(f"/account/data/requests/{request.id}/cancel").status_code == 404
    client.post("/logout")
    login(world.siti.user)
    assert client.post(f"/account/data/requests/{request.id}/cancel").status_code == 302
    db.session.expire_all()
    assert _request_of(db, world.siti.user.id).state == "cancelled"
    assert "Sudah diputuskan" not in client.get("/").get_data(as_text=True)


def _year() -> int:
    from zoneinfo import ZoneInfo

    return utcnow().astimezone(ZoneInfo("Asia/Makassar")).year


def test_a_reissue_replaces_the_certificate_for_the_same_completion_without_doubling_jp(client, db, world, login):
    siti = world.siti
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == siti.user.id,
                                                             Certificate.course_slug == "arsip"))
    jp_before = jp_in_year(db.session, siti.user.id, _year(), "Asia/Makassar")
    completions_before = db.session.scalar(select(func.count()).select_from(Completion))
    login(siti.user)
    page = client.get(f"/certificates/{certificate.id}/").get_data(as_text=True)
    assert "Ajukan penerbitan ulang" not in page  # the printed name is still the profile's
    assert client.post(f"/certificates/{certificate.id}/reissue-request").status_code == 302
    assert _request_of(db, siti.user.id, "reissue") is None
    corrected = "Siti Rahmawati Putri"
    client.post("/account", data={"name": corrected, "nip": siti.nip, "unit_id": str(siti.user.unit_id),
                                  "locale": "id"})
    assert "Ajukan penerbitan ulang" in client.get(f"/certificates/{certificate.id}/").get_data(as_text=True)
    assert client.post(f"/certificates/{certificate.id}/reissue-request",
                       data={"reason": "Nama lengkap saya"}).status_code == 302
    client.post("/logout")
    login(world.budi.user)  # nobody else may ask for someone's certificate
    assert client.post(f"/certificates/{certificate.id}/reissue-request").status_code == 404
    client.post("/logout")
    request = _request_of(db, siti.user.id, "reissue")
    login(world.admin)
    page = client.get("/admin/privacy").get_data(as_text=True)
    assert corrected in page and certificate.serial in page
    assert client.post(f"/admin/privacy/requests/{request.id}", data={
        f"r{request.id}-decision": "approve"}).status_code == 302
    client.post("/logout")
    db.session.expire_all()
    old = db.session.get(Certificate, certificate.id)
    new = db.session.get(Certificate, old.superseded_by_id)
    assert old.revoked_reason == "superseded" and old.revoked_at is not None and old.learner_name == siti.name
    assert new.learner_name == corrected and new.enrollment_id == old.enrollment_id and new.cycle == old.cycle
    assert (new.hours, new.score, new.completed_at, new.course_version) == (
        old.hours, old.score, old.completed_at, old.course_version)
    assert new.code != old.code and new.serial != old.serial and new.state_at(utcnow()) == "valid"
    assert db.session.scalar(select(func.count()).select_from(Completion)) == completions_before
    assert jp_in_year(db.session, siti.user.id, _year(), "Asia/Makassar") == jp_before
    login(siti.user)
    transcript = client.get("/transcript/").get_data(as_text=True)
    assert re.search(rf"{_year()}: <strong>{jp_before} JP</strong>", transcript)
    public = client.get(f"/verify/{old.code}.json").get_json()
    assert (public["state"], public["revoked_reason"]) == ("revoked", "superseded")
    client.post("/logout")
    login(world.supervisor)
    hours = client.get(f"/reports/hours?year={_year()}&format=csv").get_data(as_text=True)
    assert f"{corrected}," in hours
    row = next(line for line in hours.splitlines() if line.startswith(corrected))
    assert row.split(",")[4] == str(jp_before)


def test_a_revoked_reissue_stops_counting_like_any_revocation(client, db, world, login):
    from elearn.services.certificates import reissue_certificate, revoke

    siti = world.siti
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == siti.user.id,
                                                             Certificate.course_slug == "arsip"))
    jp_before = jp_in_year(db.session, siti.user.id, _year(), "Asia/Makassar")
    replacement = reissue_certificate(db.session, certificate, world.admin)
    db.session.commit()
    assert jp_in_year(db.session, siti.user.id, _year(), "Asia/Makassar") == jp_before
    revoke(db.session, replacement, world.admin, "misconduct")
    db.session.commit()
    assert jp_in_year(db.session, siti.user.id, _year(), "Asia/Makassar") == jp_before - certificate.hours
