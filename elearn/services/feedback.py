"""After a course: the learner's rating and comment, and service-innovation action plans."""
from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import ACTION_PLAN_KINDS, ActionPlan, Course, CourseFeedback, Unit, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.completion import has_completed
from elearn.services.notifications import notify
from elearn.services.pagination import Page, paginate


class FeedbackError(Exception):
    """``code``: not_completed, bad_rating, bad_kind, empty, forbidden."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def get_feedback(session: Session, user_id: int, course_id: int) -> CourseFeedback | None:
    return session.scalar(select(CourseFeedback).where(CourseFeedback.user_id == user_id,
                                                       CourseFeedback.course_id == course_id))


def save_feedback(session: Session, user_id: int, course: Course, rating: int, comment: str) -> CourseFeedback:
    """Rate a completed course (1–5); rating again replaces the earlier rating."""
    if not has_completed(session, user_id, course.id):
        raise FeedbackError("not_completed")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise FeedbackError("bad_rating")
    comment = (comment or "").strip()[:2000]
    existing = get_feedback(session, user_id, course.id)
    if existing is None:
        try:
            with session.begin_nested():
                existing = CourseFeedback(user_id=user_id, course_id=course.id, rating=rating, comment=comment)
                session.add(existing)
            return existing
        except IntegrityError:  # rated twice at once
            existing = get_feedback(session, user_id, course.id)
    existing.rating, existing.comment, existing.updated_at = rating, comment, utcnow()
    session.flush()
    return existing


def submit_plan(session: Session, user_id: int, course: Course, *, kind: str, title: str, description: str,
                planned_on: date | None) -> ActionPlan:
    if not has_completed(session, user_id, course.id):
        raise FeedbackError("not_completed")
    if kind not in ACTION_PLAN_KINDS:
        raise FeedbackError("bad_kind")
    if not title.strip() or not description.strip():
        raise FeedbackError("empty")
    plan = ActionPlan(user_id=user_id, course_id=course.id, kind=kind, title=title.strip()[:200],
                      description=description.strip()[:5000], planned_on=planned_on)
    session.add(plan)
    session.flush()
    record_event(session, "action_plan.submitted", actor_id=user_id, subject_id=user_id, plan=plan.id,
                 course=course.slug)
    return plan


def plans_of(session: Session, user_id: int) -> list[tuple[ActionPlan, str]]:
    return [tuple(r) for r in session.execute(
        select(ActionPlan, Course.title).join(Course, Course.id == ActionPlan.course_id)
        .where(ActionPlan.user_id == user_id).order_by(ActionPlan.submitted_at.desc()))]


def plans_in_scope(session: Session, people, status: str | None = None, *, page: int = 1,
                   page_size: int = 20) -> Page:
    """One page of (plan, learner name, unit name, course title) of ``people`` (a SELECT of ids, the
    viewer's scope), newest first; status: open|done."""
    query = (select(ActionPlan, User.name, Unit.name, Course.title)
             .join(User, User.id == ActionPlan.user_id).outerjoin(Unit, Unit.id == User.unit_id)
             .join(Course, Course.id == ActionPlan.course_id)
             .where(ActionPlan.user_id.in_(people))
             .order_by(ActionPlan.submitted_at.desc(), ActionPlan.id.desc()))
    if status == "open":
        query = query.where(ActionPlan.carried_out_at.is_(None))
    elif status == "done":
        query = query.where(ActionPlan.carried_out_at.is_not(None))
    return paginate(session, query, page, page_size)


def review_plan(session: Session, plan: ActionPlan, reviewer_id: int, comment: str, carried_out: bool) -> None:
    """A supervisor comments on a plan (and marks it carried out or not); a new comment tells the learner."""
    values = {"supervisor_comment": (comment or "").strip()[:2000], "commented_by_id": reviewer_id}
    if values["supervisor_comment"] and values["supervisor_comment"] != plan.supervisor_comment:
        notify(session, plan.user_id, "action_plan_commented", {"title": plan.title}, url_for("reports.my_plans"))
    if carried_out and plan.carried_out_at is None:
        values["carried_out_at"] = utcnow()
    elif not carried_out:
        values["carried_out_at"] = None
    session.execute(update(ActionPlan).where(ActionPlan.id == plan.id).values(**values))
    session.refresh(plan)
    record_event(session, "action_plan.reviewed", actor_id=reviewer_id, subject_id=plan.user_id, plan=plan.id,
                 carried_out=bool(plan.carried_out_at))
