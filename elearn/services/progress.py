"""Module and course progress: what is started, locked, complete; the percentage; "continue".

One rule set, used by every page and action:
- a module is *locked* while any module it ``requires`` is not complete;
- a module completes by "mark as complete", unless it has a quiz: then passing the quiz
  completes it (``completes_by_quiz``); ``complete_module`` is the one place that records it;
- the final exam is the course's last step: it opens once every live module is complete;
- course percentage is weighted by module minutes over live (not retired) modules, and the final
  exam, when the course has one, is one more step weighing as much as an average module, done when
  the course is complete; the percentage is 100 only for a complete course;
- whether the *course* is complete, and what a completion counts for, is decided in
  services.completion; only a renewal starts a new cycle that clears module completions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import Enrollment, Module, ModuleProgress, Quiz
from elearn.services.completion import live_module_rows, refresh_course_completion
from elearn.models._types import utcnow

#: A module view refreshes last_seen_at at most this often (a write per page view is costly).
SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class ModuleState:
    id: int
    slug: str
    title: str
    minutes: int
    started: bool
    completed: bool
    locked: bool
    missing: tuple[str, ...]  # titles of required modules not yet complete
    #: completed by the placement pre-test (services.placement)
    placed_out: bool = False


@dataclass
class CourseProgress:
    modules: list[ModuleState] = field(default_factory=list)
    percent: int = 0
    #: the current cycle is complete (services.completion)
    complete: bool = False
    continue_slug: str | None = None
    has_exam: bool = False
    #: every live module is complete
    modules_complete: bool = False
    #: the final exam may be taken (every module complete)
    exam_open: bool = False

    def state_of(self, slug: str) -> ModuleState | None:
        return next((m for m in self.modules if m.slug == slug), None)


class ProgressError(Exception):
    """An action the rules do not allow; ``code`` says which (not_enrolled, locked, by_quiz)."""

    def __init__(self, code: str, missing: tuple[str, ...] = ()):
        super().__init__(code)
        self.code = code
        self.missing = missing


def completes_by_quiz(session: Session, module_id: int) -> bool:
    """Whether this module completes by passing its quiz instead of "mark as complete"."""
    return session.scalar(select(Quiz.id).where(Quiz.module_id == module_id, Quiz.retired_at.is_(None))) is not None


def build_progress(modules: list[tuple], done: dict[int, datetime | None], last_module_id: int | None,
                   completed_at: datetime | None = None, *, has_exam: bool = False,
                   placed: frozenset[int] | set[int] = frozenset()) -> CourseProgress:
    """Pure: compute states from live module rows ``(id, slug, title, minutes, requires)`` in order,
    the learner's progress ``{module_id: completed_at or None}``, the current cycle's completion and
    whether the course has a final exam (the rules in the module docstring)."""
    by_slug = {row[1]: row for row in modules}
    complete_slugs = {row[1] for row in modules if done.get(row[0]) is not None}
    progress = CourseProgress(has_exam=has_exam)
    for module_id, slug, title, minutes, requires in modules:
        missing = tuple(by_slug[r][2] for r in (requires or []) if r in by_slug and r not in complete_slugs)
        progress.modules.append(ModuleState(module_id, slug, title, minutes, module_id in done,
                                            slug in complete_slugs, bool(missing), missing,
                                            placed_out=module_id in placed and slug in complete_slugs))
    progress.complete = completed_at is not None
    progress.modules_complete = bool(progress.modules) and all(m.completed for m in progress.modules)
    progress.exam_open = has_exam and progress.modules_complete
    finished = [m for m in progress.modules if m.completed]
    progress.percent = percent_done(sum(m.minutes for m in progress.modules), sum(m.minutes for m in finished),
                                    len(progress.modules), len(finished), has_exam=has_exam,
                                    complete=progress.complete)
    last = next((m for m in progress.modules if m.id == last_module_id), None)
    if last is not None and not last.locked:
        progress.continue_slug = last.slug
    else:
        first_open = next((m for m in progress.modules if not m.completed and not m.locked), None)
        progress.continue_slug = (first_open or (progress.modules[0] if progress.modules else None)).slug \
            if progress.modules else None
    return progress


def percent_done(total_minutes: int, done_minutes: int, modules: int, done_modules: int, *, has_exam: bool,
                 complete: bool) -> int:
    """Pure: the course percentage, from the live modules' minutes (all, and of the complete ones)
    and counts. The one percentage rule: the course page, dashboard, module page, matrix and mentors'
    page call it (the last two through ``progress_batch``).

    Modules weigh their minutes (all alike when no module states minutes); the final exam is one
    more step of average module weight, done when the course is complete. 100 only when complete.
    """
    if complete:
        return 100
    if not modules:
        return 0
    total, done = (total_minutes, done_minutes) if total_minutes else (modules, done_modules)
    if has_exam:
        total += total / modules
    return min(99, int(100 * done / total))


@dataclass
class ProgressBatch:
    """What the percentage rule needs for many people and courses at once (reports, mentors' pages)."""

    #: course id -> (minutes, count) of its live modules
    totals: dict[int, tuple[int, int]]
    #: (user id, course id) -> (minutes, count) of the live modules the person completed
    done: dict[tuple[int, int], tuple[int, int]]
    #: (user id, course id) -> how many of those the placement pre-test completed
    placed: dict[tuple[int, int], int]
    #: courses with a live final exam
    exams: set[int]

    def percent(self, user_id: int, course_id: int, *, complete: bool) -> int:
        minutes, count = self.totals.get(course_id, (0, 0))
        done_minutes, done_count = self.done.get((user_id, course_id), (0, 0))
        return percent_done(minutes, done_minutes, count, done_count, has_exam=course_id in self.exams,
                            complete=complete)


def progress_batch(session: Session, user_ids: list[int], course_ids: list[int]) -> ProgressBatch:
    """The inputs of ``percent_done`` for every person and course given, in three queries whatever their number."""
    done: dict[tuple[int, int], tuple[int, int]] = {}
    placed: dict[tuple[int, int], int] = {}
    if user_ids and course_ids:
        for uid, cid, minutes, count, placed_count in session.execute(
                select(ModuleProgress.user_id, Module.course_id, func.sum(Module.minutes), func.count(Module.id),
                       func.count(ModuleProgress.placed_out_at))
                .join(Module, Module.id == ModuleProgress.module_id)
                .where(ModuleProgress.user_id.in_(user_ids), Module.course_id.in_(course_ids),
                       Module.retired_at.is_(None), ModuleProgress.completed_at.is_not(None))
                .group_by(ModuleProgress.user_id, Module.course_id)):
            done[(uid, cid)] = (minutes or 0, count)
            placed[(uid, cid)] = placed_count
    totals = {cid: (minutes or 0, count) for cid, minutes, count in session.execute(
        select(Module.course_id, func.sum(Module.minutes), func.count(Module.id))
        .where(Module.course_id.in_(course_ids or [-1]), Module.retired_at.is_(None))
        .group_by(Module.course_id))}
    exams = set(session.scalars(select(Quiz.course_id).where(
        Quiz.course_id.in_(course_ids or [-1]), Quiz.kind == "exam", Quiz.retired_at.is_(None))))
    return ProgressBatch(totals, done, placed, exams)


def progress_map(session: Session, user_id: int, module_ids: list[int]) -> tuple[dict[int, datetime | None], set[int]]:
    """({module id: completed_at or None} for the modules the person opened, ids placed out)."""
    if not module_ids:
        return {}, set()
    done, placed = {}, set()
    for module_id, completed_at, placed_out_at in session.execute(
            select(ModuleProgress.module_id, ModuleProgress.completed_at, ModuleProgress.placed_out_at)
            .where(ModuleProgress.user_id == user_id, ModuleProgress.module_id.in_(module_ids))):
        done[module_id] = completed_at
        if placed_out_at is not None:
            placed.add(module_id)
    return done, placed


def has_exam(session: Session, course_id: int) -> bool:
    return session.scalar(select(Quiz.id).where(Quiz.course_id == course_id, Quiz.kind == "exam",
                                                Quiz.retired_at.is_(None))) is not None


def get_course_progress(session: Session, user_id: int, course_id: int,
                        enrollment: Enrollment | None = None, rows: list[tuple] | None = None) -> CourseProgress:
    rows = rows if rows is not None else live_module_rows(session, course_id)
    done, placed = progress_map(session, user_id, [r[0] for r in rows])
    return build_progress(rows, done, enrollment.last_module_id if enrollment else None,
                          enrollment.completed_at if enrollment else None, has_exam=has_exam(session, course_id),
                          placed=placed)


def mark_module_complete(session: Session, user_id: int, enrollment: Enrollment | None, module_id: int) -> bool:
    """Complete a module by hand. Returns True when this completed the whole course.

    Raises ProgressError: not_enrolled, locked (with the missing titles) or by_quiz.
    """
    if enrollment is None:
        raise ProgressError("not_enrolled")
    rows = live_module_rows(session, enrollment.course_id)
    progress = get_course_progress(session, user_id, enrollment.course_id, enrollment, rows)
    state = next((m for m in progress.modules if m.id == module_id), None)
    if state is None:
        raise ProgressError("not_enrolled")
    if state.locked:
        raise ProgressError("locked", state.missing)
    if completes_by_quiz(session, module_id):
        raise ProgressError("by_quiz")
    return complete_module(session, user_id, enrollment, module_id, started=state.started)


def complete_module(session: Session, user_id: int, enrollment: Enrollment, module_id: int, *,
                    started: bool = True, placed_out: bool = False) -> bool:
    """Record a module as complete (idempotent) and stamp the course complete when it now is.

    The single place that completes modules: "mark as complete", passed module quizzes and the
    placement pre-test (``placed_out``) call it. Returns True when this call completed the course.
    """
    now = utcnow()
    placed = {"placed_out_at": now} if placed_out else {}
    changed = session.execute(
        update(ModuleProgress)
        .where(ModuleProgress.user_id == user_id, ModuleProgress.module_id == module_id,
               ModuleProgress.completed_at.is_(None))
        .values(completed_at=now, last_seen_at=now, **placed)).rowcount
    if not changed:
        exists = session.scalar(select(ModuleProgress.id).where(
            ModuleProgress.user_id == user_id, ModuleProgress.module_id == module_id))
        if exists is None:
            try:
                with session.begin_nested():
                    session.add(ModuleProgress(user_id=user_id, module_id=module_id, started_at=now,
                                               last_seen_at=now, completed_at=now, **placed))
            except IntegrityError:
                session.execute(update(ModuleProgress).where(
                    ModuleProgress.user_id == user_id, ModuleProgress.module_id == module_id,
                    ModuleProgress.completed_at.is_(None)).values(completed_at=now, **placed))
    session.flush()
    return refresh_course_completion(session, user_id, enrollment)
