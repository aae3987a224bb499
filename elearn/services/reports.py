"""Supervisor and programme reports. Every function takes a Scope and counts only people in it.

Query counts do not depend on the number of learners: people are selected by a subquery (or one
page of ids), and everything per person is fetched with one grouped query per kind of fact.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.models import (ActionPlan, Certificate, Course, CourseFeedback, Enrollment, Module, ModuleProgress,
                           Quiz, Unit, User)
from elearn.services.quiz_views import question_stats
from elearn.services.supervision import (Scope, due_instant, latest_completions, people_query,
                                         resolve_assignments, start_instant)

PAGE_SIZE = 50


@dataclass
class Filters:
    unit_id: int | None = None
    course_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    year: int | None = None

    def window(self, time_zone: str) -> tuple[datetime | None, datetime | None]:
        """[from, to) as instants: whole local days."""
        start = start_instant(self.date_from, time_zone) if self.date_from else None
        end = due_instant(self.date_to, time_zone) if self.date_to else None
        return start, end


def _in(moment: datetime | None, start: datetime | None, end: datetime | None) -> bool:
    return moment is not None and (start is None or moment >= start) and (end is None or moment < end)


def live_courses(session: Session, course_id: int | None = None) -> list[tuple[int, str, str, int]]:
    query = select(Course.id, Course.slug, Course.title, Course.hours).where(Course.retired_at.is_(None))
    if course_id is not None:
        query = query.where(Course.id == course_id)
    return [tuple(r) for r in session.execute(query.order_by(Course.title))]


# --- completion matrix ---------------------------------------------------------------------------

@dataclass
class Cell:
    state: str  # not_enrolled, not_started, in_progress, completed, completed_before, assigned, overdue
    percent: int = 0
    completed_at: datetime | None = None
    due: date | None = None


@dataclass
class MatrixRow:
    user_id: int
    name: str
    nip: str | None
    unit: str | None
    cells: list[Cell]


@dataclass
class Matrix:
    courses: list[tuple[int, str, str, int]]
    rows: list[MatrixRow]
    total_people: int
    page: int
    pages: int
    #: per course: completed in the period, overdue, assigned (over the whole filtered population)
    summary: list[dict] = field(default_factory=list)


def _people(ids):
    """Name, NIP and unit of the people whose ids ``ids`` (a SELECT) yields, in report order."""
    return (select(User.id, User.name, User.nip, User.unit_id, Unit.name)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .where(User.id.in_(ids))
            .order_by(Unit.name, User.name, User.id))


def completion_matrix(session: Session, scope: Scope, f: Filters, now: datetime, time_zone: str,
                      page_size: int | None = PAGE_SIZE) -> Matrix:
    """Learners × courses. ``page_size=None`` gives everyone (exports)."""
    courses = live_courses(session, f.course_id)
    course_ids = [c[0] for c in courses]
    people_select = _people(people_query(session, scope, f.unit_id))
    total = session.scalar(select(func.count()).select_from(people_select.subquery()))
    pages = max(1, -(-total // page_size)) if page_size else 1
    page = min(max(1, f.page), pages)
    if page_size:
        people_select = people_select.limit(page_size).offset((page - 1) * page_size)
    people = session.execute(people_select).all()
    user_ids = [p[0] for p in people]
    start, end = f.window(time_zone)

    enrolled: dict[tuple[int, int], bool] = {}
    done_minutes: dict[tuple[int, int], int] = {}
    if user_ids and course_ids:
        for uid, cid in session.execute(
                select(Enrollment.user_id, Enrollment.course_id)
                .where(Enrollment.user_id.in_(user_ids), Enrollment.course_id.in_(course_ids),
                       Enrollment.left_at.is_(None))):
            enrolled[(uid, cid)] = True
        for uid, cid, minutes in session.execute(
                select(ModuleProgress.user_id, Module.course_id, func.sum(Module.minutes))
                .join(Module, Module.id == ModuleProgress.module_id)
                .where(ModuleProgress.user_id.in_(user_ids), Module.course_id.in_(course_ids),
                       Module.retired_at.is_(None), ModuleProgress.completed_at.is_not(None))
                .group_by(ModuleProgress.user_id, Module.course_id)):
            done_minutes[(uid, cid)] = minutes or 0
    totals = dict(session.execute(select(Module.course_id, func.sum(Module.minutes))
                                  .where(Module.course_id.in_(course_ids or [-1]), Module.retired_at.is_(None))
                                  .group_by(Module.course_id)).all())
    completions = latest_completions(session, user_ids, course_ids)
    assigned = resolve_assignments(session, {p[0]: p[3] for p in people}, now, time_zone, course_ids)

    rows = []
    summary = [{"completed": 0, "overdue": 0, "assigned": 0} for _ in courses]
    for uid, name, nip, _unit_id, unit_name in people:
        cells = []
        for i, (cid, _slug, _title, _hours) in enumerate(courses):
            due = assigned.by_person_course.get((uid, cid))
            done_at = completions.get((uid, cid))
            if due is not None:
                summary[i]["assigned"] += 1
            if _in(done_at, start, end):
                cell = Cell("completed", 100, done_at)
                summary[i]["completed"] += 1
            elif done_at is not None and start is not None and done_at < start and (
                    due is None or due.completed_at is not None):
                cell = Cell("completed_before", 100, done_at)
            elif due is not None and due.overdue:
                cell = Cell("overdue", _percent(done_minutes.get((uid, cid), 0), totals.get(cid)), due=due.due)
                summary[i]["overdue"] += 1
            elif (uid, cid) in enrolled:
                percent = _percent(done_minutes.get((uid, cid), 0), totals.get(cid))
                cell = Cell("in_progress" if percent or done_at else "not_started", percent,
                            due=due.due if due else None)
            elif due is not None:
                cell = Cell("assigned", 0, due=due.due)
            else:
                cell = Cell("not_enrolled")
            cells.append(cell)
        rows.append(MatrixRow(uid, name, nip, unit_name, cells))
    return Matrix(courses, rows, total, page, pages, summary)


def _percent(done: int, total: int | None) -> int:
    return int(100 * done / total) if total else 0


# --- course results ------------------------------------------------------------------------------

@dataclass
class CourseResults:
    course: Course
    enrolled: int
    completed: int
    completion_rate: float
    median_days: float | None
    average_score: float | None
    score_buckets: list[int]  # 10 buckets: 0–9, 10–19, …, 90–100
    satisfaction: float | None
    ratings: int
    rating_counts: list[int]  # 1..5
    completions_by_month: list[tuple[str, int]]
    weak_questions: list  # QuestionStats with quiz title, weakest first
    comments: list[tuple[int, str]] = field(default_factory=list)


def course_results(session: Session, scope: Scope, course: Course, f: Filters, time_zone: str) -> CourseResults:
    people = people_query(session, scope, f.unit_id)
    start, end = f.window(time_zone)
    zone = ZoneInfo(time_zone)
    enrolled_query = select(func.count()).select_from(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.user_id.in_(people))
    if end is not None:
        enrolled_query = enrolled_query.where(Enrollment.enrolled_at < end)
    enrolled = session.scalar(enrolled_query) or 0

    # completions: certificates (every cycle) and completed enrollments of courses without certificates
    finished: dict[int, tuple[datetime, datetime, float | None]] = {}
    for uid, completed_at, score, enrolled_at, cycle_started in session.execute(
            select(Certificate.user_id, Certificate.completed_at, Certificate.score, Enrollment.enrolled_at,
                   Enrollment.cycle_started_at)
            .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
            .where(Certificate.course_id == course.id, Certificate.user_id.in_(people),
                   Certificate.revoked_at.is_(None))):
        if _in(completed_at, start, end) and (uid not in finished or finished[uid][0] < completed_at):
            began = cycle_started if cycle_started and cycle_started <= completed_at else enrolled_at
            finished[uid] = (completed_at, began, score)
    for uid, completed_at, enrolled_at in session.execute(
            select(Enrollment.user_id, Enrollment.completed_at, Enrollment.enrolled_at)
            .where(Enrollment.course_id == course.id, Enrollment.user_id.in_(people),
                   Enrollment.completed_at.is_not(None))):
        if uid not in finished and _in(completed_at, start, end):
            finished[uid] = (completed_at, enrolled_at, None)
    days = [max(0.0, (done - began).total_seconds() / 86400) for done, began, _s in finished.values()]
    scores = [s for _d, _b, s in finished.values() if s is not None]
    buckets = [0] * 10
    for score in scores:
        buckets[min(9, int(score // 10))] += 1
    months = Counter(done.astimezone(zone).strftime("%Y-%m") for done, _b, _s in finished.values())

    feedback_query = select(CourseFeedback.rating, CourseFeedback.comment).where(
        CourseFeedback.course_id == course.id, CourseFeedback.user_id.in_(people))
    if start is not None:
        feedback_query = feedback_query.where(CourseFeedback.created_at >= start)
    if end is not None:
        feedback_query = feedback_query.where(CourseFeedback.created_at < end)
    feedback = session.execute(feedback_query.order_by(CourseFeedback.created_at.desc())).all()
    rating_counts = [0] * 5
    for rating, _comment in feedback:
        rating_counts[rating - 1] += 1

    weak = []
    for quiz_id, quiz_title in session.execute(select(Quiz.id, Quiz.title).where(
            Quiz.course_id == course.id, Quiz.retired_at.is_(None)).order_by(Quiz.module_id.is_(None), Quiz.id)):
        for stat in question_stats(session, quiz_id, user_ids=people):
            weak.append((quiz_title, stat))
    weak.sort(key=lambda item: (item[1].percent_correct, -item[1].attempts))

    return CourseResults(
        course=course, enrolled=enrolled, completed=len(finished),
        completion_rate=round(100 * len(finished) / enrolled, 1) if enrolled else 0.0,
        median_days=round(statistics.median(days), 1) if days else None,
        average_score=round(statistics.fmean(scores), 1) if scores else None,
        score_buckets=buckets,
        satisfaction=round(statistics.fmean(r for r, _c in feedback), 2) if feedback else None,
        ratings=len(feedback), rating_counts=rating_counts,
        completions_by_month=sorted(months.items()),
        weak_questions=weak,
        comments=[(r, c) for r, c in feedback if c.strip()][:20])


# --- lesson hours --------------------------------------------------------------------------------

@dataclass
class HoursRow:
    user_id: int
    name: str
    nip: str | None
    unit: str | None
    hours: int
    target: int

    @property
    def percent(self) -> int:
        return int(100 * self.hours / self.target) if self.target else 100


@dataclass
class HoursReport:
    year: int
    target: int
    rows: list[HoursRow]
    by_unit: list[tuple[str, float]]  # average JP per unit
    reached: int  # people at or above the target


def hours_by_person(session: Session, people, year: int, time_zone: str) -> dict[int, int]:
    """JP earned in a (local) year: certificates not revoked, plus completed courses that give no
    certificate."""
    start, end = start_instant(date(year, 1, 1), time_zone), start_instant(date(year + 1, 1, 1), time_zone)
    hours: dict[int, int] = defaultdict(int)
    for uid, jp in session.execute(
            select(Certificate.user_id, func.sum(Certificate.hours))
            .where(Certificate.user_id.in_(people), Certificate.revoked_at.is_(None),
                   Certificate.completed_at >= start, Certificate.completed_at < end)
            .group_by(Certificate.user_id)):
        hours[uid] += jp or 0
    no_certificate = [cid for cid, settings in session.execute(select(Course.id, Course.settings))
                      if not (settings or {}).get("certificate", True)]
    if no_certificate:
        for uid, jp in session.execute(
                select(Enrollment.user_id, func.sum(Course.hours))
                .join(Course, Course.id == Enrollment.course_id)
                .where(Enrollment.user_id.in_(people), Enrollment.course_id.in_(no_certificate),
                       Enrollment.completed_at >= start, Enrollment.completed_at < end)
                .group_by(Enrollment.user_id)):
            hours[uid] += jp or 0
    return hours


def hours_report(session: Session, scope: Scope, f: Filters, year: int, target: int, time_zone: str) -> HoursReport:
    people = people_query(session, scope, f.unit_id)
    hours = hours_by_person(session, people, year, time_zone)
    rows = [HoursRow(uid, name, nip, unit, hours.get(uid, 0), target)
            for uid, name, nip, _u, unit in session.execute(_people(people))]
    by_unit: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_unit[row.unit or "—"].append(row.hours)
    return HoursReport(year, target, rows,
                       sorted((unit, round(statistics.fmean(v), 1)) for unit, v in by_unit.items()),
                       sum(1 for r in rows if r.hours >= target))


# --- programme metrics ---------------------------------------------------------------------------

@dataclass
class MonthMetrics:
    month: str
    participants: int = 0
    enrollments: int = 0
    completions: int = 0
    satisfaction: float | None = None
    ratings: int = 0
    plans_submitted: int = 0
    plans_carried_out: int = 0


@dataclass
class ProgrammeMetrics:
    year: int
    months: list[MonthMetrics]
    participants: int
    completions: int
    satisfaction: float | None
    ratings: int
    plans_submitted: int
    plans_carried_out: int


def programme_metrics(session: Session, scope: Scope, f: Filters, year: int, time_zone: str) -> ProgrammeMetrics:
    """The programme's own measures per month of a year: participants (people who enrolled, opened or
    completed a module), completions, satisfaction, action plans submitted and carried out."""
    zone = ZoneInfo(time_zone)
    people = people_query(session, scope, f.unit_id)
    start, end = start_instant(date(year, 1, 1), time_zone), start_instant(date(year + 1, 1, 1), time_zone)
    months = [MonthMetrics(f"{year}-{m:02d}") for m in range(1, 13)]

    def month_of(moment: datetime) -> MonthMetrics:
        return months[moment.astimezone(zone).month - 1]

    active: dict[int, set[int]] = defaultdict(set)
    everyone: set[int] = set()

    def seen(uid: int, moment: datetime | None) -> None:
        if moment is not None and start <= moment < end:
            active[moment.astimezone(zone).month].add(uid)
            everyone.add(uid)

    for uid, at in session.execute(select(Enrollment.user_id, Enrollment.enrolled_at).where(
            Enrollment.user_id.in_(people), Enrollment.enrolled_at >= start, Enrollment.enrolled_at < end)):
        seen(uid, at)
        month_of(at).enrollments += 1
    for uid, began, done, last in session.execute(
            select(ModuleProgress.user_id, ModuleProgress.started_at, ModuleProgress.completed_at,
                   ModuleProgress.last_seen_at)
            .where(ModuleProgress.user_id.in_(people), ModuleProgress.last_seen_at >= start,
                   ModuleProgress.started_at < end)):
        seen(uid, began)
        seen(uid, done)
        seen(uid, last)
    completions = 0
    for (at,) in session.execute(select(Certificate.completed_at).where(
            Certificate.user_id.in_(people), Certificate.revoked_at.is_(None),
            Certificate.completed_at >= start, Certificate.completed_at < end)):
        month_of(at).completions += 1
        completions += 1
    ratings_by_month: dict[int, list[int]] = defaultdict(list)
    all_ratings = []
    for rating, at in session.execute(select(CourseFeedback.rating, CourseFeedback.created_at).where(
            CourseFeedback.user_id.in_(people), CourseFeedback.created_at >= start, CourseFeedback.created_at < end)):
        ratings_by_month[at.astimezone(zone).month].append(rating)
        all_ratings.append(rating)
    submitted = carried = 0
    for at, done in session.execute(select(ActionPlan.submitted_at, ActionPlan.carried_out_at).where(
            ActionPlan.user_id.in_(people), ActionPlan.submitted_at >= start, ActionPlan.submitted_at < end)):
        month_of(at).plans_submitted += 1
        submitted += 1
        if done is not None:
            carried += 1
            if start <= done < end:
                month_of(done).plans_carried_out += 1
    for index, month in enumerate(months, start=1):
        month.participants = len(active.get(index, ()))
        if ratings_by_month.get(index):
            month.ratings = len(ratings_by_month[index])
            month.satisfaction = round(statistics.fmean(ratings_by_month[index]), 2)
    return ProgrammeMetrics(year, months, len(everyone), completions,
                            round(statistics.fmean(all_ratings), 2) if all_ratings else None, len(all_ratings),
                            submitted, carried)
