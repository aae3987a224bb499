"""Training done outside the platform: a learner records it, their supervisor (or an admin) decides.

Rules
- A learner records a workshop, seminar, webinar, internship (magang) or training by another body:
  title, organiser, first and last day (not in the future, last not before first), JP (1–200) and
  where the certificate can be seen (an http(s) link) with an optional note. It waits as *pending*.
- A supervisor whose scope holds the learner (services.scope), or an admin, approves it or rejects it
  with a reason; nobody decides their own record; a record is decided once (a conditional UPDATE).
- Approved records earn their JP in the year of their last day (services.lesson_hours, a separate,
  labelled source) and are listed in the transcript as "di luar platform"; pending and rejected ones
  earn nothing.

Events: ``external.recorded``, ``external.decided``. The learner is notified of the decision
(services.notifications kind ``external_decided``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from elearn.models import EXTERNAL_KINDS, ExternalTraining, Unit, User
from elearn.models._types import utcnow
from elearn.services.events import note
from elearn.services.links import is_web_link
from elearn.services.notifications import notify, register
from elearn.services.scope import Scope, person_in_scope

register("external_decided", _l("Keputusan atas pelatihan di luar platform yang saya catat"),
         lambda p: (_("Pelatihan disetujui: %(title)s", title=p["title"]) if p["state"] == "approved"
                    else _("Pelatihan ditolak: %(title)s", title=p["title"])),
         lambda p: (_("%(jp)s JP dari \"%(title)s\" kini dihitung dalam JP Anda.", jp=p["hours"], title=p["title"])
                    if p["state"] == "approved" else
                    _("Pembina Anda menolak \"%(title)s\". Alasannya ada di halaman pelatihan di luar platform.",
                      title=p["title"])), audience="learner")

RECORDED = "external.recorded"
DECIDED = "external.decided"
HOURS_RANGE = (1, 200)
TEXT_MAX = 2000


class ExternalError(Exception):
    """A refused action; ``code``: bad_kind, no_title, no_organiser, bad_dates, bad_hours, bad_link,
    too_long, not_found, reason_required, already_decided."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def record_external(session: Session, user_id: int, *, kind: str, title: str, organiser: str, start_on: date,
                    end_on: date, hours: int, evidence_link: str, evidence_note: str, today: date) -> ExternalTraining:
    """Record a training done elsewhere; it waits for a decision."""
    if kind not in EXTERNAL_KINDS:
        raise ExternalError("bad_kind")
    title, organiser = (title or "").strip(), (organiser or "").strip()
    if not title:
        raise ExternalError("no_title")
    if not organiser:
        raise ExternalError("no_organiser")
    if len(title) > 300 or len(organiser) > 200 or len(evidence_note or "") > TEXT_MAX:
        raise ExternalError("too_long")
    if end_on < start_on or end_on > today:
        raise ExternalError("bad_dates")
    if not (isinstance(hours, int) and HOURS_RANGE[0] <= hours <= HOURS_RANGE[1]):
        raise ExternalError("bad_hours")
    link = (evidence_link or "").strip()
    if not is_web_link(link):
        raise ExternalError("bad_link")
    record = ExternalTraining(user_id=user_id, kind=kind, title=title, organiser=organiser, start_on=start_on,
                              end_on=end_on, hours=hours, evidence_link=link,
                              evidence_note=(evidence_note or "").strip(), state="pending")
    session.add(record)
    session.flush()
    note(session, RECORDED)
    return record


def decide_external(session: Session, actor, scope: Scope, record_id: int, approve: bool,
                    reason: str = "") -> ExternalTraining:
    """Approve or reject a pending record of someone in ``scope`` (see the module rules)."""
    record = session.get(ExternalTraining, record_id)
    if record is None or record.user_id == actor.id or not person_in_scope(session, scope, record.user_id):
        raise ExternalError("not_found")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ExternalError("reason_required")
    if len(reason) > TEXT_MAX:
        raise ExternalError("too_long")
    changed = session.execute(update(ExternalTraining).where(
        ExternalTraining.id == record_id, ExternalTraining.state == "pending").values(
        state="approved" if approve else "rejected", decided_by_id=actor.id, decided_at=utcnow(),
        reason=reason)).rowcount
    if not changed:
        raise ExternalError("already_decided")
    session.refresh(record)
    note(session, DECIDED)
    notify(session, record.user_id, "external_decided", {"title": record.title, "hours": record.hours,
                                                         "state": record.state},
           "/training/external/", dedup_key=f"external:{record.id}")
    return record


def records_of(session: Session, user_id: int) -> list[ExternalTraining]:
    """The person's records, newest last day first."""
    return list(session.scalars(select(ExternalTraining).where(ExternalTraining.user_id == user_id)
                                .order_by(ExternalTraining.end_on.desc(), ExternalTraining.id.desc())))


@dataclass(frozen=True)
class RecordRow:
    record: ExternalTraining
    name: str
    unit: str | None


def records_in_scope(session: Session, people: Select, state: str = "pending", limit: int = 200) -> list[RecordRow]:
    """Records of ``people`` (a SELECT of ids) in a state, oldest first (what waits longest comes first)."""
    return [RecordRow(*row) for row in session.execute(
        select(ExternalTraining, User.name, Unit.name).join(User, User.id == ExternalTraining.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(ExternalTraining.user_id.in_(people), ExternalTraining.state == state)
        .order_by(ExternalTraining.created_at, ExternalTraining.id).limit(limit))]
