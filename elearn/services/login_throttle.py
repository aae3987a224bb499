"""Failed logins per account, with a growing delay (brute force on one account is stopped).

Rules:
- Only failures count; a successful login, a password set through a one-time link and an admin
  reset (issuing a link) forget the account's failures and lift its delay.
- The first LOGIN_FREE_FAILURES failures cost nothing. Each further failure blocks the account
  for LOGIN_DELAY_SECONDS, doubled per extra failure, at most LOGIN_MAX_DELAY_SECONDS.
- While blocked, no password is checked at all (the right one is refused too), and the attempt
  does not add a failure.
- Failures older than LOGIN_FAILURE_MEMORY_SECONDS are forgotten.
- The key is the typed email whether an account has it or not, so the answers reveal nothing about
  which accounts exist. The count lives in the database: every host and worker sees the same one.

The per-address ceiling (much higher, for a training room behind one address) is Flask-Limiter's
RATELIMIT_LOGIN on the login route.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import LoginThrottle
from elearn.models._types import utcnow


@dataclass(frozen=True)
class ThrottleRules:
    free_failures: int = 5
    delay_seconds: int = 30
    max_delay_seconds: int = 3600
    memory_seconds: int = 86400

    @classmethod
    def from_config(cls, config) -> ThrottleRules:
        return cls(config["LOGIN_FREE_FAILURES"], config["LOGIN_DELAY_SECONDS"], config["LOGIN_MAX_DELAY_SECONDS"],
                   config["LOGIN_FAILURE_MEMORY_SECONDS"])

    def delay_after(self, failures: int) -> timedelta | None:
        """How long the account is blocked after its ``failures``-th failure (None: not blocked)."""
        extra = failures - self.free_failures
        if extra <= 0:
            return None
        return timedelta(seconds=min(self.delay_seconds * 2 ** min(extra - 1, 30), self.max_delay_seconds))


def _key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def blocked_until(session: Session, email: str, now: datetime | None = None) -> datetime | None:
    """When the account may be tried again, or None when it may be tried now."""
    until = session.scalar(select(LoginThrottle.blocked_until).where(LoginThrottle.email == _key(email)))
    return until if until is not None and until > (now or utcnow()) else None


def record_failure(session: Session, email: str, rules: ThrottleRules, now: datetime | None = None) -> datetime | None:
    """Count one failed login for ``email``; returns until when it is now blocked (or None).

    The count is raised with one UPDATE (no read-modify-write), so concurrent failures on several
    hosts all count; the first failure inserts the row under its unique key."""
    now = now or utcnow()
    key = _key(email)
    forgotten = now - timedelta(seconds=rules.memory_seconds)
    session.execute(update(LoginThrottle).where(LoginThrottle.email == key, LoginThrottle.last_failure_at < forgotten)
                    .values(failures=0, blocked_until=None))
    raised = session.execute(update(LoginThrottle).where(LoginThrottle.email == key)
                             .values(failures=LoginThrottle.failures + 1, last_failure_at=now)).rowcount
    if not raised:
        savepoint = session.begin_nested()
        try:
            session.add(LoginThrottle(email=key, failures=1, last_failure_at=now))
            session.flush()
            savepoint.commit()
        except IntegrityError:  # another host inserted it first: count on its row
            savepoint.rollback()
            session.execute(update(LoginThrottle).where(LoginThrottle.email == key)
                            .values(failures=LoginThrottle.failures + 1, last_failure_at=now))
    failures = session.scalar(select(LoginThrottle.failures).where(LoginThrottle.email == key))
    delay = rules.delay_after(failures)
    if delay is None:
        return None
    session.execute(update(LoginThrottle).where(LoginThrottle.email == key).values(blocked_until=now + delay))
    return now + delay


def forget_failures(session: Session, email: str) -> None:
    """A success or an admin reset: the account starts again with no failures and no delay."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.email == _key(email)))
