"""Course versions: content-addressed storage, the ZIP round trip, upload defences, and the folder
sync that never overwrites a newer studio version without --force."""
from __future__ import annotations

import io
import stat
import zipfile

import pytest
from sqlalchemy import func, select

from elearn.models import ContentBlob, Course, CourseVersion, VersionFile
from elearn.services.course_versions import (UploadRefused, ZipLimits, check_upload_types, content_hash,
                                             folder_files, latest_version, read_course_zip, record_version,
                                             version_files, version_zip)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _course(db, slug="kursus-uji"):
    return db.session.scalar(select(Course).where(Course.slug == slug))


def test_sync_publishes_the_folder_as_version_one_with_its_exact_files(db, write_course, sync):
    folder = write_course()
    (folder / "assets").mkdir()
    (folder / "assets" / "peta.png").write_bytes(PNG)
    sync()
    version = latest_version(db.session, _course(db).id)
    assert (version.number, version.source, version.created_by_id, version.note) == (1, "folder", None, "courses sync")
    assert version_files(db.session, version) == folder_files(folder)
    assert version.content_hash == content_hash(folder_files(folder))
    assert sorted(version_files(db.session, version)) == ["01-modul-1.md", "02-modul-2.md", "03-modul-3.md",
                                                          "assets/peta.png", "course.md"]


def test_unchanged_sync_adds_no_version_and_a_change_adds_one(db, write_course, sync):
    folder = write_course()
    sync()
    sync()
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 1
    (folder / "02-modul-2.md").write_text("---\ntitle: Dua\nminutes: 5\n---\nBaru.\n", encoding="utf-8")
    sync()
    versions = db.session.scalars(select(CourseVersion.number).order_by(CourseVersion.number)).all()
    assert versions == [1, 2]


def test_identical_files_are_stored_once(db, write_course, sync):
    folder = write_course()
    sync()
    (folder / "03-modul-3.md").write_text("---\ntitle: Tiga\nminutes: 5\n---\nBaru.\n", encoding="utf-8")
    sync()
    # 4 files of v1 + the changed one; v2 reuses the 3 unchanged ones
    assert db.session.scalar(select(func.count()).select_from(ContentBlob)) == 5
    assert db.session.scalar(select(func.count()).select_from(VersionFile)) == 8


def test_version_zip_round_trips_to_the_same_hash_and_bytes(db, write_course, sync):
    folder = write_course()
    (folder / "assets").mkdir()
    (folder / "assets" / "peta.png").write_bytes(PNG)
    sync()
    version = latest_version(db.session, _course(db).id)
    files = version_files(db.session, version)
    packed = version_zip("kursus-uji", files)
    assert packed == version_zip("kursus-uji", files)  # the same download twice: same bytes
    assert zipfile.ZipFile(io.BytesIO(packed)).namelist()[0].startswith("kursus-uji/")
    again = read_course_zip(packed)
    assert again == files
    assert content_hash(again) == version.content_hash
    record_version(db.session, _course(db), again, source="studio", created_by_id=None)
    assert latest_version(db.session, _course(db).id).number == 1  # nothing new: the same files


def _zip(entries: dict[str, bytes], *, symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["../course.md", "a/../../course.md", "/etc/passwd", "C:/x.md", "a\\..\\x.md"])
def test_zip_with_unsafe_paths_is_refused(name):
    with pytest.raises(UploadRefused) as refused:
        read_course_zip(_zip({"course.md": b"x", name: b"y"}))
    assert refused.value.code == "unsafe_path"


def test_zip_with_a_symlink_is_refused():
    with pytest.raises(UploadRefused) as refused:
        read_course_zip(_zip({"course.md": b"x"}, symlink="assets/passwd.png"))
    assert refused.value.code == "symlink"


def test_zip_bomb_is_refused_while_reading_not_after():
    bomb = _zip({"course.md": b"x", "01-a.md": b"\0" * (40 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(UploadRefused) as refused:
        read_course_zip(bomb)
    assert refused.value.code == "zip_bomb"


def test_zip_limits_on_files_and_sizes():
    limits = ZipLimits(max_files=2, max_file_bytes=1000, max_total_bytes=1500, max_ratio=10_000)
    with pytest.raises(UploadRefused) as refused:
        read_course_zip(_zip({"a.md": b"1", "b.md": b"2", "c.md": b"3"}), limits)
    assert refused.value.code == "too_many_files"
    with pytest.raises(UploadRefused) as refused:
        read_course_zip(_zip({"a.md": b"1" * 1001}), limits)
    assert refused.value.code == "file_too_large"
    with pytest.raises(UploadRefused) as refused:
        read_course_zip(_zip({"a.md": b"1" * 900, "b.md": b"2" * 900}), limits)
    assert refused.value.code == "too_large"


def test_zip_that_is_no_zip_is_refused():
    with pytest.raises(UploadRefused) as refused:
        read_course_zip(b"<html>not a zip</html>")
    assert refused.value.code == "not_zip"


def test_zip_top_folder_and_hidden_entries_are_dropped():
    files = read_course_zip(_zip({"kursus/course.md": b"c", "kursus/01-a.md": b"a", "kursus/.git/HEAD": b"x",
                                  "__MACOSX/kursus/._course.md": b"x"}))
    assert files == {"course.md": b"c", "01-a.md": b"a"}


@pytest.mark.parametrize("path,data", [
    ("assets/gambar.svg", b"<svg onload='alert(1)'/>"),
    ("assets/foto.png", b"<html><script>alert(1)</script></html>"),
    ("assets/foto.png", b"\xff\xd8\xff\xe0 a jpeg named png"),
    ("index.html", b"<html></html>"),
    ("lain/berkas.md", b"# x"),
])
def test_upload_types_are_judged_by_content(path, data):
    with pytest.raises(UploadRefused) as refused:
        check_upload_types({"course.md": b"x", path: data})
    assert (refused.value.code, refused.value.path) == ("file_type", path)


def test_upload_types_accept_markdown_and_real_images():
    check_upload_types({"course.md": b"x", "01-a.md": b"y", "assets/peta.png": PNG,
                        "assets/foto.jpeg": b"\xff\xd8\xff\xe0rest", "assets/doc.pdf": b"%PDF-1.4",
                        "assets/a.webp": b"RIFF\0\0\0\0WEBPVP8 "})
