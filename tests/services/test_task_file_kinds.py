"""What a handed-in file is, decided by its bytes (services.task_files): every kind a task file may
allow can be recognised, and what merely looks like one is not."""
from __future__ import annotations

import io
import zipfile

import pytest

from elearn.content.task import FILE_KINDS
from elearn.services.task_files import FileRefused, check_files, effective_max_files, file_kind


def package(members: dict[str, bytes | str], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored_first else None)
    return buffer.getvalue()


SAMPLES = {
    "pdf": b"%PDF-1.7\n...",
    "image": b"\x89PNG\r\n\x1a\n" + b"\x00" * 16,
    "docx": package({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
    "xlsx": package({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
    "odt": package({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}, stored_first=True),
    "ods": package({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
                   stored_first=True),
}


def test_every_kind_a_task_may_allow_is_recognised():
    assert set(SAMPLES) == set(FILE_KINDS)
    assert {kind: file_kind(data) for kind, data in SAMPLES.items()} == {kind: kind for kind in SAMPLES}


@pytest.mark.parametrize("content", [b"\xff\xd8\xff\xe0 jpeg", b"GIF89a...", b"RIFF\x10\x00\x00\x00WEBPVP8 "])
def test_jpeg_gif_and_webp_are_images(content):
    assert file_kind(content) == "image"


@pytest.mark.parametrize("content", [
    b"<!doctype html><script>alert(1)</script>",
    b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    b"PK\x03\x04 a broken zip",
    package({"[Content_Types].xml": "<Types/>", "word/document.xml": "<x/>", "word/vbaProject.bin": "macro"}),
    package({"word/document.xml": "<x/>"}),  # no content types: not an Office package
    package({"mimetype": "application/vnd.oasis.opendocument.presentation"}, stored_first=True),
    package({"readme.txt": "just a zip"}),
])
def test_what_only_looks_like_an_allowed_kind_is_other(content):
    assert file_kind(content) == "other"


def test_check_files_gives_safe_names_and_kinds_or_refuses_with_the_file_named():
    assert check_files([("../laporan akhir.pdf", SAMPLES["pdf"])], ("pdf",), 1, 100) == [
        ("laporan_akhir.pdf", "pdf", SAMPLES["pdf"])]
    for files, allowed, limit, code, name in (
            ([("a.pdf", SAMPLES["pdf"])] * 2, ("pdf",), 1, "too_many_files", ""),
            ([("kosong.pdf", b"")], ("pdf",), 1, "empty_file", "kosong.pdf"),
            ([("besar.pdf", b"%PDF-" + b"x" * 2000)], ("pdf",), 1, "file_too_large", "besar.pdf"),
            ([("tabel.xlsx", SAMPLES["xlsx"])], ("pdf", "docx"), 1, "file_type", "tabel.xlsx")):
        with pytest.raises(FileRefused) as refused:
            check_files(files, allowed, limit, 1000)
        assert (refused.value.code, refused.value.name) == (code, name)


def test_the_site_setting_caps_the_task_number_of_files():
    assert [effective_max_files(task, 3) for task in (0, 2, 3, 10)] == [0, 2, 3, 3]
