"""Main learner flows in a real browser. Every page is audited with axe-core by the 390 px walk
(test_narrow_screens); the attempt page is audited here too, with every question type on it."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import describe, log_in, shows, submit

pytestmark = pytest.mark.e2e


@pytest.fixture
def course(write_course, sync):
    write_course(modules=3, title="Literasi Digital")
    sync()


def test_learner_enrolls_reads_completes_and_logs_out(page, site_url, course, make_user):
    user = make_user(name="Siti Aminah")
    log_in(page, site_url, user)
    shows(page, "Halo, Siti Aminah")
    page.click("text=Katalog kursus")
    page.click("text=Literasi Digital")
    page.click("text=Daftar kursus ini")
    shows(page, "Anda terdaftar di kursus ini")
    assert page.get_attribute("progress", "value") == "0"
    page.click("text=Lanjutkan")
    assert page.url.endswith("/courses/kursus-uji/modul-1/")
    shows(page, "Isi modul 1.")
    page.click("text=Tandai selesai")
    assert page.url.endswith("/courses/kursus-uji/modul-2/")  # on to the next open module
    assert page.get_attribute("section.complete progress", "value") == "16"  # 10 of 60 minutes
    page.click("a[rel=prev]")
    shows(page, "Modul ini sudah selesai.")
    page.goto(f"{site_url}/")
    assert page.get_attribute("progress", "value") == "16"
    page.click(".user-menu > summary")  # language and logout sit in the user menu
    page.click("header button:has-text('EN')")
    shows(page, "Course catalogue")
    page.click(".user-menu > summary")
    submit(page, "header button:has-text('Log out')")
    page.goto(f"{site_url}/courses/kursus-uji/modul-2/")
    assert "/login" in page.url


def test_module_page_works_without_javascript(browser, site_url, course, make_user):
    user = make_user()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site_url, user)
    page.goto(f"{site_url}/courses/kursus-uji/")
    submit(page, "text=Daftar kursus ini")
    page.goto(f"{site_url}/courses/kursus-uji/modul-2/")
    shows(page, "Isi modul 2.")
    page.click("text=Tandai selesai")
    shows(page, "Modul ditandai selesai.")
    context.close()


QUIZ = """---
pass_mark: 100
---
## Standar metadata

Standar mana yang memiliki 15 elemen inti?

- [x] Dublin Core
- [ ] MARC 21

## Singkatan {type=short}

Singkatan dari Online Public Access Catalog?

- [x] OPAC

## Pasangkan {type=matching}

- TIFF -> master arsip
- JPEG -> salinan akses
"""


def test_learner_passes_quiz_gets_certificate_anyone_verifies(page, site_url, write_course, sync, make_user,
                                                              axe_check):
    folder = write_course(modules=1, title="Preservasi Digital")
    (folder / "01-modul-1.quiz.md").write_text(QUIZ, encoding="utf-8")
    sync()
    user = make_user(name="Nguyễn Thị Đào")
    log_in(page, site_url, user)
    page.goto(f"{site_url}/courses/kursus-uji/")
    submit(page, "text=Daftar kursus ini")
    page.goto(f"{site_url}/courses/kursus-uji/quiz/modul-1/")
    submit(page, "button:has-text('Mulai percobaan')")
    assert "/attempts/" in page.url
    violations = axe_check(page.url, page.context.cookies())
    assert violations == [], f"attempt page:\n{describe(violations)}"
    page.check("label.choice:has-text('Dublin Core') input")
    page.fill("input[name^='q-singkatan']", "  opac ")
    page.select_option("select[name$='-0']", label="master arsip")
    page.select_option("select[name$='-1']", label="salinan akses")
    submit(page, "button:has-text('Kirim jawaban')")
    assert "Lulus" in page.content() and "Nilai: 100%" in page.content()
    page.click("header >> text=Sertifikat saya")
    submit(page, "text=Preservasi Digital")
    assert "Berlaku" in page.content() and "Nguyễn Thị Đào" in page.content()
    verify_url = page.get_attribute("main a[href*='/v/']", "href")
    page.click(".user-menu > summary")  # logout sits in the user menu
    submit(page, "header button:has-text('Keluar')")
    page.goto(verify_url)
    assert "Sertifikat ini asli dan berlaku." in page.content() and "Nguyễn Thị Đào" in page.content()
    page.goto(f"{site_url}/verify")
    page.fill("input[name=code]", "salah")
    page.click("main button:has-text('Periksa')")
    shows(page, "32 huruf")


def test_supervisor_assigns_training_and_reads_reports(page, site_url, db, write_course, sync, make_user):
    from elearn.models import Unit, UnitSupervisor

    write_course(modules=2, title="Layanan Prima")
    sync()
    unit = Unit(name="Perpustakaan Kota Bontang")
    db.session.add(unit)
    db.session.flush()
    learner = make_user(name="Rina Pustakawan")
    learner.unit_id = unit.id
    head = make_user("supervisor", name="Kepala Perpustakaan")
    db.session.add(UnitSupervisor(user_id=head.id, unit_id=unit.id))
    db.session.commit()
    log_in(page, site_url, head)
    page.click("header >> text=Laporan")
    page.click("main >> text=Tugaskan kursus")
    page.select_option("select[name=course]", label="Layanan Prima")
    page.select_option("select[name=unit]", label="Perpustakaan Kota Bontang")
    page.fill("input[name=due_on]", "2099-12-31")
    page.select_option("select[name=recurrence]", value="12")
    page.click("button:has-text('Simpan penugasan')")
    shows(page, "Penugasan disimpan.")
    submit(page, "nav.subnav >> text=Matriks penyelesaian")
    assert "Rina Pustakawan" in page.content() and "Ditugaskan" in page.content()
    page.click(".user-menu > summary")  # logout sits in the user menu
    submit(page, "header button:has-text('Keluar')")
    log_in(page, site_url, learner)
    assigned = page.locator(".course-card", has_text="Layanan Prima")
    assert assigned.locator(".tag-due, .tag-due_soon").count() == 1  # the due date as a tag on its card


GLOSSARY = """---
title: Glosarium
---
Basis data
:   Kumpulan data terstruktur yang disimpan dan dikelola bersama di satu tempat, misalnya katalog daring.

Pemustaka
:   Pengguna perpustakaan: orang, kelompok, atau lembaga yang memanfaatkan fasilitasnya.
"""


def test_glossary_is_reached_from_a_module_fits_a_phone_and_passes_axe(browser, site_url, write_course, sync,
                                                                       make_user, axe_check):
    folder = write_course(modules=2, title="Literasi Digital")
    (folder / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    sync()
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 800})
    page = context.new_page()
    log_in(page, site_url, make_user())
    page.goto(f"{site_url}/courses/kursus-uji/")
    submit(page, "text=Daftar kursus ini")
    page.goto(f"{site_url}/courses/kursus-uji/modul-2/")
    page.click(".pager-extra >> text=Glosarium")
    assert page.url.endswith("/courses/kursus-uji/glossary/")
    assert page.inner_text("dl dt:first-child") == "Basis data"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = axe_check(page.url)
    assert violations == [], describe(violations)
    context.close()
