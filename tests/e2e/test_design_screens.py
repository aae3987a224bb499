"""The designed interface in a real browser: the learner's dashboard and the completion matrix at a
phone's and a desktop's width, the header on one line from 1024 px and a menu on phones.

Screenshots are written as artifacts (not baselines) to $SCREENSHOT_DIR, by default
<tmp>/binapustaka-screens, for a person to look at; the assertions measure element boxes.
"""
from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import AXE, describe, log_in, submit

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(tempfile.gettempdir()) / "binapustaka-screens"))
WIDTHS = (390, 1280)
COURSES = 8


@pytest.fixture
def world(app, db, client, write_course, sync, make_user):
    """A learner with a course under way, one finished, one overdue and one due soon; a supervisor whose
    unit has several people and eight courses (a matrix wider than a phone)."""
    from sqlalchemy import select

    from elearn.models import Assignment, Course, Unit, UnitSupervisor

    for n in range(1, COURSES + 1):
        write_course(f"kursus-{n}", modules=3, title=f"Pengelolaan Perpustakaan Tingkat {n}")
    assert not sync().failed
    unit = Unit(name="Perpustakaan Umum Kota Bontang")
    db.session.add(unit)
    db.session.flush()
    learner = make_user(name="Siti Rahmawati Pustakawati")
    supervisor = make_user("supervisor", name="Kepala Perpustakaan")
    admin = make_user("admin", name="Admin Dinas Perpustakaan dan Kearsipan")
    others = [make_user(name=f"Pustakawan Nomor {n}") for n in range(1, 6)]
    for person in (learner, supervisor, *others):
        person.unit_id = unit.id
    db.session.add(UnitSupervisor(user_id=supervisor.id, unit_id=unit.id))
    ids = {c.slug: c.id for c in db.session.scalars(select(Course))}
    today = date.today()
    db.session.add(Assignment(course_id=ids["kursus-3"], unit_id=unit.id, due_on=today - timedelta(days=3),
                              created_by_id=supervisor.id))
    db.session.add(Assignment(course_id=ids["kursus-4"], unit_id=unit.id, due_on=today + timedelta(days=5),
                              created_by_id=supervisor.id))
    db.session.commit()

    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    for slug in ("kursus-1", "kursus-2", "kursus-3", "kursus-4"):
        client.post(f"/courses/{slug}/enroll")
    client.post("/courses/kursus-1/modul-1/complete")
    for n in (1, 2, 3):
        client.post(f"/courses/kursus-2/modul-{n}/complete")
    client.post("/logout")
    return {"learner": learner, "supervisor": supervisor, "admin": admin}


