"""The trainer studio pages: who may open which course, and the draft buttons end to end (no JS)."""
from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from elearn.models import CourseVersion, Module

EDITED = "---\ntitle: Modul Dua Baru\nminutes: 12\n---\n## Bagian baru\n\nTeks **baru**.\n"


@pytest.fixture
def studio(db, write_course, sync, make_user):
    """Course A (trainer A staff), course B (trainer B staff); returns the users."""
    trainer_a = make_user("trainer", email="a@pelatih.id")
    trainer_b = make_user("trainer", email="b@pelatih.id")
    write_course("kursus-a", extra_front=f"trainers: [{trainer_a.email}]")
    write_course("kursus-b", extra_front=f"trainers: [{trainer_b.email}]")
    assert not sync().failed
    return {"a": trainer_a, "b": trainer_b, "learner": make_user(), "admin": make_user("admin"),
            "supervisor": make_user("supervisor")}


def _token(client, url):
    """Open the page the form is on (the suite runs without CSRF checks; the token stays in the forms)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return ""


def _sha(text: str) -> str:
    """The SHA-256 the editor carries after saving ``text``."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def _started(client, slug="kursus-a", path="02-modul-2.md") -> str:
    """The SHA-256 an editor opened now starts from (the hidden ``sha`` field of the edit page)."""
    page = client.get(f"/studio/{slug}/edit?path={path}")
    assert page.status_code == 200
    return re.search(r'name="sha" type="hidden" value="([0-9a-f]*)"', page.text)[1]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_trainer_sees_only_their_courses(client, login, studio):
    login(studio["a"])
    page = client.get("/studio/")
    assert page.status_code == 200
    assert "/studio/kursus-a/" in page.text and "/studio/kursus-b/" not in page.text


def test_admin_sees_every_course(client, login, studio):
    login(studio["admin"])
    page = client.get("/studio/")
    assert "/studio/kursus-a/" in page.text and "/studio/kursus-b/" in page.text
    assert client.get("/studio/kursus-b/").status_code == 200


@pytest.mark.parametrize("who", ["learner", "supervisor"])
def test_other_roles_may_not_open_the_studio(client, login, studio, who):
    login(studio[who])
    assert client.get("/studio/").status_code == 403
    assert client.get("/studio/kursus-a/").status_code == 403


def test_visitor_is_sent_to_login(client, studio):
    assert client.get("/studio/").status_code == 302


def test_trainer_of_a_cannot_see_or_touch_b(client, login, studio, db):
    login(studio["a"])
    token = _token(client, "/studio/kursus-a/")
    assert client.get("/studio/kursus-b/").status_code == 403
    assert client.get("/studio/kursus-b/edit?path=02-modul-2.md").status_code == 403
    assert client.get("/studio/kursus-b/versions/1.zip").status_code == 403
    edit = client.post("/studio/kursus-b/edit", data={"csrf_token": token, "path": "02-modul-2.md", "base": "1",
                                                      "text": EDITED, "action": "publish"})
    assert edit.status_code == 403
    upload = client.post("/studio/kursus-b/upload", data={
        "csrf_token": token, "base": "1", "action": "publish",
        "archive": (io.BytesIO(_zip({"course.md": b"x"})), "b.zip")}, content_type="multipart/form-data")
    assert upload.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2  # one per course, untouched


def test_unknown_course_and_version_are_404(client, login, studio):
    login(studio["a"])
    assert client.get("/studio/tidak-ada/").status_code == 404
    assert client.get("/studio/kursus-a/versions/9.zip").status_code == 404


