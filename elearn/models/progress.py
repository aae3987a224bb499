"""Who takes which course, and how far they are."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
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
