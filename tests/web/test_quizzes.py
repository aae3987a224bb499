"""Quiz attempts through the web: rules, ownership, double submit, time limit, no leakage."""
from __future__ import annotations

import re
import textwrap
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.models import Enrollment, ModuleProgress, Quiz, QuizAttempt

QUIZ = textwrap.dedent("""\
    ---
    pass_mark: 60
    {rules}
    ---
    ## Standar metadata

    Standar mana yang memiliki 15 elemen inti?

    - [x] Dublin Core
      > RAHASIA-UMPAN-BALIK-BENAR
    - [ ] MARC 21
      > RAHASIA-UMPAN-BALIK-SALAH

    > RAHASIA-PENJELASAN

    ## Singkatan {{type=short}}

    Singkatan Online Public Access Catalog?

    - [x] OPAC

    ## Salinan {{type=numeric}}

    Berapa salinan menurut aturan 3-2-1?

    - [x] 3
    """)


@pytest.fixture
def quiz_course(write_course, sync, client):
    """Writes and syncs a course whose first module has a quiz, then enrolls the logged-in client."""

    def make(rules: str = "", exam: str | None = None, modules: int = 2):
        folder = write_course(modules=modules)
        (folder / "01-modul-1.quiz.md").write_text(QUIZ.format(rules=rules), encoding="utf-8")
        if exam is not None:
            (folder / "exam.quiz.md").write_text(QUIZ.format(rules=exam), encoding="utf-8")
        report = sync()
        assert not report.failed, report.problems
        client.post("/courses/kursus-uji/enroll")
        return folder

    return make


def _start(client, quiz_slug="modul-1"):
    response = client.post(f"/courses/kursus-uji/quiz/{quiz_slug}/start")
    assert response.status_code == 302, response.data[:300]
    return int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))


def _answers(db, attempt_id, right=True):
    attempt = db.session.get(QuizAttempt, attempt_id)
    data = {}
    for q in attempt.questions:
        if q["type"] == "single":
            index = next(i for i, o in enumerate(q["options"]) if o["correct"] == right)
            data[f"q-{q['key']}"] = str(index)
        elif q["type"] == "short":
            data[f"q-{q['key']}"] = "opac" if right else "katalog"
        elif q["type"] == "numeric":
            data[f"q-{q['key']}"] = "3" if right else "2"
    return data


@pytest.fixture
def learner(make_user, login):
    user = make_user()
    login(user)
    return user


def test_open_attempt_page_and_json_leak_no_correctness(client, db, learner, quiz_course):
    quiz_course()
    attempt_id = _start(client)
    html = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    assert "Standar mana yang memiliki 15 elemen inti?" in html and "Dublin Core" in html
    for secret in ("RAHASIA", "correct", "OPAC", "feedback", "explanation"):
        assert secret not in html, secret
    body = client.get(f"/attempts/{attempt_id}.json").get_data(as_text=True)
    assert "Dublin Core" in body
    for secret in ("RAHASIA", "correct", "OPAC", "answers", "feedback"):
        assert secret not in body, secret


def test_reload_shows_the_same_attempt(client, quiz_course, learner):
    quiz_course("shuffle_options: true\nshuffle_questions: true")
    first = _start(client)
    assert _start(client) == first

    def questions_html():
        html = client.get(f"/attempts/{first}/").get_data(as_text=True)
        return re.findall(r'<fieldset class="question".*?</fieldset>', html, re.S)

    shown = questions_html()
    assert len(shown) == 3 and shown == questions_html()


def test_passing_module_quiz_completes_the_module(client, db, quiz_course, learner):
    quiz_course()
    html = client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    assert "Tandai selesai" not in html and "Kerjakan kuis" in html
    assert client.post("/courses/kursus-uji/modul-1/complete").status_code == 302
    assert db.session.scalar(select(ModuleProgress.completed_at).where(ModuleProgress.completed_at.is_not(None))) is None
    attempt_id = _start(client)
    response = client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id))
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/result")
    html = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Nilai: 100%" in html and "Lulus" in html
    assert "RAHASIA-PENJELASAN" in html  # show_answers: after_submit
    assert db.session.scalar(select(ModuleProgress.completed_at)) is not None


