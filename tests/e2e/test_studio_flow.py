"""The trainer studio in a real browser (CSRF and CSP on): with JavaScript the live preview and the
file's problems follow the typing, a problem moves the cursor to its line; then check, preview,
publish, the learner reads the new version, the diff shows the change and rollback restores it."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def _login(page, base, user):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")


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
    assert "judul baru" in page.inner_text("table")

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
