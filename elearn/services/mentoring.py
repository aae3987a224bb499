"""Pendampingan: pairing mentors with mentees, the mentor's board, and mentoring sessions.

Rules
- An admin, or a supervisor for the people in their scope (services.scope), pairs a *mentor* — any
  active, not anonymised account other than the mentee — with one or more mentees, from a start
  date and optionally until an end date (local days, inclusive). A mentee may have several mentors.
  Pairing the same mentor and mentee again while a pair of theirs is current or still to come
  changes nothing (idempotent). Ending a pair makes yesterday its last day.
- A mentor sees their *current* mentees only (services.scope.mentee_ids): progress by the one
  percentage rule (services.progress.percent_done), completions by the one completion rule
  (services.completion.latest_completions), and the sessions they recorded.
- A mentor records a session with a current mentee (a day not in the future and not before the pair
  started, 5–600 minutes, a topic); the mentee confirms it; confirmed sessions are the programme's
  mentoring hours (``mentoring_minutes_by_month``).

Events (services.events, announced after commit): ``mentoring.paired``, ``mentoring.pair_ended``,
``mentoring.session_recorded``, ``mentoring.session_confirmed``. The mentee is notified of a recorded
session (services.notifications kind ``mentoring_session``) to confirm it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from elearn.models import Course, Enrollment, MentoringSession, MentorPair, Unit, User
from elearn.models._types import utcnow
from elearn.services.completion import latest_completions
from elearn.services.events import note
from elearn.services.notifications import day, notify, register
from elearn.services.progress import progress_batch
from elearn.services.scope import Scope, current_pairs, mentee_ids, person_in_scope

PAIRED = "mentoring.paired"
PAIR_ENDED = "mentoring.pair_ended"
SESSION_RECORDED = "mentoring.session_recorded"
SESSION_CONFIRMED = "mentoring.session_confirmed"

register("mentoring_session", _l("Sesi pendampingan yang perlu saya konfirmasi"),
         lambda p: _("Konfirmasi sesi pendampingan: %(topic)s", topic=p["topic"]),
         lambda p: _("%(mentor)s mencatat sesi pendampingan \"%(topic)s\" pada %(day)s (%(minutes)s menit). "
                     "Periksa catatannya lalu konfirmasi.", mentor=p["mentor"], topic=p["topic"], day=day(p["day"]),
                     minutes=p["minutes"]))

MINUTES_RANGE = (5, 600)
TOPIC_MAX = 200
TEXT_MAX = 5000


class MentoringError(Exception):
    """A refused mentoring action; ``code``: unknown_mentor, self_pair, forbidden, no_mentees, bad_dates,
    not_found, bad_minutes, bad_day, no_topic, too_long."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- pairs ---------------------------------------------------------------------------------------

def mentor_choices(session: Session) -> list[tuple[int, str]]:
    """(id, "name (email)") of every account that may mentor: active and not anonymised."""
    return [(uid, f"{name} ({email})") for uid, name, email in session.execute(
        select(User.id, User.name, User.email).where(User.active.is_(True), User.anonymised_at.is_(None))
        .order_by(User.name, User.id))]


def pair_mentor(session: Session, actor, scope: Scope, mentor_id: int, mentee_ids_: list[int], start_on: date,
                end_on: date | None) -> list[MentorPair]:
    """Pair ``mentor_id`` with each of ``mentee_ids_`` (every one must be in the actor's ``scope``).
    Returns the pairs created (an existing current or future pair of the same two people is kept as is)."""
    mentor = session.get(User, mentor_id)
    if mentor is None or not mentor.active or mentor.anonymised_at is not None:
        raise MentoringError("unknown_mentor")
    wanted = sorted(set(mentee_ids_))
    if not wanted:
        raise MentoringError("no_mentees")
    if mentor_id in wanted:
        raise MentoringError("self_pair")
    if end_on is not None and end_on < start_on:
        raise MentoringError("bad_dates")
    if not all(person_in_scope(session, scope, uid) for uid in wanted):
        raise MentoringError("forbidden")
    overlapping = [MentorPair.mentor_id == mentor_id, MentorPair.mentee_id.in_(wanted),
                   or_(MentorPair.end_on.is_(None), MentorPair.end_on >= start_on)]
    if end_on is not None:
        overlapping.append(MentorPair.start_on <= end_on)
    open_ends = set(session.scalars(select(MentorPair.mentee_id).where(*overlapping)))
    created = []
    for uid in wanted:
        if uid in open_ends:
            continue
        pair = MentorPair(mentor_id=mentor_id, mentee_id=uid, start_on=start_on, end_on=end_on,
                          created_by_id=actor.id)
        session.add(pair)
        created.append(pair)
    session.flush()
    if created:
        note(session, PAIRED)
    return created


