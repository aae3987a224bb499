"""COMPLETION_QUEUE: a passed final exam queues its course completion; `flask completion run` records it.

The rule is the one in services.completion; only its moment moves (issue 19: the exam hour's submits)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from elearn.models import Certificate, Completion, CompletionCheck, Enrollment
from elearn.services.completion_queue import queue_completion_check, queue_state, run_completion_checks
from tests.web.test_certificates import complete, course, learner, pass_exam  # noqa: F401 - fixtures


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def queued(app):
    app.config["COMPLETION_QUEUE"] = True
    yield
    app.config["COMPLETION_QUEUE"] = False


def test_a_passed_exam_is_queued_then_the_worker_completes_the_course_and_issues_the_certificate(
        app, client, db, course, learner, queued):
    course(exam=True)
    complete(client)
    attempt_id = pass_exam(client, db)
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "sedang dicatat" in page
    assert _count(db, Completion) == 0 and _count(db, Certificate) == 0
    assert queue_state(db.session).waiting == 1

    result = app.test_cli_runner().invoke(args=["completion", "status"])
    assert "waiting\t1" in result.output
    result = app.test_cli_runner().invoke(args=["completion", "run"])
    assert result.exit_code == 0, result.output
    assert "1 checked, 1 completed, 0 failed" in result.output
    db.session.expire_all()
    assert _count(db, Completion) == 1 and _count(db, Certificate) == 1 and _count(db, CompletionCheck) == 0
    assert db.session.scalar(select(Enrollment.completed_at)) is not None
    assert "Sertifikat" in client.get("/certificates/mine").get_data(as_text=True)

    again = app.test_cli_runner().invoke(args=["completion", "run"])  # nothing left: nothing happens
    assert again.exit_code == 0 and "checked" not in again.output
    assert _count(db, Certificate) == 1


def test_a_failed_exam_queues_nothing(client, db, course, learner, queued):
    course(exam=True)
    complete(client)
    pass_exam(client, db, right=False)
    assert _count(db, CompletionCheck) == 0


def test_without_the_setting_the_submit_completes_at_once(client, db, course, learner):
    course(exam=True)
    complete(client)
    pass_exam(client, db)
    assert _count(db, CompletionCheck) == 0 and _count(db, Certificate) == 1


def test_queueing_twice_keeps_one_row_and_a_completed_enrollment_is_not_queued(app, client, db, course, learner):
    course(exam=True)
    complete(client)
    enrollment = db.session.scalar(select(Enrollment))
    assert queue_completion_check(db.session, enrollment) is True
    assert queue_completion_check(db.session, enrollment) is True
    db.session.commit()
    assert _count(db, CompletionCheck) == 1
    # the exam is not passed yet: the check runs the rule, which completes nothing, and dequeues
    run = run_completion_checks(db.session)
    db.session.commit()
    assert (run.checked, run.completed, run.failed) == (1, 0, 0)
    assert _count(db, CompletionCheck) == 0 and _count(db, Completion) == 0
    pass_exam(client, db)  # completes at once (setting off)
    db.session.expire_all()
    assert queue_completion_check(db.session, db.session.scalar(select(Enrollment))) is False


def test_a_check_that_fails_stays_queued_and_the_others_go_on(app, client, db, course, learner, make_user, login,
                                                              queued, monkeypatch):
    course(exam=True)
    complete(client)
    pass_exam(client, db)
    other = make_user()
    client.post("/logout")
    login(other)
    complete(client)
    pass_exam(client, db)
    assert _count(db, CompletionCheck) == 2
    from elearn.services import completion_queue

    real = completion_queue.refresh_course_completion

    def broken_for_first(session, user_id, enrollment):
        if user_id == learner.id:
            raise RuntimeError("boom")
        return real(session, user_id, enrollment)

    monkeypatch.setattr(completion_queue, "refresh_course_completion", broken_for_first)
    run = run_completion_checks(db.session)
    db.session.commit()
    assert (run.checked, run.completed, run.failed) == (2, 1, 1)
    assert db.session.scalars(select(CompletionCheck.user_id)).all() == [learner.id]
    assert db.session.scalars(select(Certificate.user_id)).all() == [other.id]


def test_metrics_show_the_queue(app, client, db, course, learner, queued):
    course(exam=True)
    complete(client)
    pass_exam(client, db)
    app.config["METRICS_TOKEN"] = "t0ken-for-the-test"
    text = client.get("/metrics", headers={"Authorization": "Bearer t0ken-for-the-test"}).get_data(as_text=True)
    assert "binapustaka_completions_waiting 1.0" in text
    assert "binapustaka_notification_emails_pending 0.0" in text
    assert "binapustaka_completions_oldest_seconds" in text


def test_two_workers_at_once_issue_one_certificate(app, client, db, course, learner, queued):
    course(exam=True)
    complete(client)
    pass_exam(client, db)
    if db.engine.dialect.name == "sqlite" and ":memory:" in str(db.engine.url):
        pytest.skip("needs a database shared between connections")
    errors = []

    def work():
        with app.app_context():
            try:
                run_completion_checks(db.session)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - SQLite may refuse the second writer: that is fine
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert _count(db, Certificate) == 1 and _count(db, Completion) == 1


def test_the_worker_waits_for_a_quiet_moment_but_not_forever():
    from datetime import datetime, timedelta, timezone

    from elearn.services.completion_queue import QueueState

    now = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
    ago = lambda seconds: now - timedelta(seconds=seconds)  # noqa: E731
    assert not QueueState(0, None, None).busy(now, quiet=2, max_wait=60)  # nothing queued
    assert QueueState(500, ago(20), ago(0.5)).busy(now, quiet=2, max_wait=60)  # submits still coming
    assert not QueueState(500, ago(20), ago(3)).busy(now, quiet=2, max_wait=60)  # the burst is over
    assert not QueueState(900, ago(61), ago(0.1)).busy(now, quiet=2, max_wait=60)  # the first waited long enough
    assert not QueueState(1, ago(0.1), ago(0.1)).busy(now, quiet=0, max_wait=60)  # --quiet 0: never wait


def test_the_looping_worker_leaves_a_burst_alone_and_records_it_afterwards(app, monkeypatch):
    """`completion run --loop` finds the newest check a moment old and runs no round; at its next look
    the queue has been quiet long enough and it drains it."""
    from datetime import timedelta

    from elearn.certificates import completion_cli
    from elearn.models._types import utcnow
    from elearn.services import completion_queue

    burst = completion_queue.QueueState(3, utcnow(), utcnow())
    after = completion_queue.QueueState(3, utcnow() - timedelta(seconds=30), utcnow() - timedelta(seconds=10))
    states = iter([burst, after, after])
    rounds, sleeps = [], []
    monkeypatch.setattr(completion_queue, "queue_state", lambda session: next(states))
    monkeypatch.setattr(completion_queue, "run_completion_checks",
                        lambda session, limit, commit: rounds.append(len(sleeps)) or completion_queue.CheckRun())

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(completion_cli.time, "sleep", sleep)
    app.test_cli_runner().invoke(args=["completion", "run", "--loop"])  # stopped at the second sleep
    assert len(sleeps) == 2 and rounds == [1]  # nothing during the burst (before the first sleep), one round after it
