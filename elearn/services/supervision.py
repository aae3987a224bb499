"""Assigned training with due dates: who an assignment reaches, its current period, overdue.

Who a supervisor sees is the scope rule (services.scope); dates follow services.dates (due dates
are whole local days in TIME_ZONE); "completed" is services.completion's latest counting completion.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from elearn.models import Assignment, AssignmentMember, Course, Unit, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.completion import latest_completions
from elearn.services.dates import add_months, due_instant
from elearn.services.scope import Scope, person_in_scope, subtree, unit_children


class ScopeError(Exception):
    """``code``: forbidden, unknown_unit, unknown_user, unknown_course, bad_due, bad_recurrence, no_target."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def obligation(assignment: Assignment, done_at: datetime | None, now: datetime,
               time_zone: str) -> tuple[date, datetime | None, bool]:
    """(due date, completion that satisfies it or None, overdue?) for one person.

    One-off: any completion satisfies it. Recurring every N months: period k is due on
    ``due_on + k·N`` and its window opens when period k−1 was due; a completion satisfies the
    periods whose window had opened by then. The person then owes the first period not
    satisfied; until its due date passes they are not overdue. Without a completion they owe the
    first period.
    """
    if not assignment.recurrence_months:
        overdue = done_at is None and now >= due_instant(assignment.due_on, time_zone)
        return assignment.due_on, done_at, overdue
    months = assignment.recurrence_months

    def due(k: int) -> date:
        return add_months(assignment.due_on, k * months)

    def opens(k: int) -> datetime:
        return due_instant(due(k - 1), time_zone)

    covered = None
    if done_at is not None and done_at >= opens(0):
        covered = 0
        while covered < 1200 and opens(covered + 1) <= done_at:
            covered += 1
    if covered is not None and now < due_instant(due(covered), time_zone):
        return due(covered), done_at, False
    owed = 0 if covered is None else covered + 1
    return due(owed), None, now >= due_instant(due(owed), time_zone)


# --- assignments ---------------------------------------------------------------------------------

def create_assignment(session: Session, actor, scope: Scope, *, course_id: int, due_on: date,
                      unit_id: int | None = None, user_ids: list[int] | tuple = (),
                      recurrence_months: int | None = None, note: str = "", today: date | None = None) -> Assignment:
    course = session.get(Course, course_id)
    if course is None or course.retired_at is not None:
        raise ScopeError("unknown_course")
    if unit_id is None and not user_ids:
        raise ScopeError("no_target")
    if unit_id is not None:
        if session.get(Unit, unit_id) is None:
            raise ScopeError("unknown_unit")
        if not scope.allows_unit(unit_id):
            raise ScopeError("forbidden")
    for user_id in user_ids:
        if not person_in_scope(session, scope, user_id):
            raise ScopeError("forbidden")
    if today is not None and due_on < today:
        raise ScopeError("bad_due")
    if recurrence_months is not None and not 1 <= recurrence_months <= 60:
        raise ScopeError("bad_recurrence")
    assignment = Assignment(course_id=course_id, unit_id=unit_id, due_on=due_on,
                            recurrence_months=recurrence_months or None, note=note.strip()[:500],
                            created_by_id=actor.id)
    session.add(assignment)
    session.flush()
    for user_id in sorted(set(user_ids)):
        session.add(AssignmentMember(assignment_id=assignment.id, user_id=user_id))
    record_event(session, "assignment.created", actor_id=actor.id, assignment=assignment.id, course=course.slug,
                 unit=unit_id, people=len(set(user_ids)), due=due_on.isoformat())
    session.flush()
    return assignment


def visible_assignments(session: Session, scope: Scope) -> list[tuple[Assignment, str, str | None]]:
    """Open assignments a viewer may see and manage: (assignment, course title, unit name)."""
    query = (select(Assignment, Course.title, Unit.name)
             .join(Course, Course.id == Assignment.course_id)
             .outerjoin(Unit, Unit.id == Assignment.unit_id)
             .where(Assignment.cancelled_at.is_(None))
             .order_by(Assignment.due_on, Assignment.id))
    rows = session.execute(query).all()
    if scope.everything:
        return [tuple(r) for r in rows]
    mine = []
    members = _members(session, [r[0].id for r in rows if r[0].unit_id is None])
    everyone = {uid for uids in members.values() for uid in uids}
    units = dict(session.execute(select(User.id, User.unit_id).where(User.id.in_(everyone))).all()) if everyone else {}
    for assignment, title, unit_name in rows:
        if assignment.unit_id is not None:
            if assignment.unit_id in scope.unit_ids:
                mine.append((assignment, title, unit_name))
        elif members.get(assignment.id) and all(units.get(uid) in scope.unit_ids for uid in members[assignment.id]):
            mine.append((assignment, title, unit_name))
    return mine


