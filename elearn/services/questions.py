"""Questions per module (the "Tanya" section of a module page).

Rules
- An enrolled learner (not left) asks about a live module of a live course that is not locked for them
  (the lock rule of services.progress): Markdown without raw HTML, through the one sanitizer
  (elearn.content.render.render_user_markdown), at most TEXT_MAX characters.
- Who answers (elearn.access.can_answer_question): an admin, the course staff, or a current mentor
  of the asker — never the asker.
- Following: the asker follows their question from the start; anyone who may read it may follow or
  unfollow it. Of each new answer, and of an accepted answer, every follower who may still read the
  question is told — never the author of that answer, nor the person who accepted it: the asker by kind
  ``question_answered``, the other followers by kind ``question_followed``.
- The asker or the course staff accept an answer; at most one answer of a question is accepted (accepting another one
  moves the mark).
- The course staff or an admin hides a question or an answer with a reason (audited: audit event
  ``question.hidden`` / ``answer.hidden``). A hidden post is shown to nobody, answers of a hidden question
  included, and counts nowhere (lists, waiting lists, programme figures).
- A person posts (questions and answers together) at most ``per_hour`` times an hour (setting
  QUESTION_POSTS_PER_HOUR); more is refused with ``too_many`` (spam). An account younger than
  ``link_min_age`` (setting QUESTION_LINKS_MIN_ACCOUNT_HOURS; zero for course staff) may not post links
  (``no_links``).
- The author edits their own post within ``edit_minutes`` (setting QUESTION_EDIT_MINUTES) of posting it,
  under the same checks (``edited_at`` is shown as "diedit"); later ``too_late``, anyone else ``not_author``.
- Who reads (elearn.access.can_read_questions): whoever may open the module page (an enrolled learner,
  or a previewing role), and the asker's mentors for their mentees' questions.

Events: ``question.asked``, ``question.answered``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from elearn.content.render import render_user_markdown
from elearn.models import (Course, Enrollment, MentorPair, Module, ModuleAnswer, ModuleQuestion, PostReport,
                           QuestionFollow, User)
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.dates import local_date
from elearn.services.events import note
from elearn.services.notifications import KINDS, Pending, email_choices, mail_enabled, notify_many, register
from elearn.services.pagination import Page, paginate
from elearn.services.progress import get_course_progress
from elearn.services.scope import current_pairs

register("question_answered", _l("Jawaban atas pertanyaan saya"),
         lambda p: _("Pertanyaan Anda dijawab: %(module)s", module=p["module"]),
         lambda p: _("%(name)s menjawab pertanyaan Anda pada modul \"%(module)s\" (%(course)s).",
                     name=p["name"], module=p["module"], course=p["course"]), audience="learner")
register("question_followed", _l("Jawaban atas pertanyaan yang saya ikuti"),
         lambda p: (_("Jawaban diterima: %(module)s", module=p["module"]) if p.get("accepted")
                    else _("Jawaban baru: %(module)s", module=p["module"])),
         lambda p: (_("Sebuah jawaban diterima pada pertanyaan yang Anda ikuti di modul \"%(module)s\" (%(course)s).",
                      module=p["module"], course=p["course"]) if p.get("accepted")
                    else _("%(name)s menjawab pertanyaan yang Anda ikuti di modul \"%(module)s\" (%(course)s).",
                           name=p["name"], module=p["module"], course=p["course"])))

ASKED = "question.asked"
ANSWERED = "question.answered"
TEXT_MAX = 5000
REASON_MAX = 300
PAGE_SIZE = 10


@dataclass(frozen=True)
class PostLimits:
    """The spam and editing limits of one poster (from the settings; ``link_min_age`` zero for staff)."""
    per_hour: int = 20
    link_min_age: timedelta = timedelta(hours=24)
    edit_minutes: int = 15


@dataclass(frozen=True)
class Readers:
    """Who may read a course's questions besides its enrolled learners, as plain values from
    elearn.access: roles that preview every course, and the day mentor pairs are current on."""
    preview_roles: tuple[str, ...]
    today: date


class QuestionError(Exception):
    """A refused action; ``code``: not_enrolled, locked, empty, too_long, too_many, no_links, not_asker,
    not_author, too_late, not_found, reason_required."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise QuestionError("empty")
    if len(text) > TEXT_MAX:
        raise QuestionError("too_long")
    return text