def end_pair(session: Session, scope: Scope, pair_id: int, today: date) -> MentorPair:
    """End a pair whose mentee is in ``scope``: yesterday becomes its last day (idempotent for ended pairs)."""
    pair = session.get(MentorPair, pair_id)
    if pair is None or not person_in_scope(session, scope, pair.mentee_id):
        raise MentoringError("not_found")
    yesterday = today - timedelta(days=1)
    if pair.end_on is None or pair.end_on > yesterday:
        pair.end_on = yesterday
        session.flush()
        note(session, PAIR_ENDED)
    return pair


@dataclass(frozen=True)
class PairRow:
    id: int
    mentor: str
    mentee: str
    mentee_unit: str | None
    start_on: date
    end_on: date | None
    current: bool


def pairs_in_scope(session: Session, people: Select, today: date) -> list[PairRow]:
    """Every pair whose mentee is among ``people`` (a SELECT of ids), current ones first, then newest."""
    mentor, mentee = aliased(User), aliased(User)
    rows = session.execute(
        select(MentorPair.id, mentor.name, mentee.name, Unit.name, MentorPair.start_on, MentorPair.end_on,
               current_pairs(today))
        .join(mentor, mentor.id == MentorPair.mentor_id).join(mentee, mentee.id == MentorPair.mentee_id)
        .outerjoin(Unit, Unit.id == mentee.unit_id)
        .where(MentorPair.mentee_id.in_(people))
        .order_by(MentorPair.start_on.desc(), MentorPair.id.desc()))
    found = [PairRow(*row[:6], current=bool(row[6])) for row in rows]
    return sorted(found, key=lambda p: not p.current)


@dataclass(frozen=True)
class MentorOfMine:
    name: str
    email: str
    start_on: date
    end_on: date | None


def mentors_of(session: Session, mentee_id: int, today: date) -> list[MentorOfMine]:
    """The mentee's current mentors, by name."""
    return [MentorOfMine(*row) for row in session.execute(
        select(User.name, User.email, MentorPair.start_on, MentorPair.end_on)
        .join(User, User.id == MentorPair.mentor_id)
        .where(MentorPair.mentee_id == mentee_id, current_pairs(today)).order_by(User.name))]


# --- the mentor's board --------------------------------------------------------------------------

@dataclass(frozen=True)
class CourseState:
    slug: str
    title: str
    percent: int
    completed_at: datetime | None


@dataclass
class MenteeState:
    user_id: int
    name: str
    unit: str | None
    courses: list[CourseState] = field(default_factory=list)
    #: courses with a counting completion
    completed: int = 0
    sessions: int = 0
    unconfirmed: int = 0
    last_session_on: date | None = None


def mentee_states(session: Session, people: list[int]) -> dict[int, list[CourseState]]:
    """Each person's courses (enrolled and not left, live): percent by services.progress.percent_done,
    completion by services.completion.latest_completions. Six queries whatever the number of people."""
    states: dict[int, list[CourseState]] = {uid: [] for uid in people}
    if not people:
        return states
    enrolled = session.execute(
        select(Enrollment.user_id, Enrollment.course_id, Course.slug, Course.title)
        .join(Course, Course.id == Enrollment.course_id)
        .where(Enrollment.user_id.in_(people), Enrollment.left_at.is_(None), Course.retired_at.is_(None))
        .order_by(Enrollment.enrolled_at, Enrollment.id)).all()
    course_ids = sorted({row[1] for row in enrolled})
    if not course_ids:
        return states
    batch = progress_batch(session, people, course_ids)
    completions = latest_completions(session, people, course_ids)
    for uid, cid, slug, title in enrolled:
        completed_at = completions.get((uid, cid))
        percent = batch.percent(uid, cid, complete=completed_at is not None)
        states[uid].append(CourseState(slug, title, percent, completed_at))
    return states


def mentor_board(session: Session, mentor_id: int, today: date) -> list[MenteeState]:
    """The mentor's current mentees, by name, with their courses and sessions. Eight queries whatever
    the number of mentees."""
    people = session.execute(
        select(User.id, User.name, Unit.name).outerjoin(Unit, Unit.id == User.unit_id)
        .where(User.id.in_(mentee_ids(mentor_id, today))).order_by(User.name, User.id)).all()
    ids = [p[0] for p in people]
    courses = mentee_states(session, ids)
    board = [MenteeState(uid, name, unit, courses[uid]) for uid, name, unit in people]
    by_id = {m.user_id: m for m in board}
    for state in board:
        state.completed = sum(1 for c in state.courses if c.completed_at is not None)
    if ids:
        for uid, total, unconfirmed, last in session.execute(
                select(MentoringSession.mentee_id, func.count(MentoringSession.id),
                       func.count(MentoringSession.id) - func.count(MentoringSession.confirmed_at),
                       func.max(MentoringSession.held_on))
                .where(MentoringSession.mentor_id == mentor_id, MentoringSession.mentee_id.in_(ids))
                .group_by(MentoringSession.mentee_id)):
            by_id[uid].sessions, by_id[uid].unconfirmed, by_id[uid].last_session_on = total, unconfirmed, last
    return board


