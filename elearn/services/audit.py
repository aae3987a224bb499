"""Recording account events. Callers commit; failed logins are committed by the login route."""
from __future__ import annotations

from sqlalchemy.orm import Session

from elearn.models import AuditEvent


def record_event(session: Session, action: str, *, actor_id: int | None = None, subject_id: int | None = None,
                 ip: str | None = None, **detail) -> None:
    """Add an audit event. ``detail`` must never contain passwords or tokens."""
    session.add(AuditEvent(action=action, actor_id=actor_id, subject_id=subject_id, ip=ip, detail=detail))
