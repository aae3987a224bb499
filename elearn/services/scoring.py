"""Quiz scores by grading rule: the one place that turns attempts into "the score" and "passed".

Rules
- Only closed attempts count (submitted, or expired after the time limit with what it scored); an
  open attempt counts for nothing yet. ``graded()`` is that rule as a query condition: scores and
  the per-question statistics (services.quiz_views) both use it.
- Only attempts of the current enrollment cycle count: after a renewal, earlier attempts neither
  pass nor score.
- ``grading: best`` (the default): the score is the highest; passed when any attempt passed.
- ``grading: last``: the score and the pass are those of the latest closed attempt (highest number).
- A course's final score: the exam's score by its rule; without an exam the mean of the module
  quizzes' scores (each by its rule, quizzes not yet attempted left out); None without quizzes.
  The placement pre-test never scores: it only places (services.placement).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import Enrollment, Quiz, QuizAttempt

GRADING_MODES = ("best", "last")
#: States of a graded (closed) attempt: submitted in time, or closed by the deadline with its drafts.
GRADED_STATES = ("submitted", "expired")


def graded():
    """SQL condition: the attempt is graded (submitted, or expired at the deadline with what it scored)."""
    return QuizAttempt.state.in_(GRADED_STATES)


@dataclass(frozen=True)
class Outcome:
    """Where a learner stands on one quiz: score in percent (None before any closed attempt) and pass."""

    score: float | None
    passed: bool
    closed_attempts: int


def outcome(attempts: Iterable[tuple[int, float | None, bool | None]], grading: str | None) -> Outcome:
    """Pure: the outcome of closed attempts given as (number, score, passed), per the grading rule."""
    closed = sorted(attempts, key=lambda a: a[0])
    if not closed:
        return Outcome(None, False, 0)
    if grading == "last":
        _number, score, passed = closed[-1]
        return Outcome(score or 0.0, bool(passed), len(closed))
    return Outcome(max(a[1] or 0.0 for a in closed), any(bool(a[2]) for a in closed), len(closed))


def _closed_attempts(session: Session, user_id: int, quiz_ids: list[int], since: datetime | None):
    if not quiz_ids:
        return []
    query = select(QuizAttempt.quiz_id, QuizAttempt.number, QuizAttempt.score, QuizAttempt.passed).where(
        QuizAttempt.user_id == user_id, QuizAttempt.quiz_id.in_(quiz_ids), graded())
    if since is not None:
        query = query.where(QuizAttempt.started_at >= since)
    return session.execute(query).all()


def quiz_outcomes(session: Session, user_id: int, quizzes: list[tuple[int, dict]],
                  since: datetime | None) -> dict[int, Outcome]:
    """Outcome per quiz for ``quizzes`` given as (quiz id, settings); one query."""
    by_quiz: dict[int, list] = {}
    for quiz_id, number, score, passed in _closed_attempts(session, user_id, [q[0] for q in quizzes], since):
        by_quiz.setdefault(quiz_id, []).append((number, score, passed))
    return {quiz_id: outcome(by_quiz.get(quiz_id, []), (settings or {}).get("grading"))
            for quiz_id, settings in quizzes}


def _live_quizzes(session: Session, course_id: int) -> list:
    """The course's live module quizzes and exam (the pre-test places, it does not score)."""
    return session.execute(select(Quiz.id, Quiz.kind, Quiz.settings).where(
        Quiz.course_id == course_id, Quiz.kind != "pretest", Quiz.retired_at.is_(None))).all()


def final_score(session: Session, user_id: int, course_id: int, since: datetime | None) -> float | None:
    """The course's final score for the person in the cycle begun ``since`` (see the module rules)."""
    quizzes = _live_quizzes(session, course_id)
    if not quizzes:
        return None
    outcomes = quiz_outcomes(session, user_id, [(q.id, q.settings) for q in quizzes], since)
    exam = next((q for q in quizzes if q.kind == "exam"), None)
    if exam is not None:
        return outcomes[exam.id].score
    scores = [o.score for o in outcomes.values() if o.score is not None]
    return round(statistics.fmean(scores), 2) if scores else None


def exam_passed(session: Session, user_id: int, course_id: int, since: datetime | None, *,
                missing_ok: bool = False) -> bool:
    """Whether the course's final exam is passed by its rule in the cycle begun ``since``.

    A course without an exam gives ``missing_ok``."""
    exam = session.execute(select(Quiz.id, Quiz.settings).where(
        Quiz.course_id == course_id, Quiz.kind == "exam", Quiz.retired_at.is_(None))).first()
    if exam is None:
        return missing_ok
    return quiz_outcomes(session, user_id, [(exam.id, exam.settings)], since)[exam.id].passed


def cycle_start(session: Session, user_id: int, course_id: int) -> datetime | None:
    """When the person's current cycle of the course began (None: the first cycle, everything counts)."""
    return session.scalar(select(Enrollment.cycle_started_at).where(
        Enrollment.user_id == user_id, Enrollment.course_id == course_id))
