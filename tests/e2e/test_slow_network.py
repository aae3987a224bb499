"""Issue #17's slow-network budget in a real browser: the first view of a module (nothing cached)
over Chromium's network emulation at 400 kbit/s and 400 ms round trip ("slow 3G") is usable within
3 s: the page, its stylesheet and scripts loaded, the text shown and the course navigation there.

The site runs behind a stand-in for deploy/nginx's compression (gzip at its configured level, the
same content types, the same minimum length), because that is how a phone receives it."""
from __future__ import annotations

import gzip
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from bench.page_weight import NGINX_CONF, nginx_gzip
from elearn import create_app
from elearn.models import Course, Enrollment, Module, ModuleProgress
from elearn.models._types import utcnow
from elearn.services.course_sync import sync_catalog
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.e2e

SHIPPED = Path(__file__).resolve().parents[2] / "courses"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8,
           "uploadThroughput": 400 * 1000 / 8}
BUDGET_S = 3.0


class NginxGzip:
    """WSGI stand-in for the proxy's gzip: HTML always, the ``gzip_types`` of the nginx file, bodies
    of at least ``gzip_min_length``, for clients that accept it."""

    def __init__(self, app):
        self.app = app
        self.level, self.minimum = nginx_gzip()
        line = next(t for t in NGINX_CONF.read_text(encoding="utf-8").splitlines()
                    if t.strip().startswith("gzip_types"))
        self.types = {"text/html", *line.strip().rstrip(";").split()[1:]}

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        headers = captured["headers"]
        kind = next((v for k, v in headers if k.lower() == "content-type"), "").split(";")[0].strip()
        if ("gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and kind in self.types
                and len(body) >= self.minimum and not any(k.lower() == "content-encoding" for k, _ in headers)):
            body = gzip.compress(body, compresslevel=self.level)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body))), ("Vary", "Accept-Encoding")]
        start_response(captured["status"], headers)
        return [body]


@pytest.fixture
def behind_proxy(app, database_url, tmp_path):
    live = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": database_url,
                       "COURSES_DIR": str(tmp_path / "courses")})
    live.wsgi_app = NginxGzip(live.wsgi_app)
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_first_view_of_a_module_on_slow_3g_is_usable_within_3_s(browser, behind_proxy, db, make_user):
    report = sync_catalog(db.session, SHIPPED)
    db.session.commit()
    assert not report.failed, report.problems
    learner = make_user()
    # the longest shipped module page; the learner has read the course so far, so every module is open
    module = max(db.session.scalars(select(Module).where(Module.retired_at.is_(None))), key=lambda m: len(m.html))
    course = db.session.get(Course, module.course_id)
    now = utcnow()
    db.session.add(Enrollment(user_id=learner.id, course_id=course.id, enrolled_at=now))
    for earlier in db.session.scalars(select(Module).where(Module.course_id == course.id,
                                                           Module.position < module.position)):
        db.session.add(ModuleProgress(user_id=learner.id, module_id=earlier.id, started_at=now, last_seen_at=now,
                                      completed_at=now))
    db.session.commit()
    context = browser.new_context(locale="id-ID", service_workers="block")
    page = context.new_page()
    try:
        log_in(page, behind_proxy, learner)  # signing in is not the module's first view
        page.wait_for_url(f"{behind_proxy}/")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.clearBrowserCache")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # a first view: nothing cached
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        url = f"{behind_proxy}/courses/{course.slug}/{module.slug}/"
        start = time.perf_counter()
        response = page.goto(url, wait_until="load", timeout=30_000)
        elapsed = time.perf_counter() - start
        assert response.status == 200
        assert response.headers.get("content-encoding") == "gzip"  # as nginx sends it
        assert page.locator("h1").first.is_visible()
        assert module.title in page.locator("h1").first.inner_text()
        styled = page.evaluate("() => [...document.styleSheets].some(s => s.cssRules.length > 0)")
        assert styled, "the stylesheet did not arrive"
        assert elapsed <= BUDGET_S, f"first view took {elapsed:.2f} s on slow 3G (budget {BUDGET_S} s)"
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                      "uploadThroughput": -1})
    finally:
        context.close()
