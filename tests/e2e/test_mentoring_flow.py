"""Pendampingan in a real browser: a supervisor pairs a mentor; the learner hands in a practice task,
the mentor scores it with the rubric and returns it with comments, the learner sees the scores and hands
in again, acceptance below the pass mark is refused, the mentor accepts, the course
completes and the certificate is issued; a mentoring session is recorded and confirmed; a training
outside the platform is approved and its JP appear in the transcript and the hours report."""
from __future__ import annotations

import textwrap

import pytest

from tests.e2e.conftest import log_in, log_out

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
    assert "Pasangan pendampingan disimpan" in page.content()
    log_out(page)

    log_in(page, site_url, learner)
    assert "Sri Senior" in page.inner_text("#mentors-title + ul")
    page.goto(f"{site_url}/courses/kursus-uji/")
    page.click("text=Daftar kursus ini")
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    page.click("button:has-text('Tandai selesai')")
    assert "harus diterima sebelum kursus selesai" in page.goto(f"{site_url}/courses/kursus-uji/").text()
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    page.click("a:has-text('Rencana kelas literasi sekolah')")
    page.fill("textarea[name=text]", "Kelas literasi tiap **Sabtu** untuk kelas 7.")
    page.click("main button:has-text('Kirim tugas')")
    assert "Menunggu tinjauan" in page.content()
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
    assert "Tinjauan disimpan." in page.content()
    page.goto(f"{site_url}/mentoring/")
    page.click("main h3 a:has-text('Lina Pustakawan')")
    page.fill("input[name=minutes]", "60")
    page.fill("input[name=topic]", "Menyusun jadwal kelas literasi")
    page.click("main button:has-text('Simpan sesi')")
    assert "menunggu konfirmasi mentee" in page.content()
    log_out(page)

    log_in(page, site_url, learner)
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/task/")
    assert "Tambahkan jadwal per minggu." in page.content() and "Jadwal belum dirinci." in page.content()
    assert "Jumlah: 5 dari 10 poin" in page.content()
    page.fill("textarea[name=text]", "Jadwal: minggu 1 perkenalan, minggu 2 praktik menelusur.")
    page.click("main button:has-text('Kirim tugas')")
    page.goto(f"{site_url}/mentoring/")
    page.click("main button:has-text('Konfirmasi sesi ini')")
    assert "Sesi pendampingan dikonfirmasi." in page.content()
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
    assert "Menunggu persetujuan" in page.content()
    log_out(page)

    log_in(page, site_url, mentor)
    page.goto(f"{site_url}/tasks/review")
    page.click("main a:has-text('Rencana kelas literasi sekolah')")
    page.fill("input[name='criteria-0-points']", "4")
    page.fill("input[name='criteria-1-points']", "2")
    page.check("input[value=accepted]")
    page.click("main button:has-text('Simpan tinjauan')")
    assert "di bawah batas lulus 7" in page.content()  # 6 points: acceptance refused
    page.fill("input[name='criteria-1-points']", "4")
    page.check("input[value=accepted]")
    page.click("main button:has-text('Simpan tinjauan')")
    assert "peserta menyelesaikan kursus" in page.content()
    log_out(page)

    log_in(page, site_url, head)
    page.goto(f"{site_url}/reports/external-training")
    page.check("input[value=approve]")
    page.click("main button:has-text('Simpan keputusan')")
    assert "Keputusan disimpan." in page.content()
    page.goto(f"{site_url}/reports/hours")
    assert "(6 di luar platform)" in page.content()
    page.goto(f"{site_url}/reports/programme")
    assert "Jam pendampingan" in page.content()
    log_out(page)

    log_in(page, site_url, learner)
    page.click("header >> text=Sertifikat saya")
    assert "Literasi Sekolah" in page.content()
    page.goto(f"{site_url}/transcript/")
    transcript = page.content()
    assert "Seminar Nasional Perpustakaan" in transcript and "di luar platform" in transcript
