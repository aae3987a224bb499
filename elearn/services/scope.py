"""Who sees whom: the one scope rule behind every report, export, transcript, certificate and plan.

Which *roles* may open supervision pages at all is decided in ``elearn.access`` (``may_supervise``);
this module says, for a viewer who may, *whose* records they see:
- an admin's scope is everything: every account's records, and every unit in reports;
- a supervisor's scope is the units they supervise and every unit below them.

The people a report lists and counts (``people_query``) are the *active, non-admin* accounts whose
unit is in scope, and the *anonymised* ones (people whose deletion request was approved: their
completions still count, under a pseudonym, so totals stay the same); other disabled accounts and
administrators are not learners to report on.
A supervisor may open the records (transcript, certificates, plans) of exactly those people
(``person_in_scope``); an admin may open anybody's.

A *mentor* (any account paired with mentees, models.mentoring) is not a supervisor: they may *view*
the records of the people they are a current mentor of (``mentee_ids``: pairs whose start date has
come and whose end date has not passed, in local days), never anyone else's, and act on none.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from elearn.models import MentorPair, Role, Unit, UnitSupervisor, User


@dataclass(frozen=True)
class Scope:
    """The units a viewer may see; ``everything`` for admins."""

    everything: bool
    unit_ids: frozenset[int] = frozenset()

    def allows_unit(self, unit_id: int | None) -> bool:
        return self.everything or (unit_id is not None and unit_id in self.unit_ids)


def unit_children(session: Session) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in session.execute(select(Unit.id, Unit.parent_id)):
        children.setdefault(parent_id, []).append(unit_id)
    return children


def subtree(children: dict[int | None, list[int]], roots) -> set[int]:
    """The units ``roots`` and every unit below them."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id not in seen:
            seen.add(unit_id)
            stack.extend(children.get(unit_id, []))
    return seen


def scope_for(session: Session, viewer) -> Scope:
    """The scope of a viewer who may supervise (check ``elearn.access.may_supervise`` first):
    everything for an admin, else the supervised units and the units below them."""
    if viewer.role == Role.ADMIN.value:
        return Scope(True)
    roots = session.scalars(select(UnitSupervisor.unit_id).where(UnitSupervisor.user_id == viewer.id)).all()
    return Scope(False, frozenset(subtree(unit_children(session), roots)))


def units_in_scope(session: Session, scope: Scope) -> list[tuple[int, str]]:
    query = select(Unit.id, Unit.name).order_by(Unit.name)
    if not scope.everything:
        query = query.where(Unit.id.in_(sorted(scope.unit_ids) or [-1]))
    return [tuple(r) for r in session.execute(query)]


def people_query(session: Session, scope: Scope, unit_id: int | None = None) -> Select:
    """SELECT of the ids of the people reports list: active or anonymised, non-admin, in scope;
    optionally narrowed to one unit and its sub-units."""
    query = select(User.id).where(or_(User.active.is_(True), User.anonymised_at.is_not(None)),
                                  User.role != Role.ADMIN.value)
    units: set[int] | None = None if scope.everything else set(scope.unit_ids)
    if unit_id is not None:
        below = subtree(unit_children(session), [unit_id])
        units = below if units is None else units & below
    if units is not None:
        query = query.where(User.unit_id.in_(sorted(units) or [-1]))
    return query


def person_in_scope(session: Session, scope: Scope, user_id: int) -> bool:
    """Whether a viewer with ``scope`` may open this person's records (see the module rule)."""
    if scope.everything:
        return session.scalar(select(User.id).where(User.id == user_id)) is not None
    return session.scalar(people_query(session, scope).where(User.id == user_id)) is not None


def people_choices(session: Session, people: Select) -> list[tuple[int, str]]:
    """(id, name) of the people a SELECT of ids yields, by name (for pickers)."""
    return [tuple(r) for r in session.execute(
        select(User.id, User.name).where(User.id.in_(people)).order_by(User.name, User.id))]


def current_pairs(today: date):
    """The SQL condition "this MentorPair is current on the local day ``today``"."""
    return (MentorPair.start_on <= today) & (MentorPair.end_on.is_(None) | (MentorPair.end_on >= today))


def mentee_ids(mentor_id: int, today: date) -> Select:
    """SELECT of the ids of the people ``mentor_id`` is a current mentor of on ``today``."""
    return select(MentorPair.mentee_id).where(MentorPair.mentor_id == mentor_id, current_pairs(today))


def is_current_mentor(session: Session, mentor_id: int, person_id: int, today: date) -> bool:
    """Whether ``mentor_id`` is a current mentor of ``person_id`` (the whole of a mentor's view)."""
    return session.scalar(mentee_ids(mentor_id, today).where(MentorPair.mentee_id == person_id).limit(1)) is not None