def test_edit_check_preview_publish_without_javascript(client, login, studio, db):
    login(studio["a"])
    page = client.get("/studio/kursus-a/edit?path=02-modul-2.md")
    assert page.status_code == 200 and "Isi modul 2." in page.text
    token = ""
    form = {"csrf_token": token, "path": "02-modul-2.md", "note": "bagian baru"}
    broken_text = "---\ntitle: X\nminutes: lama\n---\n"

    broken = client.post("/studio/kursus-a/edit", data=form | {"text": broken_text, "action": "check",
                                                               "sha": _started(client)})
    assert broken.status_code == 422
    assert "<code>02-modul-2.md:3</code>" in broken.text
    assert 'href="/studio/kursus-a/edit?path=02-modul-2.md&amp;line=3"' in broken.text  # into the editor
    assert 'data-line="3"' in client.get("/studio/kursus-a/edit?path=02-modul-2.md&line=3").text  # cursor there

    refused = client.post("/studio/kursus-a/edit", data=form | {"text": broken_text, "action": "publish",
                                                                "sha": _sha(broken_text)})
    assert refused.status_code == 422 and "02-modul-2.md:3" in refused.text
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2

    preview = client.post("/studio/kursus-a/edit", data=form | {"text": EDITED, "action": "preview",
                                                                "sha": _sha(broken_text)})
    assert preview.status_code == 200
    assert "Pratinjau" in preview.text and "<strong>baru</strong>" in preview.text
    assert db.session.scalar(select(Module.title).where(Module.slug == "modul-2").limit(1)) == "Modul 2"

    published = client.post("/studio/kursus-a/edit", data=form | {"text": EDITED.replace("\n", "\r\n"),
                                                                  "action": "publish", "sha": _sha(EDITED)})
    assert published.status_code == 302
    history = client.get("/studio/kursus-a/")
    assert "bagian baru" in history.text and studio["a"].name in history.text
    learner_page = client.get("/courses/kursus-a/modul-2/")
    assert "Modul Dua Baru" in learner_page.text and "<strong>baru</strong>" in learner_page.text


def test_a_stale_editor_gets_a_conflict_not_an_overwrite(client, login, studio, db):
    login(studio["a"])
    token = _token(client, "/studio/kursus-a/")
    started = _started(client)
    form = {"csrf_token": token, "path": "02-modul-2.md", "action": "publish", "sha": started}
    assert client.post("/studio/kursus-a/edit", data=form | {"text": EDITED}).status_code == 302
    stale = client.post("/studio/kursus-a/edit", data=form | {"text": EDITED.replace("Teks", "Lain")})
    assert stale.status_code == 409
    assert "Lain" in stale.text  # the trainer's text is still on the page
    assert db.session.scalar(select(func.max(CourseVersion.number))) == 2


def test_download_round_trips_through_upload(client, login, studio, db):
    login(studio["a"])
    download = client.get("/studio/kursus-a/versions/1.zip")
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/zip"
    assert "kursus-a-v1.zip" in download.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert "kursus-a/course.md" in names
    token = _token(client, "/studio/kursus-a/")
    same = client.post("/studio/kursus-a/upload", data={
        "csrf_token": token, "base": "1", "action": "publish",
        "archive": (io.BytesIO(download.data), "kursus-a-v1.zip")}, content_type="multipart/form-data")
    assert same.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2  # same hash: no new version


def test_upload_publishes_a_new_version(client, login, studio, db):
    login(studio["a"])
    archive = zipfile.ZipFile(io.BytesIO(client.get("/studio/kursus-a/versions/1.zip").data))
    files = {name: archive.read(name) for name in archive.namelist()}
    files["kursus-a/02-modul-2.md"] = EDITED.encode()
    token = _token(client, "/studio/kursus-a/")
    data = {"csrf_token": token, "base": "1", "note": "dari zip"}
    preview = client.post("/studio/kursus-a/upload", data=data | {
        "action": "preview", "archive": (io.BytesIO(_zip(files)), "k.zip")}, content_type="multipart/form-data")
    assert preview.status_code == 200 and "Modul Dua Baru" in preview.text
    published = client.post("/studio/kursus-a/upload", data=data | {
        "action": "publish", "archive": (io.BytesIO(_zip(files)), "k.zip")}, content_type="multipart/form-data")
    assert published.status_code == 302
    assert "dari zip" in client.get("/studio/kursus-a/").text


