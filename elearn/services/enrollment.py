"""Joining and leaving courses; course-level prerequisites.

- A prerequisite is met by a counting completion of the required course (services.completion), in
  any cycle: renewing a course never closes the courses that require it again.
- Leaving never erases history: a course whose current cycle is complete cannot be left (there is
  nothing left to leave; its completion stays on every page), and leaving an unfinished course keeps
  its progress for a later return.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import Course, Enrollment
from elearn.models._types import utcnow
from elearn.services.completion import all_modules_done, completed_course_ids, module_counts


@dataclass(frozen=True)
class MissingCourse:
    slug: str
    title: str


class EnrollmentError(Exception):
    """``code``: not_enrolled, completed (a completed course cannot be left)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class EnrollmentBlocked(Exception):
    """The learner has not completed the course's prerequisites (``code`` "prerequisites", ``missing``)."""

    code = "prerequisites"

    def __init__(self, missing: list[MissingCourse]):
        super().__init__(", ".join(m.title for m in missing))
        self.missing = missing


# built once: read on every quiz submit of an exam hour (with bind parameters)
_ENROLLMENT = select(Enrollment).where(Enrollment.user_id == bindparam("user_id"),
                                       Enrollment.course_id == bindparam("course_id"))


def enrollment_of(session: Session, user_id: int, course_id: int) -> Enrollment | None:
    """The learner's enrollment row in the course (one per learner and course), left or not."""
    return session.scalar(_ENROLLMENT, {"user_id": user_id, "course_id": course_id})


def _current(enrollment: Enrollment | None) -> Enrollment | None:
    """The enrollment if the learner has not left the course."""
    return enrollment if enrollment is not None and enrollment.left_at is None else None


def get_enrollment(session: Session, user_id: int, course_id: int) -> Enrollment | None:
    """The learner's current (not left) enrollment in the course, or None."""
    return _current(enrollment_of(session, user_id, course_id))


_modules = module_counts(bindparam("user_id"), bindparam("course_id")).subquery()
# built once: read by every learner of an exam hour, at the start and on the result page
_ENROLLMENT_AND_MODULES = (
    select(Enrollment, _modules.c.total, _modules.c.done).select_from(_modules)
    .outerjoin(Enrollment, (Enrollment.user_id == bindparam("user_id"))
               & (Enrollment.course_id == bindparam("course_id"))))


def enrollment_and_modules_complete(session: Session, user_id: int, course_id: int
                                    ) -> tuple[Enrollment | None, bool]:
    """:func:`get_enrollment` and ``completion.modules_all_complete``, in one query: the final exam's start
    and result pages need both, read by a whole exam hour at once."""
    enrollment, total, done = session.execute(_ENROLLMENT_AND_MODULES,
                                              {"user_id": user_id, "course_id": course_id}).one()
    return _current(enrollment), all_modules_done(total, done)


def missing_prerequisites(session: Session, user_id: int, course: Course) -> list[MissingCourse]:
    """Prerequisite courses the learner has not completed, in the order the course lists them."""
    wanted = list(course.prerequisites or [])
    if not wanted:
        return []
    courses = session.execute(select(Course.slug, Course.id, Course.title).where(Course.slug.in_(wanted))).all()
    done = completed_course_ids(session, user_id, [c.id for c in courses])
    completed = {c.slug for c in courses if c.id in done}
    titles = {c.slug: c.title for c in courses}
    return [MissingCourse(slug, titles.get(slug, slug)) for slug in wanted if slug not in completed]


def enroll(session: Session, user_id: int, course: Course) -> Enrollment:
    """Enroll (or re-enroll after leaving, keeping progress). Idempotent; raises EnrollmentBlocked."""
    missing = missing_prerequisites(session, user_id, course)
    if missing:
        raise EnrollmentBlocked(missing)
    enrollment = enrollment_of(session, user_id, course.id)
    if enrollment is None:
        try:
            with session.begin_nested():
                enrollment = Enrollment(user_id=user_id, course_id=course.id, enrolled_at=utcnow())
                session.add(enrollment)
        except IntegrityError:  # a concurrent request enrolled first: same outcome
            enrollment = enrollment_of(session, user_id, course.id)
    enrollment.left_at = None
    session.flush()
    return enrollment


def can_leave(enrollment: Enrollment | None) -> bool:
    return enrollment is not None and enrollment.completed_at is None


def leave(session: Session, user_id: int, course_id: int) -> None:
    """Leave an unfinished course; its progress is kept for a later return.

    Raises EnrollmentError: not_enrolled, or completed (the current cycle is complete)."""
    enrollment = get_enrollment(session, user_id, course_id)
    if enrollment is None:
        raise EnrollmentError("not_enrolled")
    if not can_leave(enrollment):
        raise EnrollmentError("completed")
    enrollment.left_at = utcnow()
    session.flush()
