"""Syncing course folders into the database."""
from __future__ import annotations

from sqlalchemy import select

from elearn.models import Course, Module


def _modules(db, slug="kursus-uji"):
    return {m.slug: m for m in db.session.scalars(select(Module).join(Course).where(Course.slug == slug))}


def test_first_sync_adds_course_and_modules(db, write_course, sync):
    write_course(modules=3)
    report = sync()
    assert report.count("added") == 1
    assert report.module_total("modules_added") == 3
    course = db.session.scalar(select(Course))
    assert course.title == "Kursus kursus-uji" and course.hours == 4
    assert [m.slug for m in course.modules] == ["modul-1", "modul-2", "modul-3"]
    assert "<h2 id=\"c-bagian-1\">" in course.modules[0].html


def test_unchanged_resync_renders_nothing(db, write_course, sync):
    write_course()
    sync()
    report = sync()
    assert report.count("unchanged") == 1
    assert report.rendered_modules == 0
    assert report.module_total("modules_unchanged") == 3


def test_changed_module_is_updated_and_keeps_its_identity(db, write_course, sync):
    folder = write_course()
    sync()
    before = _modules(db)["modul-2"].id
    (folder / "02-modul-2.md").write_text("---\ntitle: Modul Dua Baru\nminutes: 15\n---\nBaru.\n")
    report = sync()
    assert report.count("updated") == 1
    assert report.module_total("modules_updated") == 1
    assert report.module_total("modules_unchanged") == 2
    module = _modules(db)["modul-2"]
    assert module.id == before
    assert module.title == "Modul Dua Baru"


def test_renumbered_module_keeps_identity(db, write_course, sync):
    folder = write_course(modules=2)
    sync()
    before = _modules(db)["modul-2"].id
    (folder / "02-modul-2.md").rename(folder / "05-modul-2.md")
    sync()
    module = _modules(db)["modul-2"]
    assert module.id == before and module.position == 5


def test_removed_module_is_retired_not_deleted_and_comes_back(db, write_course, sync):
    folder = write_course()
    sync()
    text = (folder / "03-modul-3.md").read_text()
    (folder / "03-modul-3.md").unlink()
    report = sync()
    assert report.module_total("modules_retired") == 1
    module = _modules(db)["modul-3"]
    assert module.retired_at is not None
    (folder / "03-modul-3.md").write_text(text)
    sync()
    db.session.refresh(module)
    assert module.retired_at is None


def test_broken_course_keeps_previous_version_and_others_still_sync(db, write_course, sync):
    folder = write_course()
    sync()
    (folder / "course.md").write_text("---\ntitle: [unclosed\n---\n")
    write_course("kursus-lain")
    report = sync()
    assert report.failed
    assert {c.slug: c.outcome for c in report.courses}["kursus-uji"] == "failed"
    assert {c.slug: c.outcome for c in report.courses}["kursus-lain"] == "added"
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-uji"))
    assert course.title == "Kursus kursus-uji"
    assert len([m for m in course.modules if m.retired_at is None]) == 3


def test_course_broken_only_at_render_time_fails_alone(db, write_course, sync):
    folder = write_course()
    sync()
    (folder / "01-modul-1.md").write_text("---\ntitle: Modul 1\nminutes: 10\n---\nLihat [x](09-tidak-ada.md).\n")
    write_course("kursus-lain")
    report = sync()
    assert {c.slug: c.outcome for c in report.courses} == {"kursus-uji": "failed", "kursus-lain": "added"}
    assert [str(p) for p in report.problems] == [
        "courses/kursus-uji/01-modul-1.md:5: error: link to a missing module file '09-tidak-ada.md'"]
    assert db.session.scalar(select(Course).where(Course.slug == "kursus-uji")).retired_at is None


def test_vanished_course_folder_is_retired(db, write_course, sync, tmp_path):
    import shutil

    folder = write_course()
    write_course("kursus-lain")
    sync()
    shutil.rmtree(folder)
    report = sync()
    assert report.count("retired") == 1
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-uji"))
    assert course.retired_at is not None


def test_assets_are_stored_updated_and_removed(db, write_course, sync):
    from elearn.models import CourseAsset

    folder = write_course()
    (folder / "assets").mkdir()
    (folder / "assets" / "a.png").write_bytes(b"one")
    sync()
    assert db.session.scalar(select(CourseAsset.content)) == b"one"
    (folder / "assets" / "a.png").write_bytes(b"two")
    sync()
    assert db.session.scalar(select(CourseAsset.content)) == b"two"
    (folder / "assets" / "a.png").unlink()
    sync()
    assert db.session.scalar(select(CourseAsset.id)) is None


GLOSSARY = "---\ntitle: Glosarium\n---\nMetadata\n:   Data tentang data.\n"
TASK = ("---\ntitle: Tugas praktik\nminutes: 60\nrubric:\n  - criterion: Lengkap\n    points: 10\n---\n"
        "Kerjakan.\n")
PRETEST = "".join(f"## Soal {n} {{module=modul-1}}\n\n- [x] Benar\n- [ ] Salah\n\n" for n in range(2))