def _context(browser, site_url, user, width, scheme="light"):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID", bypass_csp=True,
                                  color_scheme=scheme)
    page = context.new_page()
    log_in(page, site_url, user)
    return context, page


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _axe(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_dashboard_shows_progress_next_steps_and_hours(browser, site_url, world, width):
    context, page = _context(browser, site_url, world["learner"], width)
    page.goto(site_url + "/")
    _shoot(page, f"dashboard-{width}")
    assert _page_width(page) <= width
    cards = page.locator(".course-card")
    assert cards.count() == 4  # three under way (one overdue, one due soon, one started) and the finished one
    first = cards.nth(0)  # overdue first
    assert "Terlambat" in first.inner_text() and first.locator(".tag-overdue .icon").count() == 1
    assert page.locator(".course-card .tag-due_soon").count() == 1
    started = page.locator(".course-card", has_text="Tingkat 1")
    assert started.locator("progress").get_attribute("value") == started.locator(".progress-value").inner_text().rstrip("%")
    assert "Modul 2" in started.locator(".next-step").inner_text()
    finished = page.locator(".course-card", has_text="Tingkat 2")
    assert finished.locator(".tag-completed").count() == 1 and finished.get_by_role("link", name="Lihat sertifikat").count() == 1
    assert page.locator(".jp-target meter").count() == 1 and "JP" in page.locator(".jp-target .progress-value").inner_text()
    assert (violations := _axe(page)) == [], describe(violations)
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_matrix_scrolls_inside_its_region_with_status_tags(browser, site_url, world, width):
    context, page = _context(browser, site_url, world["supervisor"], width)
    page.goto(site_url + "/reports/matrix")
    _shoot(page, f"matrix-{width}")
    assert _page_width(page) <= width, "the page itself never scrolls sideways"
    region = page.locator(".matrix-wrap")
    if width == 390:
        assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table scrolls inside its region"
        first = page.locator(".matrix tbody tr:first-child th").bounding_box()
        region.evaluate("el => el.scrollLeft = 400")
        assert abs(page.locator(".matrix tbody tr:first-child th").bounding_box()["x"] - first["x"]) < 1, \
            "the name column stays in place"
    else:
        main = page.locator("main").bounding_box()
        assert main["width"] > 1200, "report pages use the screen's width"
    overdue = page.locator(".matrix td .tag-overdue").first
    assert overdue.inner_text().strip().startswith("Terlambat") and overdue.locator(".icon").count() == 1
    assert page.locator(".legend .tag").count() >= 4
    assert (violations := _axe(page)) == [], describe(violations)
    context.close()


@pytest.mark.parametrize("lang", ("id", "en"))
@pytest.mark.parametrize("width", (1024, 1280))
def test_header_fits_one_line_on_desktop(browser, site_url, world, width, lang):
    context, page = _context(browser, site_url, world["admin"], width)  # the admin has the most links
    if lang == "en":
        page.click(".user-menu > summary")
        submit(page, "header button:has-text('EN')")
    page.goto(site_url + "/courses/")
    _shoot(page, f"header-{width}-{lang}")
    assert _page_width(page) <= width
    boxes = page.evaluate("""() => [...document.querySelectorAll(
        '.header-bar .brand, .header-bar nav a, .header-bar .user-menu > summary')].map(el => {
          const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, visible: r.width > 0}; })""")
    assert len(boxes) >= 7 and all(b["visible"] for b in boxes)
    middles = [(b["top"] + b["bottom"]) / 2 for b in boxes]
    assert max(middles) - min(middles) < 8, f"header items on more than one line: {boxes}"
    assert page.locator(".site-header").bounding_box()["height"] < 80
    context.close()


def test_phone_header_opens_its_menus_without_script(browser, site_url, world):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/courses/")
    catalogue = page.locator(".site-header nav a", has_text="Katalog kursus")
    assert not catalogue.is_visible()
    page.click(".menu > summary")
    assert catalogue.is_visible() and _page_width(page) <= 390
    context.close()


def test_user_menu_holds_account_language_and_logout(browser, site_url, world):
    context, page = _context(browser, site_url, world["learner"], 1280)
    logout = page.locator("header button", has_text="Keluar")
    assert not logout.is_visible()
    page.click(".user-menu > summary")
    assert page.locator(".user-menu a", has_text="Akun saya").is_visible()
    assert page.locator(".user-menu .lang button[aria-pressed=true]").inner_text() == "ID"
    assert (violations := _axe(page)) == [], describe(violations)
    # axe leaves text over other content unchecked: the language buttons must not take the header's white
    colours = page.evaluate("""() => { const b = document.querySelector('.user-menu .lang button[aria-pressed=false]');
        return [getComputedStyle(b).color, getComputedStyle(b.closest('.dropdown')).backgroundColor]; }""")
    assert colours[0] != colours[1], colours
    logout.click()
    assert page.locator(".site-header nav a", has_text="Masuk").count() == 1
    context.close()


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_every_component_passes_axe_in_both_schemes(browser, site_url, world, scheme):
    context, page = _context(browser, site_url, world["admin"], 1280, scheme)
    for url in ("/_design", "/reports/matrix"):
        page.goto(site_url + url)
        _shoot(page, f"{url.strip('/').replace('/', '-')}-{scheme}")
        assert (violations := _axe(page)) == [], f"{url} ({scheme}):\n{describe(violations)}"
    context.close()
