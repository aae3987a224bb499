"""Practice tasks scored with their rubric: points and a comment per criterion, the pass mark that
acceptance needs, the scores kept with every hand-in of the history and seen only by the learner and
their reviewers; and the file rules each task gives (max_files capped by the site, allowed kinds by content)."""
from __future__ import annotations

import textwrap

import pytest
from sqlalchemy import select

from elearn.models import Course, Module, ModuleTask, TaskFile, TaskScore, TaskSubmission
from tests.web.test_tasks import PNG, enroll_and_finish_modules, hand_in, latest, relogin, review, world

__all__ = ["world"]  # the fixture, shared with test_tasks.py


def scores(db, submission):
    db.session.expire_all()
    return [(s.criterion, s.max_points, s.points, s.comment) for s in db.session.scalars(
        select(TaskScore).where(TaskScore.submission_id == submission.id).order_by(TaskScore.position))]


def handed_in(client, db, world, login, who="learner"):
    enroll_and_finish_modules(db, world[who])
    login(world[who])
    assert hand_in(client).status_code == 302
    return latest(db, world[who])


def test_each_review_stores_points_and_comments_per_criterion_and_the_history_shows_them(client, db, world, login):
    first = handed_in(client, db, world, login)
    relogin(client, login, world["mentor"])
    form = client.get(f"/tasks/submissions/{first.id}").get_data(as_text=True)
    assert 'name="criteria-0-points"' in form and 'max="5"' in form and 'name="criteria-1-comment"' in form
    assert review(client, first.id, "revision", "Lengkapi jadwalnya.", points=(4, 1),
                  comments=("Tujuan sudah jelas.", "Jadwal belum ada.")).status_code == 302
    assert scores(db, first) == [("Tujuan jelas", 5, 4, "Tujuan sudah jelas."),
                                 ("Jadwal realistis", 5, 1, "Jadwal belum ada.")]
    assert latest(db, world["learner"]).pass_points == 7

    relogin(client, login, world["learner"])
    page = client.get("/courses/kursus-t/modul-2/task/").get_data(as_text=True)
    assert "Jadwal belum ada." in page and "1 dari 5" in page and "Jumlah: 5 dari 10 poin" in page
    assert "di bawah batas lulus 7" in page and "Lengkapi jadwalnya." in page
    assert hand_in(client, text="Rencana dengan jadwal mingguan.").status_code == 302
    second = latest(db, world["learner"])

    relogin(client, login, world["trainer"])
    assert review(client, second.id, "accepted", "Bagus.", points=(5, 4),
                  comments=("", "Jadwal realistis.")).status_code == 302
    assert [p for _c, _m, p, _t in scores(db, second)] == [5, 4] and len(scores(db, first)) == 2
    history = client.get(f"/tasks/submissions/{second.id}").get_data(as_text=True)
    assert "Jumlah: 9 dari 10 poin" in history and "mencapai batas lulus 7" in history
    assert "Jumlah: 5 dari 10 poin" in history and "Jadwal belum ada." in history  # the earlier review stays
    relogin(client, login, world["learner"])
    page = client.get("/courses/kursus-t/modul-2/task/").get_data(as_text=True)
    assert "Jumlah: 9 dari 10 poin" in page and "Jumlah: 5 dari 10 poin" in page


def test_accepting_below_the_pass_mark_is_refused_with_the_total(client, db, world, login):
    submission = handed_in(client, db, world, login)
    relogin(client, login, world["mentor"])
    refused = review(client, submission.id, "accepted", points=(3, 3))
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Jumlah poin 6 di bawah batas lulus 7" in body
    assert latest(db, world["learner"]).state == "submitted" and scores(db, submission) == []
    assert 'value="3"' in body  # what the reviewer typed stays in the form
    assert review(client, submission.id, "accepted", points=(4, 3)).status_code == 302  # exactly the pass mark
    assert latest(db, world["learner"]).state == "accepted"


