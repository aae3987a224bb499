"""The studio's draft service: check, preview and publish through the one publishing service, and the
folder sync that refuses to overwrite a newer studio version."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.models import AuditEvent, Course, CourseVersion, Module
from elearn.services.course_versions import folder_files, latest_version, version_files
from elearn.services.studio import (DraftCheck, Published, StudioError, check_draft, edited_files, latest_files,
                                    publish_draft)


@pytest.fixture
def course(db, write_course, sync):
    write_course()
    sync()
    return db.session.scalar(select(Course).where(Course.slug == "kursus-uji"))


def _edit(db, course, path, text):
    number, files = latest_files(db.session, course)
    return number, edited_files(files, path, text)


def test_check_reports_file_and_line_relative_to_the_course(db, course):
    _number, files = _edit(db, course, "02-modul-2.md", "---\ntitle: Dua\nminutes: lama\n---\nIsi.\n")
    result = check_draft(db.session, course, files)
    assert not result.ok
    assert [(p.path, p.line) for p in result.problems] == [("02-modul-2.md", 3)]


def test_preview_renders_the_draft_through_the_learners_renderer_without_publishing(db, course):
    text = "---\ntitle: Dua Baru\nminutes: 7\n---\n## Bagian\n\n<script>alert(1)</script>Teks **tebal**.\n"
    _number, files = _edit(db, course, "02-modul-2.md", text)
    result = check_draft(db.session, course, files, preview="02-modul-2.md")
    assert result.ok and len(result.pages) == 1
    page = result.pages[0]
    assert (page.title, page.minutes) == ("Dua Baru", 7)
    assert "<strong>tebal</strong>" in page.html and "<script>" not in page.html  # sanitized as on sync
    assert db.session.scalar(select(Module.title).where(Module.slug == "modul-2")) == "Modul 2"
    assert latest_version(db.session, course.id).number == 1


def test_publish_makes_a_studio_version_live_at_once(db, course, make_user):
    trainer = make_user("trainer")
    number, files = _edit(db, course, "02-modul-2.md", "---\ntitle: Dua Baru\nminutes: 7\n---\nBaru.\n")
    result = publish_draft(db.session, course, files, user_id=trainer.id, note="judul baru", base_number=number)
    db.session.commit()
    assert isinstance(result, Published) and result.created
    version = latest_version(db.session, course.id)
    assert (version.number, version.source, version.created_by_id, version.note) == (2, "studio", trainer.id,
                                                                                     "judul baru")
    assert version_files(db.session, version)["02-modul-2.md"] == b"---\ntitle: Dua Baru\nminutes: 7\n---\nBaru.\n"
    assert db.session.scalar(select(Module.title).where(Module.slug == "modul-2")) == "Dua Baru"
    assert course.source_kind == "studio" and course.source_path.endswith("kursus-uji")  # its folder is kept
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.actor_id == trainer.id)) == "studio.published"


def test_textarea_line_ends_become_the_files_line_ends(db, course):
    _number, files = _edit(db, course, "02-modul-2.md", "---\r\ntitle: Dua\r\nminutes: 7\r\n---\r\nBaru.\r\n")
    assert files["02-modul-2.md"] == b"---\ntitle: Dua\nminutes: 7\n---\nBaru.\n"


@pytest.mark.parametrize("path", ["../course.md", "assets/x.md", "Modul.md", "course.txt", "/etc/passwd"])
def test_only_top_level_markdown_files_are_edited(db, course, path):
    with pytest.raises(StudioError) as refused:
        _edit(db, course, path, "x")
    assert refused.value.code == "bad_path"


def test_publish_with_errors_is_refused_and_stores_nothing(db, course, make_user):
    number, files = _edit(db, course, "02-modul-2.md", "---\ntitle: Dua\n---\nLihat [x](09-hilang.md).\n")
    result = publish_draft(db.session, course, files, user_id=make_user("trainer").id, note="", base_number=number)
    assert isinstance(result, DraftCheck) and not result.ok
    assert any(p.path == "02-modul-2.md" for p in result.problems)
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 1


def test_publish_from_an_outdated_version_is_a_conflict(db, course, make_user):
    trainer = make_user("trainer")
    number, files = _edit(db, course, "02-modul-2.md", "---\ntitle: A\nminutes: 5\n---\nA.\n")
    publish_draft(db.session, course, files, user_id=trainer.id, note="", base_number=number)
    _n, other = _edit(db, course, "03-modul-3.md", "---\ntitle: B\nminutes: 5\n---\nB.\n")
    with pytest.raises(StudioError) as refused:
        publish_draft(db.session, course, other, user_id=trainer.id, note="", base_number=number)
    assert refused.value.code == "conflict"


def test_publishing_the_same_files_makes_no_version(db, course, make_user):
    number, files = latest_files(db.session, course)
    result = publish_draft(db.session, course, files, user_id=make_user("trainer").id, note="", base_number=number)
    assert isinstance(result, Published) and not result.created and result.version.number == 1


def _publish_in_studio(db, course, make_user):
    number, files = _edit(db, course, "02-modul-2.md", "---\ntitle: Dari Studio\nminutes: 7\n---\nBaru.\n")
    publish_draft(db.session, course, files, user_id=make_user("trainer").id, note="", base_number=number)
    db.session.commit()
    return files


def test_sync_refuses_to_overwrite_a_newer_studio_version(db, course, make_user, sync):
    _publish_in_studio(db, course, make_user)
    report = sync()
    assert report.failed and [c.outcome for c in report.courses] == ["refused"]
    [problem] = report.problems
    assert problem.path == "courses/kursus-uji/course.md" and "studio version 2" in problem.message
    assert "--force" in problem.message
    assert db.session.scalar(select(Module.title).where(Module.slug == "modul-2")) == "Dari Studio"


def test_sync_with_force_replaces_the_studio_version(db, course, make_user, tmp_path):
    from elearn.services.course_sync import sync_catalog

    _publish_in_studio(db, course, make_user)
    report = sync_catalog(db.session, tmp_path / "courses", force=True)
    db.session.commit()
    assert not report.failed
    assert db.session.scalar(select(Module.title).where(Module.slug == "modul-2")) == "Modul 2"
    version = latest_version(db.session, course.id)
    assert (version.number, version.source) == (3, "folder")


def test_sync_of_a_folder_holding_the_studio_version_is_unchanged(db, course, make_user, sync, tmp_path):
    files = _publish_in_studio(db, course, make_user)
    folder = tmp_path / "courses" / "kursus-uji"
    (folder / "02-modul-2.md").write_bytes(files["02-modul-2.md"])  # the trainer's version, committed to git
    assert folder_files(folder) == files
    report = sync()
    assert [c.outcome for c in report.courses] == ["unchanged"] and not report.failed


def test_cli_sync_says_why_and_exits_1_then_force_works(app, db, course, make_user, tmp_path):
    _publish_in_studio(db, course, make_user)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["courses", "sync", str(tmp_path / "courses")])
    assert refused.exit_code == 1
    assert "courses/kursus-uji/course.md:0: error: course 'kursus-uji' has studio version 2" in refused.output
    assert "1 refused" in refused.output
    forced = runner.invoke(args=["courses", "sync", "--force", str(tmp_path / "courses")])
    assert forced.exit_code == 0, forced.output


def test_cli_export_writes_the_version_that_syncs_back_unchanged(app, db, course, make_user, tmp_path):
    files = _publish_in_studio(db, course, make_user)
    runner = app.test_cli_runner()
    out = tmp_path / "git"
    result = runner.invoke(args=["courses", "export", "kursus-uji", str(out)])
    assert result.exit_code == 0, result.output
    assert folder_files(out / "kursus-uji") == files
    again = runner.invoke(args=["courses", "sync", str(out)])
    assert again.exit_code == 0, again.output
    assert "1 unchanged" in again.output
    old = runner.invoke(args=["courses", "export", "--version", "1", "kursus-uji", str(tmp_path / "v1")])
    assert old.exit_code == 0 and b"Modul 2" in (tmp_path / "v1" / "kursus-uji" / "02-modul-2.md").read_bytes()
    assert runner.invoke(args=["courses", "export", "--version", "9", "kursus-uji", str(tmp_path / "x")]).exit_code == 1
    assert runner.invoke(args=["courses", "export", "kursus-uji", str(out)]).exit_code == 1  # not empty


def test_the_shipped_courses_round_trip_through_a_studio_zip():
    from pathlib import Path

    from elearn.services.course_versions import check_upload_types, content_hash, read_course_zip, version_zip

    shipped = Path(__file__).resolve().parents[2] / "courses"
    folders = [f for f in sorted(shipped.iterdir()) if (f / "course.md").is_file()]
    assert folders
    for folder in folders:
        files = folder_files(folder)
        again = read_course_zip(version_zip(folder.name, files))
        check_upload_types(again)
        assert content_hash(again) == content_hash(files), folder.name


def test_quiz_slugs_name_the_quiz_pages_of_the_files():
    from elearn.services.studio import quiz_slugs

    assert quiz_slugs(["course.md", "01-a.md", "02-b.quiz.md", "01-a.quiz.md", "exam.quiz.md",
                       "pretest.quiz.md", "01-a.task.md"]) == ["a", "b", "pretest", "exam"]
