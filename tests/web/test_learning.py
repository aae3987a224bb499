"""The learner journey: enrollment, prerequisites, locks, progress, continue, dashboard."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from elearn.models import Enrollment, ModuleProgress


def _enroll(client, slug="kursus-uji"):
    return client.post(f"/courses/{slug}/enroll")


def test_anonymous_users_are_sent_to_login(client, write_course, sync):
    write_course()
    sync()
    for url in ("/courses/kursus-uji/modul-1/", "/courses/kursus-uji/continue", "/account", "/account/password"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in ("/courses/kursus-uji/enroll", "/courses/kursus-uji/leave", "/courses/kursus-uji/modul-1/complete"):
        response = client.post(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_learner_must_enroll_before_reading_modules(client, write_course, sync, make_user, login):
    write_course()
    sync()
    login(make_user())
    response = client.get("/courses/kursus-uji/modul-1/")
    assert response.status_code == 302 and response.headers["Location"] == "/courses/kursus-uji/"
    assert _enroll(client).status_code == 302
    assert client.get("/courses/kursus-uji/modul-1/").status_code == 200


def test_trainer_previews_without_enrolling_and_nothing_is_recorded(client, db, write_course, sync, make_user, login):
    write_course()
    sync()
    login(make_user("trainer"))
    html = client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    assert "Pratinjau" in html and "Tandai selesai" not in html
    assert db.session.scalar(select(ModuleProgress.id)) is None


def test_enrolling_twice_is_idempotent_and_leaving_keeps_progress(client, db, write_course, sync, make_user, login):
    write_course()
    sync()
    user = make_user()
    login(user)
    _enroll(client)
    _enroll(client)
    assert len(db.session.scalars(select(Enrollment)).all()) == 1
    client.post("/courses/kursus-uji/modul-1/complete")
    client.post("/courses/kursus-uji/leave")
    assert client.get("/courses/kursus-uji/modul-2/").status_code == 302
    _enroll(client)
    html = client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert 'value="16"' in html  # module 1: 10 of 60 minutes -> 16 %


def test_prerequisites_block_enrollment_with_named_courses(client, db, write_course, sync, make_user, login):
    write_course("dasar-dasar", title="Dasar-dasar Perpustakaan", modules=1)
    write_course("lanjutan", extra_front="prerequisites: [dasar-dasar]")
    sync()
    login(make_user())
    response = _enroll(client, "lanjutan")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dasar-dasar Perpustakaan" in html and "prasyarat" in html
    assert db.session.scalar(select(Enrollment.id)) is None
    _enroll(client, "dasar-dasar")
    client.post("/courses/dasar-dasar/modul-1/complete")
    _enroll(client, "lanjutan")
    assert len(db.session.scalars(select(Enrollment)).all()) == 2


def test_module_requires_locks_until_complete(client, write_course, sync, make_user, login):
    bodies = {}
    folder = write_course(modules=2, bodies=bodies)
    (folder / "02-modul-2.md").write_text("---\ntitle: Modul 2\nminutes: 20\nrequires: [modul-1]\n---\nIsi.\n")
    sync()
    login(make_user())
    _enroll(client)
    response = client.get("/courses/kursus-uji/modul-2/")
    assert response.status_code == 403
    assert "Modul 1" in response.get_data(as_text=True)
    response = client.post("/courses/kursus-uji/modul-2/complete", follow_redirects=True)
    assert "masih terkunci" in response.get_data(as_text=True)
    client.post("/courses/kursus-uji/modul-1/complete")
    assert client.get("/courses/kursus-uji/modul-2/").status_code == 200


def test_progress_is_weighted_by_minutes_and_completes_course(client, db, write_course, sync, make_user, login):
    write_course(modules=3)  # 10, 20, 30 minutes
    sync()
    login(make_user())
    _enroll(client)
    client.get("/courses/kursus-uji/modul-2/")
    response = client.post("/courses/kursus-uji/modul-2/complete")
    assert response.headers["Location"] == "/courses/kursus-uji/modul-1/"  # next open module
    html = client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert 'value="33"' in html
    client.post("/courses/kursus-uji/modul-1/complete")
    response = client.post("/courses/kursus-uji/modul-3/complete", follow_redirects=True)
    assert "Selamat! Anda telah menyelesaikan kursus" in response.get_data(as_text=True)
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.completed_at is not None


def test_module_view_records_started_and_last_seen(client, db, write_course, sync, make_user, login):
    write_course()
    sync()
    login(make_user())
    _enroll(client)
    client.get("/courses/kursus-uji/modul-2/")
    progress = db.session.scalar(select(ModuleProgress))
    assert progress.started_at is not None and progress.completed_at is None
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.last_module_id == progress.module_id


def test_continue_goes_to_last_viewed_module(client, write_course, sync, make_user, login):
    write_course()
    sync()
    login(make_user())
    _enroll(client)
    assert client.get("/courses/kursus-uji/continue").headers["Location"] == "/courses/kursus-uji/modul-1/"
    client.get("/courses/kursus-uji/modul-3/")
    assert client.get("/courses/kursus-uji/continue").headers["Location"] == "/courses/kursus-uji/modul-3/"


def test_progress_survives_resync_and_retired_module_no_longer_counts(client, db, write_course, sync, make_user,
                                                                      login):
    folder = write_course(modules=3)
    sync()
    login(make_user())
    _enroll(client)
    client.post("/courses/kursus-uji/modul-1/complete")
    client.post("/courses/kursus-uji/modul-2/complete")
    (folder / "01-modul-1.md").write_text("---\ntitle: Modul 1 (revisi)\nminutes: 10\n---\nBaru.\n")
    (folder / "03-modul-3.md").unlink()
    sync()
    html = client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert "Modul 1 (revisi)" in html
    assert 'value="100"' in html


def test_a_learner_cannot_complete_for_someone_else(client, db, write_course, sync, make_user, login):
    write_course()
    sync()
    other = make_user()
    login(other)
    _enroll(client)
    client.post("/logout")
    me = make_user()
    login(me)
    client.post("/courses/kursus-uji/modul-1/complete")  # not enrolled
    assert db.session.scalar(select(ModuleProgress.id)) is None


def test_dashboard_shows_courses_continue_and_hours_this_year(client, db, write_course, sync, make_user, login):
    write_course("satu", title="Kursus Satu", modules=1)
    write_course("dua", title="Kursus Dua", modules=2)
    sync()
    user = make_user()
    login(user)
    _enroll(client, "satu")
    _enroll(client, "dua")
    client.post("/courses/satu/modul-1/complete")
    client.get("/courses/dua/modul-2/")
    html = client.get("/").get_data(as_text=True)
    year = datetime.now(timezone.utc).year
    assert f"Jam pelajaran tahun {year}" in html and "4 dari 20 JP" in html  # toward ANNUAL_JP_TARGET
    assert "Kursus Satu" in html and "Kursus Dua" in html
    assert 'href="/courses/dua/continue"' in html


def test_dashboard_counts_only_this_years_hours_in_local_time(db, write_course, sync, make_user):
    from elearn.services.catalog import get_course
    from elearn.services.completion import record_completion
    from elearn.services.enrollment import enroll
    from elearn.services.learning import get_dashboard

    write_course(modules=1)
    sync()
    user = make_user()
    enrollment = enroll(db.session, user.id, get_course(db.session, "kursus-uji"))
    # 31 Dec 2025 17:00 UTC is already 1 Jan 2026 01:00 in Asia/Makassar (UTC+8)
    enrollment.completed_at = datetime(2025, 12, 31, 17, 0, tzinfo=timezone.utc)
    record_completion(db.session, enrollment)
    db.session.commit()
    board = get_dashboard(db.session, user.id, datetime(2026, 6, 1, tzinfo=timezone.utc), "Asia/Makassar")
    assert board.hours_this_year == 4
    board = get_dashboard(db.session, user.id, datetime(2026, 6, 1, tzinfo=timezone.utc), "UTC")
    assert board.hours_this_year == 0


def test_catalogue_filters_by_topic_level_and_language(client, write_course, sync):
    write_course("a", title="Kursus A", extra_front="")
    folder = write_course("b", title="Kursus B")
    text = (folder / "course.md").read_text().replace("level: dasar", "level: lanjut").replace(
        "topics: [uji]", "topics: [metadata]").replace("language: id", "language: en")
    (folder / "course.md").write_text(text)
    sync()
    html = client.get("/courses/?topic=metadata").get_data(as_text=True)
    assert "Kursus B" in html and "Kursus A" not in html
    html = client.get("/courses/?level=dasar").get_data(as_text=True)
    assert "Kursus A" in html and "Kursus B" not in html
    html = client.get("/courses/?language=en").get_data(as_text=True)
    assert "Kursus B" in html and "Kursus A" not in html
    html = client.get("/courses/?q=METADATA").get_data(as_text=True)  # topics are searched too
    assert "Kursus B" in html and "Kursus A" not in html


def test_progress_includes_the_final_exam_and_is_the_same_on_every_page(client, db, write_course, sync, make_user,
                                                                         login):
    folder = write_course(modules=2)
    (folder / "exam.quiz.md").write_text("---\npass_mark: 50\n---\n## Soal\n\nPilih A.\n\n- [x] A\n- [ ] B\n",
                                         encoding="utf-8")
    sync()
    login(make_user())
    _enroll(client)
    client.post("/courses/kursus-uji/modul-1/complete")
    client.post("/courses/kursus-uji/modul-2/complete")
    # both modules done, exam not taken: 30 of 30 module minutes + an exam step of 15 → 66 %
    course_page = client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert 'value="66"' in course_page and 'value="100"' not in course_page
    assert 'value="66"' in client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    assert 'value="66"' in client.get("/").get_data(as_text=True)


def test_exam_opens_after_every_module(client, db, write_course, sync, make_user, login):
    folder = write_course(modules=1)
    (folder / "exam.quiz.md").write_text("---\npass_mark: 50\n---\n## Soal\n\nPilih A.\n\n- [x] A\n- [ ] B\n",
                                         encoding="utf-8")
    sync()
    login(make_user())
    _enroll(client)
    overview = client.get("/courses/kursus-uji/quiz/exam/").get_data(as_text=True)
    assert "dapat dimulai setelah semua modul selesai" in overview
    refused = client.post("/courses/kursus-uji/quiz/exam/start", follow_redirects=True)
    assert "dapat dimulai setelah semua modul selesai" in refused.get_data(as_text=True)
    client.post("/courses/kursus-uji/modul-1/complete")
    assert client.post("/courses/kursus-uji/quiz/exam/start").headers["Location"].startswith("/attempts/")


def test_dashboard_does_not_say_no_courses_above_completed_ones(client, db, write_course, sync, make_user, login):
    write_course(modules=1)
    sync()
    login(make_user())
    _enroll(client)
    client.post("/courses/kursus-uji/modul-1/complete")
    html = client.get("/").get_data(as_text=True)
    assert "Kursus selesai" in html and "Anda belum mengikuti kursus apa pun" not in html
    assert "Tidak ada kursus yang sedang berjalan" in html


def test_a_completed_course_cannot_be_left_and_leaving_asks_first(client, db, write_course, sync, make_user, login):
    write_course("satu", modules=1)
    write_course("dua", modules=2)
    sync()
    login(make_user())
    _enroll(client, "satu")
    _enroll(client, "dua")
    client.post("/courses/satu/modul-1/complete")
    page = client.get("/courses/satu/").get_data(as_text=True)
    assert "Keluar dari kursus" not in page
    client.post("/courses/satu/leave")
    assert "4 JP" in client.get("/").get_data(as_text=True)  # the completion stays everywhere
    assert "Anda menyelesaikan kursus ini" in client.get("/courses/satu/").get_data(as_text=True)
    confirm = client.get("/courses/dua/leave").get_data(as_text=True)
    assert "Ya, keluar dari kursus" in confirm  # a confirmation page, no JavaScript needed
    assert "Kursus dua" in client.get("/").get_data(as_text=True)  # asking did not leave
    client.post("/courses/dua/leave")
    assert 'href="/courses/dua/continue"' not in client.get("/").get_data(as_text=True)
