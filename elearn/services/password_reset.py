"""One-time password links: an admin issues a link and hands it over, or, when email is configured
(MAIL_URL), the person asks for one on the login page ("forgot password") and it is emailed to them.

A link asked for by the person (``request_reset_link``) changes nothing until it is used: it does not
end sessions, does not cancel other links and does not lift a login delay (otherwise anyone who knows
an address could log its owner out or reset the password-guessing brake); at most
PASSWORD_FORGOT_PER_ACCOUNT such links per account and hour are made, the others are silently not made.
Whoever asks sees the same answer whether or not the address belongs to an account.

Only the SHA-256 of a token is stored. A link expires (PASSWORD_RESET_HOURS), dies on use, and
issuing a new one kills the older ones of the same user. Issuing a link (an admin reset) ends every
session of the account and lifts its failed-login delay; using it does both again.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from elearn.models import PasswordReset, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.login_throttle import forget_failures
from elearn.services.users import AccountError, end_sessions, normalise_email, set_password


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_reset_token(session: Session, user_id: int, *, actor_id: int | None, hours: int = 24) -> str:
    """A new token for ``user_id``; earlier unused tokens and every session of that user stop working,
    and a login delay on the account is lifted. Raises AccountError("anonymised") for an anonymised
    account (it must never come back)."""
    if session.scalar(select(User.anonymised_at).where(User.id == user_id)) is not None:
        raise AccountError("anonymised")
    now = utcnow()
    end_sessions(session, user_id)
    forget_failures(session, session.scalar(select(User.email).where(User.id == user_id)) or "")
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(user_id=user_id, token_hash=_digest(token), created_by_id=actor_id,
                              created_at=now, expires_at=now + timedelta(hours=hours)))
    record_event(session, "password.reset_issued", actor_id=actor_id, subject_id=user_id, hours=hours)
    session.flush()
    return token


def request_reset_link(session: Session, email: str, *, hours: int, per_hour: int) -> tuple[str, User] | None:
    """A new link for the active account with ``email`` (token, user), or None when there is no such
    account, it is anonymised or disabled, or it already had ``per_hour`` links asked for in the last hour.
    Flushes; the caller commits and then emails the link (never stored in clear)."""
    user = session.scalar(select(User).where(User.email == normalise_email(email or ""), User.active.is_(True),
                                             User.anonymised_at.is_(None)))
    if user is None:
        return None
    now = utcnow()
    recent = session.scalar(select(func.count()).select_from(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.created_by_id.is_(None),
        PasswordReset.created_at > now - timedelta(hours=1)))
    if recent >= per_hour:
        return None
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(user_id=user.id, token_hash=_digest(token), created_by_id=None, created_at=now,
                              expires_at=now + timedelta(hours=hours)))
    record_event(session, "password.reset_requested", actor_id=None, subject_id=user.id, hours=hours)
    session.flush()
    return token, user


def find_valid_reset(session: Session, token: str) -> PasswordReset | None:
    """The unused, unexpired reset for ``token``, or None."""
    if not token or len(token) > 200:
        return None
    reset = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _digest(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    return reset


def use_reset_token(session: Session, token: str, new_password: str, *, ip: str | None = None) -> User | None:
    """Set the password through ``token``; None when the link is invalid, expired or used.

    The token is consumed with a conditional UPDATE, so two concurrent uses cannot both succeed.
    Raises AccountError (nothing consumed) when the new password is not acceptable.
    """
    reset = find_valid_reset(session, token)
    if reset is None:
        return None
    user = session.get(User, reset.user_id)
    set_password(session, user, new_password)  # validates first: a weak password keeps the link alive
    consumed = session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if consumed != 1:
        session.rollback()
        return None
    forget_failures(session, user.email)
    record_event(session, "password.reset_used", actor_id=user.id, subject_id=user.id, ip=ip)
    session.flush()
    return user
