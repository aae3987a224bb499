"""Issue 17, "Courses readable offline": a whole course as one EPUB or PDF, for the people who may read it,
with its images and a colophon naming the version; quizzes never included."""
from __future__ import annotations

import io
import re
import zipfile

from ebooklib import epub
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from elearn.models import Course
from elearn.services.course_versions import latest_version

QUIZ = """---
title: Kuis modul 1
pass_mark: 60
---

## Ibu kota

Ibu kota provinsi Kalimantan Timur?

- [ ] Bontang
- [x] JawabanRahasiaSamarinda
"""


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _course(write_course, sync, requires_last: bool = False):
    folder = write_course(modules=3, bodies={
        1: "## Peta\n\n![Peta kota Bontang](assets/peta.png)\n\nLihat [modul 2](02-modul-2.md#bagian-2).\n",
        2: "## Bagian 2\n\nIsi modul dua.\n"})
    (folder / "assets").mkdir()
    (folder / "assets" / "peta.png").write_bytes(_png(2400, 1200))
    (folder / "01-modul-1.quiz.md").write_text(QUIZ, encoding="utf-8")
    if requires_last:
        last = folder / "03-modul-3.md"
        last.write_text(last.read_text(encoding="utf-8").replace("minutes:", "requires: [modul-1]\nminutes:", 1),
                        encoding="utf-8")
    report = sync()
    assert not report.failed, report.problems
    return folder


def test_an_enrolled_learner_downloads_an_epub_with_chapters_images_and_the_version(client, write_course, sync,
                                                                                   make_user, login, db):
    _course(write_course, sync)
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    html = client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert 'href="/courses/kursus-uji/course.epub"' in html and "Unduh PDF" in html
    response = client.get("/courses/kursus-uji/course.epub")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/epub+zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="kursus-uji-v1.epub"'

    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.infolist()[0].filename == "mimetype" and archive.read("mimetype") == b"application/epub+zip"
    assert "META-INF/container.xml" in archive.namelist()
    book = epub.read_epub(io.BytesIO(response.data))
    assert book.get_metadata("DC", "title")[0][0] == "Kursus kursus-uji"
    assert book.get_metadata("DC", "language")[0][0] == "id"
    chapters = [book.get_item_with_id(uid) for uid, _linear in book.spine]
    names = [c.file_name for c in chapters]
    assert names == ["colophon.xhtml", "nav.xhtml", "m01-modul-1.xhtml", "m02-modul-2.xhtml",
                     "m03-modul-3.xhtml"]
    colophon = chapters[0].get_content().decode()
    version = latest_version(db.session, db.session.scalar(select(Course)).id)
    assert "Versi kursus 1" in colophon and version.content_hash[:12] in colophon
    assert "http://localhost/courses/kursus-uji/" in colophon
    first = chapters[2].get_content().decode()
    assert "<h1>Modul 1</h1>" in first and 'href="m02-modul-2.xhtml#c-bagian-2"' in first
    image = re.search(r'<img [^>]*src="(?P<src>[^"]+)"', first)["src"]
    embedded = book.get_item_with_href(image)
    with Image.open(io.BytesIO(embedded.get_content())) as picture:
        assert picture.size == (1600, 800)  # the 1,600 px copy, not the 2,400 px original
    assert "srcset" not in first and "loading" not in first
    nav = book.get_item_with_id("nav").get_content().decode()
    assert all(f"m0{n}-modul-{n}.xhtml" in nav for n in (1, 2, 3))
    assert not any(b"JawabanRahasia" in archive.read(name) for name in archive.namelist())
    assert any(b"Isi modul dua." in archive.read(name) for name in archive.namelist())


def test_the_pdf_has_the_module_titles_the_version_and_the_image(client, write_course, sync, make_user, login, db):
    _course(write_course, sync)
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    response = client.get("/courses/kursus-uji/course.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="kursus-uji-v1.pdf"'
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert all(f"Modul {n}" in text for n in (1, 2, 3)) and "Versi kursus 1" in text
    assert "Isi modul dua." in text and "JawabanRahasia" not in text
    assert sum(len(page.images) for page in reader.pages) == 1


def test_a_locked_module_stays_out_until_it_opens(client, write_course, sync, make_user, login):
    _course(write_course, sync, requires_last=True)
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    book = epub.read_epub(io.BytesIO(client.get("/courses/kursus-uji/course.epub").data))
    assert [uid for uid, _linear in book.spine] == ["colophon", "nav", "m01-modul-1", "m02-modul-2"]
    assert "Modul 3" in book.get_item_with_id("colophon").get_content().decode()  # named as left out


def test_staff_download_without_enrolling(client, write_course, sync, make_user, login):
    _course(write_course, sync, requires_last=True)
    login(make_user("trainer"))
    assert "Unduh EPUB" in client.get("/courses/kursus-uji/").get_data(as_text=True)
    response = client.get("/courses/kursus-uji/course.epub")
    assert response.status_code == 200
    assert [uid for uid, _ in epub.read_epub(io.BytesIO(response.data)).spine][-1] == "m03-modul-3"


def test_people_who_may_not_read_the_course_get_nothing(client, write_course, sync, make_user, login):
    _course(write_course, sync)
    response = client.get("/courses/kursus-uji/course.epub")
    assert response.status_code == 302 and "/login" in response.headers["Location"]  # anonymous
    login(make_user())
    assert "Unduh EPUB" not in client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert client.get("/courses/kursus-uji/course.epub").status_code == 403  # not enrolled
    assert client.get("/courses/kursus-uji/course.pdf").status_code == 403
    login(make_user("supervisor"))
    assert client.get("/courses/kursus-uji/course.pdf").status_code == 403
    assert client.get("/courses/kursus-uji/course.docx").status_code == 404
    assert client.get("/courses/tidak-ada/course.epub").status_code == 404
