"""Practice tasks: hand-in, review by a mentor or the course's trainer, resubmission history, the
completion rule for required tasks, who may see a hand-in, and learner text that cannot script."""
from __future__ import annotations

import textwrap
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.models import Completion, Course, Enrollment, MentorPair, Module, ModuleTask, TaskSubmission
from elearn.models._types import utcnow
from elearn.services.dates import local_today

TASK = textwrap.dedent("""\
    ---
    title: Rencana kelas literasi sekolah
    minutes: 60
    required: {required}
    rubric:
      - criterion: Tujuan jelas
        points: 5
        description: Menyebut sasaran dan hasil.
      - criterion: Jadwal realistis
        points: 5
    pass_points: 7
    ---
    Susun rencana kelas literasi untuk satu sekolah mitra.
    """)


def today():
    return local_today(utcnow(), "Asia/Makassar")


@pytest.fixture
def world(db, make_user, write_course, sync):
    people = {"learner": make_user(name="Lina Learner"), "other": make_user(name="Oki Other"),
              "mentor": make_user(name="Sri Senior"), "stranger": make_user(name="Sam Stranger"),
              "trainer": make_user("trainer", email="tia@example.org", name="Tia Trainer"),
              "other_trainer": make_user("trainer", email="toni@example.org", name="Toni Trainer"),
              "admin": make_user("admin", name="Ada Admin")}
    folder = write_course("kursus-t", modules=2, title="Kursus Tugas", extra_front="trainers: [tia@example.org]")
    (folder / "02-modul-2.task.md").write_text(TASK.format(required="true"), encoding="utf-8")
    optional = write_course("kursus-o", modules=1, title="Kursus Opsional")
    (optional / "01-modul-1.task.md").write_text(TASK.format(required="false"), encoding="utf-8")
    report = sync()
    assert not report.failed, report.problems
    db.session.add(MentorPair(mentor_id=people["mentor"].id, mentee_id=people["learner"].id, start_on=today()))
    db.session.commit()
    return people


def enroll_and_finish_modules(db, user, slug="kursus-t"):
    from elearn.services.enrollment import enroll, get_enrollment
    from elearn.services.progress import complete_module

    course = db.session.scalar(select(Course).where(Course.slug == slug))
    enroll(db.session, user.id, course)
    enrollment = get_enrollment(db.session, user.id, course.id)
    for module_id in db.session.scalars(select(Module.id).where(Module.course_id == course.id)):
        complete_module(db.session, user.id, enrollment, module_id)
    db.session.commit()
    return enrollment


def hand_in(client, text="## Rencana\n\nKelas **literasi** tiap Sabtu.", link="", slug="kursus-t", module="modul-2"):
    return client.post(f"/courses/{slug}/{module}/task/", data={"text": text, "link": link})


def review(client, submission_id, decision, comment="", points=(5, 5), comments=("", "")):
    """The review form as a reviewer posts it: points and a comment per rubric criterion, the decision and
    the overall comment."""
    data = {"decision": decision, "comment": comment}
    for n, (value, text) in enumerate(zip(points, comments)):
        data[f"criteria-{n}-points"] = "" if value is None else str(value)
        data[f"criteria-{n}-comment"] = text
    return client.post(f"/tasks/submissions/{submission_id}", data=data)


def latest(db, user):
    db.session.expire_all()
    return db.session.scalar(select(TaskSubmission).where(TaskSubmission.user_id == user.id)
                             .order_by(TaskSubmission.number.desc()))


def relogin(client, login, user):
    client.post("/logout")
    login(user)


def test_the_task_is_synced_and_linked_from_its_module(client, db, world, login):
    task = db.session.scalar(select(ModuleTask).join(Module).join(Course).where(Course.slug == "kursus-t"))
    assert task.title == "Rencana kelas literasi sekolah" and task.required and task.pass_points == 7
    assert [c["criterion"] for c in task.rubric] == ["Tujuan jelas", "Jadwal realistis"]
    enroll_and_finish_modules(db, world["other"])
    login(world["other"])
    module = client.get("/courses/kursus-t/modul-2/").get_data(as_text=True)
    assert "/courses/kursus-t/modul-2/task/" in module
    assert "/task/" not in client.get("/courses/kursus-t/modul-1/").get_data(as_text=True)
    page = client.get("/courses/kursus-t/modul-2/task/").get_data(as_text=True)
    assert "Susun rencana kelas literasi" in page and "Tujuan jelas" in page and "7 dari 10 poin" in page
    assert client.get("/courses/kursus-t/modul-1/task/").status_code == 404


