"""What happened to accounts, for admins to review (logins, resets, imports, role changes)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: e.g. "login.success", "login.failure", "password.reset_issued", "user.created".
    action: Mapped[str] = mapped_column(String(50), index=True)
    #: Who did it (None for anonymous, e.g. a failed login with an unknown email).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Whose account it concerns.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Client address as seen by the app (behind a proxy: configure ProxyFix).
    ip: Mapped[str | None] = mapped_column(String(64))
    #: Small free-form facts (email tried, changed fields…); never passwords or tokens.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
