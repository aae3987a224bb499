"""Courses readable offline in a real browser: the service worker, "Simpan untuk dibaca offline",
"Tandai selesai" queued offline and counted once, and logging out leaving nothing behind."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.models import ModuleProgress
from tests.e2e.conftest import log_in, shows, wait_until

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def reader(page, site_url, write_course, sync, make_user):
    """A learner enrolled in a three-module course, on its page, the service worker in control."""
    write_course(modules=3, title="Literasi Digital")
    sync()
    log_in(page, site_url, make_user())
    page.goto(f"{site_url}/courses/kursus-uji/")
    page.click("text=Daftar kursus ini")
    # a worker that fails to install never becomes ready: fail in 20 s instead of waiting for ever
    assert page.evaluate("""() => Promise.race([navigator.serviceWorker.ready.then(() => true),
                                                new Promise(done => setTimeout(() => done(false), 20000))])""")
    page.reload()  # now controlled by the worker
    wait_until(page, "!!navigator.serviceWorker.controller")
    return page


def _completed(db):
    db.session.expire_all()
    return [p.completed_at for p in db.session.scalars(select(ModuleProgress)) if p.completed_at is not None]


def test_saved_course_reads_offline_and_completion_arrives_once(reader, site_url, db):
    page = reader
    state = page.locator(".offline-state")
    expect(state).to_contain_text("Ukuran sekitar")  # the size before saving
    page.click("button:has-text('Simpan untuk dibaca offline')")
    expect(state).to_contain_text("Tersimpan di perangkat ini")
    page.context.set_offline(True)
    page.goto(f"{site_url}/courses/kursus-uji/modul-2/")  # never opened: from the saved course
    shows(page, "Isi modul 2.")
    expect(page.locator(".offline-banner")).to_contain_text("offline")
    page.click("button:has-text('Tandai selesai')")
    expect(page.locator("section.complete")).to_contain_text("Ditandai selesai di perangkat ini")
    assert _completed(db) == []
    page.goto(f"{site_url}/certificates/")  # not stored: the offline page, not a browser error
    shows(page, "Tidak ada sambungan")
    page.context.set_offline(False)
    page.goto(f"{site_url}/courses/kursus-uji/")  # any page sends what waits
    expect(page.locator(".flash-success")).to_contain_text("sudah terkirim")
    assert len(_completed(db)) == 1
    page.reload()
    page.wait_for_timeout(300)
    assert len(_completed(db)) == 1  # nothing sent twice
    page.click("button:has-text('Hapus dari perangkat')")
    expect(page.locator(".offline-state")).to_contain_text("sudah dihapus")
    assert not page.evaluate("() => caches.has('bp-course-kursus-uji')")


def test_opened_module_stays_readable_offline(reader, site_url):
    page = reader
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    page.context.set_offline(True)
    page.goto(f"{site_url}/courses/kursus-uji/")
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    shows(page, "Isi modul 1.")
    page.goto(f"{site_url}/courses/kursus-uji/modul-3/")  # neither opened nor saved
    shows(page, "Tidak ada sambungan")


def test_logging_out_leaves_no_page_for_the_next_visitor(reader, site_url):
    page = reader
    page.click("button:has-text('Simpan untuk dibaca offline')")
    expect(page.locator(".offline-state")).to_contain_text("Tersimpan di perangkat ini")
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    page.click(".user-menu > summary")  # logout sits in the user menu
    page.click("header button:has-text('Keluar')")
    shows(page, "Anda telah keluar")
    wait_until(page, "caches.keys().then(names => !names.some(n => n.startsWith('bp-course-') || n === 'bp-pages'))")
    page.context.set_offline(True)
    try:
        page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    except Exception:  # no worker any more: the browser's own offline error is what is left
        pass
    page.wait_for_load_state()
    assert "Isi modul 1." not in page.locator("body").inner_text()


def test_a_newly_published_revision_refreshes_the_saved_copy(reader, site_url, write_course, sync):
    page = reader
    page.click("button:has-text('Simpan untuk dibaca offline')")
    expect(page.locator(".offline-state")).to_contain_text("Tersimpan di perangkat ini")
    write_course(modules=3, title="Literasi Digital", bodies={2: "## Bagian 2\n\nIsi modul 2, edisi baru.\n"})
    sync()
    page.reload()  # online: the page's revision differs from the saved one
    expect(page.locator(".offline-state")).to_contain_text("Versi baru kursus ini sudah disimpan")
    page.context.set_offline(True)
    page.goto(f"{site_url}/courses/kursus-uji/modul-2/")
    shows(page, "edisi baru")
