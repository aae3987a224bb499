"""Training done outside the platform (workshops, seminars, webinars, internships), recorded by the
learner and approved by their supervisor."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow

EXTERNAL_KINDS = ("workshop", "seminar", "webinar", "magang", "pelatihan")
EXTERNAL_STATES = ("pending", "approved", "rejected")


class ExternalTraining(db.Model):
    """One training a person attended elsewhere; its JP count (services.lesson_hours) once approved, in
    the year of ``end_on``."""

    __tablename__ = "external_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: one of EXTERNAL_KINDS
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    organiser: Mapped[str] = mapped_column(String(200))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date, index=True)
    #: Lesson hours (JP) the certificate states.
    hours: Mapped[int] = mapped_column(Integer)
    #: Where the certificate or proof can be seen (an http(s) link), and a note.
    evidence_link: Mapped[str] = mapped_column(String(500), default="")
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    #: one of EXTERNAL_STATES
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why it was rejected (required then).
    reason: Mapped[str] = mapped_column(Text, default="")
