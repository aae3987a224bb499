"""Questions per module in a real browser on a 390 px phone: a learner asks on a module page, the course's
trainer finds it in the waiting list from the studio and answers, the learner accepts the answer; no page of
the walk is wider than the screen, and the thread passes axe."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import describe, log_in, log_out, shows, submit

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_question_is_asked_answered_and_accepted_on_a_phone(browser, site_url, write_course, sync, make_user,
                                                              axe_check):
    trainer = make_user("trainer", email="tia@example.org", name="Tia Pelatih")  # before the sync: staff from trainers:
    write_course(modules=2, title="Penyiangan Koleksi", extra_front="trainers: [tia@example.org]")
    sync()
    learner = make_user(name="Lina Pustakawan")
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    widths = {}

    log_in(page, site_url, learner)
    page.goto(f"{site_url}/courses/kursus-uji/")
    submit(page, "text=Daftar kursus ini")
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    page.fill("#tanya textarea[name=text]",
              "Kapan buku **rusak** sebaiknya disiangi?\n\nKoleksi_dengan_nama_panjang_tanpa_spasi_untuk_uji_layar_390px")
    submit(page, "#tanya button:has-text('Kirim pertanyaan')")
    assert "/questions/" in page.url and "Pertanyaan dikirim" in page.content()
    thread = page.url
    shows(page, "Berhenti mengikuti")  # the asker follows the question
    widths["thread (learner)"] = page_width(page)
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    assert "Kapan buku" in page.inner_text("#tanya")
    widths["module"] = page_width(page)
    log_out(page)

    log_in(page, site_url, trainer)
    page.goto(f"{site_url}/studio/")
    submit(page, "main a:has-text('Pertanyaan menunggu jawaban')")
    widths["waiting"] = page_width(page)
    submit(page, "main a:has-text('Modul 1')")
    assert page.url == thread
    page.fill("textarea[name=text]", "Sesudah dinilai dengan metode **CREW**: usang, rusak, jarang dipinjam.")
    submit(page, "main button:has-text('Kirim jawaban')")
    shows(page, "Jawaban dikirim.")
    widths["thread (trainer)"] = page_width(page)
    page.goto(f"{site_url}/questions/waiting")
    shows(page, "Tidak ada pertanyaan yang menunggu jawaban.")
    log_out(page)

    log_in(page, site_url, learner)
    page.goto(f"{site_url}/notifications/")
    shows(page, "Pertanyaan Anda dijawab")
    page.goto(thread)
    submit(page, "main button:has-text('Terima jawaban ini')")
    shows(page, "Jawaban ditandai diterima.")
    assert "Jawaban diterima" in page.inner_text("main article[id^=jawaban-]")
    widths["thread (accepted)"] = page_width(page)
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    assert "terjawab" in page.inner_text("#tanya")
    cookies = context.cookies()
    context.close()

    assert {name: w for name, w in widths.items() if w > PHONE["width"]} == {}
    violations = axe_check(thread, cookies)
    assert violations == [], describe(violations)
