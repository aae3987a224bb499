"""Course completion: the one definition that every page, export, PDF, credential, CLI and rule uses.

Definition
- A person *completes* a course in an enrollment cycle when every live module of the course is
  complete (module rules: services.progress), every *required* practice task of a live module
  (``required: true`` in its task file, the default) has an accepted submission of theirs
  (services.tasks; an acceptance stays valid for later cycles), and the course's final exam, if it
  has one, is passed by the exam's grading rule (services.scoring), counting only attempts of that cycle.
- That moment is stamped once per cycle on the enrollment (``Enrollment.completed_at``) and recorded
  as a ``Completion`` row, unique per (enrollment, cycle), which keeps what the completion was worth
  at that moment: the course's lesson hours (JP), its version and the final score. A certificate is
  issued for it when the course gives certificates (services.certificates).
- A completion *counts* unless the certificate standing for it was revoked. A certificate revoked
  because it was reissued (superseded by a new certificate for the same completion: a corrected
  name) does not stand for it any more; the new one does. A certificate withdrawn at the holder's
  request (their account was anonymised) is not revoked: the completion still counts. Completions
  of courses without certificates always count.
- Every cycle counts: a renewal (a new cycle after a certificate expired or was revoked) adds a
  completion and never removes the earlier one, so the courses that require this one stay open
  while the learner renews it. Leaving a course never removes a completion either.
- "Has completed the course" means at least one counting completion; "completed at" (matrix,
  assignments, dashboard) is the latest counting completion.

Lesson hours (JP) per year are summed from counting completions by services.lesson_hours.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import Certificate, Completion, Course, Enrollment, Module, ModuleProgress, ModuleTask, TaskSubmission
from elearn.models._types import utcnow
from elearn.services.certificates import issue_certificate
from elearn.services.scoring import exam_passed, final_score


def counts() -> ColumnElement[bool]:
    """The SQL condition "this Completion row counts": no certificate issued for it was revoked, apart
    from certificates superseded by a reissue."""
    return ~exists().where(Certificate.enrollment_id == Completion.enrollment_id,
                           Certificate.cycle == Completion.cycle, Certificate.revoked_at.is_not(None),
                           Certificate.superseded_by_id.is_(None))


def counting_completions() -> Select:
    """SELECT of the Completion rows that count (add your own filters)."""
    return select(Completion).where(counts())


def _ids(values) -> ColumnElement | list:
    return values if isinstance(values, Select) else list(values)


def has_completed(session: Session, user_id: int, course_id: int) -> bool:
    """Whether the person has a counting completion of the course (any cycle)."""
    return session.scalar(select(Completion.id).where(
        Completion.user_id == user_id, Completion.course_id == course_id, counts()).limit(1)) is not None


def completed_course_ids(session: Session, user_id: int, course_ids=None) -> set[int]:
    """The courses (optionally among ``course_ids``) the person has a counting completion of."""
    query = select(Completion.course_id).where(Completion.user_id == user_id, counts()).distinct()
    if course_ids is not None:
        query = query.where(Completion.course_id.in_(_ids(course_ids)))
    return set(session.scalars(query))


def latest_completions(session: Session, user_ids, course_ids) -> dict[tuple[int, int], datetime]:
    """The latest counting completion of each (person, course); ``user_ids``/``course_ids`` are lists or
    SELECTs of ids. One query whatever the number of people."""
    found: dict[tuple[int, int], datetime] = {}
    if isinstance(user_ids, (list, tuple, set)) and not user_ids:
        return found
    if isinstance(course_ids, (list, tuple, set)) and not course_ids:
        return found
    for uid, cid, at in session.execute(
            select(Completion.user_id, Completion.course_id, func.max(Completion.completed_at))
            .where(Completion.user_id.in_(_ids(user_ids)), Completion.course_id.in_(_ids(course_ids)), counts())
            .group_by(Completion.user_id, Completion.course_id)):
        found[(uid, cid)] = at
    return found


@dataclass(frozen=True)
class CompletionRecord:
    """A counting completion as the learner's pages show it."""

    course_id: int
    course_slug: str
    course_title: str
    cycle: int
    completed_at: datetime
    hours: int
    course_version: str
    score: float | None


def completions_of(session: Session, user_id: int) -> list[CompletionRecord]:
    """Every counting completion of a person, newest first."""
    rows = session.execute(
        select(Completion.course_id, Course.slug, Course.title, Completion.cycle, Completion.completed_at,
               Completion.hours, Completion.course_version, Completion.score)
        .join(Course, Course.id == Completion.course_id)
        .where(Completion.user_id == user_id, counts())
        .order_by(Completion.completed_at.desc(), Completion.id.desc()))
    return [CompletionRecord(*row) for row in rows]


def live_module_rows(session: Session, course_id: int) -> list[tuple]:
    """The course's live modules in order: (id, slug, title, minutes, requires)."""
    return [tuple(r) for r in session.execute(
        select(Module.id, Module.slug, Module.title, Module.minutes, Module.requires)
        .where(Module.course_id == course_id, Module.retired_at.is_(None)).order_by(Module.position))]


def module_counts(user_id, course_id):
    """(live modules of the course, those the person completed), as one row; the ids may be bind
    parameters (``enrollment.enrollment_and_modules_complete`` reads it beside the enrollment)."""
    return (select(func.count(Module.id).label("total"), func.count(ModuleProgress.completed_at).label("done"))
            .select_from(Module)
            .outerjoin(ModuleProgress, (ModuleProgress.module_id == Module.id) & (ModuleProgress.user_id == user_id))
            .where(Module.course_id == course_id, Module.retired_at.is_(None)))