@pytest.mark.parametrize("entries", [
    {"course.md": b"x", "../../etc/cron.d/x.md": b"y"},
    {"course.md": b"x", "assets/foto.png": b"<html><script>alert(1)</script></html>"},
    {"course.md": b"x", "assets/logo.svg": b"<svg onload='alert(1)'/>"},
    {"course.md": b"x", "01-a.md": b"\0" * (20 * 1024 * 1024)},
])
def test_dangerous_uploads_are_refused_with_a_message_and_store_nothing(client, login, studio, db, entries):
    login(studio["a"])
    token = _token(client, "/studio/kursus-a/")
    response = client.post("/studio/kursus-a/upload", data={
        "csrf_token": token, "base": "1", "action": "publish",
        "archive": (io.BytesIO(_zip(entries)), "k.zip")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'class="error"' in response.text
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2


def test_an_oversized_zip_is_refused_before_it_is_read(app, client, login, studio):
    app.config["STUDIO_ZIP_MAX_BYTES"] = 1000
    login(studio["a"])
    token = _token(client, "/studio/kursus-a/")
    response = client.post("/studio/kursus-a/upload", data={
        "csrf_token": token, "base": "1", "action": "check",
        "archive": (io.BytesIO(b"PK" + b"x" * 2000), "k.zip")}, content_type="multipart/form-data")
    assert response.status_code == 400 and "terlalu besar" in response.text


def test_editing_an_unsafe_path_is_refused(client, login, studio):
    login(studio["a"])
    assert client.get("/studio/kursus-a/edit?path=../kursus-b/course.md").status_code == 302
    token = _token(client, "/studio/kursus-a/")
    response = client.post("/studio/kursus-a/edit", data={"csrf_token": token, "path": "../x.md", "base": "1",
                                                          "text": "x", "action": "publish"})
    assert response.status_code == 400


def test_trainer_dashboard_links_to_the_studio(client, login, studio):
    login(studio["a"])
    assert 'href="/studio/"' in client.get("/").text
    client.post("/logout")
    login(studio["learner"])
    assert 'href="/studio/"' not in client.get("/").text


def _publish_edit(client):
    response = client.post("/studio/kursus-a/edit", data={"path": "02-modul-2.md", "sha": _started(client),
                                                          "text": EDITED, "action": "publish", "note": "v2"})
    assert response.status_code == 302


def test_diff_shows_the_change_between_two_versions(client, login, studio):
    login(studio["a"])
    _publish_edit(client)
    page = client.get("/studio/kursus-a/diff?from=1&to=2")
    assert page.status_code == 200
    assert "02-modul-2.md" in page.text and "course.md</code>" not in page.text  # unchanged files left out
    assert '<span class="add">+title: Modul Dua Baru</span>' in page.text
    assert '<span class="del">-title: Modul 2</span>' in page.text
    assert client.get("/studio/kursus-a/diff?from=1&to=7").status_code == 404
    assert client.get("/studio/kursus-b/diff?from=1&to=1").status_code == 403


def test_rollback_publishes_the_old_text_as_a_new_version(client, login, studio, db):
    login(studio["a"])
    _publish_edit(client)
    assert client.post("/studio/kursus-a/versions/1/rollback", data={"base": "2"}).status_code == 302
    version = db.session.scalar(select(CourseVersion).order_by(CourseVersion.id.desc()).limit(1))
    assert (version.number, version.note) == (3, "rollback to version 1")
    assert "<h1>Modul 2</h1>" in client.get("/courses/kursus-a/modul-2/").text
    stale = client.post("/studio/kursus-a/versions/2/rollback", data={"base": "2"})  # page showed v2, now v3
    assert stale.status_code == 302 and db.session.scalar(select(func.max(CourseVersion.number))) == 3
    assert client.post("/studio/kursus-b/versions/1/rollback", data={"base": "1"}).status_code == 403
    assert client.post("/studio/kursus-a/versions/9/rollback", data={"base": "3"}).status_code == 302


def test_live_preview_returns_the_rendered_draft_and_this_files_problems(client, login, studio, db):
    login(studio["a"])
    page = client.get("/studio/kursus-a/edit?path=02-modul-2.md")
    assert 'src="/static/js/studio.js"' in page.text and 'data-preview-url="/studio/kursus-a/preview.json"' in page.text
    good = client.post("/studio/kursus-a/preview.json", data={"path": "02-modul-2.md", "base": "1", "text": EDITED})
    assert good.status_code == 200 and good.json["ok"] and good.json["problems"] == []
    assert "<strong>baru</strong>" in good.json["html"] and "<h1>Modul Dua Baru</h1>" in good.json["html"]
    bad = client.post("/studio/kursus-a/preview.json", data={"path": "02-modul-2.md", "base": "1",
                                                             "text": "---\ntitle: X\nminutes: lama\n---\n"})
    assert not bad.json["ok"] and [(p["path"], p["line"]) for p in bad.json["problems"]] == [("02-modul-2.md", 3)]
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2  # nothing published
    assert client.post("/studio/kursus-b/preview.json", data={"path": "02-modul-2.md", "text": "x"}).status_code == 403
    assert client.post("/studio/kursus-a/preview.json", data={"path": "../x.md", "text": "x"}).status_code == 400


def test_retired_courses_leave_the_studio(client, login, studio, db):
    from elearn.models import Course
    from elearn.models._types import utcnow

    db.session.scalar(select(Course).where(Course.slug == "kursus-a")).retired_at = utcnow()
    db.session.commit()
    login(studio["a"])
    assert "/studio/kursus-a/" not in client.get("/studio/").text
    assert client.get("/studio/kursus-a/").status_code == 404


def test_course_page_links_to_its_question_statistics(client, login, studio, tmp_path, sync):
    quiz = "---\npass_mark: 50\n---\n## Soal\n\nPilih satu.\n\n- [x] Ya\n- [ ] Tidak\n"
    (tmp_path / "courses" / "kursus-a" / "01-modul-1.quiz.md").write_text(quiz, encoding="utf-8")
    assert not sync().failed
    login(studio["a"])
    page = client.get("/studio/kursus-a/")
    assert 'href="/courses/kursus-a/quiz/modul-1/stats"' in page.text
    assert client.get("/courses/kursus-a/quiz/modul-1/stats").status_code == 200


# --- a new course from the template -------------------------------------------------------------

def test_trainer_creates_a_course_from_the_template_hidden_until_published(client, login, studio, db):
    from elearn.models import Course
    from elearn.services.studio import check_draft, latest_files

    login(studio["a"])
    assert client.get("/studio/new").status_code == 200
    page = client.post("/studio/new", data={"slug": "kursus-baru", "title": "Kursus: Baru"})
    assert page.status_code == 302 and page.headers["Location"].endswith("/studio/kursus-baru/")
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-baru"))
    assert course.settings["trainers"] == ["a@pelatih.id"] and course.retired_at is not None
    from elearn.models import AuditEvent
    assert db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "studio.course_created")
                             ) == studio["a"].id
    number, files = latest_files(db.session, course)
    assert number is None and set(files) == {"course.md", "01-pengantar.md", "01-pengantar.quiz.md"}
    assert check_draft(db.session, course, files).ok  # the template passes `courses check`
    assert "trainers: [\"a@pelatih.id\"]" in files["course.md"].decode()
    studio_page = client.get("/studio/kursus-baru/")
    assert studio_page.status_code == 200 and "01-pengantar.quiz.md" in studio_page.text
    assert "/studio/kursus-baru/" in client.get("/studio/").text
    # not visible to learners, nor to another trainer
    client.post("/logout")
    login(studio["learner"])
    assert client.get("/courses/kursus-baru/").status_code == 404
    assert "kursus-baru" not in client.get("/courses/").text
    assert client.post("/courses/kursus-baru/enroll").status_code == 404
    assert client.get("/courses/kursus-baru/pengantar/").status_code == 404
    client.post("/logout")
    login(studio["b"])
    assert client.get("/studio/kursus-baru/").status_code == 403
    assert "/studio/kursus-baru/" not in client.get("/studio/").text
    # the creator publishes the template as version 1: now it is live
    client.post("/logout")
    login(studio["a"])
    published = client.post("/studio/kursus-baru/edit", data={
        "path": "01-pengantar.md", "sha": _started(client, "kursus-baru", "01-pengantar.md"), "action": "publish",
        "note": "pertama", "text": files["01-pengantar.md"].decode()})
    assert published.status_code == 302
    db.session.expire_all()
    assert course.retired_at is None
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)
                             .where(CourseVersion.course_id == course.id)) == 1
    client.post("/logout")
    login(studio["learner"])
    assert client.get("/courses/kursus-baru/").status_code == 200


