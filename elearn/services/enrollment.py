"""Joining and leaving courses; course-level prerequisites."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import Course, Enrollment
from elearn.models._types import utcnow


@dataclass(frozen=True)
class MissingCourse:
    slug: str
    title: str


class EnrollmentBlocked(Exception):
    """The learner has not completed the course's prerequisites."""

    def __init__(self, missing: list[MissingCourse]):
        super().__init__(", ".join(m.title for m in missing))
        self.missing = missing


def get_enrollment(session: Session, user_id: int, course_id: int) -> Enrollment | None:
    """The learner's current (not left) enrollment in the course, or None."""
    enrollment = session.scalar(
        select(Enrollment).where(Enrollment.user_id == user_id, Enrollment.course_id == course_id))
    return enrollment if enrollment is not None and enrollment.left_at is None else None


def missing_prerequisites(session: Session, user_id: int, course: Course) -> list[MissingCourse]:
    """Prerequisite courses the learner has not completed, in the order the course lists them."""
    wanted = list(course.prerequisites or [])
    if not wanted:
        return []
    completed = set(session.scalars(
        select(Course.slug).join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user_id, Enrollment.completed_at.is_not(None), Course.slug.in_(wanted))))
    titles = dict(session.execute(select(Course.slug, Course.title).where(Course.slug.in_(wanted))).all())
    return [MissingCourse(slug, titles.get(slug, slug)) for slug in wanted if slug not in completed]


def enroll(session: Session, user_id: int, course: Course) -> Enrollment:
    """Enroll (or re-enroll after leaving, keeping progress). Idempotent; raises EnrollmentBlocked."""
    missing = missing_prerequisites(session, user_id, course)
    if missing:
        raise EnrollmentBlocked(missing)
    enrollment = session.scalar(
        select(Enrollment).where(Enrollment.user_id == user_id, Enrollment.course_id == course.id))
    if enrollment is None:
        try:
            with session.begin_nested():
                enrollment = Enrollment(user_id=user_id, course_id=course.id, enrolled_at=utcnow())
                session.add(enrollment)
        except IntegrityError:  # a concurrent request enrolled first: same outcome
            enrollment = session.scalar(
                select(Enrollment).where(Enrollment.user_id == user_id, Enrollment.course_id == course.id))
    enrollment.left_at = None
    session.flush()
    return enrollment


def leave(session: Session, user_id: int, course_id: int) -> bool:
    """Leave the course; progress is kept for a later return. False when not enrolled."""
    enrollment = get_enrollment(session, user_id, course_id)
    if enrollment is None:
        return False
    enrollment.left_at = utcnow()
    session.flush()
    return True