def test_submit_return_resubmit_accept_completes_the_course_and_keeps_the_history(client, db, world, login):
    enrollment = enroll_and_finish_modules(db, world["learner"])
    assert db.session.get(Enrollment, enrollment.id).completed_at is None  # the required task is missing
    login(world["learner"])
    course_page = client.get("/courses/kursus-t/").get_data(as_text=True)
    assert "harus diterima sebelum kursus selesai" in course_page and "/courses/kursus-t/modul-2/task/" in course_page
    assert hand_in(client).status_code == 302
    first = latest(db, world["learner"])
    assert first.number == 1 and first.state == "submitted" and "<strong>literasi</strong>" in first.html
    refused = hand_in(client, text="lagi")  # waiting for review: nothing to hand in
    assert refused.status_code == 200 and "menunggu tinjauan" in refused.get_data(as_text=True)

    relogin(client, login, world["mentor"])
    board = client.get("/mentoring/").get_data(as_text=True)
    assert f"/tasks/submissions/{first.id}" in board
    no_comment = review(client, first.id, "revision", points=(3, 1))
    assert no_comment.status_code == 200 and 'aria-invalid="true"' in no_comment.get_data(as_text=True)
    assert review(client, first.id, "revision", "Tambahkan jadwal per minggu.", points=(3, 1)).status_code == 302
    assert latest(db, world["learner"]).state == "revision"

    relogin(client, login, world["learner"])
    assert "Tugas perlu revisi: Rencana kelas literasi sekolah" in client.get("/notifications/").get_data(as_text=True)
    page = client.get("/courses/kursus-t/modul-2/task/").get_data(as_text=True)
    assert "Tambahkan jadwal per minggu." in page and "Perlu revisi" in page
    assert hand_in(client, text="Rencana dengan jadwal mingguan.").status_code == 302
    second = latest(db, world["learner"])
    assert second.number == 2 and second.state == "submitted"

    relogin(client, login, world["mentor"])
    assert review(client, second.id, "accepted", "Bagus.", points=(5, 4)).status_code == 302
    again = review(client, second.id, "revision", "x")
    assert again.status_code == 200  # reviewed once: the first review stands
    db.session.expire_all()
    assert [s.state for s in db.session.scalars(select(TaskSubmission).order_by(TaskSubmission.number))] == \
        ["revision", "accepted"]
    assert db.session.get(Enrollment, enrollment.id).completed_at is not None
    assert db.session.scalar(select(Completion.id).where(Completion.user_id == world["learner"].id)) is not None
    relogin(client, login, world["learner"])
    assert "Tugas diterima: Rencana kelas literasi sekolah" in client.get("/notifications/").get_data(as_text=True)
    assert "harus diterima sebelum kursus selesai" not in client.get("/courses/kursus-t/").get_data(as_text=True)
    page = client.get("/courses/kursus-t/modul-2/task/").get_data(as_text=True)
    assert "sudah diterima" in page and "Kiriman ke-1" in page and "Kiriman ke-2" in page
    assert hand_in(client, text="sekali lagi").status_code == 200  # accepted: nothing more to hand in
    relogin(client, login, world["admin"])
    metrics = client.get("/reports/programme").get_data(as_text=True)
    assert "<dt>Tugas praktik dikirim</dt><dd>2</dd>" in metrics and "<dt>Tugas praktik diterima</dt><dd>1</dd>" in metrics
    from tabular import csv_rows
    rows = csv_rows(client.get("/reports/programme?format=csv").data)
    made, accepted = rows[0].index("Tugas praktik dikirim"), rows[0].index("Tugas praktik diterima")
    assert accepted == made + 1
    assert sum(int(r[made]) for r in rows[1:]) == 2 and sum(int(r[accepted]) for r in rows[1:]) == 1


def test_a_task_that_is_not_required_does_not_hold_back_completion(db, world):
    enrollment = enroll_and_finish_modules(db, world["learner"], "kursus-o")
    assert db.session.get(Enrollment, enrollment.id).completed_at is not None


def test_the_course_trainer_and_admins_review_but_not_other_trainers(client, db, world, login):
    enroll_and_finish_modules(db, world["other"])  # no mentor
    login(world["other"])
    hand_in(client)
    submission = latest(db, world["other"])
    for who, status in (("trainer", 200), ("admin", 200), ("other_trainer", 404), ("mentor", 404),
                        ("stranger", 404), ("learner", 404)):
        relogin(client, login, world[who])
        assert client.get(f"/tasks/submissions/{submission.id}").status_code == status, who
        waiting = client.get("/tasks/review").get_data(as_text=True)
        assert (f"/tasks/submissions/{submission.id}" in waiting) == (status == 200), who
    relogin(client, login, world["stranger"])
    assert review(client, submission.id, "accepted").status_code == 404
    assert latest(db, world["other"]).state == "submitted"


