"""Course staff: the owners and editors of a course.

The trainer's "my courses" list is elearn.services.my_courses.

Rules
- Staff rows (``CourseStaff``) are the truth about who authors a course in the studio, sees its results
  and question statistics, answers its module questions and reviews its practice tasks
  (``elearn.access.is_course_staff``: an admin, or a trainer account with a staff row).
- The front matter's ``trainers:`` list is imported once: when a course has no staff row yet (its first
  sync or publish, or the studio creating it), the trainer and admin accounts it names become owners.
  Afterwards sync and publish never change staff; admins and owners manage it in the studio.
- Owners and admins add, re-role and remove staff; editors see the list only. A course keeps at least
  one owner. Adding a learner account makes it a trainer account, which only an admin may do;
  supervisors are refused (an account has one role, and the studio needs the trainer role).
- Every staff change is an audit event (``course_staff.*``). Services flush; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import STAFF_ROLES, Course, CourseStaff, Role, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.users import normalise_email

OWNER, EDITOR = STAFF_ROLES
#: Account roles whose front-matter email is imported as an owner (today's staff rule named trainers).
IMPORTED_ROLES = (Role.TRAINER.value, Role.ADMIN.value)


class StaffError(Exception):
    """A staff change refused. ``code``: bad_role, no_account, supervisor, needs_admin, already_staff,
    not_staff, last_owner."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- who is staff ---------------------------------------------------------------------------------

def staff_role(session: Session, user_id: int, course_id: int) -> str | None:
    """The person's staff role in the course ("owner", "editor"), None when not staff."""
    return session.scalar(select(CourseStaff.role).where(CourseStaff.user_id == user_id,
                                                         CourseStaff.course_id == course_id))


def staffed_course_ids(session: Session, user_id: int) -> list[int]:
    """The courses the person has a staff row in (any role)."""
    return list(session.scalars(select(CourseStaff.course_id).where(CourseStaff.user_id == user_id)))


def import_front_matter_staff(session: Session, course: Course) -> int:
    """The import-once rule: when ``course`` has no staff row, the trainer and admin accounts named in
    its front matter's ``trainers:`` list become owners. Returns how many were added (0 when the course
    already has staff: sync and publish never change it afterwards). Flushes."""
    if course.id is None:
        session.flush()
    if session.scalar(select(CourseStaff.id).where(CourseStaff.course_id == course.id).limit(1)) is not None:
        return 0
    emails = sorted({str(e).strip().lower() for e in (course.settings or {}).get("trainers", []) or []})
    if not emails:
        return 0
    accounts = session.execute(select(User.id, User.email).where(User.email.in_(emails),
                                                                 User.role.in_(IMPORTED_ROLES))).all()
    now = utcnow()
    for user_id, _email in accounts:
        session.add(CourseStaff(course_id=course.id, user_id=user_id, role=OWNER, added_at=now))
    if accounts:
        record_event(session, "course_staff.imported", course=course.slug,
                     owners=sorted(user_id for user_id, _email in accounts))
        session.flush()
    return len(accounts)


def adopt_unstaffed_courses(session: Session, user_id: int) -> list[str]:
    """Make the person owner of every live course that has no staff yet (``flask users demo``: the demo
    trainer of a new site owns the shipped courses, which name no trainer, so the studio has something to
    show). Audited like an import. Returns the slugs adopted. Flushes."""
    staffed = select(CourseStaff.course_id)
    courses = session.execute(select(Course.id, Course.slug).where(Course.retired_at.is_(None),
                                                                   Course.id.not_in(staffed))
                              .order_by(Course.slug)).all()
    now = utcnow()
    for course_id, _slug in courses:
        session.add(CourseStaff(course_id=course_id, user_id=user_id, role=OWNER, added_at=now))
    if courses:
        record_event(session, "course_staff.demo_owner", subject_id=user_id, courses=[slug for _id, slug in courses])
        session.flush()
    return [slug for _id, slug in courses]


