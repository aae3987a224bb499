"""Real-browser tests: the app served on loopback, Debian's Chromium driven by Playwright.

Playwright uses the system browser through ``executable_path``; it never downloads one
(`.ci/install-browser` installs Debian's chromium on CI). Without chromium or playwright the
tests are skipped with the reason, so `make test` still passes on a machine without them.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from elearn import create_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: real-browser end-to-end test")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found (run .ci/install-browser)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def site_url(app, database_url, tmp_path):
    """The site with CSRF on, as in production, on a free loopback port; same database as `app`."""
    live = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": database_url,
                       "COURSES_DIR": str(tmp_path / "courses")})
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_check(browser):
    """axe_check(url, cookies) -> serious/critical violations on that page.

    axe is injected as a script, which the site's Content-Security-Policy (no inline or foreign
    scripts) would rightly block, so the audit runs in a context with bypass_csp.
    """

    def run(url: str, cookies: list | None = None) -> list[dict]:
        context = browser.new_context(bypass_csp=True)
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        page.goto(url)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        context.close()
        return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]

    return run


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
                     for v in violations)


def log_in(page, base, user):
    """Sign ``user`` in through the real form (the password of tests.conftest)."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    submit(page, "form.stack button[type=submit]")
    assert "/login" not in page.url


def submit(page, selector: str) -> None:
    """Click a button or link that loads another page, and return once that page has loaded.

    page.click alone returns as soon as the navigation has started: reading the page then can see
    the document between two pages, and a page.goto at once can cancel the form's request."""
    with page.expect_navigation():
        page.click(selector)


def shows(page, text: str, timeout: float = 10_000) -> None:
    """Wait until the page shows ``text`` (a click that submits a form returns once the navigation
    has started, so reading page.content() at once can see the document between two pages)."""
    from playwright.sync_api import expect

    expect(page.locator("html")).to_contain_text(text, timeout=timeout)


def wait_until(page, expression: str, timeout: float = 10_000) -> None:
    """Poll a JavaScript expression (it may return a promise) until it is truthy.

    Not page.wait_for_function: that evaluates its predicate with eval once it has to poll, which
    the site's Content-Security-Policy (script-src 'self') rightly refuses."""
    waited = 0.0
    while not page.evaluate(expression):
        if waited >= timeout:
            raise AssertionError(f"still false after {timeout / 1000:.0f} s: {expression}")
        page.wait_for_timeout(100)
        waited += 100


def log_out(page):
    page.click(".user-menu > summary")  # logout sits in the user menu
    submit(page, "header button:has-text('Keluar')")