def test_a_return_below_the_pass_mark_is_fine_but_needs_a_comment(client, db, world, login):
    submission = handed_in(client, db, world, login)
    relogin(client, login, world["mentor"])
    assert "Tuliskan apa yang perlu direvisi" in review(client, submission.id, "revision", points=(0, 0)).get_data(
        as_text=True)
    assert review(client, submission.id, "revision", points=(0, 0), comments=("", "Belum ada jadwal.")).status_code == 302
    assert latest(db, world["learner"]).state == "revision"


@pytest.mark.parametrize("points, message", [((None, 5), "Beri poin untuk kriteria ini."),
                                             ((6, 5), "Poin harus bilangan bulat 0 sampai 5."),
                                             ((5, -1), "Poin harus bilangan bulat 0 sampai 5."),
                                             (("lima", 5), "Isi dengan bilangan bulat.")])
def test_every_criterion_needs_whole_points_within_its_maximum(client, db, world, login, points, message):
    submission = handed_in(client, db, world, login)
    relogin(client, login, world["mentor"])
    response = review(client, submission.id, "accepted", points=points)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and message in body and 'aria-invalid="true"' in body
    assert latest(db, world["learner"]).state == "submitted" and scores(db, submission) == []


def test_a_form_for_another_rubric_is_refused(client, db, world, login):
    submission = handed_in(client, db, world, login)
    relogin(client, login, world["mentor"])
    response = review(client, submission.id, "accepted", points=(5, 5, 5), comments=("", "", ""))
    assert response.status_code == 200 and "Rubrik tugas berubah" in response.get_data(as_text=True)
    assert latest(db, world["learner"]).state == "submitted"


def test_only_the_learner_and_their_reviewers_see_the_scores(client, db, world, login):
    submission = handed_in(client, db, world, login)
    relogin(client, login, world["mentor"])
    review(client, submission.id, "revision", "Komentar rahasia keseluruhan.", points=(2, 1),
           comments=("Catatan khusus Lina.", ""))
    enroll_and_finish_modules(db, world["other"])
    relogin(client, login, world["other"])
    own_page = client.get("/courses/kursus-t/modul-2/task/").get_data(as_text=True)
    assert "Catatan khusus Lina." not in own_page and "Jumlah:" not in own_page
    assert client.get(f"/tasks/submissions/{submission.id}").status_code == 404
    for who in ("stranger", "other_trainer"):
        relogin(client, login, world[who])
        assert client.get(f"/tasks/submissions/{submission.id}").status_code == 404, who
    for who in ("mentor", "trainer", "admin"):
        relogin(client, login, world[who])
        page = client.get(f"/tasks/submissions/{submission.id}").get_data(as_text=True)
        assert "Catatan khusus Lina." in page and "Jumlah: 3 dari 10 poin" in page, who


def test_the_service_decides_the_total_and_the_pass_in_one_place():
    from elearn.services.tasks import rubric_result

    result = rubric_result([4, 3], [5, 5], 7)
    assert (result.total, result.max_total, result.passed) == (7, 10, True)
    assert not rubric_result([4, 2], [5, 5], 7).passed


# --- each task's file rules -------------------------------------------------------------------------

LIMITED = textwrap.dedent("""\
    ---
    title: Foto pojok baca
    minutes: 30
    required: false
    max_files: {max_files}
    allowed: [image]
    rubric:
      - criterion: Foto jelas
        points: 4
    ---
    Potret pojok baca Anda.
    """)


@pytest.fixture
def limited(world, write_course, sync):
    def make(max_files: int):
        folder = write_course("kursus-f", modules=1, title="Kursus Foto")
        (folder / "01-modul-1.task.md").write_text(LIMITED.format(max_files=max_files), encoding="utf-8")
        assert not sync().failed
    return make


