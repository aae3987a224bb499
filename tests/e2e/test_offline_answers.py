"""Answers saved as you go, in a real browser: reload keeps them, and answers made while the link
is down reach the server when it returns (elearn/static/js/autosave.js, outbox.js)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.models import QuizAttempt
from tests.e2e.conftest import log_in, shows, submit
from tests.e2e.test_flows import QUIZ

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def attempt_page(page, site_url, write_course, sync, make_user):
    """A learner on an open attempt of a three-question quiz."""
    return _open_attempt(page, site_url, write_course, sync, make_user, "pass_mark: 100")


@pytest.fixture
def timed_attempt_page(page, site_url, write_course, sync, make_user):
    """The same with a 10-minute time limit."""
    return _open_attempt(page, site_url, write_course, sync, make_user, "pass_mark: 100\ntime_limit_minutes: 10")


def _open_attempt(page, site_url, write_course, sync, make_user, rules):
    folder = write_course(modules=1, title="Preservasi Digital")
    (folder / "01-modul-1.quiz.md").write_text(QUIZ.replace("pass_mark: 100", rules), encoding="utf-8")
    sync()
    log_in(page, site_url, make_user())
    page.goto(f"{site_url}/courses/kursus-uji/")
    submit(page, "text=Daftar kursus ini")
    page.goto(f"{site_url}/courses/kursus-uji/quiz/modul-1/")
    submit(page, "button:has-text('Mulai percobaan')")
    assert "/attempts/" in page.url
    page.wait_for_load_state()  # the page's scripts are listening
    return page


def _drafts(db):
    db.session.expire_all()
    attempt = db.session.scalar(select(QuizAttempt))
    return attempt.state, attempt.responses


def test_answers_typed_are_there_after_a_reload(attempt_page, db):
    page = attempt_page
    status = page.locator(".save-status")
    page.check("label.choice:has-text('Dublin Core') input")
    expect(status).to_have_text("Tersimpan")
    page.select_option("select[name$='-0']", label="master arsip")
    expect(status).to_have_text("Tersimpan")
    page.fill("input[name^='q-singkatan']", "opac")  # typed, the field not left: saved after a pause
    expect(status).to_have_text("")
    expect(status).to_have_text("Tersimpan")
    page.reload()
    assert page.is_checked("label.choice:has-text('Dublin Core') input")
    assert page.input_value("input[name^='q-singkatan']") == "opac"
    assert page.locator("select[name$='-0'] option:checked").inner_text() == "master arsip"
    state, responses = _drafts(db)
    assert state == "open" and "opac" in responses.values()


def test_answers_made_offline_reach_the_server_when_online(attempt_page, db):
    page = attempt_page
    status = page.locator(".save-status")
    page.context.set_offline(True)
    page.check("label.choice:has-text('Dublin Core') input")
    expect(status).to_have_text("Tersimpan di perangkat, belum terkirim")
    page.fill("input[name^='q-singkatan']", "opac")
    page.press("input[name^='q-singkatan']", "Tab")
    expect(status).to_have_text("Tersimpan di perangkat, belum terkirim")
    assert _drafts(db)[1] == {}  # nothing reached the server yet
    page.context.set_offline(False)
    expect(status).to_have_text("Tersimpan")
    state, responses = _drafts(db)
    assert state == "open" and "opac" in responses.values() and "0" in responses.values()


def test_submit_while_offline_is_sent_when_online(attempt_page, db):
    page = attempt_page
    page.check("label.choice:has-text('Dublin Core') input")
    page.fill("input[name^='q-singkatan']", "opac")
    page.select_option("select[name$='-0']", label="master arsip")
    page.select_option("select[name$='-1']", label="salinan akses")
    page.context.set_offline(True)
    page.click("button:has-text('Kirim jawaban')")
    expect(page.locator(".save-status")).to_contain_text("luring")
    assert _drafts(db)[0] == "open"
    page.context.set_offline(False)
    page.wait_for_url("**/result")
    shows(page, "Nilai: 100%")
    assert _drafts(db)[0] == "submitted"


def test_attempt_whose_deadline_passed_offline_ends_with_the_answers_saved_in_time(timed_attempt_page, db):
    from datetime import timedelta

    page = timed_attempt_page
    status = page.locator(".save-status")
    page.check("label.choice:has-text('Dublin Core') input")
    expect(status).to_have_text("Tersimpan")  # on the server, in time
    page.context.set_offline(True)
    page.fill("input[name^='q-singkatan']", "opac")
    page.press("input[name^='q-singkatan']", "Tab")
    expect(status).to_have_text("Tersimpan di perangkat, belum terkirim")
    attempt = db.session.scalar(select(QuizAttempt))
    attempt.deadline_at -= timedelta(hours=1)  # the link stays down past the deadline and its grace
    attempt.started_at -= timedelta(hours=1)
    db.session.commit()
    page.click("button:has-text('Kirim jawaban')")
    page.context.set_offline(False)
    page.wait_for_url("**/result")
    shows(page, "Batas waktu terlewati")
    db.session.expire_all()
    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt.state == "expired" and attempt.score == round(100 / 3, 2)  # only the answer saved in time
