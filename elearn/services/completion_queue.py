"""Course completions recorded just after a passed final exam rather than during its submit.

With the setting ``COMPLETION_QUEUE`` on, the submit of a passed final exam only queues a
``CompletionCheck`` for the enrollment (one cheap insert); ``flask completion run`` — a worker at low
CPU priority in the production recipe — runs the one completion rule (``completion.refresh_course_completion``)
for each queued enrollment, which records the completion and issues the certificate. The rule itself
is unchanged: only the moment it runs moves, by a few seconds, so that 1,000 learners submitting an
exam within seconds do not each wait for certificate signing on a 2-core machine (issue 19's profile:
recording and issuing were ~40 % of the CPU of a submit and its result page).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import CompletionCheck, Enrollment
from elearn.models._types import utcnow
from elearn.services.completion import refresh_course_completion

log = logging.getLogger(__name__)


def queue_completion_check(session: Session, enrollment: Enrollment) -> bool:
    """Queue the enrollment for the completion rule (idempotent: one row per enrollment).
    False when the course is already complete in this cycle (nothing to do)."""
    if enrollment.completed_at is not None:
        return False
    values = {"user_id": enrollment.user_id, "enrollment_id": enrollment.id, "queued_at": utcnow()}
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(CompletionCheck).values(**values).on_conflict_do_nothing(
            index_elements=[CompletionCheck.enrollment_id]))
        return True
    try:  # another database: a savepoint catches the duplicate
        with session.begin_nested():
            session.add(CompletionCheck(**values))
    except IntegrityError:
        pass
    return True


def is_queued(session: Session, enrollment_id: int) -> bool:
    """Is the enrollment's completion still waiting for the worker?"""
    return session.scalar(select(CompletionCheck.id).where(CompletionCheck.enrollment_id == enrollment_id)) is not None


@dataclass
class CheckRun:
    checked: int = 0
    completed: int = 0
    failed: int = 0


def run_completion_checks(session: Session, limit: int = 100) -> CheckRun:
    """Run the completion rule for up to ``limit`` queued enrollments, oldest first, and dequeue them.

    Safe with several workers (PostgreSQL: rows locked with SKIP LOCKED) and with a request that
    records the same completion (the rule stamps each cycle once). A row whose check raised stays
    queued (logged) and the others go on. The caller commits."""
    query = select(CompletionCheck).order_by(CompletionCheck.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    run = CheckRun()
    for check in session.scalars(query).all():
        run.checked += 1
        try:
            with session.begin_nested():
                enrollment = session.get(Enrollment, check.enrollment_id)
                if refresh_course_completion(session, enrollment.user_id, enrollment):
                    run.completed += 1
                session.delete(check)
        except Exception:  # noqa: BLE001 - one bad row must not stop everyone's certificates
            run.failed += 1
            log.exception("completion check failed for enrollment %s; it stays queued", check.enrollment_id)
    session.flush()
    return run


@dataclass
class QueueState:
    waiting: int
    oldest: datetime | None


def queue_state(session: Session) -> QueueState:
    """How many completions wait for the worker, and since when (``flask completion status``, /metrics)."""
    waiting, oldest = session.execute(select(func.count(CompletionCheck.id), func.min(CompletionCheck.queued_at))).one()
    return QueueState(waiting, oldest)