def hand_in_photos(client, files):
    import io

    data = {"text": "Foto terlampir.", "link": "",
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/courses/kursus-f/modul-1/task/", data=data, content_type="multipart/form-data")


def test_the_task_file_rules_are_synced(db, limited):
    limited(2)
    task = db.session.scalar(select(ModuleTask).join(Module).join(Course).where(Course.slug == "kursus-f"))
    assert (task.max_files, task.allowed, task.pass_points) == (2, ["image"], 3)


def test_a_task_accepts_only_its_kinds_and_its_number_of_files(client, db, world, login, limited):
    limited(1)
    enroll_and_finish_modules(db, world["learner"], "kursus-f")
    login(world["learner"])
    page = client.get("/courses/kursus-f/modul-1/task/").get_data(as_text=True)
    assert "Paling banyak 1 berkas (PNG/JPEG/GIF/WebP)" in page
    pdf = hand_in_photos(client, [("foto.pdf", b"%PDF-1.4 bukan foto")])
    assert pdf.status_code == 200 and "Berkas foto.pdf bukan jenis yang diterima tugas ini (PNG/JPEG/GIF/WebP)" in \
        pdf.get_data(as_text=True)
    two = hand_in_photos(client, [("a.png", PNG), ("b.png", PNG)])
    assert two.status_code == 200 and "Terlalu banyak berkas untuk tugas ini" in two.get_data(as_text=True)
    assert db.session.scalar(select(TaskSubmission.id)) is None and db.session.scalar(select(TaskFile.id)) is None
    assert hand_in_photos(client, [("a.png", PNG)]).status_code == 302
    assert db.session.scalar(select(TaskFile.kind)) == "image"


def test_the_site_setting_caps_what_a_task_asks_for(client, db, world, login, limited, app):
    limited(3)
    app.config.update(TASK_MAX_FILES=1)
    enroll_and_finish_modules(db, world["learner"], "kursus-f")
    login(world["learner"])
    assert "Paling banyak 1 berkas" in client.get("/courses/kursus-f/modul-1/task/").get_data(as_text=True)
    two = hand_in_photos(client, [("a.png", PNG), ("b.png", PNG)])
    assert two.status_code == 200 and "Terlalu banyak berkas untuk tugas ini" in two.get_data(as_text=True)


def test_a_text_only_task_takes_no_files(client, db, world, login, limited):
    limited(0)
    enroll_and_finish_modules(db, world["learner"], "kursus-f")
    login(world["learner"])
    page = client.get("/courses/kursus-f/modul-1/task/").get_data(as_text=True)
    assert "tanpa berkas" in page and 'name="files"' not in page
    assert hand_in_photos(client, [("a.png", PNG)]).status_code == 200
    assert db.session.scalar(select(TaskSubmission.id)) is None


def test_tasks_stored_before_their_file_rules_are_refreshed_by_the_next_sync(db, world, sync):
    from sqlalchemy import update

    db.session.execute(update(ModuleTask).values(source_sha256="", max_files=3, allowed=["pdf"]))
    db.session.commit()
    assert not sync().failed  # the folder did not change: the stale tasks alone make it sync again
    db.session.expire_all()
    assert all(t.source_sha256 and t.allowed == ["pdf", "docx", "odt", "image"]
               for t in db.session.scalars(select(ModuleTask)))


def test_the_scores_are_in_the_learners_archive_only_and_their_comments_go_on_anonymisation(client, db, world, login):
    from elearn.services.privacy.anonymise import anonymise_person
    from elearn.services.privacy.export import collect

    submission = handed_in(client, db, world, login)
    relogin(client, login, world["mentor"])
    review(client, submission.id, "revision", "Perbaiki.", points=(2, 1), comments=("Catatan untuk Lina.", ""))
    mine = collect(db.session, world["learner"].id)["task_scores"]
    assert [(r["criterion"], r["points"], r["comment"]) for r in mine] == [
        ("Tujuan jelas", 2, "Catatan untuk Lina."), ("Jadwal realistis", 1, "")]
    assert collect(db.session, world["mentor"].id)["task_scores"] == []
    anonymise_person(db.session, world["learner"].id, actor_id=world["admin"].id)
    db.session.commit()
    assert scores(db, submission) == [("Tujuan jelas", 5, 2, ""), ("Jadwal realistis", 5, 1, "")]