def test_new_course_refuses_taken_or_bad_slugs(client, login, studio):
    login(studio["admin"])
    taken = client.post("/studio/new", data={"slug": "kursus-a", "title": "Lain"})
    assert taken.status_code == 400 and "sudah dipakai" in taken.text
    assert client.post("/studio/new", data={"slug": "Kursus Baru!", "title": "X"}).status_code == 400
    assert client.post("/studio/new", data={"slug": "ok-slug", "title": ""}).status_code == 400


@pytest.mark.parametrize("who", ["learner", "supervisor"])
def test_only_trainers_and_admins_create_courses(client, login, studio, db, who):
    from elearn.models import Course
    login(studio[who])
    assert client.get("/studio/new").status_code == 403
    assert client.post("/studio/new", data={"slug": "kursus-x", "title": "X"}).status_code == 403
    assert db.session.scalar(select(Course.id).where(Course.slug == "kursus-x")) is None


# --- taking the draft's quiz in preview ---------------------------------------------------------

def _new_course(client, login, user, slug="kursus-baru"):
    login(user)
    assert client.post("/studio/new", data={"slug": slug, "title": "Kursus Baru"}).status_code == 302


def test_preview_quiz_is_graded_from_the_draft_and_stores_nothing(client, login, studio, db):
    from elearn.models import QuizAttempt
    _new_course(client, login, studio["a"])
    page = client.get("/studio/kursus-baru/preview/quiz/pengantar")
    assert page.status_code == 200 and "Pratinjau" in page.text
    assert 'name="q-pertanyaan-pertama"' in page.text
    assert "Penjelasan yang ditampilkan setelah menjawab" not in page.text  # no answers before submitting
    assert "[x] Jawaban benar" not in page.text
    right = client.post("/studio/kursus-baru/preview/quiz/pengantar", data={"q-pertanyaan-pertama": "0"})
    assert right.status_code == 200
    assert "Nilai: 100%" in right.text and "Lulus" in right.text
    assert "Penjelasan yang ditampilkan setelah menjawab" in right.text
    wrong = client.post("/studio/kursus-baru/preview/quiz/pengantar", data={"q-pertanyaan-pertama": "1"})
    assert "Nilai: 0%" in wrong.text and "Belum lulus" in wrong.text
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 0


def test_preview_quiz_refused_to_others_and_unknown_quizzes(client, login, studio):
    _new_course(client, login, studio["a"])
    assert client.get("/studio/kursus-baru/preview/quiz/tidak-ada").status_code == 404
    assert client.get("/studio/tidak-ada/preview/quiz/pengantar").status_code == 404
    client.post("/logout")
    login(studio["b"])
    assert client.get("/studio/kursus-baru/preview/quiz/pengantar").status_code == 403
    assert client.post("/studio/kursus-baru/preview/quiz/pengantar", data={"q-pertanyaan-pertama": "0"}
                       ).status_code == 403
    client.post("/logout")
    login(studio["learner"])
    assert client.get("/studio/kursus-baru/preview/quiz/pengantar").status_code == 403
