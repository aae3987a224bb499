"""Admin operations on accounts and units."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from elearn.models import AuditEvent, Role, Unit, UnitSupervisor, User
from elearn.services.audit import record_event
from elearn.services.users import AccountError, account_problem, email_taken, normalise_email

PAGE_SIZE = 50


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    name: str
    role: str
    active: bool
    unit: str | None
    anonymised: bool = False


def list_users(session: Session, query: str = "", page: int = 1) -> tuple[list[UserRow], int]:
    """A page of users matching ``query`` (name, email or NIP) and the total count."""
    stmt = select(User.id, User.email, User.name, User.role, User.active, Unit.name,
                  User.anonymised_at.is_not(None)).outerjoin(Unit, User.unit_id == Unit.id)
    count = select(func.count()).select_from(User)
    if query.strip():
        like = f"%{query.strip().lower()}%"
        cond = or_(func.lower(User.name).like(like), User.email.like(like), User.nip.like(like))
        stmt, count = stmt.where(cond), count.where(cond)
    rows = session.execute(stmt.order_by(User.name).limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)).all()
    return [UserRow(*r) for r in rows], session.scalar(count)


def update_user(session: Session, user: User, *, actor_id: int, email: str, name: str, role: str,
                nip: str | None, unit_id: int | None, active: bool) -> None:
    """Change an account as an admin; raises AccountError. An admin cannot disable or demote themself;
    an anonymised account cannot be changed (anonymisation is irreversible)."""
    if user.anonymised_at is not None:
        raise AccountError("anonymised")
    email = normalise_email(email)
    problem = account_problem(email, name, role)
    if problem:
        raise AccountError(problem.code, **problem.params)
    if email_taken(session, email, except_id=user.id):
        raise AccountError("email_taken", email=email)
    if user.id == actor_id and (not active or role != user.role):
        raise AccountError("self_change")
    if unit_id is not None and session.get(Unit, unit_id) is None:
        raise AccountError("unknown_unit", unit=unit_id)
    changes = {}
    for attr, value in (("email", email), ("name", name.strip()), ("role", role),
                        ("nip", (nip or "").strip() or None), ("unit_id", unit_id), ("active", active)):
        if getattr(user, attr) != value:
            changes[attr] = value if attr != "email" else "changed"
            setattr(user, attr, value)
    if changes:
        record_event(session, "user.updated", actor_id=actor_id, subject_id=user.id, changes=changes)
    session.flush()


def list_audit_events(session: Session, page: int = 1, action: str = "") -> list[tuple]:
    """Newest first: (event, actor email, subject email)."""
    actor = User.__table__.alias("actor")
    subject = User.__table__.alias("subject")
    stmt = (select(AuditEvent, actor.c.email, subject.c.email)
            .outerjoin(actor, AuditEvent.actor_id == actor.c.id)
            .outerjoin(subject, AuditEvent.subject_id == subject.c.id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    if action:
        stmt = stmt.where(AuditEvent.action.like(f"{action}%"))
    return [tuple(r) for r in session.execute(stmt.limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE))]


def list_units(session: Session) -> list[tuple[Unit, str | None, int]]:
    """Every unit with its parent's name and its number of members."""
    parent = Unit.__table__.alias("parent")
    members = (select(User.unit_id, func.count().label("n")).group_by(User.unit_id).subquery())
    rows = session.execute(
        select(Unit, parent.c.name, func.coalesce(members.c.n, 0))
        .outerjoin(parent, Unit.parent_id == parent.c.id)
        .outerjoin(members, members.c.unit_id == Unit.id)
        .order_by(Unit.name))
    return [tuple(r) for r in rows]


def save_unit(session: Session, unit: Unit | None, *, name: str, parent_id: int | None, actor_id: int) -> Unit:
    """Create or rename/move a unit; raises AccountError for a duplicate name or a cycle."""
    name = name.strip()
    clash = session.scalar(select(Unit.id).where(func.lower(Unit.name) == name.lower()))
    if clash is not None and (unit is None or clash != unit.id):
        raise AccountError("unit_name_taken")
    if parent_id is not None:
        ancestor = session.get(Unit, parent_id)
        if ancestor is None:
            raise AccountError("unknown_parent_unit")
        while ancestor is not None:
            if unit is not None and ancestor.id == unit.id:
                raise AccountError("unit_cycle")
            ancestor = ancestor.parent
    if unit is None:
        unit = Unit(name=name, parent_id=parent_id)
        session.add(unit)
        action = "unit.created"
    else:
        unit.name, unit.parent_id = name, parent_id
        action = "unit.updated"
    session.flush()
    record_event(session, action, actor_id=actor_id, unit_id=unit.id, name=name)
    return unit


def supervisor_choices(session: Session) -> list[tuple[int, str]]:
    return [(uid, f"{name} <{email}>") for uid, name, email in session.execute(
        select(User.id, User.name, User.email).where(User.role == Role.SUPERVISOR.value, User.active.is_(True))
        .order_by(User.name))]


def unit_supervisor_ids(session: Session, unit_id: int) -> list[int]:
    return list(session.scalars(select(UnitSupervisor.user_id).where(UnitSupervisor.unit_id == unit_id)))


def set_unit_supervisors(session: Session, unit: Unit, user_ids: list[int], *, actor_id: int) -> None:
    """Who supervises the unit (and every unit below it); only supervisor accounts qualify."""
    wanted = set(user_ids)
    allowed = set(session.scalars(select(User.id).where(User.id.in_(wanted or [-1]),
                                                        User.role == Role.SUPERVISOR.value)))
    if wanted - allowed:
        raise AccountError("not_supervisor")
    current = set(unit_supervisor_ids(session, unit.id))
    if current == wanted:
        return
    session.execute(delete(UnitSupervisor).where(UnitSupervisor.unit_id == unit.id,
                                                 UnitSupervisor.user_id.in_(current - wanted or {-1})))
    for user_id in sorted(wanted - current):
        session.add(UnitSupervisor(unit_id=unit.id, user_id=user_id))
    session.flush()
    record_event(session, "unit.supervisors", actor_id=actor_id, unit_id=unit.id, supervisors=sorted(wanted))
