"""Programme metrics per month of a year: participants, enrolments, completions, satisfaction, action plans,
mentoring sessions and hours (services.mentoring), practice tasks (services.tasks), module questions asked
and answered with the median time to a first answer (services.questions), innovations shared (services.innovations)."""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import ActionPlan, Completion, CourseFeedback, Enrollment, ModuleProgress
from elearn.services.completion import counts
from elearn.services.dates import local_date, year_window
from elearn.services.innovations import shared_by_month
from elearn.services.mentoring import mentoring_minutes_by_month
from elearn.services.questions import question_figures_by_month
from elearn.services.tasks import task_counts_by_month
from elearn.services.reports.common import Filters
from elearn.services.scope import Scope, people_query


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
    #: confirmed mentoring sessions held in the month, and their minutes
    mentoring_sessions: int = 0
    mentoring_minutes: int = 0
    #: practice-task hand-ins made, and acceptances given, in the month
    tasks_submitted: int = 0
    tasks_accepted: int = 0
    #: module questions asked in the month, how many of them have an answer, and the median hours from
    #: asking to the first answer (None: none answered)
    questions_asked: int = 0
    questions_answered: int = 0
    median_hours_to_answer: float | None = None
    #: service innovations published in the showcase in the month
    innovations_shared: int = 0

    @property
    def mentoring_hours(self) -> float:
        return round(self.mentoring_minutes / 60, 1)


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
    mentoring_sessions: int = 0
    mentoring_minutes: int = 0
    tasks_submitted: int = 0
    tasks_accepted: int = 0
    questions_asked: int = 0
    questions_answered: int = 0
    median_hours_to_answer: float | None = None
    innovations_shared: int = 0

    @property
    def mentoring_hours(self) -> float:
        return round(self.mentoring_minutes / 60, 1)


def _median_hours(hours: list[float]) -> float | None:
    return round(statistics.median(hours), 1) if hours else None


def programme_metrics(session: Session, scope: Scope, f: Filters, year: int, time_zone: str) -> ProgrammeMetrics:
    """The programme's own measures per month of a year: participants (people who enrolled, opened or
    completed a module), completions, satisfaction, action plans submitted (by the month submitted) and carried
    out (by the month marked carried out; the innovations *carried out*), confirmed
    mentoring sessions and their hours (mentees in scope; services.mentoring.mentoring_minutes_by_month),
    practice-task hand-ins and acceptances (services.tasks.task_counts_by_month), visible module questions
    asked, answered, and the median hours to a first answer (services.questions.question_figures_by_month),
    service innovations published in the showcase (services.innovations.shared_by_month; the innovations
    *shared*). Every total is the sum of its twelve months."""
    people = people_query(session, scope, f.unit_id)
    start, end = year_window(year, time_zone)
    months = [MonthMetrics(f"{year}-{m:02d}") for m in range(1, 13)]

    def month_of(moment: datetime) -> MonthMetrics:
        return months[local_date(moment, time_zone).month - 1]

    active: dict[int, set[int]] = defaultdict(set)
    everyone: set[int] = set()

    def seen(uid: int, moment: datetime | None) -> None:
        if moment is not None and start <= moment < end:
            active[local_date(moment, time_zone).month].add(uid)
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
    for (at,) in session.execute(select(Completion.completed_at).where(
            Completion.user_id.in_(people), counts(), Completion.completed_at >= start,
            Completion.completed_at < end)):
        month_of(at).completions += 1
        completions += 1
    ratings_by_month: dict[int, list[int]] = defaultdict(list)
    all_ratings = []
    for rating, at in session.execute(select(CourseFeedback.rating, CourseFeedback.created_at).where(
            CourseFeedback.user_id.in_(people), CourseFeedback.created_at >= start, CourseFeedback.created_at < end)):
        ratings_by_month[local_date(at, time_zone).month].append(rating)
        all_ratings.append(rating)
    # a plan counts as submitted in the month it was submitted and as carried out in the month it was marked
    # so (whenever it was submitted): each total is the sum of its months, as in the export
    submitted = carried = 0
    for (at,) in session.execute(select(ActionPlan.submitted_at).where(
            ActionPlan.user_id.in_(people), ActionPlan.submitted_at >= start, ActionPlan.submitted_at < end)):
        month_of(at).plans_submitted += 1
        submitted += 1
    for (done,) in session.execute(select(ActionPlan.carried_out_at).where(
            ActionPlan.user_id.in_(people), ActionPlan.carried_out_at >= start, ActionPlan.carried_out_at < end)):
        month_of(done).plans_carried_out += 1
        carried += 1
    mentoring = mentoring_minutes_by_month(session, people, year)
    for index, (count, minutes) in mentoring.items():
        months[index - 1].mentoring_sessions, months[index - 1].mentoring_minutes = count, minutes
    tasks = task_counts_by_month(session, people, start, end, time_zone)
    for index, (made, accepted) in tasks.items():
        months[index - 1].tasks_submitted, months[index - 1].tasks_accepted = made, accepted
    questions = question_figures_by_month(session, people, start, end, time_zone)
    for index, (asked, answered, hours) in questions.items():
        month = months[index - 1]
        month.questions_asked, month.questions_answered = asked, answered
        month.median_hours_to_answer = _median_hours(hours)
    innovations = shared_by_month(session, people, start, end, time_zone)
    for index, shared in innovations.items():
        months[index - 1].innovations_shared = shared
    for index, month in enumerate(months, start=1):
        month.participants = len(active.get(index, ()))
        if ratings_by_month.get(index):
            month.ratings = len(ratings_by_month[index])
            month.satisfaction = round(statistics.fmean(ratings_by_month[index]), 2)
    return ProgrammeMetrics(year, months, len(everyone), completions,
                            round(statistics.fmean(all_ratings), 2) if all_ratings else None, len(all_ratings),
                            submitted, carried, sum(c for c, _m in mentoring.values()),
                            sum(m for _c, m in mentoring.values()), sum(t[0] for t in tasks.values()),
                            sum(t[1] for t in tasks.values()), sum(q[0] for q in questions.values()),
                            sum(q[1] for q in questions.values()),
                            _median_hours([h for q in questions.values() for h in q[2]]),
                            sum(innovations.values()))
