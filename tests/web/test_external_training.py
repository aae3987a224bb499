"""Training done outside the platform: recorded by the learner, decided by their supervisor; approved
JP reach the dashboard, the transcript (page and PDF), the hours report and its exports; pending and
rejected ones reach nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.models import ExternalTraining, Unit, UnitSupervisor
from elearn.models._types import utcnow
from elearn.services.dates import local_today
from tabular import csv_rows


def today():
    return local_today(utcnow(), "Asia/Makassar")


@pytest.fixture
def org(db, make_user):
    city = Unit(name="Perpustakaan Kota Bontang")
    school = Unit(name="Perpustakaan SMPN 1 Bontang")
    db.session.add_all([city, school])
    db.session.flush()
    ani, citra = make_user(name="Ani City"), make_user(name="Citra School")
    ani.unit_id, citra.unit_id = city.id, school.id
    head_city, head_school = make_user("supervisor", name="Kepala Kota"), make_user("supervisor", name="Kepala Sekolah")
    db.session.add_all([UnitSupervisor(user_id=head_city.id, unit_id=city.id),
                        UnitSupervisor(user_id=head_school.id, unit_id=school.id)])
    db.session.commit()
    return {"ani": ani, "citra": citra, "head_city": head_city, "head_school": head_school}


def form(**changes):
    data = {"kind": "magang", "title": "Magang layanan referensi di Perpusnas", "organiser": "Perpustakaan Nasional RI",
            "start_on": (today() - timedelta(days=5)).isoformat(), "end_on": today().isoformat(), "hours": "12",
            "evidence_link": "https://drive.example.org/sertifikat-magang.pdf", "evidence_note": "Sertifikat terlampir."}
    data.update(changes)
    return data


def record(db):
    db.session.expire_all()
    return db.session.scalar(select(ExternalTraining))


def relogin(client, login, user):
    client.post("/logout")
    login(user)


def jp_on_pages(client):
    home = client.get("/").get_data(as_text=True)
    transcript = client.get("/transcript/").get_data(as_text=True)
    return home, transcript


def test_approved_training_counts_everywhere_and_pending_nowhere(client, db, org, login):
    login(org["ani"])
    assert client.post("/training/external/", data=form()).status_code == 302
    assert record(db).state == "pending"
    home, transcript = jp_on_pages(client)
    assert "0 dari 20 JP" in home and "Magang layanan referensi" not in transcript

    relogin(client, login, org["head_city"])
    hours = csv_rows(client.get(f"/reports/hours?year={today().year}&format=csv").data)
    assert [r[4] for r in hours[1:] if r[0] == "Ani City"] == ["0"]
    assert "Magang layanan referensi" in client.get("/reports/external-training").get_data(as_text=True)
    assert client.post(f"/reports/external-training/{record(db).id}",
                       data={f"r{record(db).id}-decision": "approve"}).status_code == 302
    assert record(db).state == "approved"
    hours = csv_rows(client.get(f"/reports/hours?year={today().year}&format=csv").data)
    assert hours[0][-1] == "JP di luar platform (termasuk dalam JP)"
    ani = next(r for r in hours[1:] if r[0] == "Ani City")
    assert ani[4] == "12" and ani[-1] == "12"
    page = client.get(f"/reports/hours?year={today().year}").get_data(as_text=True)
    assert "(12 di luar platform)" in page

    relogin(client, login, org["ani"])
    assert "Pelatihan disetujui: Magang layanan referensi" in client.get("/notifications/").get_data(as_text=True)
    home, transcript = jp_on_pages(client)
    assert "12 dari 20 JP" in home
    assert "Magang layanan referensi" in transcript and "di luar platform: Perpustakaan Nasional RI" in transcript
    assert f"{today().year}: <strong>12 JP</strong>" in transcript
    pdf = client.get("/transcript.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"


def test_a_rejection_needs_a_reason_and_earns_nothing(client, db, org, login):
    login(org["ani"])
    client.post("/training/external/", data=form())
    relogin(client, login, org["head_city"])
    rid = record(db).id
    client.post(f"/reports/external-training/{rid}", data={f"r{rid}-decision": "reject", f"r{rid}-reason": ""})
    assert record(db).state == "pending"
    client.post(f"/reports/external-training/{rid}",
                data={f"r{rid}-decision": "reject", f"r{rid}-reason": "Sertifikat tidak terbaca."})
    assert record(db).state == "rejected"
    client.post(f"/reports/external-training/{rid}", data={f"r{rid}-decision": "approve"})
    assert record(db).state == "rejected"  # decided once
    relogin(client, login, org["ani"])
    home, transcript = jp_on_pages(client)
    assert "0 dari 20 JP" in home and "Magang layanan referensi" not in transcript
    assert "Sertifikat tidak terbaca." in client.get("/training/external/").get_data(as_text=True)


def test_only_the_supervisor_of_the_learner_decides(client, db, org, login, make_user):
    login(org["ani"])
    client.post("/training/external/", data=form())
    rid = record(db).id
    relogin(client, login, org["head_school"])
    assert "Magang layanan referensi" not in client.get("/reports/external-training").get_data(as_text=True)
    assert client.post(f"/reports/external-training/{rid}", data={f"r{rid}-decision": "approve"}).status_code == 404
    relogin(client, login, org["citra"])
    assert client.get("/reports/external-training").status_code == 403
    assert client.post(f"/reports/external-training/{rid}", data={f"r{rid}-decision": "approve"}).status_code == 403
    assert record(db).state == "pending"
    relogin(client, login, make_user("admin"))
    assert client.post(f"/reports/external-training/{rid}", data={f"r{rid}-decision": "approve"}).status_code == 302
    assert record(db).state == "approved"


def test_nobody_approves_their_own_record(client, db, org, login):
    login(org["head_city"])
    client.post("/training/external/", data=form())
    rid = record(db).id
    assert "Magang layanan referensi" not in client.get("/reports/external-training").get_data(as_text=True)
    assert client.post(f"/reports/external-training/{rid}", data={f"r{rid}-decision": "approve"}).status_code == 404
    assert record(db).state == "pending"


@pytest.mark.parametrize("changes", [
    {"end_on": (today() + timedelta(days=1)).isoformat()},
    {"start_on": today().isoformat(), "end_on": (today() - timedelta(days=1)).isoformat()},
    {"hours": "0"}, {"hours": "201"}, {"evidence_link": "javascript:alert(1)"}, {"kind": "liburan"},
    {"organiser": ""}])
def test_recording_mistakes_are_form_errors(client, db, org, login, changes):
    login(org["ani"])
    response = client.post("/training/external/", data=form(**changes))
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert record(db) is None


def test_training_counts_in_the_year_of_its_last_day(db, org):
    from elearn.services.lesson_hours import jp_by_year, jp_sources_by_person

    last_year = today().year - 1
    db.session.add(ExternalTraining(user_id=org["ani"].id, kind="seminar", title="Seminar", organiser="IPI",
                                    start_on=today().replace(year=last_year, month=12, day=30),
                                    end_on=today().replace(year=last_year, month=12, day=31), hours=4,
                                    evidence_link="https://example.org/x", state="approved"))
    db.session.commit()
    assert jp_by_year(db.session, org["ani"].id, "Asia/Makassar") == [(last_year, 4)]
    assert jp_sources_by_person(db.session, [org["ani"].id], last_year, "Asia/Makassar") == {org["ani"].id: (0, 4)}
    assert jp_sources_by_person(db.session, [org["ani"].id], today().year, "Asia/Makassar") == {}