#: what makes a post carry a link: an address typed out, or a Markdown/auto link in the rendering
_TYPED_LINK = re.compile(r"(https?://|ftp://|www\.)\S", re.IGNORECASE)


def _check_links(session: Session, text: str, html: str, author_id: int, link_min_age: timedelta,
                 now: datetime) -> None:
    """Refuse a post with a link by an account younger than ``link_min_age`` (the age is read only then)."""
    if not link_min_age or not (_TYPED_LINK.search(text) or "<a " in html):
        return
    since = session.scalar(select(User.created_at).where(User.id == author_id))
    if since is None or now - since < link_min_age:
        raise QuestionError("no_links")


def _check_rate(session: Session, user_id: int, per_hour: int) -> None:
    since = utcnow() - timedelta(hours=1)
    posted = (session.scalar(select(func.count(ModuleQuestion.id)).where(ModuleQuestion.user_id == user_id,
                                                                         ModuleQuestion.asked_at >= since))
              + session.scalar(select(func.count(ModuleAnswer.id)).where(ModuleAnswer.user_id == user_id,
                                                                         ModuleAnswer.answered_at >= since)))
    if posted >= per_hour:
        raise QuestionError("too_many")


@dataclass(frozen=True)
class QuestionRow:
    """A question as listed on the module page."""
    id: int
    asker: str
    html: str
    asked_at: datetime
    answers: int
    accepted: bool
    edited: bool = False


_visible_answer = (ModuleAnswer.question_id == ModuleQuestion.id) & ModuleAnswer.hidden_at.is_(None)


def _module_listing() -> Select:
    answers = select(func.count(ModuleAnswer.id)).where(_visible_answer).correlate(ModuleQuestion).scalar_subquery()
    accepted = exists().where(_visible_answer, ModuleAnswer.accepted_at.is_not(None))
    return (select(ModuleQuestion.id, User.name, ModuleQuestion.html, ModuleQuestion.asked_at, answers, accepted,
                   ModuleQuestion.edited_at.is_not(None))
            .join(User, User.id == ModuleQuestion.user_id)
            .where(ModuleQuestion.module_id == bindparam("module_id"), ModuleQuestion.hidden_at.is_(None))
            .order_by(ModuleQuestion.asked_at.desc(), ModuleQuestion.id.desc()))


#: Built once: every module page reads its questions with it (building it cost more than running it).
_MODULE_LISTING = _module_listing()


def questions_of_module(session: Session, module_id: int, page: int) -> Page:
    """One page of the module's visible questions, newest first, with their answer count (one query,
    whatever the number of questions)."""
    found = paginate(session, _MODULE_LISTING, page, PAGE_SIZE, total_by_index=True, params={"module_id": module_id})
    # a tuple of frozen rows: hashable, so the module page keys its cached question cards by what they show
    return Page(tuple(QuestionRow(*row) for row in found.items), found.page, found.pages, found.total, found.page_size)


def ask_question(session: Session, author_id: int, course_id: int, module_id: int, text: str,
                 limits: PostLimits = PostLimits()) -> ModuleQuestion:
    """Ask on a module the author is enrolled in and that is open to them; the author follows it."""
    enrollment = session.scalar(select(Enrollment).where(
        Enrollment.user_id == author_id, Enrollment.course_id == course_id, Enrollment.left_at.is_(None)))
    if enrollment is None:
        raise QuestionError("not_enrolled")
    state = next((m for m in get_course_progress(session, author_id, course_id, enrollment).modules
                  if m.id == module_id), None)
    if state is None or state.locked:
        raise QuestionError("locked")
    text = _clean(text)
    now = utcnow()
    html = render_user_markdown(text)
    _check_links(session, text, html, author_id, limits.link_min_age, now)
    _check_rate(session, author_id, limits.per_hour)
    question = ModuleQuestion(module_id=module_id, user_id=author_id, text=text, html=html, asked_at=now)
    session.add(question)
    session.flush()
    session.add(QuestionFollow(question_id=question.id, user_id=author_id, followed_at=now))
    session.flush()
    note(session, ASKED)
    return question


