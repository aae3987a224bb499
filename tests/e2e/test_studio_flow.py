"""The trainer studio in a real browser (CSRF and CSP on): with JavaScript the live preview and the
file's problems follow the typing, a problem moves the cursor to its line; then check, preview,
publish, the learner reads the new version, the diff shows the change and rollback restores it."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in, shows, submit

pytestmark = pytest.mark.e2e


def _login(page, base, user):
    log_in(page, base, user)


@pytest.mark.parametrize("width", [390, 1280])
def test_trainer_edits_checks_previews_publishes_and_rolls_back(browser, site_url, write_course, sync, make_user,
                                                                width):
    trainer = make_user("trainer", email="pelatih@bontang.id")
    write_course("kursus-studio", extra_front=f"trainers: [{trainer.email}]")
    assert not sync().failed
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text
            else None)
    _login(page, site_url, trainer)
    page.click("text=Studio pelatih: tulis dan terbitkan kursus Anda")
    page.click("text=Kursus kursus-studio")
    page.click("text=02-modul-2.md")

    editor = page.locator("textarea[name=text]")
    page.wait_for_selector("#studio-live:not([hidden])")
    page.wait_for_selector("#live-preview h1:has-text('Modul 2')")
    editor.fill("---\ntitle: Modul Dua\nminutes: lama\n---\n## Bagian\n\nTeks.\n")
    problem = page.locator("#live-problems button", has_text="02-modul-2.md:3")
    problem.wait_for()
    problem.click()
    assert page.evaluate("() => document.activeElement.name") == "text"
    assert page.evaluate("() => document.activeElement.value.slice(0, document.activeElement.selectionStart)"
                         ).count("\n") == 2  # the cursor sits on line 3

    page.click("button[value=publish]")  # refused: the problems are listed with file:line
    assert page.locator(".studio-check code", has_text="02-modul-2.md:3").count() == 1

    page.locator("textarea[name=text]").fill("---\ntitle: Modul Dua Baru\nminutes: 9\n---\n## Bagian\n\nTeks **baru**.\n")
    page.click("button[value=preview]")
    assert page.locator(".studio-preview h1", has_text="Modul Dua Baru").count() >= 1
    page.fill("input[name=note]", "judul baru")
    page.click("button[value=publish]")
    assert "Versi 2 diterbitkan" in page.inner_text(".flash")
    assert "judul baru" in page.inner_text("section:has(#versions-title) table")

    page.goto(f"{site_url}/courses/kursus-studio/modul-2/")
    assert page.inner_text("article h1") == "Modul Dua Baru"

    page.goto(f"{site_url}/studio/kursus-studio/diff?from=1&to=2")
    assert "+title: Modul Dua Baru" in page.inner_text("pre.diff")

    page.goto(f"{site_url}/studio/kursus-studio/")
    page.click("button:has-text('Terbitkan lagi versi ini')")
    assert "Versi 3 diterbitkan" in page.inner_text(".flash")
    page.goto(f"{site_url}/courses/kursus-studio/modul-2/")
    assert page.inner_text("article h1") == "Modul 2"
    assert blocked == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    context.close()


MODULE_BROKEN = "---\ntitle: Mengenal Layanan Referensi\nminutes: lama\n---\n## Bagian\n\nTeks pertama.\n"
MODULE_FIXED = "---\ntitle: Mengenal Layanan Referensi\nminutes: 15\n---\n## Bagian\n\nTeks pertama versi satu.\n"
MODULE_TWO = "---\ntitle: Katalog Daring\nminutes: 10\n---\n## Mencari\n\nCara mencari di katalog.\n"
MODULE_TWO_V2 = "---\ntitle: Katalog Daring dan OPAC\nminutes: 10\n---\n## Mencari\n\nCara mencari di OPAC.\n"
QUIZ_TWO = ("---\ntitle: Kuis Katalog\npass_mark: 70\nmax_attempts: 0\n---\n\n## Cari judul\n\n"
            "Di mana mencari judul buku?\n\n- [x] Katalog daring\n- [ ] Rak acak\n\n> Katalog daring memuat semua judul.\n")


@pytest.mark.parametrize("width", [390, 1280])
def test_trainer_creates_a_course_from_the_template_to_version_two(browser, site_url, make_user, axe_check, width):
    """The issue's scenario: a trainer with no shell access creates a course from the template and, before
    the first publish, writes two modules and a quiz into the stored draft; sees a check error with its
    line, fixes it, previews every module as a learner, takes the preview quiz and publishes version 1; a
    learner enrols, reads and passes the quiz; the trainer publishes version 2 and the learner's progress
    carries over; the diff shows the change; rollback restores version 1's text."""
    trainer = make_user("trainer", email="pelatih.baru@bontang.id")
    learner = make_user(email="peserta@bontang.id")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text
            else None)
    _login(page, site_url, trainer)
    page.goto(f"{site_url}/studio/")
    page.click("text=Kursus baru dari templat")
    if width == 1280:
        assert axe_check(page.url, context.cookies()) == []
    page.fill("input[name=slug]", "layanan-referensi")
    page.fill("input[name=title]", "Layanan Referensi Dasar")
    page.click("form.stack button[type=submit]")
    assert "Kursus dibuat dari templat" in page.inner_text(".flash")
    assert page.locator(".studio-files a", has_text="01-pengantar.quiz.md").count() == 1
    if width == 1280:
        assert axe_check(page.url, context.cookies()) == []

    # module 1 (from the template): a check error with its line, then fixed and saved in the draft
    page.click(".studio-files a:text-is('01-pengantar.md')")
    page.locator("textarea[name=text]").fill(MODULE_BROKEN)
    page.click("button[value=check]")
    assert page.locator(".studio-check code", has_text="01-pengantar.md:3").count() == 1
    page.locator("textarea[name=text]").fill(MODULE_FIXED)
    page.click("button[value=save]")
    assert "Tersimpan di draf" in page.inner_text(".flash")

    # module 2 and its quiz, added with the draft's file buttons, written and saved
    page.goto(f"{site_url}/studio/layanan-referensi/")
    page.fill("input[name=slug]", "katalog-daring")
    page.fill("input[name=title]", "Katalog Daring")
    page.click("button:has-text('Tambah modul')")
    assert "02-katalog-daring.md" in page.inner_text("h1")
    page.locator("textarea[name=text]").fill(MODULE_TWO)
    submit(page, "button[value=save]")
    page.goto(f"{site_url}/studio/layanan-referensi/")
    page.click("button:has-text('Tambah kuis')")
    assert "02-katalog-daring.quiz.md" in page.inner_text("h1")
    page.locator("textarea[name=text]").fill(QUIZ_TWO)
    page.click("button[value=save]")

    # nothing is published yet: the draft lists its files; every module previewed as a learner reads it
    page.goto(f"{site_url}/studio/layanan-referensi/")
    assert "Draf belum diterbitkan: 5 perubahan" in page.inner_text("#draft-title")
    page.click("text=Periksa draf")
    assert "Tidak ada galat" in page.inner_text(".studio-check")
    page.click("text=Pratinjau semua modul")
    assert page.locator(".studio-preview h1", has_text="Mengenal Layanan Referensi").count() == 1
    assert page.locator(".studio-preview h1", has_text="Katalog Daring").count() == 1

    # the draft's quiz, taken in preview: nothing stored, the answer key only after submitting
    page.click("text=Pratinjau kuis katalog-daring")
    assert page.locator(".preview-banner").count() == 1
    assert "Katalog daring memuat semua judul" not in page.content()
    page.check("input[name=q-cari-judul][value='0']")
    page.click("button:has-text('Kirim jawaban')")
    assert "Nilai: 100%" in page.inner_text(".score")
    shows(page, "Katalog daring memuat semua judul")

    page.goto(f"{site_url}/studio/layanan-referensi/")
    page.fill("#note", "versi pertama")
    page.click("button:has-text('Terbitkan draf')")
    assert "Versi 1 diterbitkan" in page.inner_text(".flash")
    assert "Draf belum diterbitkan" not in page.content()

    # a learner enrols, reads the module and passes its quiz
    learner_context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    reader = learner_context.new_page()
    _login(reader, site_url, learner)
    reader.goto(f"{site_url}/courses/layanan-referensi/")
    reader.click("button:has-text('Daftar kursus ini')")
    reader.goto(f"{site_url}/courses/layanan-referensi/pengantar/")
    assert reader.inner_text("article h1") == "Mengenal Layanan Referensi"
    reader.goto(f"{site_url}/courses/layanan-referensi/quiz/pengantar/")
    reader.click("button:has-text('Mulai percobaan')")
    reader.check("input[name=q-pertanyaan-pertama][value='0']")
    reader.click("#attempt-form button:has-text('Kirim jawaban')")
    reader.goto(f"{site_url}/courses/layanan-referensi/pengantar/")
    assert "Modul ini sudah selesai." in reader.inner_text("#finish")
    reader.goto(f"{site_url}/courses/layanan-referensi/katalog-daring/")
    assert reader.inner_text("article h1") == "Katalog Daring"

    # version 2: module 2 rewritten and published from its editor
    page.goto(f"{site_url}/studio/layanan-referensi/")
    page.click(".studio-files a:text-is('02-katalog-daring.md')")
    page.locator("textarea[name=text]").fill(MODULE_TWO_V2)
    page.fill("input[name=note]", "OPAC")
    page.click("button[value=publish]")
    assert "Versi 2 diterbitkan" in page.inner_text(".flash")

    reader.goto(f"{site_url}/courses/layanan-referensi/pengantar/")  # progress carried over
    assert "Modul ini sudah selesai." in reader.inner_text("#finish")
    reader.goto(f"{site_url}/courses/layanan-referensi/katalog-daring/")
    assert reader.inner_text("article h1") == "Katalog Daring dan OPAC"

    page.goto(f"{site_url}/studio/layanan-referensi/diff?from=1&to=2")
    assert "+title: Katalog Daring dan OPAC" in page.inner_text("pre.diff")
    assert "-title: Katalog Daring" in page.inner_text("pre.diff")

    page.goto(f"{site_url}/studio/layanan-referensi/")
    page.click("button:has-text('Terbitkan lagi versi ini')")
    assert "Versi 3 diterbitkan" in page.inner_text(".flash")
    reader.goto(f"{site_url}/courses/layanan-referensi/katalog-daring/")
    assert reader.inner_text("article h1") == "Katalog Daring"  # version 1's text again
    assert "Cara mencari di katalog." in reader.inner_text("article")
    reader.goto(f"{site_url}/courses/layanan-referensi/pengantar/")
    assert "Modul ini sudah selesai." in reader.inner_text("#finish")
    assert blocked == []
    for p in (page, reader):
        assert p.evaluate("() => document.documentElement.scrollWidth") <= width
    learner_context.close()
    context.close()
