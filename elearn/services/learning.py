"""What the learner sees on the course page and the dashboard (read side).

Figures come from the one rule functions: progress (services.progress), completion
(services.completion) and lesson hours (services.lesson_hours).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from elearn.models import Course, Enrollment, Module, ModuleProgress, Quiz
from elearn.services.completion import completions_of, has_completed, required_tasks_pending
from elearn.services.dates import local_year
from elearn.services.enrollment import MissingCourse, can_leave, get_enrollment, missing_prerequisites
from elearn.services.lesson_hours import jp_in_year
from elearn.services.progress import CourseProgress, build_progress, get_course_progress


@dataclass
class CourseView:
    enrolled: bool
    progress: CourseProgress | None
    missing_prerequisites: list[MissingCourse]
    #: the current cycle's completion (None while it runs)
    completed_at: datetime | None = None
    #: slugs of live quizzes in this course: module slugs, and "exam" for the final exam
    quizzes: frozenset = frozenset()
    #: whether "leave the course" is offered (never for a completed cycle)
    can_leave: bool = False
    #: a counting completion of an earlier cycle exists (a renewal is under way)
    completed_before: bool = False
    #: required practice tasks not accepted yet: (task id, module slug, title) (services.completion)
    tasks_pending: list = field(default_factory=list)


def get_course_view(session: Session, user_id: int | None, course: Course) -> CourseView:
    quizzes = frozenset(session.scalars(select(Quiz.slug).where(Quiz.course_id == course.id,
                                                                Quiz.retired_at.is_(None))))
    if user_id is None:
        return CourseView(False, None, [], quizzes=quizzes)
    enrollment = get_enrollment(session, user_id, course.id)
    if enrollment is None:
        return CourseView(False, None, missing_prerequisites(session, user_id, course), quizzes=quizzes,
                          completed_before=has_completed(session, user_id, course.id))
    return CourseView(True, get_course_progress(session, user_id, course.id, enrollment), [],
                      enrollment.completed_at, quizzes=quizzes, can_leave=can_leave(enrollment),
                      completed_before=enrollment.completed_at is None and has_completed(session, user_id, course.id),
                      tasks_pending=[] if enrollment.completed_at else
                      required_tasks_pending(session, user_id, course.id))


@dataclass
class DashboardCourse:
    slug: str
    title: str
    hours: int
    percent: int
    continue_slug: str | None
    completed_at: datetime | None
    #: title of the module "continue" opens (services.progress decides which)
    next_module_title: str | None = None
    #: every module is complete and the final exam may be taken
    exam_open: bool = False
    #: estimated reading minutes of the modules not yet complete
    minutes_left: int = 0
    #: any module opened or completed
    started: bool = False


@dataclass
class Dashboard:
    in_progress: list[DashboardCourse] = field(default_factory=list)
    completed: list[DashboardCourse] = field(default_factory=list)
    next_up: DashboardCourse | None = None
    hours_this_year: int = 0
    year: int = 0


def get_dashboard(session: Session, user_id: int, now: datetime, time_zone: str) -> Dashboard:
    """The learner's unfinished courses with progress, what to continue, completed courses and JP
    earned this (local) year.

    Five queries whatever the number of courses: enrollments+courses (with whether each has a final
    exam), live modules, progress, completions, JP (both sources in one).
    """
    final_exam = exists().where(Quiz.course_id == Course.id, Quiz.kind == "exam", Quiz.retired_at.is_(None))
    rows = session.execute(
        select(Enrollment, Course.slug, Course.title, Course.hours, final_exam.label("has_exam"))
        .join(Course, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user_id, Enrollment.left_at.is_(None), Enrollment.completed_at.is_(None),
               Course.retired_at.is_(None))
        .order_by(Enrollment.enrolled_at)).all()
    course_ids = [r[0].course_id for r in rows]
    modules: dict[int, list[tuple]] = {cid: [] for cid in course_ids}
    exams = {r[0].course_id for r in rows if r[4]}
    done: dict[int, datetime | None] = {}
    last_seen: dict[int, datetime] = {}
    if course_ids:
        for m in session.execute(
                select(Module.course_id, Module.id, Module.slug, Module.title, Module.minutes, Module.requires)
                .where(Module.course_id.in_(course_ids), Module.retired_at.is_(None))
                .order_by(Module.course_id, Module.position)):
            modules[m[0]].append(tuple(m[1:]))
        for module_id, completed_at, seen in session.execute(
                select(ModuleProgress.module_id, ModuleProgress.completed_at, ModuleProgress.last_seen_at)
                .join(Module, Module.id == ModuleProgress.module_id)
                .where(ModuleProgress.user_id == user_id, Module.course_id.in_(course_ids))):
            done[module_id] = completed_at
            last_seen[module_id] = seen
    year = local_year(now, time_zone)
    board = Dashboard(year=year)
    latest: tuple[datetime, DashboardCourse] | None = None
    for enrollment, slug, title, hours, _has_exam in rows:
        course_rows = modules[enrollment.course_id]
        progress = build_progress(course_rows, done, enrollment.last_module_id, enrollment.completed_at,
                                  has_exam=enrollment.course_id in exams)
        next_module = progress.state_of(progress.continue_slug) if progress.continue_slug else None
        item = DashboardCourse(slug, title, hours, progress.percent, progress.continue_slug, None,
                               next_module_title=next_module.title if next_module else None,
                               exam_open=progress.exam_open,
                               minutes_left=sum(m.minutes for m in progress.modules if not m.completed),
                               started=any(m.started or m.completed for m in progress.modules))
        board.in_progress.append(item)
        seen = max((last_seen[r[0]] for r in course_rows if r[0] in last_seen), default=enrollment.enrolled_at)
        if latest is None or seen > latest[0]:
            latest = (seen, item)
    board.next_up = latest[1] if latest else None
    shown: set[int] = set()
    for record in completions_of(session, user_id):  # newest first: the latest completion per course
        if record.course_id not in shown:
            shown.add(record.course_id)
            board.completed.append(DashboardCourse(record.course_slug, record.course_title, record.hours, 100,
                                                   None, record.completed_at))
    board.hours_this_year = jp_in_year(session, user_id, year, time_zone)
    return board
