"""The studio's "Unggah kuis GIFT": a Moodle GIFT file becomes a module's quiz (or the exam) of the stored
draft, converted as ``flask quiz import-gift`` does; the converter's warnings are shown with the file's own
lines; an existing quiz is replaced only when asked; non-text, binary and too large files are refused
with nothing stored; only the course's staff may upload."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from elearn.models import AuditEvent, Course, CourseDraft, CourseVersion
from elearn.services.drafts import working_copy

MOODLE = """// Kuis katalog (ekspor Moodle)
$CATEGORY: $course$/Katalog

// [id:1001]
::Q1 Klasifikasi::Sistem klasifikasi apa yang dipakai kebanyakan perpustakaan umum? {
\t=DDC#Benar, Dewey Decimal Classification.
\t~LCC#Library of Congress lebih umum di AS.
\t~UDC
}

::Q2 Benar salah::Katalog daring disebut OPAC. {T}

::Q3 Singkatan::Singkatan International Standard Book Number adalah {=ISBN =isbn}.

::Q4 Nomor::Berapa digit ISBN modern? {#13}

::Q5 Pasangan::Pasangkan istilah dengan artinya. {
\t=OPAC -> katalog daring
\t=DDC -> klasifikasi Dewey
\t=ISBN -> nomor buku
}

::Q6 Pilih dua::Mana yang termasuk metadata buku? {
\t~%50%Judul
\t~%50%Pengarang
\t~%-100%Warna sampul
}

::Q7 Esai::Jelaskan alur pengadaan buku. {}

Ini hanya deskripsi tanpa jawaban.
"""
ONE = "::Soal baru::Perpustakaan daring punya OPAC. {TRUE}\n"
URL = "/studio/kursus-a/files/gift"


@pytest.fixture
def studio(db, write_course, sync, make_user):
    trainer_a = make_user("trainer", email="a@pelatih.id")
    trainer_b = make_user("trainer", email="b@pelatih.id")
    write_course("kursus-a", extra_front=f"trainers: [{trainer_a.email}]")
    write_course("kursus-b", extra_front=f"trainers: [{trainer_b.email}]")
    assert not sync().failed
    return {"a": trainer_a, "b": trainer_b, "learner": make_user()}


def _upload(client, data: bytes | str, target="02-modul-2.quiz.md", name="moodle.gift", **extra):
    body = data.encode("utf-8") if isinstance(data, str) else data
    return client.post(URL, data={"gift": (io.BytesIO(body), name), "gift_target": target, **extra},
                       content_type="multipart/form-data")


def _stored(db, path="02-modul-2.quiz.md") -> str:
    """The draft's file as stored ("" when the draft does not hold it)."""
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-a"))
    return working_copy(db.session, course).files.get(path, b"").decode("utf-8")


def _gift_events(db) -> list[dict]:
    return list(db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "studio.gift_uploaded")))


def _drafts(db) -> int:
    return db.session.scalar(select(func.count()).select_from(CourseDraft))


def test_the_course_page_offers_the_upload_for_each_module_quiz_and_the_exam(client, login, studio):
    login(studio["a"])
    page = client.get("/studio/kursus-a/").text
    assert "Unggah kuis GIFT" in page and 'action="/studio/kursus-a/files/gift"' in page
    for target in ("01-modul-1.quiz.md", "02-modul-2.quiz.md", "03-modul-3.quiz.md", "exam.quiz.md"):
        assert f'value="{target}"' in page
    assert "Ganti kuis yang ada" in page


def test_a_moodle_gift_file_becomes_the_module_quiz_passes_check_and_previews(client, login, studio, db):
    login(studio["a"])
    done = _upload(client, MOODLE, gift_title="Kuis katalog")
    assert done.status_code == 200
    assert "6 soal dari moodle.gift disimpan di draf sebagai 02-modul-2.quiz.md." in done.text
    assert "2 soal dilewati." in done.text
    # the converter's warnings, with the .gift file's own lines
    assert "<code>moodle.gift:5</code>: peringatan: &#39;Q1 Klasifikasi&#39;: Moodle&#39;s [id:…]" in done.text
    assert "<code>moodle.gift:29</code>: peringatan: skipped: &#39;Q7 Esai&#39; is an essay question" in done.text
    assert "<code>moodle.gift:31</code>: peringatan: skipped: a description" in done.text
    stored = _stored(db)
    assert 'title: "Kuis katalog"' in stored
    assert "type=matching" in stored and "type=numeric" in stored and "type=truefalse" in stored

    check = client.get("/studio/kursus-a/check")
    assert check.status_code == 200 and "Tidak ada galat: draf ini dapat diterbitkan." in check.text
    assert "/studio/kursus-a/preview/quiz/modul-2" in check.text
    quiz = client.get("/studio/kursus-a/preview/quiz/modul-2")
    assert quiz.status_code == 200
    for title in ("Q1 Klasifikasi", "Q2 Benar salah", "Q3 Singkatan", "Q4 Nomor", "Q5 Pasangan", "Q6 Pilih dua"):
        assert title in quiz.text
    assert "Q7 Esai" not in quiz.text
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2  # nothing published
    assert _gift_events(db) == [{"course": "kursus-a", "path": "02-modul-2.quiz.md", "source": "moodle.gift", "questions": 6,
                                 "skipped": 2, "replace_allowed": False}]


