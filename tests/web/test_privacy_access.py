"""Who looked at my data (one audit row per view by someone else, never for one's own views), NIPs masked
in exports unless a supervisor asks (recorded), and who may open each new page."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.models import AuditEvent, Certificate
from elearn.services.certificates import mask_nip
from privacyworld import build_world
from tabular import csv_rows, xlsx_rows


@pytest.fixture
def world(client, db, write_course, sync, make_user, login):
    return build_world(client, db, write_course, sync, make_user, login)


def _views(db, person_id: int) -> list[tuple]:
    return [(e.actor_id, e.detail["what"]) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "record.viewed", AuditEvent.subject_id == person_id)
        .order_by(AuditEvent.id))]


def test_each_view_by_someone_else_is_one_row_and_own_views_none(client, db, world, login):
    siti = world.siti
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == siti.user.id))
    before = _views(db, siti.user.id)
    assert before == [(world.supervisor.id, "transcript")]  # the world's supervisor opened it once
    login(siti.user)
    for url in ("/transcript/", "/transcript.pdf", f"/certificates/{certificate.id}/",
                f"/certificates/{certificate.id}.pdf", f"/certificates/{certificate.id}.json", "/certificates/"):
        assert client.get(url).status_code == 200
    assert _views(db, siti.user.id) == before
    client.post("/logout")
    login(world.supervisor)
    events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for url in (f"/users/{siti.user.id}/transcript.pdf", f"/certificates/{certificate.id}/",
                f"/certificates/{certificate.id}.pdf", f"/certificates/{certificate.id}.json"):
        assert client.get(url).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 4
    assert _views(db, siti.user.id)[1:] == [(world.supervisor.id, w) for w in (
        "transcript_pdf", "certificate", "certificate_pdf", "credential")]
    client.post("/logout")
    login(world.admin)
    client.get(f"/users/{siti.user.id}/transcript/")
    client.post("/logout")
    login(siti.user)
    page = client.get("/account/data").get_data(as_text=True)
    section = page.split("Siapa yang melihat data saya", 1)[1].split("</section>", 1)[0]
    assert section.count("Kepala Perpustakaan Api-Api") == 5 and section.count("(Pembina)") == 5
    assert "Admin Dinas" in section and "(Admin)" in section
    assert "Transkrip (PDF)" in section and "Kredensial sertifikat (JSON)" in section
    client.post("/logout")
    login(world.budi.user)  # Budi sees the views of his own records only
    section = client.get("/account/data").get_data(as_text=True).split(
        "Siapa yang melihat data saya", 1)[1].split("</section>", 1)[0]
    assert section.count("Kepala Perpustakaan Api-Api") == 1 and "Admin Dinas" not in section


def test_exports_mask_the_nip_unless_the_supervisor_asks_and_that_is_recorded(client, db, world, login):
    siti = world.siti
    login(world.supervisor)
    masked = mask_nip(siti.nip)
    for url in ("/reports/hours?format=csv", "/reports/matrix?format=csv"):
        rows = csv_rows(client.get(url).data)
        nips = {r[1] for r in rows[1:] if r[0] == siti.name}
        assert nips == {masked}, url
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "report.export_with_nip")) == 0
    page = client.get("/reports/hours").get_data(as_text=True)
    assert 'name="nip"' in page and "NIP disamarkan" in page
    page = client.get("/reports/hours?nip=1").get_data(as_text=True)
    assert "nip=1" in page and "dengan NIP lengkap" in page
    assert not any(e.action == "report.export_with_nip" for e in db.session.scalars(select(AuditEvent)))
    for url, read in (("/reports/hours?nip=1&format=csv", csv_rows), ("/reports/matrix?nip=1&format=xlsx", xlsx_rows)):
        rows = read(client.get(url).data)
        assert {r[1] for r in rows[1:] if r[0] == siti.name} == {siti.nip}, url
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export_with_nip")))
    assert [(e.actor_id, e.detail["report"], e.detail["format"]) for e in events] == [
        (world.supervisor.id, "hours", "csv"), (world.supervisor.id, "matrix", "xlsx")]


def test_the_mask_is_the_verify_pages_mask(client, db, world):
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == world.siti.user.id))
    assert client.get(f"/verify/{certificate.code}.json").get_json()["learner_nip"] == mask_nip(world.siti.nip)


NEW_PAGES = [("get", "/account/data"), ("post", "/account/data/export"), ("post", "/account/data/deletion"),
             ("post", "/account/data/messages/dismiss"), ("post", "/privacy/acknowledge")]


def test_admin_pages_are_for_admins_only(client, world, login):
    for who in (world.siti.user, world.supervisor):
        login(who)
        assert client.get("/admin/privacy").status_code == 403
        assert client.post("/admin/privacy/requests/1").status_code == 403
        client.post("/logout")
    assert client.get("/admin/privacy").status_code == 302
    login(world.admin)
    assert client.get("/admin/privacy").status_code == 200
    assert client.post("/admin/privacy/requests/999999").status_code == 404


def test_the_notice_is_public_and_the_personal_pages_are_not(client):
    assert client.get("/privacy").status_code == 200
    for method, url in NEW_PAGES:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_nobody_asks_to_reissue_someone_elses_certificate(client, db, world, login):
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == world.siti.user.id))
    for who in (world.budi.user, world.supervisor, world.admin):
        login(who)
        assert client.post(f"/certificates/{certificate.id}/reissue-request").status_code == 404
        client.post("/logout")
