"""The innovation showcase: service innovations learners share, each grown from a course."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


class Innovation(db.Model):
    """A service innovation a learner wrote up; ``published_at`` set: shown to everyone signed in (else
    only to the author and the supervisors whose scope holds them)."""

    __tablename__ = "innovations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The course it grew from (kept as NULL if the course row ever goes).
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: The author's Markdown, as typed, and its sanitized rendering (render_user_markdown).
    description: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    #: An optional http(s) link (photos, a news item, a document).
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: The measured result: a short text ("pengunjung kelas literasi tiap Sabtu"), optionally a figure and its
    #: unit (45, "pengunjung").
    result_text: Mapped[str] = mapped_column(String(200), default="", server_default="")
    result_value: Mapped[float | None] = mapped_column(Float)
    result_unit: Mapped[str] = mapped_column(String(40), default="", server_default="")
    #: An optional photo (services.photos: checked by its bytes, at most 1600 px wide, metadata removed) and
    #: its thumbnail, loaded only by the route that serves them; ``photo_key`` (empty: no photo) changes with
    #: the photo and is part of its address.
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    photo_thumb: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    photo_type: Mapped[str] = mapped_column(String(20), default="", server_default="")
    photo_width: Mapped[int | None] = mapped_column(Integer)
    photo_height: Mapped[int | None] = mapped_column(Integer)
    photo_key: Mapped[str] = mapped_column(String(16), default="", server_default="")
    #: The author's description of the photo (its alt text).
    photo_alt: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: The carried-out action plan (models.supervision.ActionPlan) the author shares this from, if any.
    action_plan_id: Mapped[int | None] = mapped_column(ForeignKey("action_plans.id", ondelete="SET NULL"))
    #: Featured by a supervisor of the author or an admin: shown first in the showcase.
    featured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    featured_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
