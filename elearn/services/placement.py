"""The placement pre-test: learners who already master a module may skip it.

Rules (the content side is elearn.content.pretest):
- an enrolled learner may take the course's pre-test once per enrollment cycle (max_attempts 1);
- when it is graded, every module whose pre-test questions were *all* answered right is placed out:
  it counts as complete, for progress, locks and the exam, recorded by the one function that
  completes modules (``services.progress.complete_module``) with the placement stamped on it;
- a module without pre-test questions is never placed out; the final exam is never skipped (a
  pre-test needs an exam: ``courses check`` refuses one without);
- placed-out modules are listed with the completion (the transcript shows them) and counted in the
  supervisors' matrix; the course still earns its full JP (recognised prior learning).
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import Module, Quiz, QuizAttempt
from elearn.services.enrollment import enrollment_of
from elearn.services.progress import complete_module


def get_pretest(session: Session, course_id: int) -> Quiz | None:
    return session.scalar(select(Quiz).where(Quiz.course_id == course_id, Quiz.kind == "pretest",
                                             Quiz.retired_at.is_(None)))


def mastered_modules(attempt: QuizAttempt) -> list[str]:
    """Pure: slugs of the modules whose questions in a graded pre-test attempt were all right."""
    right: dict[str, list[bool]] = defaultdict(list)
    for question in attempt.questions:
        slug = question.get("module")
        if slug:
            right[slug].append((attempt.marks or {}).get(question["key"], 0.0) >= 1.0)
    return sorted(slug for slug, marks in right.items() if marks and all(marks))


def place_out(session: Session, user_id: int, attempt: QuizAttempt) -> tuple[list[str], bool]:
    """Apply a graded pre-test attempt: complete the modules it shows mastered (live ones only).

    Returns (titles of the modules placed out now, whether that completed the course)."""
    quiz = session.get(Quiz, attempt.quiz_id)
    enrollment = enrollment_of(session, user_id, quiz.course_id)
    if enrollment is None or attempt.late:
        return [], False
    slugs = mastered_modules(attempt)
    if not slugs:
        return [], False
    modules = session.execute(select(Module.id, Module.title).where(
        Module.course_id == quiz.course_id, Module.slug.in_(slugs), Module.retired_at.is_(None))
        .order_by(Module.position)).all()
    completed = False
    for module_id, _title in modules:
        completed = complete_module(session, user_id, enrollment, module_id, placed_out=True) or completed
    return [title for _id, title in modules], completed


def mastered_titles(session: Session, attempt: QuizAttempt) -> list[str]:
    """Titles of the live modules a graded pre-test attempt shows mastered, in course order."""
    slugs = mastered_modules(attempt)
    if not slugs or attempt.state == "open":
        return []
    course_id = session.scalar(select(Quiz.course_id).where(Quiz.id == attempt.quiz_id))
    return list(session.scalars(select(Module.title).where(
        Module.course_id == course_id, Module.slug.in_(slugs), Module.retired_at.is_(None)).order_by(Module.position)))