def test_second_submit_returns_same_result(client, db, quiz_course, learner):
    quiz_course()
    attempt_id = _start(client)
    first = client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id, right=False),
                        follow_redirects=True)
    assert "Percobaan ini sudah dikirim sebelumnya" not in first.get_data(as_text=True)
    again = client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id, right=True),
                        follow_redirects=True)
    assert again.request.path == f"/attempts/{attempt_id}/result"
    assert "Percobaan ini sudah dikirim sebelumnya" in again.get_data(as_text=True)
    attempt = db.session.get(QuizAttempt, attempt_id)
    db.session.refresh(attempt)
    assert attempt.score == 0.0 and attempt.state == "submitted"


def test_concurrent_submits_grade_once(app, db, quiz_course, learner, client):
    from elearn.models._types import utcnow
    from elearn.services.quizzes import submit_attempt

    if db.engine.dialect.name == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file or server database")
    quiz_course()
    attempt_id = _start(client)
    form_right = {k: [v] for k, v in _answers(db, attempt_id, right=True).items()}
    results = []

    def submit():
        with app.app_context():
            result = submit_attempt(db.session, learner.id, attempt_id, form_right, utcnow())
            db.session.commit()
            results.append(result.graded_now)
            db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]


def test_concurrent_starts_make_one_attempt(app, db, quiz_course, learner, monkeypatch):
    """Two starts that both read "no attempt yet" and both insert number 1: one inserts, the other
    inserts nothing (ON CONFLICT on quiz, user, number) and answers with the first one's attempt."""
    from elearn.models._types import utcnow
    from elearn.services import quizzes

    if db.engine.dialect.name == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file or server database")
    quiz_course()
    quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.slug == "modul-1"))
    db.session.commit()
    both_read = threading.Barrier(2, timeout=10)
    draw = quizzes._draw

    def after_reading(quiz, rng):  # called between the read of the attempts and the insert
        both_read.wait()
        return draw(quiz, rng)

    monkeypatch.setattr(quizzes, "_draw", after_reading)
    started, errors = [], []

    def start():
        with app.app_context():
            try:
                attempt = quizzes.start_attempt(db.session, learner.id, db.session.get(Quiz, quiz_id), utcnow())
                started.append((attempt.id, attempt.number))
                db.session.commit()
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    rows = db.session.execute(select(QuizAttempt.id, QuizAttempt.number)
                              .where(QuizAttempt.user_id == learner.id)).all()
    assert len(rows) == 1 and started == [tuple(rows[0])] * 2


def test_foreign_attempt_is_not_found(client, db, quiz_course, learner, make_user, login):
    quiz_course()
    attempt_id = _start(client)
    client.post("/logout")
    intruder = make_user()
    login(intruder)
    client.post("/courses/kursus-uji/enroll")
    assert client.get(f"/attempts/{attempt_id}/").status_code == 404
    assert client.get(f"/attempts/{attempt_id}.json").status_code == 404
    assert client.get(f"/attempts/{attempt_id}/result").status_code == 404
    assert client.post(f"/attempts/{attempt_id}/submit", data={"q-standar-metadata": "0"}).status_code == 404
    assert db.session.get(QuizAttempt, attempt_id).state == "open"


def test_not_enrolled_cannot_start(client, quiz_course, make_user, login):
    quiz_course()
    login(make_user())
    response = client.post("/courses/kursus-uji/quiz/modul-1/start", follow_redirects=True)
    assert "Daftar ke kursus ini terlebih dahulu" in response.get_data(as_text=True)


def test_max_attempts_and_cooldown(client, db, quiz_course, learner):
    quiz_course("max_attempts: 2\ncooldown_minutes: 30")
    first = _start(client)
    client.post(f"/attempts/{first}/submit", data={})
    response = client.post("/courses/kursus-uji/quiz/modul-1/start", follow_redirects=True)
    assert "masa jeda" in response.get_data(as_text=True)
    attempt = db.session.get(QuizAttempt, first)
    attempt.submitted_at -= timedelta(minutes=31)
    db.session.commit()
    second = _start(client)
    assert second != first
    client.post(f"/attempts/{second}/submit", data={})
    attempt = db.session.get(QuizAttempt, second)
    attempt.submitted_at -= timedelta(minutes=31)
    db.session.commit()
    response = client.post("/courses/kursus-uji/quiz/modul-1/start", follow_redirects=True)
    assert "sudah habis" in response.get_data(as_text=True)


