"""The whole personal-data path in a real browser: the notice at first login, "Data saya" downloaded,
deletion requested, approved by an admin, the account closed and the certificate shown as withdrawn."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.e2e.conftest import describe, shows, submit
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.e2e


def test_data_download_deletion_approval_and_withdrawal(browser, page, site_url, db, write_course, sync, make_user,
                                                         axe_check):
    from elearn.models import Certificate

    write_course(modules=1, title="Layanan Referensi")
    sync()
    learner = make_user(name="Dewi Lestari", email="dewi.lestari@example.org")
    learner.nip = "198805172012022003"
    admin = make_user("admin", name="Admin Dinas")
    db.session.commit()

    log_in(page, site_url, learner)
    assert "Pemberitahuan privasi" in page.inner_text("main")  # shown at first login
    submit(page, "main button:has-text('Saya sudah membaca')")
    assert "privacy-banner-title" not in page.content()
    page.goto(f"{site_url}/courses/kursus-uji/")
    submit(page, "text=Daftar kursus ini")
    page.goto(f"{site_url}/courses/kursus-uji/modul-1/")
    page.click("text=Tandai selesai")
    code = db.session.scalar(select(Certificate.code).where(Certificate.user_id == learner.id))

    page.click(".user-menu > summary")  # the account link sits in the user menu
    page.click("header >> text=Akun saya")
    page.click("main >> text=Buka Data saya")
    assert page.url.endswith("/account/data")
    page.click("button:has-text('Siapkan arsip data saya')")
    shows(page, "Arsip data Anda siap diunduh.")
    with page.expect_download() as download_info:
        page.click("main a:has-text('Unduh ZIP')")
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    document = json.loads(archive.read("data.json"))
    assert document["tables"]["users"][0]["name"] == "Dewi Lestari"
    assert len(document["tables"]["certificates"]) == 1
    cookies = page.context.cookies()
    for path in ("/account/data", "/privacy"):
        violations = axe_check(site_url + path, cookies)
        assert violations == [], f"{path}:\n{describe(violations)}"

    page.fill("textarea[name=reason]", "Saya sudah pensiun dan tidak memakai akun ini lagi.")
    page.check("input[name=confirm]")
    page.click("button:has-text('Ajukan penghapusan akun')")
    shows(page, "Permintaan hapus akun dikirim.")
    shows(page, "Menunggu keputusan admin")
    page.click(".user-menu > summary")  # logout sits in the user menu
    submit(page, "header button:has-text('Keluar')")

    log_in(page, site_url, admin)
    page.click("header >> text=Admin")
    submit(page, "nav.subnav >> text=Privasi")
    assert "Dewi Lestari" in page.content() and "Saya sudah pensiun" in page.content()
    violations = axe_check(page.url, page.context.cookies())
    assert violations == [], f"/admin/privacy:\n{describe(violations)}"
    page.check("main input[value=approve]")
    page.click("main button:has-text('Simpan keputusan')")
    shows(page, "Centang kotak ini untuk menyetujui penghapusan.")  # irreversible: confirm first
    page.check("main input[value=approve]")
    page.check("main input[name$=confirm]")
    page.click("main button:has-text('Simpan keputusan')")
    shows(page, "Permintaan disetujui dan dijalankan.")
    assert "Dewi Lestari" not in page.content()
    page.click(".user-menu > summary")  # logout sits in the user menu
    submit(page, "header button:has-text('Keluar')")

    page.goto(f"{site_url}/login")
    page.fill("input[name=email]", "dewi.lestari@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    shows(page, "Email atau kata sandi salah")
    assert "/login" in page.url

    page.goto(f"{site_url}/verify/{code}")
    text = page.inner_text("main")
    assert "DITARIK atas permintaan pemegangnya" in text
    assert "Dewi Lestari" not in text and "1988" not in text and "Nilai akhir" not in text
    violations = axe_check(page.url)
    assert violations == [], f"verify page:\n{describe(violations)}"


def test_the_privacy_pages_fit_a_phone(browser, site_url, db, make_user):
    learner, admin = make_user(), make_user("admin")
    for user, paths in ((learner, ("/privacy", "/account/data", "/account")), (admin, ("/admin/privacy",))):
        context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 800})
        page = context.new_page()
        log_in(page, site_url, user)
        for path in paths:
            page.goto(site_url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        context.close()
