"""Course staff: who authors a course in the studio and sees its results (elearn.services.course_staff)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow

#: "owner": authors the course and manages its staff; "editor": authors it, sees the staff list only.
STAFF_ROLES = ("owner", "editor")


class CourseStaff(db.Model):
    __tablename__ = "course_staff"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: One of STAFF_ROLES.
    role: Mapped[str] = mapped_column(String(10))
    #: Who added the person; None when imported from the front matter's ``trainers:`` list.
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
