"""Course staff (issue 14): owners and editors, who may change them, the import-once rule of the
front matter's trainers:, the last owner, the audit log, and "my courses"."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.models import AuditEvent, Course, CourseStaff, User
from tests.web.test_query_counts import count_queries  # noqa: F401  (fixture)


def _course(db, slug):
    return db.session.scalar(select(Course).where(Course.slug == slug))


def _staff(db, slug) -> dict[str, str]:
    """email -> role of the course's staff."""
    rows = db.session.execute(select(User.email, CourseStaff.role).join(User, User.id == CourseStaff.user_id)
                              .join(Course, Course.id == CourseStaff.course_id).where(Course.slug == slug))
    return dict(rows.all())


def _relogin(client, login, user):
    client.post("/logout")
    login(user)


@pytest.fixture
def staffed(db, write_course, sync, make_user):
    """Course A: owner a@ (front matter) and editor e@ (added); course B: owner b@. Returns the people."""
    from elearn.services.course_staff import add_staff

    people = {"owner": make_user("trainer", email="a@pelatih.id", name="Ani Pemilik"),
              "editor": make_user("trainer", email="e@pelatih.id", name="Eko Penyunting"),
              "other_owner": make_user("trainer", email="b@pelatih.id", name="Budi Lain"),
              "spare": make_user("trainer", email="s@pelatih.id", name="Sari Cadangan"),
              "learner": make_user(email="peserta@example.org", name="Lina Peserta"),
              "supervisor": make_user("supervisor", email="atasan@example.org"),
              "admin": make_user("admin", email="admin@example.org")}
    write_course("kursus-a", extra_front="trainers: [a@pelatih.id]")
    write_course("kursus-b", extra_front="trainers: [b@pelatih.id]")
    assert not sync().failed
    add_staff(db.session, _course(db, "kursus-a"), "e@pelatih.id", "editor", people["admin"])
    db.session.commit()
    people["other_editor"] = make_user("trainer", email="f@pelatih.id")
    add_staff(db.session, _course(db, "kursus-b"), "f@pelatih.id", "editor", people["admin"])
    db.session.commit()
    return people


# --- the import-once rule -------------------------------------------------------------------------

def test_front_matter_trainers_become_owners_and_later_syncs_never_change_staff(db, staffed, write_course, sync):
    assert _staff(db, "kursus-a") == {"a@pelatih.id": "owner", "e@pelatih.id": "editor"}
    write_course("kursus-a", extra_front="trainers: [b@pelatih.id, s@pelatih.id]")
    report = sync()
    assert [c.outcome for c in report.courses if c.slug == "kursus-a"] == ["updated"]
    assert _course(db, "kursus-a").settings["trainers"] == ["b@pelatih.id", "s@pelatih.id"]
    assert _staff(db, "kursus-a") == {"a@pelatih.id": "owner", "e@pelatih.id": "editor"}


def test_trainers_without_an_account_yet_are_imported_at_a_later_sync_while_the_course_has_no_staff(
        db, write_course, sync, make_user):
    write_course("kursus-baru", extra_front="trainers: [nanti@pelatih.id, peserta@example.org]")
    sync()
    assert _staff(db, "kursus-baru") == {}
    make_user("trainer", email="nanti@pelatih.id")
    make_user(email="peserta@example.org")  # a learner account is not imported (the rule named trainers)
    sync()
    assert _staff(db, "kursus-baru") == {"nanti@pelatih.id": "owner"}
    imported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "course_staff.imported")).all()
    assert [e.detail["course"] for e in imported] == ["kursus-baru"]


def test_a_studio_course_starts_with_its_creator_as_owner(client, db, login, staffed):
    login(staffed["owner"])
    assert client.post("/studio/new", data={"slug": "kursus-studio", "title": "Kursus Studio"}).status_code == 302
    assert _staff(db, "kursus-studio") == {"a@pelatih.id": "owner"}


# --- who may see and change what --------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [("learner", 403), ("supervisor", 403), ("other_owner", 403),
                                         ("other_editor", 403), ("editor", 200), ("owner", 200), ("admin", 200)])
def test_who_sees_the_staff_page_and_the_course(client, login, staffed, who, status):
    login(staffed[who])
    assert client.get("/studio/kursus-a/staff").status_code == status
    assert client.get("/studio/kursus-a/").status_code == status
    assert client.get("/studio/kursus-a/results").status_code == status
    assert client.get("/studio/kursus-a/edit?path=02-modul-2.md").status_code == status


def test_editors_see_the_list_but_no_forms(client, login, staffed):
    login(staffed["editor"])
    page = client.get("/studio/kursus-a/staff").text
    assert "Ani Pemilik" in page and "Eko Penyunting" in page
    assert 'action="/studio/kursus-a/staff' not in page and "Tambah staf" not in page
    assert "hanya pemilik dan admin yang mengubah staf" in page
    _relogin(client, login, staffed["owner"])
    page = client.get("/studio/kursus-a/staff").text
    assert 'action="/studio/kursus-a/staff"' in page and f'/staff/{staffed["editor"].id}/remove"' in page