def test_time_limit_late_submission_is_recorded_and_not_graded(client, db, quiz_course, learner):
    quiz_course("time_limit_minutes: 10")
    attempt_id = _start(client)
    attempt = db.session.get(QuizAttempt, attempt_id)
    attempt.started_at -= timedelta(minutes=11)
    attempt.deadline_at -= timedelta(minutes=11)
    db.session.commit()
    client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id))
    db.session.refresh(attempt)
    assert attempt.late is True and attempt.score == 0.0 and attempt.passed is False
    assert "setelah batas waktu" in client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)


def test_submission_within_grace_is_graded(client, db, quiz_course, learner):
    quiz_course("time_limit_minutes: 10")
    attempt_id = _start(client)
    attempt = db.session.get(QuizAttempt, attempt_id)
    attempt.deadline_at -= timedelta(seconds=10)  # 10 s late, grace is 30 s
    attempt.started_at -= timedelta(seconds=10)
    db.session.commit()
    client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id))
    db.session.refresh(attempt)
    assert attempt.late is False and attempt.score == 100.0


def test_abandoned_timed_attempt_expires(client, db, quiz_course, learner):
    quiz_course("time_limit_minutes: 5\nmax_attempts: 2")
    attempt_id = _start(client)
    attempt = db.session.get(QuizAttempt, attempt_id)
    attempt.deadline_at -= timedelta(hours=1)
    db.session.commit()
    html = client.get("/courses/kursus-uji/quiz/modul-1/").get_data(as_text=True)
    assert "Sisa kesempatan: 1" in html and "Mulai percobaan baru" in html  # counted as expired at once
    db.session.refresh(attempt)
    assert attempt.state == "open"  # a page view writes nothing; the next action closes it
    second = _start(client)
    db.session.refresh(attempt)
    assert attempt.state == "expired" and attempt.score == 0.0
    assert db.session.get(QuizAttempt, second).number == 2


def test_show_answers_after_pass_hides_key_until_passed(client, db, quiz_course, learner):
    quiz_course("show_answers: after_pass")
    first = _start(client)
    client.post(f"/attempts/{first}/submit", data=_answers(db, first, right=False))
    html = client.get(f"/attempts/{first}/result").get_data(as_text=True)
    assert "RAHASIA" not in html and "OPAC" not in html and "setelah Anda lulus" in html
    second = _start(client)
    client.post(f"/attempts/{second}/submit", data=_answers(db, second))
    assert "RAHASIA-PENJELASAN" in client.get(f"/attempts/{first}/result").get_data(as_text=True)


def test_show_answers_never(client, db, quiz_course, learner):
    quiz_course("show_answers: never")
    attempt_id = _start(client)
    client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id))
    html = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Nilai: 100%" in html and "RAHASIA" not in html and "OPAC" not in html


def test_grading_last_uses_the_last_attempt(db, quiz_course, learner, client):
    from elearn.models._types import utcnow
    from elearn.services.quizzes import get_quiz_status

    quiz_course("grading: last")
    first = _start(client)
    client.post(f"/attempts/{first}/submit", data=_answers(db, first))
    second = _start(client)
    client.post(f"/attempts/{second}/submit", data=_answers(db, second, right=False))
    quiz = db.session.scalar(select(Quiz))
    status = get_quiz_status(db.session, learner.id, quiz, utcnow())
    assert status.score == 0.0 and status.passed is False


def test_draw_takes_n_questions_and_records_them(client, db, quiz_course, learner):
    quiz_course("draw: 2\nshuffle_questions: true")
    attempt_id = _start(client)
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert len(attempt.questions) == 2


def test_edited_quiz_keeps_old_attempts_as_graded(client, db, quiz_course, learner, sync):
    folder = quiz_course()
    attempt_id = _start(client)
    client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id))
    text = (folder / "01-modul-1.quiz.md").read_text().replace("- [x] Dublin Core", "- [ ] Dublin Core").replace(
        "- [ ] MARC 21", "- [x] MARC 21")
    (folder / "01-modul-1.quiz.md").write_text(text)
    sync()
    quiz = db.session.scalar(select(Quiz))
    assert quiz.version == 2
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.score == 100.0 and attempt.quiz_version == 1
    html = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Jawaban yang benar: Dublin Core" in html