def test_the_learner_cannot_open_a_review_page_even_of_their_own_hand_in(client, db, world, login):
    enroll_and_finish_modules(db, world["learner"])
    login(world["learner"])
    hand_in(client)
    submission = latest(db, world["learner"])
    assert client.get(f"/tasks/submissions/{submission.id}").status_code == 404
    assert review(client, submission.id, "accepted").status_code == 404


def test_a_mentor_whose_pair_ended_cannot_review(client, db, world, login):
    pair = db.session.scalar(select(MentorPair))
    pair.start_on, pair.end_on = today() - timedelta(days=10), today() - timedelta(days=1)
    db.session.commit()
    enroll_and_finish_modules(db, world["learner"])
    login(world["learner"])
    hand_in(client)
    submission = latest(db, world["learner"])
    relogin(client, login, world["mentor"])
    assert client.get(f"/tasks/submissions/{submission.id}").status_code == 404
    assert f"/tasks/submissions/{submission.id}" not in client.get("/tasks/review").get_data(as_text=True)


def test_learner_text_cannot_script_and_links_must_be_web_addresses(client, db, world, login):
    enroll_and_finish_modules(db, world["learner"])
    login(world["learner"])
    bad_link = hand_in(client, link="javascript:alert(1)")
    assert bad_link.status_code == 200 and 'aria-invalid="true"' in bad_link.get_data(as_text=True)
    assert latest(db, world["learner"]) is None
    evil = '<script>alert(1)</script> <img src=x onerror=alert(2)> [klik](javascript:alert(3))'
    assert hand_in(client, text=evil, link="https://drive.example.org/rencana").status_code == 302
    submission = latest(db, world["learner"])
    for html in (client.get("/courses/kursus-t/modul-2/task/").get_data(as_text=True),):
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "javascript:" not in html
        assert "&lt;script&gt;" in html
    assert "<script" not in submission.html and "onerror" not in submission.html.replace("onerror=alert(2)&gt;", "")
    relogin(client, login, world["mentor"])
    review = client.get(f"/tasks/submissions/{submission.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in review and "javascript:" not in review
    assert 'href="https://drive.example.org/rencana"' in review


def test_only_enrolled_learners_hand_in(client, db, world, login):
    login(world["stranger"])
    response = hand_in(client)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(TaskSubmission.id)) is None


def test_a_reviewers_look_at_a_hand_in_is_recorded_for_the_learner(client, db, world, login):
    from elearn.services.privacy.access_log import accesses_to

    enroll_and_finish_modules(db, world["learner"])
    login(world["learner"])
    hand_in(client)
    submission = latest(db, world["learner"])
    relogin(client, login, world["trainer"])
    client.get(f"/tasks/submissions/{submission.id}")
    assert [(a.viewer, a.what) for a in accesses_to(db.session, world["learner"].id)] == [("Tia Trainer", "tasks")]


def test_a_retired_task_no_longer_holds_back_completion(db, world, sync, tmp_path):
    (tmp_path / "courses" / "kursus-t" / "02-modul-2.task.md").unlink()
    (tmp_path / "courses" / "kursus-o" / "01-modul-1.task.md").unlink()
    sync()
    task = db.session.scalar(select(ModuleTask).join(Module).join(Course).where(Course.slug == "kursus-t"))
    assert task.retired_at is not None
    enrollment = enroll_and_finish_modules(db, world["learner"])
    assert db.session.get(Enrollment, enrollment.id).completed_at is not None


def test_a_course_synced_before_tasks_existed_gets_its_tasks_on_the_next_sync(db, world, sync):
    from sqlalchemy import delete

    db.session.execute(delete(ModuleTask))
    db.session.commit()
    report = sync()  # the folder did not change: only the missing tasks make it sync again
    assert not report.failed
    titles = db.session.scalars(select(Course.slug).join(Module).join(ModuleTask, ModuleTask.module_id == Module.id))
    assert sorted(titles) == ["kursus-o", "kursus-t"]


# --- files handed in -------------------------------------------------------------------------------