@pytest.mark.parametrize("who", ["learner", "supervisor", "other_owner", "other_editor", "editor"])
def test_only_owners_and_admins_change_staff(client, db, login, staffed, who):
    login(staffed[who])
    editor_id, owner_id = staffed["editor"].id, staffed["owner"].id
    assert client.post("/studio/kursus-a/staff", data={"email": "s@pelatih.id", "role": "owner"}).status_code == 403
    assert client.post(f"/studio/kursus-a/staff/{owner_id}/role", data={"role": "editor"}).status_code == 403
    assert client.post(f"/studio/kursus-a/staff/{editor_id}/role", data={"role": "owner"}).status_code == 403
    assert client.post(f"/studio/kursus-a/staff/{owner_id}/remove").status_code == 403
    assert _staff(db, "kursus-a") == {"a@pelatih.id": "owner", "e@pelatih.id": "editor"}
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.like("course_staff.%"), AuditEvent.actor_id == staffed[who].id)) == 0


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_owners_and_admins_add_change_and_remove_staff_audited(client, db, login, staffed, who):
    login(staffed[who])
    spare = staffed["spare"]
    added = client.post("/studio/kursus-a/staff", data={"email": " S@Pelatih.id ", "role": "editor"})
    assert added.status_code == 302
    assert _staff(db, "kursus-a")["s@pelatih.id"] == "editor"
    assert client.post(f"/studio/kursus-a/staff/{spare.id}/role", data={"role": "owner"}).status_code == 302
    assert _staff(db, "kursus-a")["s@pelatih.id"] == "owner"
    assert client.post(f"/studio/kursus-a/staff/{spare.id}/remove").status_code == 302
    assert "s@pelatih.id" not in _staff(db, "kursus-a")
    events = db.session.execute(select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.subject_id,
                                       AuditEvent.detail).where(AuditEvent.action.like("course_staff.%"),
                                                                AuditEvent.subject_id == spare.id)
                                .order_by(AuditEvent.id)).all()
    actor = staffed[who].id
    assert [(a, by, sub) for a, by, sub, _d in events] == [
        ("course_staff.added", actor, spare.id), ("course_staff.role_changed", actor, spare.id),
        ("course_staff.removed", actor, spare.id)]
    assert events[0][3] == {"course": "kursus-a", "role": "editor"}
    assert events[1][3] == {"course": "kursus-a", "old": "editor", "role": "owner"}


def test_a_removed_trainer_loses_the_course_at_once(client, db, login, staffed):
    login(staffed["owner"])
    assert client.post(f"/studio/kursus-a/staff/{staffed['editor'].id}/remove").status_code == 302
    _relogin(client, login, staffed["editor"])
    assert client.get("/studio/kursus-a/").status_code == 403
    assert "/studio/kursus-a/" not in client.get("/studio/").text


def test_an_editor_made_owner_may_then_manage_staff(client, db, login, staffed):
    login(staffed["owner"])
    client.post(f"/studio/kursus-a/staff/{staffed['editor'].id}/role", data={"role": "owner"})
    _relogin(client, login, staffed["editor"])
    assert client.post("/studio/kursus-a/staff", data={"email": "s@pelatih.id", "role": "editor"}).status_code == 302


def test_staff_of_one_course_cannot_reach_staff_of_another_through_the_url(client, db, login, staffed):
    """Owner of A posting on A's URLs about B's editor: that person is not staff of A (404), B unchanged."""
    login(staffed["owner"])
    response = client.post(f"/studio/kursus-a/staff/{staffed['other_editor'].id}/remove")
    assert response.status_code == 404 and "bukan staf kursus ini" in response.text
    assert _staff(db, "kursus-b") == {"b@pelatih.id": "owner", "f@pelatih.id": "editor"}


# --- the last owner -------------------------------------------------------------------------------

def test_the_last_owner_can_neither_leave_nor_become_an_editor(client, db, login, staffed):
    login(staffed["owner"])
    owner_id = staffed["owner"].id
    removed = client.post(f"/studio/kursus-a/staff/{owner_id}/remove")
    assert removed.status_code == 409 and "paling sedikit satu pemilik" in removed.text
    demoted = client.post(f"/studio/kursus-a/staff/{owner_id}/role", data={"role": "editor"})
    assert demoted.status_code == 409 and "paling sedikit satu pemilik" in demoted.text
    assert _staff(db, "kursus-a")["a@pelatih.id"] == "owner"
    client.post(f"/studio/kursus-a/staff/{staffed['editor'].id}/role", data={"role": "owner"})
    assert client.post(f"/studio/kursus-a/staff/{owner_id}/role", data={"role": "editor"}).status_code == 302
    assert _staff(db, "kursus-a") == {"a@pelatih.id": "editor", "e@pelatih.id": "owner"}


# --- who can be added -----------------------------------------------------------------------------

