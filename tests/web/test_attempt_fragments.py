"""An attempt page's questions are rendered once per fingerprint (content, option order) and language
while they carry no drafts (elearn/fragments.cached_question): the page must read exactly as rendered
afresh, never show one learner's drafts to another, and follow the learner's language."""
from __future__ import annotations

import re

from elearn.models import QuizAttempt
from tests.conftest import PASSWORD
from tests.web.test_quizzes import _answers, _start, learner, quiz_course  # noqa: F401 (fixtures)


def _form(html: str) -> str:
    """The attempt form without its CSRF token (signed per request)."""
    start = html.rindex("<form", 0, html.index('id="attempt-form"'))
    form = html[start:html.index("</form>", start)]
    assert "q-" in form
    return re.sub(r'name="csrf_token"[^>]*>', "", form)


def _memo(app):
    return app.extensions["elearn_question_fragments"]


def test_cached_questions_read_as_rendered_afresh(app, client, db, quiz_course, learner):
    quiz_course()
    attempt_id = _start(client)
    _memo(app).clear()
    fresh = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    assert len(_memo(app)) == 3  # the quiz's three questions
    again = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    assert _form(again) == _form(fresh) and len(_memo(app)) == 3
    assert "Standar mana yang memiliki 15 elemen inti?" in again and 'type="radio"' in again
    assert "checked" not in _form(again)


def test_drafts_are_never_cached_nor_shown_to_another_learner(app, client, db, quiz_course, learner, make_user):
    quiz_course()
    attempt_id = _start(client)
    client.get(f"/attempts/{attempt_id}/")
    kept = len(_memo(app))
    client.post(f"/attempts/{attempt_id}/save", data=_answers(db, attempt_id))
    mine = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    assert "checked" in _form(mine) and 'value="opac"' in mine.lower()
    assert len(_memo(app)) == kept  # questions with drafts are rendered, not kept

    other = make_user()
    their_client = app.test_client()
    their_client.post("/login", data={"email": other.email, "password": PASSWORD})
    their_client.post("/courses/kursus-uji/enroll")
    theirs = _start(their_client)
    # the same option order as the first learner's: their questions may come from the memo
    db.session.get(QuizAttempt, theirs).questions = db.session.get(QuizAttempt, attempt_id).questions
    db.session.commit()
    html = their_client.get(f"/attempts/{theirs}/").get_data(as_text=True)
    assert "checked" not in _form(html) and 'value="opac"' not in html.lower()


def test_questions_follow_the_learners_language(app, client, db, quiz_course, learner):
    quiz_course()
    attempt_id = _start(client)
    indonesian = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    assert "Jawaban Anda" in indonesian
    client.post("/lang", data={"lang": "en"})
    english = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    assert "Your answer" in english and "Jawaban Anda" not in _form(english)


def test_a_kept_question_takes_its_number_in_each_attempt(app, client, db, quiz_course, learner, make_user):
    quiz_course()
    attempt_id = _start(client)
    first = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    titles = [q["title"] for q in db.session.get(QuizAttempt, attempt_id).questions]
    assert [n for n in re.findall(r'id="soal-(\d+)"', first)] == ["1", "2", "3"]
    assert f"<legend>1. {titles[0]}</legend>" in first and f"<legend>3. {titles[2]}</legend>" in first

    other = make_user()
    their_client = app.test_client()
    their_client.post("/login", data={"email": other.email, "password": PASSWORD})
    their_client.post("/courses/kursus-uji/enroll")
    theirs = _start(their_client)
    # the same questions and options in the opposite order: every question comes from the memo
    db.session.get(QuizAttempt, theirs).questions = list(reversed(db.session.get(QuizAttempt, attempt_id).questions))
    db.session.commit()
    kept = len(_memo(app))
    html = their_client.get(f"/attempts/{theirs}/").get_data(as_text=True)
    assert len(_memo(app)) == kept
    assert f"<legend>1. {titles[2]}</legend>" in html and f"<legend>3. {titles[0]}</legend>" in html
    assert [n for n in re.findall(r'id="soal-(\d+)"', html)] == ["1", "2", "3"]