# --- the staff page -------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffMember:
    user_id: int
    name: str
    email: str
    role: str
    active: bool
    added_at: datetime


def list_staff(session: Session, course_id: int) -> list[StaffMember]:
    """The course's staff, owners first, then by name; one query."""
    rows = session.execute(
        select(CourseStaff.user_id, User.name, User.email, CourseStaff.role, User.active, CourseStaff.added_at)
        .join(User, User.id == CourseStaff.user_id).where(CourseStaff.course_id == course_id)
        .order_by(CourseStaff.role != OWNER, User.name, User.id))
    return [StaffMember(*row) for row in rows]


def _owner_count(session: Session, course_id: int) -> int:
    return session.scalar(select(func.count()).select_from(CourseStaff).where(
        CourseStaff.course_id == course_id, CourseStaff.role == OWNER)) or 0


def _row(session: Session, course_id: int, user_id: int) -> CourseStaff:
    row = session.scalar(select(CourseStaff).where(CourseStaff.course_id == course_id,
                                                   CourseStaff.user_id == user_id))
    if row is None:
        raise StaffError("not_staff")
    return row


def add_staff(session: Session, course: Course, email: str, role: str, actor: User) -> CourseStaff:
    """Add the active account with ``email`` to the course's staff as ``role``. A learner account
    becomes a trainer account (admins only: ``needs_admin`` for an owner); supervisors are refused.
    The caller checks that ``actor`` may manage the course's staff (elearn.access.may_manage_staff)."""
    if role not in STAFF_ROLES:
        raise StaffError("bad_role")
    person = session.scalar(select(User).where(User.email == normalise_email(email or ""), User.active.is_(True),
                                               User.anonymised_at.is_(None)))
    if person is None:
        raise StaffError("no_account")
    if person.role == Role.SUPERVISOR.value:
        raise StaffError("supervisor")
    if person.role == Role.LEARNER.value and actor.role != Role.ADMIN.value:
        raise StaffError("needs_admin")
    if staff_role(session, person.id, course.id) is not None:
        raise StaffError("already_staff")
    row = CourseStaff(course_id=course.id, user_id=person.id, role=role, added_by_id=actor.id, added_at=utcnow())
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # the same person added a moment ago
        raise StaffError("already_staff") from None
    if person.role == Role.LEARNER.value:
        person.role = Role.TRAINER.value
        record_event(session, "user.updated", actor_id=actor.id, subject_id=person.id,
                     changes={"role": Role.TRAINER.value}, reason="course_staff", course=course.slug)
    record_event(session, "course_staff.added", actor_id=actor.id, subject_id=person.id, course=course.slug,
                 role=role)
    session.flush()
    return row


def change_staff_role(session: Session, course: Course, user_id: int, role: str, actor: User) -> bool:
    """Give a staff member another role; False when it already was. The last owner cannot become an
    editor (``last_owner``). The caller checks that ``actor`` may manage the course's staff."""
    if role not in STAFF_ROLES:
        raise StaffError("bad_role")
    row = _row(session, course.id, user_id)
    if row.role == role:
        return False
    if row.role == OWNER and _owner_count(session, course.id) <= 1:
        raise StaffError("last_owner")
    record_event(session, "course_staff.role_changed", actor_id=actor.id, subject_id=user_id, course=course.slug,
                 old=row.role, role=role)
    row.role = role
    session.flush()
    return True


def remove_staff(session: Session, course: Course, user_id: int, actor: User) -> None:
    """Remove a person from the course's staff; never its last owner (``last_owner``). The caller checks
    that ``actor`` may manage the course's staff."""
    row = _row(session, course.id, user_id)
    if row.role == OWNER and _owner_count(session, course.id) <= 1:
        raise StaffError("last_owner")
    record_event(session, "course_staff.removed", actor_id=actor.id, subject_id=user_id, course=course.slug,
                 role=row.role)
    session.delete(row)
    session.flush()
