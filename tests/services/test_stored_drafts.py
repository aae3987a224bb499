"""Stored studio drafts (elearn.services.drafts, draft_files): a working copy saved file by file, conflicts between two
editors, file operations, publish and discard."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from elearn.models import AuditEvent, ContentBlob, Course, CourseDraft, CourseVersion, DraftFile, Module
from elearn.services.course_versions import UploadRefused, latest_version, version_files
from elearn.services.draft_files import add_module, add_quiz, delete_file, move_module, rename_file, upload_asset
from elearn.services.drafts import (DraftConflict, discard_draft, draft_changes, new_course, publish_stored_draft,
                                    save_file, working_copy)
from elearn.services.studio import DraftCheck, Published, StudioError, check_draft

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
TWO = "---\ntitle: Dua Baru\nminutes: 7\n---\nBaru.\n"
THREE = "---\ntitle: Tiga Baru\nminutes: 8\n---\nLihat [modul dua](02-modul-2.md) dan [tiga](03-modul-3.md#x).\n"


@pytest.fixture
def course(db, write_course, sync):
    write_course()
    sync()
    return db.session.scalar(select(Course).where(Course.slug == "kursus-uji"))


@pytest.fixture
def trainer(make_user):
    return make_user("trainer")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _save(db, course, user, path, text):
    save_file(db.session, course, user.id, path, text, working_copy(db.session, course).sha(path))
    db.session.commit()


def _actions(db):
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("studio.%"))
                                   .order_by(AuditEvent.id)))


def test_the_first_save_creates_the_draft_from_the_latest_version_and_publishes_nothing(db, course, trainer):
    assert working_copy(db.session, course).draft is None
    _save(db, course, trainer, "02-modul-2.md", TWO)
    _save(db, course, trainer, "03-modul-3.md", THREE)
    copy = working_copy(db.session, course)
    assert copy.draft is not None and copy.base_number == 1
    assert copy.files["02-modul-2.md"] == TWO.encode() and copy.files["03-modul-3.md"] == THREE.encode()
    assert copy.files["course.md"] == version_files(db.session, latest_version(db.session, course.id))["course.md"]
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 1
    assert db.session.scalar(select(Module.title).where(Module.slug == "modul-2")) == "Modul 2"  # learners: v1
    assert [d.path for d in draft_changes(db.session, course, copy)] == ["02-modul-2.md", "03-modul-3.md"]
    assert _actions(db) == ["studio.draft_saved", "studio.draft_saved"]


def test_saving_the_published_text_unchanged_starts_no_draft(db, course, trainer):
    text = working_copy(db.session, course).files["02-modul-2.md"].decode()
    assert not save_file(db.session, course, trainer.id, "02-modul-2.md", text, _sha(text))
    assert working_copy(db.session, course).draft is None


def test_identical_content_is_stored_once(db, course, trainer):
    blobs = db.session.scalar(select(func.count()).select_from(ContentBlob))
    _save(db, course, trainer, "04-modul-4.md", TWO)
    _save(db, course, trainer, "05-modul-5.md", TWO)
    assert db.session.scalar(select(func.count()).select_from(ContentBlob)) == blobs + 1


def test_a_second_editor_from_the_same_start_gets_a_conflict_and_overwrites_nothing(db, course, trainer, make_user):
    other = make_user("admin")
    started = working_copy(db.session, course).sha("02-modul-2.md")
    save_file(db.session, course, trainer.id, "02-modul-2.md", TWO, started)
    db.session.commit()
    with pytest.raises(DraftConflict) as conflict:
        save_file(db.session, course, other.id, "02-modul-2.md", "---\ntitle: Lain\nminutes: 1\n---\n", started)
    db.session.rollback()
    assert (conflict.value.code, conflict.value.stored, conflict.value.stored_sha) == ("edit_conflict", TWO, _sha(TWO))
    assert working_copy(db.session, course).files["02-modul-2.md"] == TWO.encode()
    # saving again from the stored text is a deliberate choice and goes through
    save_file(db.session, course, other.id, "02-modul-2.md", "---\ntitle: Lain\nminutes: 1\n---\n", _sha(TWO))
    db.session.commit()
    assert working_copy(db.session, course).draft.updated_by_id == other.id


def test_a_new_file_created_meanwhile_is_a_conflict_too(db, course, trainer):
    _save(db, course, trainer, "04-baru.md", TWO)
    with pytest.raises(DraftConflict) as conflict:
        save_file(db.session, course, trainer.id, "04-baru.md", THREE, "")
    assert conflict.value.stored == TWO


def test_a_deleted_file_is_a_conflict_with_nothing_stored(db, course, trainer):
    started = working_copy(db.session, course).sha("03-modul-3.md")
    delete_file(db.session, course, trainer.id, "03-modul-3.md")
    db.session.commit()
    with pytest.raises(DraftConflict) as conflict:
        save_file(db.session, course, trainer.id, "03-modul-3.md", THREE, started)
    assert conflict.value.stored is None and conflict.value.stored_sha == ""


def test_publish_turns_the_draft_into_one_version_and_deletes_it(db, course, trainer):
    _save(db, course, trainer, "02-modul-2.md", TWO)
    _save(db, course, trainer, "03-modul-3.md", THREE.replace("03-modul-3.md#x", "02-modul-2.md"))
    result = publish_stored_draft(db.session, course, trainer.id, "dua modul")
    db.session.commit()
    assert isinstance(result, Published) and result.version.number == 2
    files = version_files(db.session, result.version)
    assert files["02-modul-2.md"] == TWO.encode() and b"Tiga Baru" in files["03-modul-3.md"]
    assert db.session.scalar(select(func.count()).select_from(CourseDraft)) == 0
    assert db.session.scalar(select(func.count()).select_from(DraftFile)) == 0
    assert db.session.scalar(select(Module.title).where(Module.slug == "modul-3")) == "Tiga Baru"
    assert "studio.published" in _actions(db)


def test_publish_with_errors_is_refused_and_keeps_the_draft(db, course, trainer):
    _save(db, course, trainer, "02-modul-2.md", "---\ntitle: Dua\nminutes: lama\n---\n")
    result = publish_stored_draft(db.session, course, trainer.id, "")
    assert isinstance(result, DraftCheck) and [(p.path, p.line) for p in result.problems] == [("02-modul-2.md", 3)]
    db.session.rollback()
    assert working_copy(db.session, course).draft is not None
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 1


def test_a_draft_older_than_the_latest_version_is_not_published(db, course, trainer, make_user):
    _save(db, course, trainer, "02-modul-2.md", TWO)
    draft = working_copy(db.session, course).draft
    draft.base_number = 0  # as if version 1 had been published after the draft started
    db.session.commit()
    with pytest.raises(StudioError) as refused:
        publish_stored_draft(db.session, course, trainer.id, "")
    assert refused.value.code == "conflict"


def test_publish_without_a_draft_is_refused(db, course, trainer):
    with pytest.raises(StudioError) as refused:
        publish_stored_draft(db.session, course, trainer.id, "")
    assert refused.value.code == "no_draft"


def test_discard_deletes_the_draft_and_is_audited(db, course, trainer):
    _save(db, course, trainer, "02-modul-2.md", TWO)
    assert discard_draft(db.session, course, trainer.id)
    db.session.commit()
    copy = working_copy(db.session, course)
    assert copy.draft is None and b"Modul 2" in copy.files["02-modul-2.md"]
    assert _actions(db)[-1] == "studio.draft_discarded"
    assert not discard_draft(db.session, course, trainer.id)


def test_a_new_course_exists_only_as_a_template_draft(db, trainer):
    course = new_course(db.session, trainer, "kursus-baru", "Kursus Baru")
    db.session.commit()
    copy = working_copy(db.session, course)
    assert copy.draft is not None and copy.base_number is None
    assert set(copy.files) == {"course.md", "01-pengantar.md", "01-pengantar.quiz.md"}
    assert latest_version(db.session, course.id) is None
    assert [d.status for d in draft_changes(db.session, course, copy)] == ["added"] * 3
    result = publish_stored_draft(db.session, course, trainer.id, "pertama")
    db.session.commit()
    assert isinstance(result, Published) and result.version.number == 1 and course.retired_at is None


def test_add_module_takes_the_next_number_and_a_template_that_passes_the_check(db, course, trainer):
    path = add_module(db.session, course, trainer.id, "katalog-daring", "Katalog: Daring")
    db.session.commit()
    assert path == "04-katalog-daring.md"
    files = working_copy(db.session, course).files
    assert b'title: "Katalog: Daring"' in files[path]
    assert add_quiz(db.session, course, trainer.id, path) == "04-katalog-daring.quiz.md"
    db.session.commit()
    assert check_draft(db.session, course, working_copy(db.session, course).files).ok
    for slug, code in (("katalog-daring", "exists"), ("Bad Name", "bad_name"), ("exam", "bad_name")):
        with pytest.raises(StudioError) as refused:
            add_module(db.session, course, trainer.id, slug, "")
        assert refused.value.code == code
    with pytest.raises(StudioError) as refused:
        add_quiz(db.session, course, trainer.id, path)
    assert refused.value.code == "exists"
    assert _actions(db) == ["studio.draft_file_added", "studio.draft_file_added"]


def test_rename_a_module_takes_its_quiz_and_the_links_along(db, course, trainer):
    add_quiz(db.session, course, trainer.id, "02-modul-2.md")
    _save(db, course, trainer, "03-modul-3.md", THREE)
    assert rename_file(db.session, course, trainer.id, "02-modul-2.md", "02-dua.md") == "02-dua.md"
    db.session.commit()
    files = working_copy(db.session, course).files
    assert {"02-dua.md", "02-dua.quiz.md"} <= set(files) and "02-modul-2.md" not in files
    assert b"[modul dua](02-dua.md)" in files["03-modul-3.md"]
    assert _actions(db)[-1] == "studio.draft_file_renamed"


@pytest.mark.parametrize("old, new, code", [
    ("02-modul-2.md", "03-modul-3.md", "number_changed"),
    ("02-modul-2.md", "02-Modul Dua.md", "bad_name"),
    ("02-modul-2.md", "02-glossary.md", "bad_name"),
    ("course.md", "kursus.md", "fixed_name"),
    ("09-tidak-ada.md", "09-x.md", "no_file"),
    ("assets/peta.png", "assets/peta.pdf", "type_changed"),
    ("assets/peta.png", "assets/logo.png", "exists"),
    ("assets/peta.png", "peta.png", "bad_name"),
])
def test_rename_refuses_bad_names_and_clashes(db, course, trainer, old, new, code):
    upload_asset(db.session, course, trainer.id, "peta.png", PNG, 1000)
    upload_asset(db.session, course, trainer.id, "logo.png", PNG, 1000)
    with pytest.raises(StudioError) as refused:
        rename_file(db.session, course, trainer.id, old, new)
    assert refused.value.code == code


def test_rename_a_module_onto_another_module_is_a_clash(db, course, trainer):
    add_module(db.session, course, trainer.id, "empat", "")
    _save(db, course, trainer, "02-empat.md", TWO)  # a stray file holding the target name
    with pytest.raises(StudioError) as refused:
        rename_file(db.session, course, trainer.id, "02-modul-2.md", "02-empat.md")
    assert refused.value.code == "exists"


def test_delete_a_module_takes_its_quiz_along(db, course, trainer):
    add_quiz(db.session, course, trainer.id, "02-modul-2.md")
    assert delete_file(db.session, course, trainer.id, "02-modul-2.md") == ["02-modul-2.md", "02-modul-2.quiz.md"]
    db.session.commit()
    assert not {"02-modul-2.md", "02-modul-2.quiz.md"} & set(working_copy(db.session, course).files)
    with pytest.raises(StudioError) as refused:
        delete_file(db.session, course, trainer.id, "course.md")
    assert refused.value.code == "fixed_name"


def test_moving_a_module_renumbers_every_module_with_its_quiz_and_links(db, course, trainer):
    add_quiz(db.session, course, trainer.id, "03-modul-3.md")
    _save(db, course, trainer, "01-modul-1.md", "---\ntitle: Satu\nminutes: 5\n---\nLanjut ke [tiga](03-modul-3.md).\n")
    assert move_module(db.session, course, trainer.id, "03-modul-3.md", up=True) == "02-modul-3.md"
    db.session.commit()
    files = working_copy(db.session, course).files
    assert sorted(p for p in files if p[0].isdigit()) == ["01-modul-1.md", "02-modul-3.md", "02-modul-3.quiz.md",
                                                          "03-modul-2.md"]
    assert b"[tiga](02-modul-3.md)" in files["01-modul-1.md"]
    assert check_draft(db.session, course, files).ok
    assert move_module(db.session, course, trainer.id, "01-modul-1.md", up=True) == "01-modul-1.md"  # already first
    assert _actions(db)[-1] == "studio.draft_module_moved"


def test_assets_are_checked_by_their_bytes_and_size(db, course, trainer):
    assert upload_asset(db.session, course, trainer.id, "Peta Kota.PNG", PNG, 1000) == "assets/peta-kota.png"
    db.session.commit()
    assert working_copy(db.session, course).files["assets/peta-kota.png"] == PNG
    with pytest.raises(UploadRefused):
        upload_asset(db.session, course, trainer.id, "halaman.png", b"<html><script>x</script>", 1000)
    with pytest.raises(StudioError) as refused:
        upload_asset(db.session, course, trainer.id, "besar.png", PNG, 10)
    assert refused.value.code == "too_large"
    with pytest.raises(StudioError) as refused:
        upload_asset(db.session, course, trainer.id, "peta-kota.png", PNG, 1000)
    assert refused.value.code == "exists"
    assert _actions(db) == ["studio.asset_uploaded"]
