"""People who use the platform."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


class Role(str, enum.Enum):
    LEARNER = "learner"
    TRAINER = "trainer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


def session_token(user_id: int, epoch: int | None) -> str:
    """The id Flask-Login keeps for a logged-in account: "<id>.<epoch>" (see User.session_epoch)."""
    return f"{user_id}.{epoch or 0}"


def parse_session_token(token: str) -> tuple[int, int] | None:
    """(id, epoch) of a session_token, or None when it is not one."""
    user_id, _dot, epoch = str(token).partition(".")
    if not (user_id.isdigit() and epoch.isdigit()) or len(user_id) > 10 or len(epoch) > 10:
        return None
    return int(user_id), int(epoch)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Login name; stored lower-case so that look-ups are exact.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: argon2id hash (see services.users); never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER.value)
    #: A disabled account cannot log in; its history stays.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Employee number (NIP), optional; printed on certificates.
    nip: Mapped[str | None] = mapped_column(String(30))
    #: The library unit the person works in.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    #: Preferred interface language ("id" or "en"); None follows the browser/site default.
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Part of every session and remember-me cookie of the account (see session_token); raising it
    #: (password change, admin reset) ends them all.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The privacy notice version the person acknowledged (services.privacy.notice); None: not yet.
    privacy_notice_version: Mapped[str | None] = mapped_column(String(40))
    privacy_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when the account was anonymised at the person's request (irreversible; services.privacy).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set by ``privacy prune`` when the account was never used for PRIVACY_INACTIVE_MONTHS (flagged, not deleted).
    inactive_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit = relationship("Unit", lazy="raise")

    def get_id(self) -> str:  # what Flask-Login stores in the session and the remember-me cookie
        return session_token(self.id, self.session_epoch)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def has_role(self, *roles: Role | str) -> bool:
        wanted = {r.value if isinstance(r, Role) else r for r in roles}
        return self.role in wanted

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginThrottle(db.Model):
    """Failed logins of one account name (an email, known or not, so the answer reveals nothing):
    kept in the database so every host sees the same count and delay."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The normalised email that was typed.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Failures since the last success or admin reset (forgotten after LOGIN_FAILURE_MEMORY_SECONDS).
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: No password is checked for this account before then.
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordReset(db.Model):
    """A one-time link an admin hands to a user (there is no email): it expires and dies on use."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token; the token itself is only ever shown once, to the admin.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