def _members(session: Session, assignment_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    if assignment_ids:
        for aid, uid in session.execute(select(AssignmentMember.assignment_id, AssignmentMember.user_id)
                                        .where(AssignmentMember.assignment_id.in_(assignment_ids))):
            found.setdefault(aid, []).append(uid)
    return found


def cancel_assignment(session: Session, actor, scope: Scope, assignment_id: int) -> None:
    visible = {a.id for a, _t, _u in visible_assignments(session, scope)}
    if assignment_id not in visible:
        raise ScopeError("forbidden")
    session.execute(update(Assignment).where(Assignment.id == assignment_id).values(cancelled_at=utcnow()))
    record_event(session, "assignment.cancelled", actor_id=actor.id, assignment=assignment_id)


@dataclass
class Due:
    """One assigned course for one person, in the current period."""

    assignment_id: int
    course_id: int
    course_slug: str
    course_title: str
    due: date
    recurring: bool
    completed_at: datetime | None
    overdue: bool
    note: str = ""


@dataclass
class AssignmentIndex:
    """Assignments resolved for a set of people: {(user_id, course_id): Due} (the most urgent)."""

    by_person_course: dict[tuple[int, int], Due] = field(default_factory=dict)


def resolve_assignments(session: Session, user_units: dict[int, int | None], now: datetime, time_zone: str,
                        course_ids: list[int] | None = None) -> AssignmentIndex:
    """Which assignment applies to each (person, course), its current period and whether it is done.

    Three queries whatever the number of people: assignments (+ explicit members), units, and the
    latest completion per (person, course) from enrollments and certificates.
    """
    index = AssignmentIndex()
    if not user_units:
        return index
    query = (select(Assignment, Course.slug, Course.title).join(Course, Course.id == Assignment.course_id)
             .where(Assignment.cancelled_at.is_(None), Course.retired_at.is_(None)))
    if course_ids is not None:
        query = query.where(Assignment.course_id.in_(course_ids or [-1]))
    assignments = session.execute(query).all()
    if not assignments:
        return index
    members = _members(session, [a.id for a, _s, _t in assignments])
    children = unit_children(session)
    wanted: dict[tuple[int, int], list[tuple[Assignment, str, str]]] = {}
    for assignment, slug, title in assignments:
        targets: set[int] = set()
        if assignment.unit_id is not None:
            units = subtree(children, [assignment.unit_id])
            targets |= {uid for uid, unit in user_units.items() if unit in units}
        targets |= {uid for uid in members.get(assignment.id, []) if uid in user_units}
        for uid in targets:
            wanted.setdefault((uid, assignment.course_id), []).append((assignment, slug, title))
    completions = latest_completions(session, list({u for u, _c in wanted}), list({c for _u, c in wanted}))
    for (uid, course_id), options in wanted.items():
        done_at = completions.get((uid, course_id))
        best = None
        for assignment, slug, title in options:
            due_on, completed, overdue = obligation(assignment, done_at, now, time_zone)
            due = Due(assignment.id, course_id, slug, title, due_on, bool(assignment.recurrence_months),
                      completed, overdue, assignment.note)
            # the most urgent applies: an open one before a satisfied one, then the earliest due date
            if best is None or (best.completed_at is not None and completed is None) or (
                    (best.completed_at is None) == (completed is None) and due_on < best.due):
                best = due
        index.by_person_course[(uid, course_id)] = best
    return index


def due_state(due: Due, today: date, soon_days: int) -> str:
    """How urgent one assigned course is, as the pages tag it: ``completed`` (this period),
    ``overdue``, ``due_soon`` (due within ``soon_days`` local days), else ``due``."""
    if due.completed_at is not None:
        return "completed"
    if due.overdue:
        return "overdue"
    return "due_soon" if (due.due - today).days <= soon_days else "due"


def assignments_for(session: Session, user_id: int, unit_id: int | None, now: datetime, time_zone: str) -> list[Due]:
    """A learner's assigned courses (current period), overdue first, then by due date; ``unit_id`` is the
    person's unit (the caller has it: the signed-in user)."""
    index = resolve_assignments(session, {user_id: unit_id}, now, time_zone)
    dues = list(index.by_person_course.values())
    dues.sort(key=lambda d: (d.completed_at is not None, not d.overdue, d.due))
    return dues


def assignment_reach(session: Session, assignment: Assignment) -> Select:
    """SELECT of the ids of everyone an assignment reaches now."""
    conditions = [User.id.in_(select(AssignmentMember.user_id)
                              .where(AssignmentMember.assignment_id == assignment.id))]
    if assignment.unit_id is not None:
        units = subtree(unit_children(session), [assignment.unit_id])
        conditions.append(User.unit_id.in_(sorted(units)))
    return select(User.id).where(User.active.is_(True), or_(*conditions))
