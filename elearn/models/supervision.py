"""Supervision: assigned training with due dates, course feedback and service-innovation action plans."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


class Assignment(db.Model):
    """A course a supervisor assigns, due on a date (the end of that day in TIME_ZONE).

    Who it reaches: everyone in ``unit_id`` and its sub-units *at the time you look* (so new members
    of the unit receive it), plus the people listed in ``assignment_members``. With
    ``recurrence_months`` it repeats: period k is due ``k × recurrence_months`` after ``due_on`` and
    needs a completion made after period k−1 was due (see services.supervision.obligation).
    """

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    recurrence_months: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Cancelled assignments stop counting (history kept).
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AssignmentMember(db.Model):
    __tablename__ = "assignment_members"

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class CourseFeedback(db.Model):
    """A learner's rating (1–5) and comment on a course they completed; one per learner and course."""

    __tablename__ = "course_feedback"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActionPlan(db.Model):
    """A service innovation a learner will bring to their library after a course."""

    __tablename__ = "action_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: literacy_class, book_discussion, exhibition, digital_service, outreach, other
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    planned_on: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    supervisor_comment: Mapped[str] = mapped_column(Text, default="")
    commented_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    carried_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


ACTION_PLAN_KINDS = ("literacy_class", "book_discussion", "exhibition", "digital_service", "outreach", "other")
