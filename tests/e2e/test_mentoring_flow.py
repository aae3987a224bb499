"""Pendampingan in a real browser: a supervisor pairs a mentor; the learner hands in a practice task,
the mentor scores it with the rubric and returns it with comments, the learner sees the scores and hands
in again, acceptance below the pass mark is refused, the mentor accepts, the course
completes and the certificate is issued; a mentoring session is recorded and confirmed; a training
outside the platform is approved and its JP appear in the transcript and the hours report."""
from __future__ import annotations

import textwrap

import pytest

from tests.e2e.conftest import log_in, log_out, shows, submit

pytestmark = pytest.mark.e2e

TASK = textwrap.dedent("""\
    ---
    title: Rencana kelas literasi sekolah
    minutes: 60
    rubric:
      - criterion: Tujuan jelas
        points: 5
      - criterion: Jadwal realistis
        points: 5
    ---
    Susun rencana kelas literasi untuk satu sekolah mitra.
    """)


def test_task_review_sessions_and_external_training_end_to_end(page, site_url, db, write_course, sync, make_user):
    from elearn.models import Unit, UnitSupervisor
    from elearn.models._types import utcnow
    from elearn.services.dates import local_today

    folder = write_course(modules=1, title="Literasi Sekolah")
    (folder / "01-modul-1.task.md").write_text(TASK, encoding="utf-8")
    sync()
    unit = Unit(name="Perpustakaan Kota Bontang")
    db.session.add(unit)
    db.session.flush()
    learner, mentor = make_user(name="Lina Pustakawan"), make_user(name="Sri Senior")
    learner.unit_id = unit.id
    head = make_user("supervisor", name="Kepala Perpustakaan")
    db.session.add(UnitSupervisor(user_id=head.id, unit_id=unit.id))
    db.session.commit()

    log_in(page, site_url, head)
    page.goto(f"{site_url}/mentoring/pairs")
    page.select_option("select[name=mentor]", label=f"Sri Senior ({mentor.email})")
    page.select_option("select[name=mentees]", label="Lina Pustakawan")
    page.click("main button:has-text('Simpan pasangan')")
    shows(page, "Pasangan pendampingan disimpan")
    log_out(page)

    log_in(page, site_url, learner)
    assert "Sri Senior" in page.inner_text("#mentors-title + ul")
    page.goto(f"{site_url}/courses/kursus-uji/")
    submit(page, "text=Daftar kursus ini")
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    submit(page, "button:has-text('Tandai selesai')")
    assert "harus diterima sebelum kursus selesai" in page.goto(f"{site_url}/courses/kursus-uji/").text()
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    page.click("a:has-text('Rencana kelas literasi sekolah')")
    page.fill("textarea[name=text]", "Kelas literasi tiap **Sabtu** untuk kelas 7.")
    page.click("main button:has-text('Kirim tugas')")
    shows(page, "Menunggu tinjauan")
    log_out(page)

    log_in(page, site_url, mentor)
    page.click("header >> text=Pendampingan")
    page.click("main a:has-text('Rencana kelas literasi sekolah')")
    page.fill("input[name='criteria-0-points']", "4")
    page.fill("input[name='criteria-1-points']", "1")
    page.fill("textarea[name='criteria-1-comment']", "Jadwal belum dirinci.")
    page.check("input[value=revision]")
    page.fill("textarea[name=comment]", "Tambahkan jadwal per minggu.")
    page.click("main button:has-text('Simpan tinjauan')")
    shows(page, "Tinjauan disimpan.")
    page.goto(f"{site_url}/mentoring/")
    page.click("main h3 a:has-text('Lina Pustakawan')")
    page.fill("input[name=minutes]", "60")
    page.fill("input[name=topic]", "Menyusun jadwal kelas literasi")
    page.click("main button:has-text('Simpan sesi')")
    shows(page, "menunggu konfirmasi mentee")
    log_out(page)

    log_in(page, site_url, learner)
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/task/")
    assert "Tambahkan jadwal per minggu." in page.content() and "Jadwal belum dirinci." in page.content()
    shows(page, "Jumlah: 5 dari 10 poin")
    page.fill("textarea[name=text]", "Jadwal: minggu 1 perkenalan, minggu 2 praktik menelusur.")
    submit(page, "main button:has-text('Kirim tugas')")
    page.goto(f"{site_url}/mentoring/")
    page.click("main button:has-text('Konfirmasi sesi ini')")
    shows(page, "Sesi pendampingan dikonfirmasi.")
    page.goto(f"{site_url}/training/external/")
    page.select_option("select[name=kind]", value="seminar")
    page.fill("input[name=title]", "Seminar Nasional Perpustakaan")
    page.fill("input[name=organiser]", "Perpustakaan Nasional RI")
    today = local_today(utcnow(), "Asia/Makassar").isoformat()
    page.fill("input[name=start_on]", today)
    page.fill("input[name=end_on]", today)
    page.fill("input[name=hours]", "6")
    page.fill("input[name=evidence_link]", "https://example.org/sertifikat-seminar.pdf")
    page.click("main button:has-text('Simpan')")
    shows(page, "Menunggu persetujuan")
    log_out(page)

    log_in(page, site_url, mentor)
    page.goto(f"{site_url}/tasks/review")
    page.click("main a:has-text('Rencana kelas literasi sekolah')")
    page.fill("input[name='criteria-0-points']", "4")
    page.fill("input[name='criteria-1-points']", "2")
    page.check("input[value=accepted]")
    page.click("main button:has-text('Simpan tinjauan')")
    shows(page, "di bawah batas lulus 7")  # 6 points: acceptance refused
    page.fill("input[name='criteria-1-points']", "4")
    page.check("input[value=accepted]")
    page.click("main button:has-text('Simpan tinjauan')")
    shows(page, "peserta menyelesaikan kursus")
    log_out(page)

    log_in(page, site_url, head)
    page.goto(f"{site_url}/reports/external-training")
    page.check("input[value=approve]")
    page.click("main button:has-text('Simpan keputusan')")
    shows(page, "Keputusan disimpan.")
    page.goto(f"{site_url}/reports/hours")
    shows(page, "(6 di luar platform)")
    page.goto(f"{site_url}/reports/programme")
    shows(page, "Jam pendampingan")
    log_out(page)

    log_in(page, site_url, learner)
    page.click("header >> text=Sertifikat saya")
    shows(page, "Literasi Sekolah")
    page.goto(f"{site_url}/transcript/")
    transcript = page.content()
    assert "Seminar Nasional Perpustakaan" in transcript and "di luar platform" in transcript