def test_exam_is_part_of_course_completion(client, db, quiz_course, learner):
    quiz_course(exam="", modules=1)
    attempt_id = _start(client)
    client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id))
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.completed_at is None  # module done, exam pending
    exam_attempt = _start(client, "exam")
    response = client.post(f"/attempts/{exam_attempt}/submit", data=_answers(db, exam_attempt), follow_redirects=True)
    assert "Anda telah menyelesaikan kursus ini" in response.get_data(as_text=True)
    db.session.refresh(enrollment)
    assert enrollment.completed_at is not None


def test_trainer_stats_only_for_their_courses(client, db, quiz_course, learner, make_user, login):
    quiz_course()
    attempt_id = _start(client)
    client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id, right=False))
    client.post("/logout")
    outsider = make_user("trainer")
    login(outsider)
    assert client.get("/courses/kursus-uji/quiz/modul-1/stats").status_code == 403
    client.post("/logout")
    login(make_user("learner"))
    assert client.get("/courses/kursus-uji/quiz/modul-1/stats").status_code == 403
    client.post("/logout")
    login(make_user("admin"))
    html = client.get("/courses/kursus-uji/quiz/modul-1/stats").get_data(as_text=True)
    assert "Standar metadata" in html and "0.0%" in html and "MARC 21 (1×)" in html


def test_named_trainer_sees_stats(client, db, write_course, sync, make_user, login):
    trainer = make_user("trainer", email="pelatih@example.org")
    folder = write_course(extra_front="trainers: [pelatih@example.org]")
    (folder / "01-modul-1.quiz.md").write_text(QUIZ.format(rules=""), encoding="utf-8")
    sync()
    login(trainer)
    assert client.get("/courses/kursus-uji/quiz/modul-1/stats").status_code == 200


def test_stats_count_attempts_closed_by_the_deadline(client, db, quiz_course, learner, make_user, login):
    """An attempt the deadline closed with its saved drafts (state "expired") is graded: the
    per-question statistics count it like a submitted one, with the answers it was graded on."""
    quiz_course("time_limit_minutes: 10")
    attempt_id = _start(client)
    wrong = _answers(db, attempt_id, right=False)
    assert client.post(f"/attempts/{attempt_id}/save.json", data=wrong).get_json()["code"] == "saved"
    attempt = db.session.get(QuizAttempt, attempt_id)
    attempt.started_at -= timedelta(minutes=11)
    attempt.deadline_at -= timedelta(minutes=11)
    db.session.commit()
    client.post(f"/attempts/{attempt_id}/submit", data=_answers(db, attempt_id))  # too late: drafts graded
    db.session.refresh(attempt)
    assert attempt.state == "expired" and attempt.score == 0.0
    client.post("/logout")
    second = make_user("learner")
    login(second)
    client.post("/courses/kursus-uji/enroll")
    other = _start(client)
    client.post(f"/attempts/{other}/submit", data=_answers(db, other))
    client.post("/logout")
    login(make_user("admin"))
    html = client.get("/courses/kursus-uji/quiz/modul-1/stats").get_data(as_text=True)
    assert "50.0%" in html and "MARC 21 (1×)" in html and "katalog (1×)" in html


def test_question_statistics_follow_the_course_staff(client, db, write_course, sync, make_user, login):
    """Issue 14: an editor of the course sees its statistics; the owner of another course and a
    supervisor do not."""
    from elearn.models import Course
    from elearn.services.course_staff import add_staff

    owner, editor = make_user("trainer", email="pelatih@example.org"), make_user("trainer")
    other_owner = make_user("trainer", email="lain@example.org")
    folder = write_course(extra_front="trainers: [pelatih@example.org]")
    (folder / "01-modul-1.quiz.md").write_text(QUIZ.format(rules=""), encoding="utf-8")
    write_course("kursus-lain", extra_front="trainers: [lain@example.org]")
    sync()
    add_staff(db.session, db.session.scalar(select(Course).where(Course.slug == "kursus-uji")), editor.email,
              "editor", owner)
    db.session.commit()
    for user, status in ((editor, 200), (owner, 200), (other_owner, 403), (make_user("supervisor"), 403)):
        login(user)
        assert client.get("/courses/kursus-uji/quiz/modul-1/stats").status_code == status, user.email
        client.post("/logout")
