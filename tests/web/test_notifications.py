"""The notification centre: notify() and its dedup key, the bell, the list, mark as read, preferences,
and that nobody reads or marks anybody else's notifications."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from elearn.models import Notification, NotificationPreference
from elearn.services.notifications import KINDS, mark_all_read, notify, register, render, unread_count


def test_notify_with_a_dedup_key_creates_the_notice_once(db, make_user):
    ani = make_user()
    first = notify(db.session, ani.id, "assignment_new", {"course": "Kursus A", "due": "2026-12-31"}, "/courses/a/",
                   dedup_key="assignment:1:2026-12-31")
    again = notify(db.session, ani.id, "assignment_new", {"course": "Kursus A", "due": "2026-12-31"}, "/courses/a/",
                   dedup_key="assignment:1:2026-12-31")
    db.session.commit()
    assert first is not None and again is None
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
    # without a key every call is a new message
    notify(db.session, ani.id, "privacy_decided", {})
    notify(db.session, ani.id, "privacy_decided", {})
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 3


def test_words_are_built_when_shown_in_the_readers_language(db, make_user):
    ani = make_user()
    n = notify(db.session, ani.id, "assignment_due_soon", {"course": "Kursus A", "due": "2026-12-31", "days": 7},
               "/courses/a/", dedup_key="x")
    assert render(n, "id").title == "Kursus A: batas waktu 7 hari lagi"
    assert render(n, "en").title == "Kursus A: due in 7 days"
    assert "December 31, 2026" in render(n, "en").body
    assert "31 Desember 2026" in render(n, "id").body


def test_a_feature_plugs_in_a_kind_with_one_registration(db, make_user, monkeypatch):
    monkeypatch.setattr("elearn.services.notifications.KINDS", dict(KINDS))
    register("test_task_reviewed", "Tugas dinilai", lambda p: f"Tugas {p['task']} dinilai",
             lambda p: "Lihat nilainya.")
    ani = make_user()
    n = notify(db.session, ani.id, "test_task_reviewed", {"task": "Esai"}, "/tasks/1")
    assert render(n, "id").title == "Tugas Esai dinilai"
    with pytest.raises(KeyError):
        notify(db.session, ani.id, "no_such_kind", {})


def test_bell_shows_the_unread_count_and_the_list_marks_read(client, db, make_user, login):
    ani = make_user()
    for i in range(3):
        notify(db.session, ani.id, "assignment_new", {"course": f"Kursus {i}", "due": "2026-12-31"},
               "/courses/kursus-a/", dedup_key=f"a:{i}")
    db.session.commit()
    login(ani)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'class="badge">3<', page)
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "Kursus baru ditugaskan: Kursus 2" in listing and listing.count("Tandai sudah dibaca") == 3
    first = db.session.scalar(select(Notification.id).order_by(Notification.id))
    assert client.post(f"/notifications/{first}/read", data={"next": "/notifications/"}).status_code == 302
    assert re.search(r'class="badge">2<', client.get("/").get_data(as_text=True))
    opened = client.post(f"/notifications/{first + 1}/open")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/courses/kursus-a/")
    assert client.post("/notifications/read-all", data={"next": "/notifications/"}).status_code == 302
    assert 'class="badge"' not in client.get("/").get_data(as_text=True)
    assert unread_count(db.session, ani.id) == 0


def test_nobody_reads_or_marks_anybody_elses_notifications(client, db, make_user, login):
    ani, budi = make_user(), make_user()
    theirs = notify(db.session, budi.id, "assignment_new", {"course": "Rahasia Budi", "due": "2026-12-31"}, "/x")
    db.session.commit()
    login(ani)
    assert "Rahasia Budi" not in client.get("/notifications/").get_data(as_text=True)
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    assert client.post(f"/notifications/{theirs.id}/open").status_code == 404
    client.post("/notifications/read-all")
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None
    assert unread_count(db.session, budi.id) == 1


def test_the_centre_needs_a_login(client):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read-all").status_code == 302
    assert client.get("/notifications/preferences").status_code == 302


def test_list_is_paged(app, client, db, make_user, login):
    app.config["NOTIFICATIONS_PAGE_SIZE"] = 2
    ani = make_user()
    for i in range(5):
        notify(db.session, ani.id, "privacy_decided", {})
    db.session.commit()
    login(ani)
    first = client.get("/notifications/").get_data(as_text=True)
    assert first.count("<li class=\"card") == 2 and "page=2" in first
    assert client.get("/notifications/?page=3").get_data(as_text=True).count("<li class=\"card") == 1
    mark_all_read(db.session, ani.id)


def test_preferences_choose_email_per_kind(client, db, make_user, login):
    ani = make_user()
    login(ani)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "Kursus yang ditugaskan kepada saya" in page and "Ringkasan mingguan" not in page  # learners: no digest
    data = {"kind_assignment_new": "app", "kind_assignment_due_soon": "email", "kind_assignment_overdue": "email",
            "kind_certificate_expiring": "email", "kind_certificate_expired": "email", "kind_privacy_decided": "app",
            "kind_mentoring_session": "email", "kind_task_reviewed": "email", "kind_external_decided": "email"}
    assert client.post("/notifications/preferences", data=data).status_code == 200
    chosen = dict(db.session.execute(select(NotificationPreference.kind, NotificationPreference.email)
                                     .where(NotificationPreference.user_id == ani.id)).all())
    assert chosen["assignment_new"] is False and chosen["assignment_overdue"] is True
    bad = client.post("/notifications/preferences", data=data | {"kind_assignment_new": "sms"})
    assert bad.status_code == 400


def test_supervisors_are_offered_the_digest(client, make_user, login):
    login(make_user("supervisor"))
    assert "Ringkasan mingguan unit saya" in client.get("/notifications/preferences").get_data(as_text=True)


def test_a_privacy_decision_is_a_notification_and_an_approved_deletion_takes_them_away(db, make_user):
    from elearn.services.privacy.requests import decide_request, request_deletion

    admin, ani, budi = make_user("admin"), make_user(), make_user()
    notify(db.session, budi.id, "assignment_new", {"course": "A", "due": "2026-12-31"}, "/x", dedup_key="a")
    refused = request_deletion(db.session, ani.id, "Pindah kerja")
    approved = request_deletion(db.session, budi.id, "Pindah kerja")
    db.session.commit()
    decide_request(db.session, refused.id, admin, approve=False, reason="Wajib disimpan 5 tahun")
    db.session.commit()
    told = db.session.scalars(select(Notification).where(Notification.user_id == ani.id)).all()
    assert [(n.kind, n.link) for n in told] == [("privacy_decided", "/account/data#requests")]
    assert render(told[0], "en").title == "Your privacy request has been decided"
    decide_request(db.session, approved.id, admin, approve=True)
    db.session.commit()
    # anonymisation deletes the person's notifications (registry: owner link, delete)
    assert db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == budi.id)) == 0


def test_notify_many_inserts_at_once_and_falls_back_when_some_exist(db, make_user):
    from elearn.services.notifications import Pending, notify_many

    ani, budi = make_user(), make_user()
    notify(db.session, ani.id, "privacy_decided", {}, dedup_key="k")
    created = notify_many(db.session, [Pending(ani.id, "privacy_decided", {}, "", "k", False),
                                       Pending(budi.id, "privacy_decided", {}, "", "k", False)])
    db.session.commit()
    assert [n.user_id for n in created] == [budi.id]
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2