@pytest.mark.parametrize("email, message", [
    ("tidak-ada@example.org", "Tidak ada akun aktif"),
    ("atasan@example.org", "akun atasan"),
    ("e@pelatih.id", "sudah menjadi staf"),
    ("peserta@example.org", "Hanya admin"),
])
def test_refused_additions_say_why_and_change_nothing(client, db, login, staffed, email, message):
    login(staffed["owner"])
    response = client.post("/studio/kursus-a/staff", data={"email": email, "role": "editor"})
    assert response.status_code in (400, 409) and message in response.text
    assert _staff(db, "kursus-a") == {"a@pelatih.id": "owner", "e@pelatih.id": "editor"}


def test_an_inactive_account_is_not_added(client, db, login, staffed, make_user):
    make_user("trainer", email="nonaktif@pelatih.id", active=False)
    login(staffed["owner"])
    response = client.post("/studio/kursus-a/staff", data={"email": "nonaktif@pelatih.id", "role": "editor"})
    assert response.status_code == 400 and "Tidak ada akun aktif" in response.text


def test_an_admin_adding_a_learner_makes_them_a_trainer_audited(client, db, login, staffed):
    login(staffed["admin"])
    learner = staffed["learner"]
    assert client.post("/studio/kursus-a/staff", data={"email": learner.email, "role": "editor"}).status_code == 302
    db.session.refresh(learner)
    assert learner.role == "trainer"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.updated",
                                                      AuditEvent.subject_id == learner.id))
    assert event.actor_id == staffed["admin"].id and event.detail["changes"] == {"role": "trainer"}
    _relogin(client, login, learner)
    assert client.get("/studio/kursus-a/").status_code == 200


# --- draft previews -------------------------------------------------------------------------------

def test_a_drafts_pages_and_quiz_preview_are_only_for_its_staff_and_admins(client, db, login, staffed):
    login(staffed["owner"])
    client.post("/studio/new", data={"slug": "kursus-draf", "title": "Kursus Draf"})
    urls = ["/studio/kursus-draf/", "/studio/kursus-draf/preview/quiz/pengantar",
            "/studio/kursus-draf/edit?path=01-pengantar.md", "/studio/kursus-draf/staff"]
    assert all(client.get(url).status_code == 200 for url in urls)
    for who in ("editor", "other_owner"):  # the editor of another course of the same owner is not staff here
        _relogin(client, login, staffed[who])
        assert [client.get(url).status_code for url in urls] == [403] * 4
    _relogin(client, login, staffed["learner"])
    assert [client.get(url).status_code for url in urls] == [403] * 4
    _relogin(client, login, staffed["admin"])
    assert [client.get(url).status_code for url in urls] == [200] * 4


# --- my courses -------------------------------------------------------------------------------------

def _finish_and_rate(client, login, user, slug, rating, comment):
    _relogin(client, login, user)
    client.post(f"/courses/{slug}/enroll")
    for n in range(1, 4):
        assert client.post(f"/courses/{slug}/modul-{n}/complete").status_code == 302
    assert client.post(f"/courses/{slug}/feedback", data={"rating": str(rating), "comment": comment}).status_code == 302


def test_my_courses_shows_state_version_learners_rating_and_links(client, db, login, staffed, make_user):
    _finish_and_rate(client, login, make_user(name="Rina Penilai"), "kursus-a", 4, "Sangat berguna")
    _finish_and_rate(client, login, make_user(), "kursus-a", 5, "  ")
    _relogin(client, login, make_user())
    client.post("/courses/kursus-a/enroll")
    _relogin(client, login, staffed["editor"])
    client.post("/studio/new", data={"slug": "kursus-draf", "title": "Kursus Draf"})
    page = client.get("/studio/").text
    assert "3 terdaftar, 2 selesai" in page and "4,5 dari 5 (2)" in page
    assert "draf, belum terbit" in page and "(penyunting)" in page and "(pemilik)" in page
    assert "/studio/kursus-a/results" in page and "/studio/kursus-a/staff" in page
    assert "/studio/kursus-b/" not in page
    results = client.get("/studio/kursus-a/results").text
    assert "Sangat berguna" in results and "Peserta selesai" in results
    assert "Rina Penilai" not in results  # comments without names


def test_my_courses_queries_do_not_grow_with_courses(client, db, login, staffed, write_course, sync, make_user,
                                                     count_queries):
    from elearn.services.course_staff import add_staff

    admin = staffed["admin"]
    login(staffed["owner"])
    few = count_queries(lambda: client.get("/studio/"))
    for n in range(5):
        write_course(f"kursus-tambah-{n}")
    sync()
    for n in range(5):
        add_staff(db.session, _course(db, f"kursus-tambah-{n}"), "a@pelatih.id", "editor", admin)
    db.session.commit()
    _finish_and_rate(client, login, make_user(), "kursus-tambah-0", 3, "ok")
    _relogin(client, login, staffed["owner"])
    many = count_queries(lambda: client.get("/studio/"))
    assert few == many <= 7