def test_the_final_exam_and_a_byte_order_mark(client, login, studio, db):
    login(studio["a"])
    done = _upload(client, "\ufeff" + ONE, target="exam.quiz.md", name="ekspor/ujian.gift")
    assert done.status_code == 200
    assert "1 soal dari ujian.gift disimpan di draf sebagai exam.quiz.md." in done.text
    assert 'title: "Ujian akhir"' in _stored(db, "exam.quiz.md")
    check = client.get("/studio/kursus-a/check")
    assert check.status_code == 200 and "Tidak ada galat" in check.text
    assert client.get("/studio/kursus-a/preview/quiz/exam").status_code == 200


def test_an_existing_quiz_is_replaced_only_with_the_tick(client, login, studio, db):
    login(studio["a"])
    assert client.post("/studio/kursus-a/files/quiz", data={"path": "02-modul-2.md"}).status_code == 302
    template = _stored(db)
    refused = _upload(client, MOODLE)
    assert refused.status_code == 400
    assert "Kuis itu sudah ada di draf. Centang &#34;Ganti kuis yang ada&#34; untuk menggantinya" in refused.text
    assert _stored(db) == template and _gift_events(db) == []
    replaced = _upload(client, MOODLE, gift_replace="y")
    assert replaced.status_code == 200 and "Kuis lama diganti." in replaced.text
    assert "Q5 Pasangan" in _stored(db)
    assert [event["replace_allowed"] for event in _gift_events(db)] == [True]


@pytest.mark.parametrize("body, name, message", [
    ("Kuis caf\xe9 {T}\n".encode("latin-1"), "latin.gift", "bukan teks UTF-8"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "gambar.gift", "bukan teks UTF-8"),
    (("::Panjang::" + "x" * 400 + " {T}\n").encode(), "besar.gift", "Berkas GIFT terlalu besar; batasnya"),
    ("::Rusak::Tanpa penutup {\n=a\n".encode(), "rusak.gift", "tidak dapat diubah menjadi kuis"),
], ids=["latin-1", "binary", "too-large", "does-not-convert"])
def test_unreadable_files_are_refused_with_a_message_and_nothing_stored(client, login, studio, db, app,
                                                                         body, name, message):
    app.config["STUDIO_FILE_MAX_BYTES"] = 300
    login(studio["a"])
    refused = _upload(client, body, name=name)
    assert refused.status_code in (400, 422)
    assert message in refused.text
    assert _drafts(db) == 0 and _gift_events(db) == []
    assert _stored(db) == ""


def test_a_file_that_does_not_convert_names_its_line(client, login, studio, db):
    login(studio["a"])
    refused = _upload(client, ONE + "\n::Rusak::Tanpa penutup {\n=a\n", name="rusak.gift")
    assert refused.status_code == 422
    assert "Tidak ada yang disimpan: rusak.gift tidak dapat diubah menjadi kuis." in refused.text
    assert "<code>rusak.gift:3</code>: galat:" in refused.text
    assert _drafts(db) == 0


@pytest.mark.parametrize("target", ["09-tidak-ada.quiz.md", "course.md", "02-modul-2.md", ""])
def test_a_target_that_is_no_quiz_of_the_draft_is_refused(client, login, studio, db, target):
    login(studio["a"])
    refused = _upload(client, ONE, target=target)
    assert refused.status_code == 400 and "Berkas itu tidak ada di draf." in refused.text
    assert _drafts(db) == 0


def test_no_file_chosen_is_a_form_error(client, login, studio, db):
    login(studio["a"])
    refused = client.post(URL, data={"gift_target": "02-modul-2.quiz.md"}, content_type="multipart/form-data")
    assert refused.status_code == 400 and "Pilih berkas." in refused.text
    assert _drafts(db) == 0


@pytest.mark.parametrize("who, url, status", [("b", URL, 403), ("learner", URL, 403),
                                              ("a", "/studio/tidak-ada/files/gift", 404)])
def test_only_the_course_staff_may_upload(client, login, studio, db, who, url, status):
    login(studio[who])
    response = client.post(url, data={"gift": (io.BytesIO(ONE.encode()), "k.gift"),
                                      "gift_target": "02-modul-2.quiz.md"}, content_type="multipart/form-data")
    assert response.status_code == status
    assert _drafts(db) == 0 and _gift_events(db) == []


def test_the_upload_needs_the_csrf_token(client, login, studio, db, app):
    login(studio["a"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = _upload(client, ONE)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused.status_code == 400 and "Formulir sudah kedaluwarsa" in refused.text
    assert _drafts(db) == 0 and _gift_events(db) == []
