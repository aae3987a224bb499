"""Things that happened (an attempt started, an attempt graded, a certificate issued), announced
once the transaction that made them has committed.

A service calls ``note(session, "quiz.submitted")`` right after the change it made; whoever
subscribed to that name (the Prometheus counters in ``elearn.observability``) hears of it when the
session commits, and never when it rolls back, so a refused or repeated action counts nothing.
Names are plain strings; nothing here knows who listens. Call ``note`` outside savepoints
(``begin_nested``): a rolled-back savepoint does not take back what was noted inside it.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

QUIZ_STARTED = "quiz.started"
QUIZ_SUBMITTED = "quiz.submitted"
CERTIFICATE_ISSUED = "certificate.issued"

_PENDING = "elearn_pending_events"
_subscribers: dict[str, list[Callable[[], None]]] = {}


def note(session: Session, name: str) -> None:
    """Remember that ``name`` happened in the session's current transaction."""
    session.info.setdefault(_PENDING, []).append(name)


def subscribe(name: str, callback: Callable[[], None]) -> None:
    """Call ``callback()`` once for every committed ``name``; subscribing the same callback twice counts once."""
    callbacks = _subscribers.setdefault(name, [])
    if callback not in callbacks:
        callbacks.append(callback)


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    if session.get_nested_transaction() is not None:  # a savepoint was released; the transaction goes on
        return
    for name in session.info.pop(_PENDING, ()):
        for callback in _subscribers.get(name, ()):
            callback()


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)
