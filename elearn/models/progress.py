"""Who takes which course, and how far they are."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when the learner left the course; enrolling again clears it and keeps the progress.
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set once per cycle, when every required module was complete (cleared only by a renewal).
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: Which completion this is: 1, then +1 each time the learner renews an expired certificate.
    cycle: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: When the current cycle began (None for the first): older module completions and quiz attempts
    #: do not count towards it.
    cycle_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The module the learner viewed last, for "Continue".
    last_module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set (with completed_at) when the placement pre-test showed the learner already masters the module.
    placed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Completion(db.Model):
    """One completion of a course by a person: the fact that every figure counts (see
    services.completion). One per (enrollment, cycle), so recording it is idempotent; what the
    completion was worth is copied here when it happens, so a later re-sync of the course never
    changes the lesson hours (JP) or the score it earned.
    """

    __tablename__ = "completions"
    __table_args__ = (UniqueConstraint("enrollment_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    #: The enrollment cycle this completes (1, then 2 after a renewal, …).
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: Lesson hours (JP) of the course version completed.
    hours: Mapped[int] = mapped_column(Integer, default=0)
    #: The course's version label when completed.
    course_version: Mapped[str] = mapped_column(String(40), default="")
    #: Final score in percent (services.scoring.final_score); None for a course without quizzes.
    score: Mapped[float | None] = mapped_column(Float)
    #: Titles of the modules the learner placed out of by the pre-test in this cycle (recognised prior learning).
    placed_out: Mapped[list] = mapped_column(JSON, default=list)


class CompletionCheck(db.Model):
    """A passed final exam whose course completion is still to be recorded (setting COMPLETION_QUEUE):
    the exam's submit only queues this row, and ``flask completion run`` (a low-priority worker) runs the
    one completion rule for it and issues the certificate, so an exam hour's submits stay light. One
    row per enrollment; deleted once checked."""

    __tablename__ = "completion_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"), unique=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
