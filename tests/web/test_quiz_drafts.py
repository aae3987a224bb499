"""Draft answers: saved without submitting, shown again on reload, never changed after grading,
graded at the deadline when the learner never submits (services.quizzes)."""
from __future__ import annotations

import threading
from datetime import timedelta

from elearn.models import QuizAttempt
from elearn.models._types import utcnow
from elearn.services.quizzes import get_quiz, get_quiz_status, save_draft, submit_attempt
from tests.web.test_quizzes import _answers, _start, learner, quiz_course  # noqa: F401 (fixtures)


def _draft(db, attempt_id):
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt_id)


def _keys(db, attempt_id):
    attempt = _draft(db, attempt_id)
    return {q["type"]: q["key"] for q in attempt.questions}


def test_save_button_keeps_answers_without_submitting_and_reload_shows_them(client, db, quiz_course, learner):
    quiz_course()
    attempt_id = _start(client)
    answers = _answers(db, attempt_id)
    keys = _keys(db, attempt_id)
    response = client.post(f"/attempts/{attempt_id}/save", data=answers, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Jawaban tersimpan" in html
    attempt = _draft(db, attempt_id)
    assert attempt.state == "open" and attempt.score is None
    # reloading the page shows every saved answer in its input
    html = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    single = answers[f"q-{keys['single']}"]
    assert f'name="q-{keys["single"]}" value="{single}" checked' in html
    assert html.count(" checked") == 1
    assert f'name="q-{keys["short"]}" maxlength="500" autocomplete="off" value="opac"' in html
    assert 'value="3"' in html
    # the attempt's JSON carries the drafts as form fields, still nothing of the key
    body = client.get(f"/attempts/{attempt_id}.json").get_json()
    drafts = {k: v for q in body["questions"] for k, v in q["drafts"].items()}
    assert drafts == {name: [value] for name, value in answers.items()}
    assert "correct" not in str(body) and "OPAC" not in str(body)


def test_save_is_idempotent_and_replaces_earlier_drafts(client, db, quiz_course, learner):
    quiz_course()
    attempt_id = _start(client)
    keys = _keys(db, attempt_id)
    right = _answers(db, attempt_id)
    for _ in range(2):
        assert client.post(f"/attempts/{attempt_id}/save.json", data=right).get_json()["code"] == "saved"
    first = dict(_draft(db, attempt_id).responses)
    changed = dict(right, **{f"q-{keys['short']}": "katalog"})
    client.post(f"/attempts/{attempt_id}/save.json", data=changed)
    responses = _draft(db, attempt_id).responses
    assert responses[keys["short"]] == "katalog" and responses[keys["single"]] == first[keys["single"]]


def test_every_question_type_shows_its_draft(client, db, app, make_user):
    from tests.quizhelp import STORED_BEFORE
    from elearn.services.quiz_views import open_attempt_view
    from elearn.content.qtypes import get_type

    attempt = QuizAttempt(questions=STORED_BEFORE, responses={})
    form = {}
    for q in STORED_BEFORE:
        form.update(get_type(q["type"]).example_form(q, True))
    from elearn.services.quizzes import parse_responses
    form = {k: v if isinstance(v, list) else [v] for k, v in form.items()}
    attempt.responses = parse_responses(STORED_BEFORE, form)
    shown = {q.key: q.values for q in open_attempt_view(attempt)}
    # what the page fills in is exactly what the browser would send again
    assert {k: v for values in shown.values() for k, v in values.items() if v} == \
        {k: [str(x) for x in v] for k, v in form.items() if v}


def test_save_after_submit_changes_nothing_and_says_so(client, db, quiz_course, learner):
    quiz_course()
    attempt_id = _start(client)
    client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id))
    graded = _draft(db, attempt_id)
    before = (graded.state, dict(graded.responses), graded.score, graded.submitted_at)
    reply = client.post(f"/attempts/{attempt_id}/save.json", data=_answers(db, attempt_id, right=False))
    assert reply.status_code == 200 and reply.get_json()["code"] == "closed"
    assert reply.get_json()["result_url"].endswith(f"/attempts/{attempt_id}/result")
    html = client.post(f"/attempts/{attempt_id}/save", data=_answers(db, attempt_id, right=False),
                       follow_redirects=True).get_data(as_text=True)
    assert "sudah dikirim; jawaban tidak diubah" in html
    after = _draft(db, attempt_id)
    assert (after.state, after.responses, after.score, after.submitted_at) == before


