"""Notifications: what a person is told in the app (and by email when it is configured), and how they
want to be told (services.notifications)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow

#: Email delivery of one notification: none (in the app only) → pending → sending → sent | failed.
EMAIL_STATES = ("none", "pending", "sending", "sent", "failed")


class Notification(db.Model):
    """One message to one person. The words are not stored: ``kind`` + ``params`` are turned into a title
    and a text when shown, in the reader's language. ``dedup_key`` names what the message is about and
    for which period (an assignment's due date, a certificate's expiry, a week); with it the same notice
    is never created twice, whoever runs the job and how often."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "kind", "dedup_key"),
                      Index("ix_notifications_unread", "user_id", "read_at"),
                      Index("ix_notifications_email_due", "email_state", "email_next_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who is told.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: A registered kind (services.notifications.KINDS), e.g. "assignment_due_soon".
    kind: Mapped[str] = mapped_column(String(40))
    #: Values the kind's words are built from (course title, dates, counts); plain JSON.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Where the notification leads, a path inside the site ("/certificates/12/").
    link: Mapped[str] = mapped_column(String(500), default="")
    #: What and which period it is about; None for one-off messages that are never deduplicated.
    dedup_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: EMAIL_STATES; decided when the notification is made (the person's choice and MAIL_URL).
    email_state: Mapped[str] = mapped_column(String(10), default="none")
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: When the next delivery attempt may start (backoff after a failure; a claim's deadline while sending).
    email_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last delivery error (SMTP code and class, never the address).
    email_error: Mapped[str | None] = mapped_column(String(200))


class NotificationPreference(db.Model):
    """A person's choice for one kind: also by email or in the app only (no row: the kind's default)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