HTML_AS_PDF = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PDF_WITH_SCRIPT = b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office_package(*members: str) -> bytes:
    """A ZIP with the named members (an OOXML package when ``[Content_Types].xml`` is among them)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in members:
            package.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = office_package("[Content_Types].xml", "word/document.xml")
DOCM = office_package("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")


def hand_in_files(client, files, text="Rencana terlampir."):
    import io

    data = {"text": text, "link": "", "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/courses/kursus-t/modul-2/task/", data=data, content_type="multipart/form-data")


def test_files_are_stored_and_only_ever_downloaded(client, db, world, login):
    from elearn.models import TaskFile

    enroll_and_finish_modules(db, world["learner"])
    login(world["learner"])
    response = hand_in_files(client, [("rencana.pdf", PDF_WITH_SCRIPT), ("foto kelas.png", PNG),
                                      ("../../jadwal kelas.docx", DOCX)])
    assert response.status_code == 302
    stored = db.session.scalars(select(TaskFile).order_by(TaskFile.id)).all()
    assert [(f.name, f.kind) for f in stored] == [("rencana.pdf", "pdf"), ("foto_kelas.png", "image"),
                                                  ("jadwal_kelas.docx", "docx")]
    page = client.get("/courses/kursus-t/modul-2/task/").get_data(as_text=True)
    assert f"/tasks/files/{stored[0].id}" in page
    for file, content in zip(stored, (PDF_WITH_SCRIPT, PNG, DOCX)):
        for who in ("learner", "mentor", "trainer", "admin"):
            relogin(client, login, world[who])
            got = client.get(f"/tasks/files/{file.id}")
            assert got.status_code == 200, who
            assert got.data == content
            assert got.headers["Content-Type"] == "application/octet-stream"
            assert got.headers["Content-Disposition"] == f'attachment; filename="{file.name}"'
            assert got.headers["X-Content-Type-Options"] == "nosniff"
            assert "script-src 'self'" in got.headers["Content-Security-Policy"]
        for who in ("other", "stranger", "other_trainer"):
            relogin(client, login, world[who])
            assert client.get(f"/tasks/files/{file.id}").status_code == 404, who
    relogin(client, login, world["mentor"])
    assert f"/tasks/files/{stored[2].id}" in client.get(f"/tasks/submissions/{stored[0].submission_id}").get_data(
        as_text=True)
    assert client.get("/tasks/files/999999").status_code == 404


@pytest.mark.parametrize("name, content", [("rencana.pdf", HTML_AS_PDF), ("logo.png", SVG),
                                           ("jadwal.docx", DOCM), ("arsip.docx", b"PK\x03\x04 not a zip")])
def test_a_file_is_judged_by_its_content_and_a_wrong_one_stores_nothing(client, db, world, login, name, content):
    from elearn.models import TaskFile

    enroll_and_finish_modules(db, world["learner"])
    login(world["learner"])
    refused = hand_in_files(client, [("baik.pdf", b"%PDF-1.4 baik"), (name, content)])
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and f"Berkas {name} bukan jenis yang diterima tugas ini" in body
    assert "PDF, DOCX, ODT, PNG/JPEG/GIF/WebP" in body  # the task's default kinds
    assert latest(db, world["learner"]) is None and db.session.scalar(select(TaskFile)) is None


def test_file_count_and_size_limits_are_form_errors(client, db, world, login, app):
    from elearn.models import TaskFile

    app.config.update(TASK_MAX_FILES=2, TASK_FILE_MAX_BYTES=1000)
    enroll_and_finish_modules(db, world["learner"])
    login(world["learner"])
    too_many = hand_in_files(client, [(f"b{n}.pdf", b"%PDF-1.4 x") for n in range(3)])
    assert too_many.status_code == 200 and "Terlalu banyak berkas" in too_many.get_data(as_text=True)
    too_big = hand_in_files(client, [("besar.pdf", b"%PDF-" + b"x" * 2000)])
    assert too_big.status_code == 200 and "Berkas besar.pdf terlalu besar" in too_big.get_data(as_text=True)
    assert latest(db, world["learner"]) is None and db.session.scalar(select(TaskFile)) is None
    assert hand_in_files(client, [("ok.pdf", b"%PDF-1.4 kecil")]).status_code == 302
    assert db.session.scalar(select(TaskFile.kind)) == "pdf"


def test_staff_rows_not_the_front_matter_decide_who_reviews(client, db, world, login):
    """Issue 14: an editor added in the studio reviews; a trainer removed from staff no longer does,
    though the front matter still names them."""
    from elearn.services.course_staff import add_staff, remove_staff

    course = db.session.scalar(select(Course).where(Course.slug == "kursus-t"))
    add_staff(db.session, course, world["other_trainer"].email, "owner", world["admin"])
    db.session.commit()
    remove_staff(db.session, course, world["trainer"].id, world["admin"])
    db.session.commit()
    enroll_and_finish_modules(db, world["other"])
    login(world["other"])
    hand_in(client)
    submission = latest(db, world["other"])
    for who, status in (("other_trainer", 200), ("trainer", 404)):
        relogin(client, login, world[who])
        assert client.get(f"/tasks/submissions/{submission.id}").status_code == status, who
