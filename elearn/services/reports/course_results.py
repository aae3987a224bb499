"""Course results: enrolment, completion, time to complete, scores, satisfaction, weak questions."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.models import Completion, Course, CourseFeedback, Enrollment, Quiz
from elearn.services.completion import counts
from elearn.services.dates import local_date, within
from elearn.services.quiz_views import question_stats
from elearn.services.reports.common import Filters
from elearn.services.scope import Scope, people_query


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
    enrolled_query = select(func.count()).select_from(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.user_id.in_(people))
    if end is not None:
        enrolled_query = enrolled_query.where(Enrollment.enrolled_at < end)
    enrolled = session.scalar(enrolled_query) or 0

    # each person's latest counting completion in the period (services.completion), with its score
    finished: dict[int, tuple[datetime, datetime, float | None]] = {}
    for uid, completed_at, score, enrolled_at, cycle_started in session.execute(
            select(Completion.user_id, Completion.completed_at, Completion.score, Enrollment.enrolled_at,
                   Enrollment.cycle_started_at)
            .join(Enrollment, Enrollment.id == Completion.enrollment_id)
            .where(Completion.course_id == course.id, Completion.user_id.in_(people), counts())):
        if within(completed_at, start, end) and (uid not in finished or finished[uid][0] < completed_at):
            began = cycle_started if cycle_started and cycle_started <= completed_at else enrolled_at
            finished[uid] = (completed_at, began, score)
    days = [max(0.0, (done - began).total_seconds() / 86400) for done, began, _s in finished.values()]
    scores = [s for _d, _b, s in finished.values() if s is not None]
    buckets = [0] * 10
    for score in scores:
        buckets[min(9, int(score // 10))] += 1
    months = Counter(local_date(done, time_zone).strftime("%Y-%m") for done, _b, _s in finished.values())

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
            Quiz.course_id == course.id, Quiz.kind != "pretest", Quiz.retired_at.is_(None))
            .order_by(Quiz.kind == "exam", Quiz.id)):
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
