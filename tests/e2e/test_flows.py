"""Main learner flows in a real browser, and accessibility audits with axe-core."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import describe

pytestmark = pytest.mark.e2e


@pytest.fixture
def course(write_course, sync):
    write_course(modules=3, title="Literasi Digital")
    sync()


def log_in(page, base, user):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")


def test_learner_enrolls_reads_completes_and_logs_out(page, site_url, course, make_user):
    user = make_user(name="Siti Aminah")
    log_in(page, site_url, user)
    assert "Halo, Siti Aminah" in page.content()
    page.click("text=Katalog kursus")
    page.click("text=Literasi Digital")
    page.click("text=Daftar kursus ini")
    assert "Anda terdaftar di kursus ini" in page.content()
    assert page.get_attribute("progress", "value") == "0"
    page.click("text=Lanjutkan")
    assert page.url.endswith("/courses/kursus-uji/modul-1/")
    assert "Isi modul 1." in page.content()
    page.click("text=Tandai selesai")
    assert page.url.endswith("/courses/kursus-uji/modul-2/")  # on to the next open module
    assert page.get_attribute("section.complete progress", "value") == "16"  # 10 of 60 minutes
    page.click("a[rel=prev]")
    assert "Modul ini sudah selesai." in page.content()
    page.goto(f"{site_url}/")
    assert page.get_attribute("progress", "value") == "16"
    page.click("header button:has-text('EN')")
    assert "Course catalogue" in page.content()
    page.click("header button:has-text('Log out')")
    page.goto(f"{site_url}/courses/kursus-uji/modul-2/")
    assert "/login" in page.url


def test_module_page_works_without_javascript(browser, site_url, course, make_user):
    user = make_user()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site_url, user)
    page.goto(f"{site_url}/courses/kursus-uji/")
    page.click("text=Daftar kursus ini")
    page.goto(f"{site_url}/courses/kursus-uji/modul-2/")
    assert "Isi modul 2." in page.content()
    page.click("text=Tandai selesai")
    assert "Modul ditandai selesai." in page.content()
    context.close()


def test_pages_have_no_serious_accessibility_violations(page, site_url, course, make_user, axe_check):
    user = make_user()
    log_in(page, site_url, user)
    page.goto(f"{site_url}/courses/kursus-uji/")
    page.click("text=Daftar kursus ini")
    cookies = page.context.cookies()
    for path in ("/courses/", "/courses/kursus-uji/", "/courses/kursus-uji/modul-1/", "/", "/account"):
        violations = axe_check(site_url + path, cookies)
        assert violations == [], f"{path}:\n{describe(violations)}"
    violations = axe_check(site_url + "/login")
    assert violations == [], f"/login:\n{describe(violations)}"