def test_glossary_is_stored_rendered_and_updated(db, write_course, sync):
    folder = write_course()
    (folder / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    assert sync().count("added") == 1
    course = db.session.scalar(select(Course))
    assert course.glossary_title == "Glosarium"
    assert "<dt>Metadata</dt>" in course.glossary_html and "Data tentang data." in course.glossary_html
    (folder / "glossary.md").write_text(GLOSSARY.replace("Glosarium", "Daftar Istilah")
                                        .replace("tentang data", "yang menerangkan data"), encoding="utf-8")
    assert sync().count("updated") == 1
    db.session.expire_all()
    course = db.session.scalar(select(Course))
    assert course.glossary_title == "Daftar Istilah" and "yang menerangkan data" in course.glossary_html
    (folder / "glossary.md").unlink()
    assert sync().count("updated") == 1
    db.session.expire_all()
    course = db.session.scalar(select(Course))
    assert course.glossary_title is None and course.glossary_html is None


def test_a_broken_glossary_keeps_the_stored_version(db, write_course, sync):
    folder = write_course()
    (folder / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    sync()
    (folder / "glossary.md").write_text("---\ntitle: Glosarium\n---\nBelum ada istilah.\n", encoding="utf-8")
    report = sync()
    assert report.count("failed") == 1
    assert any("the glossary has no terms" in p.message for p in report.problems)
    db.session.expire_all()
    assert "<dt>Metadata</dt>" in db.session.scalar(select(Course)).glossary_html


def test_courses_with_tasks_and_a_pretest_sync_and_resync_when_they_change(db, write_course, sync):
    from elearn.models import Quiz

    folder = write_course()
    (folder / "01-modul-1.task.md").write_text(TASK, encoding="utf-8")
    (folder / "pretest.quiz.md").write_text(PRETEST, encoding="utf-8")
    (folder / "exam.quiz.md").write_text("## Ujian\n\nPilih A.\n\n- [x] A\n- [ ] B\n", encoding="utf-8")
    report = sync()
    assert report.count("added") == 1, [str(p) for p in report.problems]
    kinds = dict(db.session.execute(select(Quiz.slug, Quiz.kind)).all())
    assert kinds == {"exam": "exam", "pretest": "pretest"}
    pretest = db.session.scalar(select(Quiz).where(Quiz.kind == "pretest"))
    assert pretest.settings["max_attempts"] == 1 and all(q["module"] for q in pretest.questions)
    assert sync().count("unchanged") == 1
    (folder / "01-modul-1.task.md").write_text(TASK.replace("minutes: 60", "minutes: 90"), encoding="utf-8")
    assert sync().count("updated") == 1
    (folder / "pretest.quiz.md").write_text(PRETEST.replace("Soal 0", "Soal nol"), encoding="utf-8")
    assert sync().count("updated") == 1


def test_a_broken_task_fails_the_course(db, write_course, sync):
    folder = write_course()
    (folder / "01-modul-1.task.md").write_text(TASK.replace("minutes: 60", "minutes: 5"), encoding="utf-8")
    report = sync()
    assert report.count("failed") == 1
    assert [str(p) for p in report.problems] == [
        "courses/kursus-uji/01-modul-1.task.md:3: error: minutes must be a whole number from 15 to 480 "
        "(honest working time)"]


def test_course_with_a_broken_link_is_reported_and_the_others_still_sync(db, write_course, sync):
    """Defect 13.1: a course failing while rendering crashed the whole run (UnboundLocalError)."""
    write_course("kursus-rusak", bodies={2: "Lihat [modul yang hilang](07-tidak-ada.md).\n"})
    write_course("kursus-baik")
    report = sync()
    outcomes = {c.slug: c.outcome for c in report.courses}
    assert outcomes == {"kursus-rusak": "failed", "kursus-baik": "added"}
    assert any("07-tidak-ada.md" in p.message for p in report.problems)
    assert db.session.scalar(select(Course.slug)) == "kursus-baik"


def test_sync_records_each_course_source_folder(db, write_course, sync, tmp_path):
    write_course()
    sync()
    course = db.session.scalar(select(Course))
    assert course.source_kind == "folder"
    assert course.source_path == str((tmp_path / "courses" / "kursus-uji").resolve())


def test_syncing_another_folder_retires_nothing_from_the_first(db, write_course, sync, tmp_path):
    """Defect 13.2: a folder with one new course retired every other live course."""
    write_course("kursus-a")
    write_course("kursus-b")
    sync()
    other = tmp_path / "lain"
    write_course("kursus-baru", root=other)
    report = sync(other)
    assert {c.slug: c.outcome for c in report.courses} == {"kursus-baru": "added"}
    live = set(db.session.scalars(select(Course.slug).where(Course.retired_at.is_(None))))
    assert live == {"kursus-a", "kursus-b", "kursus-baru"}


def test_retirement_candidates_are_only_folder_courses_of_that_folder(db, write_course, sync, tmp_path):
    from elearn.services.course_sync import courses_to_retire

    import shutil

    write_course("kursus-a")
    write_course("kursus-b")
    sync()
    write_course("kursus-lain", root=tmp_path / "lain")
    sync(tmp_path / "lain")
    shutil.rmtree(tmp_path / "courses" / "kursus-b")
    assert courses_to_retire(db.session, tmp_path / "courses") == ["kursus-b"]
    assert courses_to_retire(db.session, tmp_path / "lain") == []


def test_sync_without_retiring_keeps_vanished_courses_live(db, write_course, tmp_path):
    import shutil

    from elearn.services.course_sync import sync_catalog

    write_course("kursus-a")
    write_course("kursus-b")
    sync_catalog(db.session, tmp_path / "courses")
    shutil.rmtree(tmp_path / "courses" / "kursus-b")
    report = sync_catalog(db.session, tmp_path / "courses", retire_missing=False)
    assert report.count("retired") == 0
    assert db.session.scalar(select(Course.retired_at).where(Course.slug == "kursus-b")) is None
