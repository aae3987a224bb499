"""Issue #17's page-weight budget, measured on the shipped courses: every module page's HTML + CSS
≤ 30 KB as deploy/nginx sends it (gzip at its configured level), and the quiz attempt page (the
largest shipped exam) too. bench/pages.py prints the same figures."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from bench.page_weight import HTML_CSS_BUDGET, nginx_gzip, on_the_wire, weigh
from elearn.models import Course, Enrollment, Module, ModuleProgress, Quiz
from elearn.models._types import utcnow
from elearn.services.course_sync import sync_catalog

SHIPPED = Path(__file__).resolve().parents[2] / "courses"


def _fetch(client):
    def fetch(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.data
    return fetch


def _enrol_everywhere(db, user, complete: bool = False):
    now = utcnow()
    for course in db.session.scalars(select(Course)):
        db.session.add(Enrollment(user_id=user.id, course_id=course.id, enrolled_at=now))
        if complete:  # every module open, and the final exam (it opens once all are done)
            for module in db.session.scalars(select(Module).where(Module.course_id == course.id,
                                                                  Module.retired_at.is_(None))):
                db.session.add(ModuleProgress(user_id=user.id, module_id=module.id, started_at=now,
                                              last_seen_at=now, completed_at=now))
    db.session.commit()


def test_compression_follows_the_nginx_configuration():
    level, minimum = nginx_gzip()
    assert 1 <= level <= 9 and minimum > 0
    assert on_the_wire(b"x" * (minimum - 1)) == minimum - 1  # too small to compress: sent as it is
    assert on_the_wire(b"abc" * 10_000) < 1_000


def test_every_shipped_module_page_is_within_the_budget(client, db, make_user, login):
    report = sync_catalog(db.session, SHIPPED)
    db.session.commit()
    assert not report.failed, report.problems
    learner = make_user()
    _enrol_everywhere(db, learner, complete=True)  # modules in order: every one open
    login(learner)
    pages = [(course.slug, module.slug) for course, module in db.session.execute(
        select(Course, Module).join(Module, Module.course_id == Course.id).where(Module.retired_at.is_(None)))]
    assert len(pages) >= 20
    fetch = _fetch(client)
    heaviest = max((weigh(fetch, f"/courses/{c}/{m}/") for c, m in pages), key=lambda w: w.html_css)
    assert heaviest.css > 0 and heaviest.html > 0
    assert heaviest.html_css <= HTML_CSS_BUDGET, (heaviest.url, heaviest.html, heaviest.css, heaviest.files)


def test_every_final_exam_attempt_page_is_within_the_budget(client, db, make_user, login):
    sync_catalog(db.session, SHIPPED)
    db.session.commit()
    learner = make_user()
    _enrol_everywhere(db, learner, complete=True)
    login(learner)
    exams = db.session.execute(
        select(Course.slug, Quiz.slug).join(Quiz, Quiz.course_id == Course.id).where(Quiz.kind == "exam")).all()
    assert exams
    fetch, weights = _fetch(client), []
    for course, quiz in exams:
        response = client.post(f"/courses/{course}/quiz/{quiz}/start")
        assert response.status_code == 302, response.data[:300]
        assert re.search(r"/attempts/\d+/", response.headers["Location"])
        weights.append(weigh(fetch, response.headers["Location"]))
    heaviest = max(weights, key=lambda w: w.html_css)
    assert heaviest.html_css <= HTML_CSS_BUDGET, (heaviest.url, heaviest.html, heaviest.css, heaviest.files)
    assert all(w.js > 0 for w in weights)  # autosave is there (the page works without it)