@dataclass(frozen=True)
class Thread:
    """A visible question with its course and module, and its visible answers (oldest first)."""
    question: ModuleQuestion
    asker: str
    course: Course
    module_slug: str
    module_title: str
    answers: list  # [(ModuleAnswer, author name)]


def get_thread(session: Session, question_id: int) -> Thread | None:
    """A visible question of a live module of a live course, or None."""
    row = session.execute(
        select(ModuleQuestion, User.name, Course, Module.slug, Module.title)
        .join(User, User.id == ModuleQuestion.user_id).join(Module, Module.id == ModuleQuestion.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(ModuleQuestion.id == question_id, ModuleQuestion.hidden_at.is_(None), Module.retired_at.is_(None),
               Course.retired_at.is_(None))).first()
    if row is None:
        return None
    answers = [(a, name) for a, name in session.execute(
        select(ModuleAnswer, User.name).join(User, User.id == ModuleAnswer.user_id)
        .where(ModuleAnswer.question_id == question_id, ModuleAnswer.hidden_at.is_(None))
        .order_by(ModuleAnswer.answered_at, ModuleAnswer.id))]
    return Thread(row[0], row[1], row[2], row[3], row[4], answers)


def answer_question(session: Session, author, thread: Thread, text: str, readers: Readers,
                    limits: PostLimits = PostLimits()) -> ModuleAnswer:
    """Answer as ``author`` (with ``id`` and ``name``: the signed-in person); the caller checks that they
    may (elearn.access.can_answer_question). The followers are told."""
    text = _clean(text)
    now = utcnow()
    html = render_user_markdown(text)
    _check_links(session, text, html, author.id, limits.link_min_age, now)
    _check_rate(session, author.id, limits.per_hour)
    answer = ModuleAnswer(question_id=thread.question.id, user_id=author.id, text=text, html=html, answered_at=now)
    session.add(answer)
    session.flush()
    note(session, ANSWERED)
    _tell_followers(session, thread, readers, {"name": author.name}, f"question_answer:{answer.id}",
                    skip={author.id})
    return answer


def accept_answer(session: Session, user_id: int, thread: Thread, answer_id: int, readers: Readers, *,
                  as_staff: bool = False) -> None:
    """The asker, or the course staff (``as_staff``: the caller checked elearn.access.is_course_staff),
    marks one visible answer as accepted (the mark moves from any other one); the followers are told once
    per answer."""
    if user_id != thread.question.user_id and not as_staff:
        raise QuestionError("not_asker")
    author = next((a.user_id for a, _name in thread.answers if a.id == answer_id), None)
    if author is None:
        raise QuestionError("not_found")
    now = utcnow()
    session.execute(update(ModuleAnswer).where(ModuleAnswer.question_id == thread.question.id,
                                               ModuleAnswer.id != answer_id).values(accepted_at=None))
    session.execute(update(ModuleAnswer).where(ModuleAnswer.id == answer_id, ModuleAnswer.accepted_at.is_(None))
                    .values(accepted_at=now))
    _tell_followers(session, thread, readers, {"accepted": True}, f"question_accepted:{answer_id}",
                    skip={author, user_id})


def readers_among(session: Session, course_id: int, asker_id: int | None, user_ids, readers: Readers) -> set[int]:
    """Which of ``user_ids`` may read a question of ``asker_id`` (None: the module's questions in general)
    in the course (one query): a previewing role, a learner enrolled in the course (not left), or a
    current mentor of the asker."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    enrolled = select(Enrollment.user_id).where(Enrollment.course_id == course_id, Enrollment.left_at.is_(None))
    may = User.role.in_(readers.preview_roles) | User.id.in_(enrolled)
    if asker_id is not None:
        may = may | User.id.in_(select(MentorPair.mentor_id).where(MentorPair.mentee_id == asker_id,
                                                                     current_pairs(readers.today)))
    return set(session.scalars(select(User.id).where(User.id.in_(ids), may)))


def _tell_followers(session: Session, thread: Thread, readers: Readers, params: dict, key: str,
                    skip: set[int]) -> None:
    """Notify the question's followers who may still read it, except ``skip`` (a fixed number of queries)."""
    followers = set(session.scalars(select(QuestionFollow.user_id).where(
        QuestionFollow.question_id == thread.question.id))) - skip
    followers = readers_among(session, thread.course.id, thread.question.user_id, followers, readers)
    if not followers:
        return
    params = {"module": thread.module_title, "course": thread.course.title, **params}
    link = f"/questions/{thread.question.id}"
    asker = thread.question.user_id
    by_kind = {kind: sorted(ids) for kind, ids in
               (("question_answered", followers & {asker}), ("question_followed", followers - {asker}))
               if ids and (kind == "question_followed" or not params.get("accepted"))}
    notices = []
    for kind, ids in by_kind.items():
        chosen = email_choices(session, ids, kind) if mail_enabled() else {}
        notices += [Pending(uid, kind, params, link, key, chosen.get(uid, KINDS[kind].email_default))
                    for uid in ids]
    notify_many(session, notices)


def follow_question(session: Session, user_id: int, thread: Thread, follow: bool) -> None:
    """Follow or unfollow (idempotent); the caller checks that the person may read the question."""
    if not follow:
        session.execute(delete(QuestionFollow).where(QuestionFollow.question_id == thread.question.id,
                                                     QuestionFollow.user_id == user_id))
        return
    try:
        with session.begin_nested():
            session.add(QuestionFollow(question_id=thread.question.id, user_id=user_id, followed_at=utcnow()))
    except IntegrityError:  # already following
        pass


def is_following(session: Session, user_id: int, question_id: int) -> bool:
    return session.scalar(select(QuestionFollow.id).where(QuestionFollow.question_id == question_id,
                                                          QuestionFollow.user_id == user_id)) is not None


def edit_window_open(posted_at: datetime, minutes: int, now: datetime | None = None) -> bool:
    """Whether a post made at ``posted_at`` may still be edited by its author."""
    return (now or utcnow()) < posted_at + timedelta(minutes=minutes)


def edit_post(session: Session, author_id: int, thread: Thread, text: str, limits: PostLimits,
              answer_id: int | None = None) -> None:
    """The author replaces the text of their question (``answer_id`` None) or answer, within the window."""
    if answer_id is None:
        post, posted_at = thread.question, thread.question.asked_at
    else:
        post = next((a for a, _name in thread.answers if a.id == answer_id), None)
        if post is None:
            raise QuestionError("not_found")
        posted_at = post.answered_at
    if post.user_id != author_id:
        raise QuestionError("not_author")
    now = utcnow()
    if not edit_window_open(posted_at, limits.edit_minutes, now):
        raise QuestionError("too_late")
    text = _clean(text)
    html = render_user_markdown(text)
    _check_links(session, text, html, author_id, limits.link_min_age, now)
    post.text, post.html, post.edited_at = text, html, now
    session.flush()


def hide_post(session: Session, actor_id: int, thread: Thread, reason: str, answer_id: int | None = None) -> None:
    """Hide the question (``answer_id`` None) or one of its answers, with a reason; audited. Open reports
    of the post are settled as "hidden". The caller checks that the actor may (elearn.access.is_course_staff)."""
    reason = (reason or "").strip()
    if not reason:
        raise QuestionError("reason_required")
    if len(reason) > REASON_MAX:
        raise QuestionError("too_long")
    now = utcnow()
    values = dict(hidden_at=now, hidden_by_id=actor_id, hidden_reason=reason)
    handled = dict(resolved_at=now, resolved_by_id=actor_id, outcome="hidden")
    open_reports = update(PostReport).where(PostReport.question_id == thread.question.id,
                                            PostReport.resolved_at.is_(None))
    if answer_id is None:
        session.execute(update(ModuleQuestion).where(ModuleQuestion.id == thread.question.id).values(**values))
        session.execute(open_reports.values(**handled))
        record_event(session, "question.hidden", actor_id=actor_id, subject_id=thread.question.user_id,
                     question_id=thread.question.id, reason=reason)
        return
    author = next((a.user_id for a, _name in thread.answers if a.id == answer_id), None)
    if author is None:
        raise QuestionError("not_found")
    session.execute(update(ModuleAnswer).where(ModuleAnswer.id == answer_id).values(**values))
    session.execute(open_reports.where(PostReport.answer_id == answer_id).values(**handled))
    record_event(session, "answer.hidden", actor_id=actor_id, subject_id=author, question_id=thread.question.id,
                 answer_id=answer_id, reason=reason)


@dataclass(frozen=True)
class WaitingQuestion:
    """A visible question without a visible answer."""
    question_id: int
    asker_id: int
    asker: str
    course_title: str
    module_title: str
    asked_at: datetime


def waiting_questions(session: Session, askers, course_ids, limit: int = 200) -> list[WaitingQuestion]:
    """Unanswered visible questions, oldest first, of ``askers`` (a SELECT or list of ids, or None: anyone)
    in ``course_ids`` (None: any course) on live modules; two sources are joined by the caller."""
    query = (select(ModuleQuestion.id, User.id, User.name, Course.title, Module.title, ModuleQuestion.asked_at)
             .join(User, User.id == ModuleQuestion.user_id).join(Module, Module.id == ModuleQuestion.module_id)
             .join(Course, Course.id == Module.course_id)
             .where(ModuleQuestion.hidden_at.is_(None), ~exists().where(_visible_answer),
                    Module.retired_at.is_(None), Course.retired_at.is_(None))
             .order_by(ModuleQuestion.asked_at, ModuleQuestion.id).limit(limit))
    if askers is not None:
        query = query.where(ModuleQuestion.user_id.in_(askers))
    if course_ids is not None:
        query = query.where(Course.id.in_(list(course_ids) or [-1]))
    return [WaitingQuestion(*row) for row in session.execute(query)]


def question_figures_by_month(session: Session, people, start: datetime, end: datetime,
                              time_zone: str) -> dict[int, tuple[int, int, list[float]]]:
    """{local month: (questions asked, questions answered, [hours to the first answer, …])} of visible
    questions asked by ``people`` (a SELECT of ids) between ``start`` and ``end``; a question counts as
    answered in the month it was asked, once it has a visible answer."""
    first = aliased(ModuleAnswer)
    first_answer = (select(func.min(first.answered_at)).where(first.question_id == ModuleQuestion.id,
                                                               first.hidden_at.is_(None))
                    .correlate(ModuleQuestion).scalar_subquery())
    found: dict[int, tuple[int, int, list[float]]] = {}
    for asked_at, answered_at in session.execute(
            select(ModuleQuestion.asked_at, first_answer)
            .where(ModuleQuestion.user_id.in_(people), ModuleQuestion.hidden_at.is_(None),
                   ModuleQuestion.asked_at >= start, ModuleQuestion.asked_at < end)):
        month = local_date(asked_at, time_zone).month
        asked, answered, hours = found.get(month, (0, 0, []))
        if answered_at is not None:
            hours.append(max(0.0, (answered_at - asked_at).total_seconds() / 3600))
        found[month] = (asked + 1, answered + (answered_at is not None), hours)
    return found
