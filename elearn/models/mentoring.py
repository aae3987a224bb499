"""Pendampingan: senior librarians (mentors) paired with mentees, and the mentoring sessions they hold."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


class MentorPair(db.Model):
    """A mentor (any active account) paired with a mentee from ``start_on`` until ``end_on`` (inclusive,
    local dates; open-ended when None). A mentee may have several mentors at once; the pair is
    *current* on the days between its dates (services.scope.mentee_ids)."""

    __tablename__ = "mentor_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    #: The admin or supervisor who made the pair.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentoringSession(db.Model):
    """A meeting a mentor recorded with a mentee; it counts as mentoring hours once the mentee confirmed it."""

    __tablename__ = "mentoring_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentor_pairs.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The local day the meeting took place.
    held_on: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    #: What mentor and mentee agreed to do before the next meeting.
    next_step: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when the mentee confirmed the meeting took place as recorded; only then it counts.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