def test_save_racing_a_submit_never_changes_the_graded_attempt(app, db, quiz_course, learner, client):
    """A save and a submit at the same moment: whichever order the database sees, the graded
    attempt keeps the submitted answers and its score."""
    quiz_course()
    attempt_id = _start(client)
    right, wrong = _answers(db, attempt_id), _answers(db, attempt_id, right=False)
    user_id = learner.id
    as_lists = lambda form: {k: [v] for k, v in form.items()}  # noqa: E731
    barrier = threading.Barrier(2)
    codes = []

    def submit():
        with app.app_context():
            from elearn.extensions import db as local
            barrier.wait()
            submit_attempt(local.session, user_id, attempt_id, as_lists(right), utcnow())
            local.session.commit()

    def save():
        with app.app_context():
            from elearn.extensions import db as local
            barrier.wait()
            for _ in range(5):
                codes.append(save_draft(local.session, user_id, attempt_id, as_lists(wrong), utcnow()).code)
                local.session.commit()

    threads = [threading.Thread(target=submit), threading.Thread(target=save)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    attempt = _draft(db, attempt_id)
    assert set(codes) <= {"saved", "closed"}
    assert attempt.state == "submitted" and attempt.score == 100.0
    submitted = dict(attempt.responses)
    assert save_draft(db.session, user_id, attempt_id, as_lists(wrong), utcnow()).code == "closed"
    db.session.commit()
    attempt = _draft(db, attempt_id)
    assert attempt.responses == submitted and attempt.score == 100.0


def test_submit_after_deadline_grades_the_drafts_not_the_late_form(client, db, quiz_course, learner):
    quiz_course("time_limit_minutes: 10")
    attempt_id = _start(client)
    assert client.post(f"/attempts/{attempt_id}/save", data=_answers(db, attempt_id)).status_code == 302
    attempt = _draft(db, attempt_id)
    attempt.started_at -= timedelta(minutes=11)
    attempt.deadline_at -= timedelta(minutes=11)
    db.session.commit()
    html = client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id, right=False),
                       follow_redirects=True).get_data(as_text=True)
    attempt = _draft(db, attempt_id)
    assert attempt.state == "expired" and attempt.late is True
    assert attempt.score == 100.0 and attempt.passed is True  # the drafts saved in time
    assert "jawaban yang tersimpan sebelum batas waktu" in html


def test_save_after_deadline_is_refused_and_closes_with_earlier_drafts(client, db, quiz_course, learner):
    quiz_course("time_limit_minutes: 10")
    attempt_id = _start(client)
    keys = _keys(db, attempt_id)
    right = _answers(db, attempt_id)
    only_single = {f"q-{keys['single']}": right[f"q-{keys['single']}"]}
    client.post(f"/attempts/{attempt_id}/save.json", data=only_single)
    attempt = _draft(db, attempt_id)
    attempt.deadline_at = utcnow() - timedelta(seconds=31)  # grace is 30 s
    db.session.commit()
    reply = client.post(f"/attempts/{attempt_id}/save.json", data=right).get_json()
    assert reply["code"] == "expired"
    attempt = _draft(db, attempt_id)
    assert attempt.state == "expired" and attempt.score == round(100 / 3, 2)
    assert attempt.responses[keys["short"]] is None


def test_save_within_grace_is_kept(client, db, quiz_course, learner):
    quiz_course("time_limit_minutes: 10")
    attempt_id = _start(client)
    attempt = _draft(db, attempt_id)
    attempt.deadline_at = utcnow() - timedelta(seconds=10)
    db.session.commit()
    assert client.post(f"/attempts/{attempt_id}/save.json", data=_answers(db, attempt_id)).get_json()["code"] == "saved"
    assert _draft(db, attempt_id).state == "open"


def test_abandoned_attempt_is_graded_with_its_drafts_at_the_deadline(client, db, quiz_course, learner):
    quiz_course("time_limit_minutes: 5\nmax_attempts: 2")
    attempt_id = _start(client)
    client.post(f"/attempts/{attempt_id}/save", data=_answers(db, attempt_id))
    attempt = _draft(db, attempt_id)
    attempt.deadline_at -= timedelta(hours=1)
    db.session.commit()
    # every page counts it at once, with the drafts' score, before anything is written
    quiz = get_quiz(db.session, attempt.quiz_id)
    status = get_quiz_status(db.session, learner.id, quiz, utcnow())
    assert status.open_attempt_id is None and status.score == 100.0 and status.passed
    assert _draft(db, attempt_id).state == "open"
    # the learner's next action closes it by the same rule (and a pass completes the module)
    html = client.post("/courses/kursus-uji/quiz/modul-1/start", follow_redirects=True).get_data(as_text=True)
    attempt = _draft(db, attempt_id)
    assert attempt.state == "expired" and attempt.late and attempt.score == 100.0 and attempt.passed
    assert "Percobaan 2" in html


def test_foreign_attempt_cannot_be_saved_or_read(client, db, quiz_course, learner, make_user, login):
    quiz_course()
    attempt_id = _start(client)
    client.post(f"/attempts/{attempt_id}/save", data=_answers(db, attempt_id))
    before = dict(_draft(db, attempt_id).responses)
    client.post("/logout")
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    assert client.post(f"/attempts/{attempt_id}/save", data=_answers(db, attempt_id)).status_code == 404
    assert client.post(f"/attempts/{attempt_id}/save.json", data=_answers(db, attempt_id)).status_code == 404
    assert client.get(f"/attempts/{attempt_id}.json").status_code == 404
    assert _draft(db, attempt_id).responses == before