def all_modules_done(total: int, done: int) -> bool:
    """The rule of :func:`modules_all_complete` on the counts of :func:`module_counts`."""
    return total > 0 and done == total


def modules_all_complete(session: Session, user_id: int, course_id: int) -> bool:
    """Every live module of the course is complete for the person (and there is at least one)."""
    return all_modules_done(*session.execute(module_counts(user_id, course_id)).one())


def required_tasks_pending(session: Session, user_id: int, course_id: int) -> list[tuple[int, str, str]]:
    """(task id, module slug, task title) of the course's required live tasks (of live modules) the
    person has no accepted submission of, in module order."""
    accepted = exists().where(TaskSubmission.task_id == ModuleTask.id, TaskSubmission.user_id == user_id,
                              TaskSubmission.state == "accepted")
    return [tuple(row) for row in session.execute(
        select(ModuleTask.id, Module.slug, ModuleTask.title).join(Module, Module.id == ModuleTask.module_id)
        .where(Module.course_id == course_id, Module.retired_at.is_(None), ModuleTask.retired_at.is_(None),
               ModuleTask.required.is_(True), ~accepted).order_by(Module.position))]


def refresh_course_completion(session: Session, user_id: int, enrollment: Enrollment) -> bool:
    """Record the completion of the enrollment's current cycle when the course is now complete.

    The one place that decides and records course completion: stamps ``completed_at`` (once per
    cycle, by a conditional UPDATE, so concurrent requests stamp it once), records the Completion
    with the JP, version and final score of this moment, and issues the certificate. True when this
    call completed the course.
    """
    if enrollment.completed_at is not None:
        return False
    if not modules_all_complete(session, user_id, enrollment.course_id):
        return False
    if required_tasks_pending(session, user_id, enrollment.course_id):
        return False
    if not exam_passed(session, user_id, enrollment.course_id, enrollment.cycle_started_at, missing_ok=True):
        return False
    now = utcnow()
    stamped = session.execute(
        update(Enrollment).where(Enrollment.id == enrollment.id, Enrollment.completed_at.is_(None))
        .values(completed_at=now)).rowcount
    session.refresh(enrollment)
    if stamped != 1:
        return False
    issue_certificate(session, enrollment, record_completion(session, enrollment))
    return True


def record_completion(session: Session, enrollment: Enrollment) -> Completion:
    """The Completion of the enrollment's stamped cycle, created now if missing (idempotent)."""
    cycle = enrollment.cycle or 1
    existing = session.scalar(select(Completion).where(Completion.enrollment_id == enrollment.id,
                                                       Completion.cycle == cycle))
    if existing is not None:
        return existing
    course = session.get(Course, enrollment.course_id)
    placed_out = list(session.scalars(
        select(Module.title).join(ModuleProgress, ModuleProgress.module_id == Module.id)
        .where(Module.course_id == course.id, Module.retired_at.is_(None), ModuleProgress.user_id == enrollment.user_id,
               ModuleProgress.placed_out_at.is_not(None)).order_by(Module.position)))
    completion = Completion(
        user_id=enrollment.user_id, course_id=course.id, enrollment_id=enrollment.id, cycle=cycle,
        completed_at=enrollment.completed_at, hours=course.hours, course_version=course.version,
        score=final_score(session, enrollment.user_id, course.id, enrollment.cycle_started_at),
        placed_out=placed_out)
    try:
        with session.begin_nested():
            session.add(completion)
            session.flush()
    except IntegrityError:  # recorded by a concurrent request
        return session.scalar(select(Completion).where(Completion.enrollment_id == enrollment.id,
                                                       Completion.cycle == cycle))
    return completion


def current_completion(session: Session, enrollment: Enrollment) -> Completion | None:
    """The Completion of the enrollment's current cycle, if that cycle is complete."""
    if enrollment.completed_at is None:
        return None
    return session.scalar(select(Completion).where(Completion.enrollment_id == enrollment.id,
                                                   Completion.cycle == (enrollment.cycle or 1)))


def complete_pending(session: Session, course_ids: list[int]) -> int:
    """After courses changed (a module retired, an exam removed), record the completions now due.

    Looks at the unfinished, not-left enrollments of ``course_ids`` whose every live module is
    complete, and runs the one completion rule on each. Returns how many completed."""
    if not course_ids:
        return 0
    live = (select(func.count(Module.id)).where(Module.course_id == Enrollment.course_id, Module.retired_at.is_(None))
            .correlate(Enrollment).scalar_subquery())
    done = (select(func.count(ModuleProgress.id)).join(Module, Module.id == ModuleProgress.module_id)
            .where(Module.course_id == Enrollment.course_id, Module.retired_at.is_(None),
                   ModuleProgress.user_id == Enrollment.user_id, ModuleProgress.completed_at.is_not(None))
            .correlate(Enrollment).scalar_subquery())
    candidates = session.scalars(select(Enrollment).where(
        Enrollment.course_id.in_(course_ids), Enrollment.completed_at.is_(None), Enrollment.left_at.is_(None),
        live > 0, live == done)).all()
    return sum(1 for enrollment in candidates if refresh_course_completion(session, enrollment.user_id, enrollment))