# --- sessions ------------------------------------------------------------------------------------

def current_pair(session: Session, mentor_id: int, mentee_id: int, today: date) -> MentorPair | None:
    """The earliest-started current pair of these two people, if any."""
    return session.scalar(select(MentorPair).where(
        MentorPair.mentor_id == mentor_id, MentorPair.mentee_id == mentee_id, current_pairs(today))
        .order_by(MentorPair.start_on, MentorPair.id).limit(1))


def record_session(session: Session, mentor_id: int, mentee_id: int, *, held_on: date, minutes: int, topic: str,
                   notes: str, next_step: str, today: date) -> MentoringSession:
    """A current mentor records a meeting with their mentee; it waits for the mentee's confirmation."""
    pair = current_pair(session, mentor_id, mentee_id, today)
    if pair is None:
        raise MentoringError("forbidden")
    if held_on > today or held_on < pair.start_on:
        raise MentoringError("bad_day")
    if not (isinstance(minutes, int) and MINUTES_RANGE[0] <= minutes <= MINUTES_RANGE[1]):
        raise MentoringError("bad_minutes")
    topic, notes, next_step = (topic or "").strip(), (notes or "").strip(), (next_step or "").strip()
    if not topic:
        raise MentoringError("no_topic")
    if len(topic) > TOPIC_MAX or len(notes) > TEXT_MAX or len(next_step) > TEXT_MAX:
        raise MentoringError("too_long")
    meeting = MentoringSession(pair_id=pair.id, mentor_id=mentor_id, mentee_id=mentee_id, held_on=held_on,
                               minutes=minutes, topic=topic, notes=notes, next_step=next_step)
    session.add(meeting)
    session.flush()
    note(session, SESSION_RECORDED)
    notify(session, mentee_id, "mentoring_session", {"mentor": session.get(User, mentor_id).name, "topic": topic,
                                                     "day": held_on.isoformat(), "minutes": minutes},
           "/mentoring/", dedup_key=f"mentoring_session:{meeting.id}")
    return meeting


def confirm_session(session: Session, mentee_id: int, session_id: int) -> bool:
    """The mentee confirms a session recorded with them. True when this call confirmed it (a second
    confirmation changes nothing); MentoringError("not_found") for anyone else's session."""
    owner = session.scalar(select(MentoringSession.mentee_id).where(MentoringSession.id == session_id))
    if owner is None or owner != mentee_id:
        raise MentoringError("not_found")
    changed = session.execute(update(MentoringSession).where(
        MentoringSession.id == session_id, MentoringSession.confirmed_at.is_(None)).values(confirmed_at=utcnow())).rowcount
    if changed:
        note(session, SESSION_CONFIRMED)
    return bool(changed)


@dataclass(frozen=True)
class SessionRow:
    id: int
    mentor: str
    mentee: str
    held_on: date
    minutes: int
    topic: str
    notes: str
    next_step: str
    confirmed_at: datetime | None


def _session_rows(session: Session, *conditions) -> list[SessionRow]:
    mentor, mentee = aliased(User), aliased(User)
    return [SessionRow(*row) for row in session.execute(
        select(MentoringSession.id, mentor.name, mentee.name, MentoringSession.held_on, MentoringSession.minutes,
               MentoringSession.topic, MentoringSession.notes, MentoringSession.next_step,
               MentoringSession.confirmed_at)
        .join(mentor, mentor.id == MentoringSession.mentor_id).join(mentee, mentee.id == MentoringSession.mentee_id)
        .where(*conditions).order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc()))]


def sessions_of_mentee(session: Session, mentee_id: int) -> list[SessionRow]:
    """Every session recorded with the person, by any mentor, newest first."""
    return _session_rows(session, MentoringSession.mentee_id == mentee_id)


def sessions_between(session: Session, mentor_id: int, mentee_id: int) -> list[SessionRow]:
    """The sessions one mentor recorded with one mentee, newest first."""
    return _session_rows(session, MentoringSession.mentor_id == mentor_id, MentoringSession.mentee_id == mentee_id)


def mentoring_minutes_by_month(session: Session, people: Select, year: int) -> dict[int, tuple[int, int]]:
    """{month: (confirmed sessions, minutes)} of the sessions held in ``year`` with ``people`` (a SELECT of
    mentee ids). The one definition of the programme's mentoring hours: confirmed sessions only,
    counted in the month (local day) they were held."""
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for held_on, minutes in session.execute(select(MentoringSession.held_on, MentoringSession.minutes).where(
            MentoringSession.mentee_id.in_(people), MentoringSession.confirmed_at.is_not(None),
            MentoringSession.held_on >= date(year, 1, 1), MentoringSession.held_on <= date(year, 12, 31))):
        found[held_on.month][0] += 1
        found[held_on.month][1] += minutes
    return {month: (count, minutes) for month, (count, minutes) in found.items()}
