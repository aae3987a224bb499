"""Who looked at whose records: when a supervisor, mentor or admin opens a person's transcript,
certificates, quiz attempts or (later) tasks, the page calls ``record_access`` (one INSERT into the
audit log); the person sees those entries on their data page (``accesses_to``). A person's views of
their own records are never recorded."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import AuditEvent, User
from elearn.services.audit import record_event

ACTION = "record.viewed"
#: What can be opened; a page passes one of these (a new kind of record adds its name here).
RECORD_KINDS = ("transcript", "transcript_pdf", "certificate", "certificate_pdf", "credential", "attempts", "tasks", "mentee")


def record_access(session: Session, viewer, person_id: int, what: str) -> bool:
    """Record that ``viewer`` opened ``person_id``'s ``what``; nothing for the person's own views.
    True when an entry was added (the caller commits)."""
    if what not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {what!r}")
    if viewer.id == person_id:
        return False
    record_event(session, ACTION, actor_id=viewer.id, subject_id=person_id, what=what, role=viewer.role)
    return True


@dataclass(frozen=True)
class Access:
    at: datetime
    viewer: str | None
    role: str | None
    what: str


def accesses_to(session: Session, person_id: int, limit: int = 100) -> list[Access]:
    """Who opened the person's records, newest first (the viewer's current name and role)."""
    rows = session.execute(
        select(AuditEvent.at, User.name, User.role, AuditEvent.detail)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.subject_id == person_id, AuditEvent.action == ACTION)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    return [Access(at, name, role, (detail or {}).get("what", "")) for at, name, role, detail in rows]
