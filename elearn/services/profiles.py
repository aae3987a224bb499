"""A person's own profile."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import Unit, User
from elearn.services.audit import record_event


def list_unit_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every unit, by name, for select boxes."""
    return [tuple(r) for r in session.execute(select(Unit.id, Unit.name).order_by(Unit.name))]


def update_profile(session: Session, user: User, *, name: str, nip: str | None, unit_id: int | None,
                   locale: str | None) -> None:
    """Change the user's own name, NIP, unit and language. Unknown unit ids are ignored."""
    if unit_id is not None and session.get(Unit, unit_id) is None:
        unit_id = user.unit_id
    changed = [f for f, old, new in (("name", user.name, name.strip()), ("nip", user.nip, (nip or "").strip() or None),
                                     ("unit_id", user.unit_id, unit_id), ("locale", user.locale, locale or None))
               if old != new]
    user.name = name.strip()
    user.nip = (nip or "").strip() or None
    user.unit_id = unit_id
    user.locale = locale or None
    if changed:
        record_event(session, "profile.updated", actor_id=user.id, subject_id=user.id, fields=changed)
    session.flush()
