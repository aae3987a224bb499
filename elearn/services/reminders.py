"""Reminders: what ``flask notify run`` finds due and tells people (through services.notifications).

Every rule reuses the rule the pages use: who an assignment reaches, its current period, its due date
and whether it is done come from services.supervision.resolve_assignments (which asks
services.completion); days are local calendar days in TIME_ZONE (services.dates); a supervisor's people
are their scope (services.scope).

Learners (active accounts with a unit or an assignment):
- ``assignment_new``: an open assigned course, once per (assignment, due date);
- ``assignment_due_soon``: 7 days before the due date (when 2–7 days are left) and 1 day before (0–1
  days left), once each per (assignment, due date);
- ``assignment_overdue``: the first day it is overdue, then once every 7 days until it is done
  (the key carries the number of weeks since the due date);
- ``certificate_expiring``: the person's latest certificate of a course, still standing, expires in
  31–60 days (the 60-day notice) or 0–30 days (the 30-day notice); ``certificate_expired`` once it has
  expired, unless a renewal already gave a newer certificate of that course.
Supervisors: ``supervisor_digest`` once per ISO week, from their digest day (NOTIFY_DIGEST_WEEKDAY,
0 = Monday) on, when someone in their scope is overdue or a certificate expires within 60 days; it links
to the completion matrix filtered to exactly those people (``?people=…``, still within the scope).

A period's notice that was missed (the job did not run that day) is sent on the next run while it still
applies; nothing is sent twice (dedup keys, see services.notifications).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.models import Certificate, Course, Role, UnitSupervisor, User
from elearn.services.dates import local_date, local_today
from elearn.services.notifications import KINDS, Pending, email_choices, existing_keys, mail_enabled, notify_many
from elearn.services.scope import people_query, scope_for
from elearn.services.supervision import AssignmentIndex, resolve_assignments

LEARNER_KINDS = ["assignment_new", "assignment_due_soon", "assignment_overdue", "certificate_expiring",
                 "certificate_expired"]
EXPIRY_NOTICES = (60, 30)
#: up to how many people a digest's matrix link names (beyond, it links to the whole matrix)
MATRIX_LINK_PEOPLE = 300


@dataclass
class RunReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


@dataclass(frozen=True)
class Notice:
    user_id: int
    kind: str
    key: str
    params: dict
    #: (endpoint, ((name, value), …)): built with url_for only for the notices actually created
    link: tuple


@dataclass
class World:
    """What every rule of one run looks at, loaded once: the people who get reminders, their assignments
    (services.supervision) and the latest standing certificate of each (person, course)."""

    people: dict[int, int | None]
    assignments: AssignmentIndex
    certificates: list[tuple]


def load_world(session: Session, now: datetime, time_zone: str) -> World:
    people = dict(session.execute(select(User.id, User.unit_id).where(User.active.is_(True),
                                                                        User.anonymised_at.is_(None))).all())
    return World(people, resolve_assignments(session, people, now, time_zone), _latest_certificates(session))


def learner_notices(world: World, now: datetime, time_zone: str) -> list[Notice]:
    """Every learner notice that applies now (created or not)."""
    today = local_today(now, time_zone)
    index = world.assignments
    notices: list[Notice] = []
    for (user_id, _course_id), due in index.by_person_course.items():
        if due.completed_at is not None:
            continue
        subject = f"{due.assignment_id}:{due.due.isoformat()}"
        params = {"course": due.course_title, "due": due.due.isoformat()}
        link = ("learn.course", (("slug", due.course_slug),))
        days_left = (due.due - today).days
        if not due.overdue:
            notices.append(Notice(user_id, "assignment_new", f"assignment:{subject}", params, link))
            if 0 <= days_left <= 7:
                notice_day = 1 if days_left <= 1 else 7
                notices.append(Notice(user_id, "assignment_due_soon", f"due{notice_day}:{subject}",
                                      params | {"days": max(days_left, 1)}, link))
        else:
            weeks = (today - due.due).days // 7
            notices.append(Notice(user_id, "assignment_overdue", f"overdue:{subject}:{weeks}", params, link))
    notices.extend(_certificate_notices(world, now, time_zone))
    return notices


def _latest_certificates(session: Session):
    """The latest certificate of each (person, course) that has one, still standing (not revoked,
    not withdrawn): one query."""
    latest = (select(Certificate.user_id, Certificate.course_id, func.max(Certificate.id).label("id"))
              .where(Certificate.revoked_at.is_(None), Certificate.withdrawn_at.is_(None))
              .group_by(Certificate.user_id, Certificate.course_id).subquery())
    return session.execute(select(Certificate.id, Certificate.user_id, Certificate.course_title,
                                  Certificate.expires_at).join(latest, latest.c.id == Certificate.id)
                           .where(Certificate.expires_at.is_not(None))).all()


def _certificate_notices(world: World, now: datetime, time_zone: str) -> list[Notice]:
    today = local_today(now, time_zone)
    notices = []
    for cert_id, user_id, title, expires_at in world.certificates:
        if user_id not in world.people:
            continue
        until = local_date(expires_at, time_zone)
        days_left = (until - today).days
        params = {"course": title, "until": until.isoformat()}
        link = ("certificates.show", (("certificate_id", cert_id),))
        if expires_at <= now:
            notices.append(Notice(user_id, "certificate_expired", f"certificate:{cert_id}", params, link))
        elif days_left <= EXPIRY_NOTICES[0]:
            notice_day = EXPIRY_NOTICES[1] if days_left <= EXPIRY_NOTICES[1] else EXPIRY_NOTICES[0]
            notices.append(Notice(user_id, "certificate_expiring", f"certificate:{cert_id}:{notice_day}",
                                  params | {"days": max(days_left, 0)}, link))
    return notices


def supervisor_notices(session: Session, world: World, now: datetime, time_zone: str,
                       digest_weekday: int) -> list[Notice]:
    """This week's digest for every supervisor with something to report (from their digest day on): a few
    queries per supervisor (their scope), none per person."""
    today = local_today(now, time_zone)
    if today.weekday() < digest_weekday:
        return []
    year, week, _weekday = today.isocalendar()
    supervisors = session.scalars(select(User).where(User.role == Role.SUPERVISOR.value, User.active.is_(True),
                                                     User.id.in_(select(UnitSupervisor.user_id)))).all()
    notices = []
    expiry_limit = now + timedelta(days=EXPIRY_NOTICES[0])
    expiring_by_person: dict[int, int] = {}
    for _id, user_id, _title, expires_at in world.certificates:
        if now < expires_at <= expiry_limit:
            expiring_by_person[user_id] = expiring_by_person.get(user_id, 0) + 1
    for supervisor in supervisors:
        scope = scope_for(session, supervisor)
        people = set(session.scalars(people_query(session, scope))) & set(world.people)
        if not people:
            continue
        per_course: dict[str, int] = {}
        concerned: set[int] = set()
        for (user_id, _course_id), due in world.assignments.by_person_course.items():
            if due.overdue and user_id in people:
                per_course[due.course_title] = per_course.get(due.course_title, 0) + 1
                concerned.add(user_id)
        expiring = 0
        for user_id in people:
            if expiring_by_person.get(user_id):
                expiring += expiring_by_person[user_id]
                concerned.add(user_id)
        if not per_course and not expiring:
            continue
        params = {"overdue": sum(per_course.values()), "expiring": expiring,
                  "courses": sorted(([c, n] for c, n in per_course.items()), key=lambda cn: (-cn[1], cn[0]))}
        # the matrix filtered to exactly these people (a link stays short enough up to MATRIX_LINK_PEOPLE)
        link = (("reports.matrix", (("people", ",".join(map(str, sorted(concerned)))),))
                if len(concerned) <= MATRIX_LINK_PEOPLE else ("reports.matrix", ()))
        notices.append(Notice(supervisor.id, "supervisor_digest", f"week:{year}-W{week:02d}", params, link))
    return notices


def run_reminders(session: Session, now: datetime, time_zone: str, *, digest_weekday: int = 0) -> RunReport:
    """Create every notice that is due and not yet created. Idempotent; safe to run from several hosts
    at once (the unique key decides). Needs a request context for the links (url_for)."""
    report = RunReport()
    world = load_world(session, now, time_zone)
    notices = learner_notices(world, now, time_zone) + supervisor_notices(session, world, now, time_zone,
                                                                            digest_weekday)
    kinds = sorted({n.kind for n in notices})
    if not kinds:
        return report
    done = existing_keys(session, kinds)
    fresh = [n for n in notices if (n.user_id, n.kind, n.key) not in done]
    choices = {kind: email_choices(session, None, kind) for kind in kinds} if mail_enabled() else {}
    links: dict[tuple, str] = {}

    def link(target: tuple) -> str:
        if target not in links:
            links[target] = url_for(target[0], **dict(target[1]))
        return links[target]

    pending = [Pending(n.user_id, n.kind, n.params, link(n.link), n.key,
                       bool(choices) and choices[n.kind].get(n.user_id, KINDS[n.kind].email_default)) for n in fresh]
    for created in notify_many(session, pending, now):
        report.add(created.kind)
    session.flush()
    return report
