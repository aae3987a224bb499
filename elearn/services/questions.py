"""Questions per module (the "Tanya" section of a module page).

Rules
- An enrolled learner (not left) asks about a live module of a live course: Markdown without raw HTML,
  through the one sanitizer (elearn.content.render.render_user_markdown), at most TEXT_MAX characters.
- Who answers (elearn.access.can_answer_question): an admin, the course staff, or a current mentor
  of the asker — never the asker. The asker is notified (services.notifications kind ``question_answered``).
- Only the asker accepts an answer; at most one answer of a question is accepted (accepting another one
  moves the mark).
- The course staff or an admin hides a question or an answer with a reason (audited: audit event
  ``question.hidden`` / ``answer.hidden``). A hidden post is shown to nobody, answers of a hidden question
  included, and counts nowhere (lists, waiting lists, programme figures).
- A person posts (questions and answers together) at most ``per_hour`` times an hour (setting
  QUESTION_POSTS_PER_HOUR); more is refused with ``too_many`` (spam).
- Who reads (elearn.access.can_read_questions): whoever may open the module page (an enrolled learner,
  or a previewing role), and the asker's mentors for their mentees' questions.

Events: ``question.asked``, ``question.answered``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session, aliased

from elearn.content.render import render_user_markdown
from elearn.models import Course, Enrollment, Module, ModuleAnswer, ModuleQuestion, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.dates import local_date
from elearn.services.events import note
from elearn.services.notifications import notify, register
from elearn.services.pagination import Page, paginate

register("question_answered", _l("Jawaban atas pertanyaan saya"),
         lambda p: _("Pertanyaan Anda dijawab: %(module)s", module=p["module"]),
         lambda p: _("%(name)s menjawab pertanyaan Anda pada modul \"%(module)s\" (%(course)s).",
                     name=p["name"], module=p["module"], course=p["course"]), audience="learner")

ASKED = "question.asked"
ANSWERED = "question.answered"
TEXT_MAX = 5000
REASON_MAX = 300
PAGE_SIZE = 10


class QuestionError(Exception):
    """A refused action; ``code``: not_enrolled, empty, too_long, too_many, not_asker, reason_required."""

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


_visible_answer = (ModuleAnswer.question_id == ModuleQuestion.id) & ModuleAnswer.hidden_at.is_(None)


def questions_of_module(session: Session, module_id: int, page: int) -> Page:
    """One page of the module's visible questions, newest first, with their answer count (two queries,
    whatever the number of questions)."""
    answers = select(func.count(ModuleAnswer.id)).where(_visible_answer).correlate(ModuleQuestion).scalar_subquery()
    accepted = exists().where(_visible_answer, ModuleAnswer.accepted_at.is_not(None))
    query = (select(ModuleQuestion.id, User.name, ModuleQuestion.html, ModuleQuestion.asked_at, answers, accepted)
             .join(User, User.id == ModuleQuestion.user_id)
             .where(ModuleQuestion.module_id == module_id, ModuleQuestion.hidden_at.is_(None))
             .order_by(ModuleQuestion.asked_at.desc(), ModuleQuestion.id.desc()))
    found = paginate(session, query, page, PAGE_SIZE)
    return Page([QuestionRow(*row) for row in found.items], found.page, found.pages, found.total, found.page_size)


def ask_question(session: Session, user_id: int, course_id: int, module_id: int, text: str,
                 per_hour: int = 20) -> ModuleQuestion:
    enrolled = session.scalar(select(Enrollment.id).where(
        Enrollment.user_id == user_id, Enrollment.course_id == course_id, Enrollment.left_at.is_(None)))
    if enrolled is None:
        raise QuestionError("not_enrolled")
    text = _clean(text)
    _check_rate(session, user_id, per_hour)
    question = ModuleQuestion(module_id=module_id, user_id=user_id, text=text, html=render_user_markdown(text),
                              asked_at=utcnow())
    session.add(question)
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


def answer_question(session: Session, author: User, thread: Thread, text: str, per_hour: int = 20) -> ModuleAnswer:
    """Answer; the caller checks that the author may (elearn.access.can_answer_question)."""
    text = _clean(text)
    _check_rate(session, author.id, per_hour)
    answer = ModuleAnswer(question_id=thread.question.id, user_id=author.id, text=text,
                          html=render_user_markdown(text), answered_at=utcnow())
    session.add(answer)
    session.flush()
    note(session, ANSWERED)
    notify(session, thread.question.user_id, "question_answered",
           {"name": author.name, "module": thread.module_title, "course": thread.course.title},
           f"/questions/{thread.question.id}", dedup_key=f"question_answer:{answer.id}")
    return answer


def accept_answer(session: Session, user_id: int, thread: Thread, answer_id: int) -> None:
    """The asker marks one visible answer as accepted (the mark moves from any other one)."""
    if user_id != thread.question.user_id:
        raise QuestionError("not_asker")
    if answer_id not in {a.id for a, _name in thread.answers}:
        raise QuestionError("not_found")
    now = utcnow()
    session.execute(update(ModuleAnswer).where(ModuleAnswer.question_id == thread.question.id,
                                               ModuleAnswer.id != answer_id).values(accepted_at=None))
    session.execute(update(ModuleAnswer).where(ModuleAnswer.id == answer_id, ModuleAnswer.accepted_at.is_(None))
                    .values(accepted_at=now))


def hide_post(session: Session, actor_id: int, thread: Thread, reason: str, answer_id: int | None = None) -> None:
    """Hide the question (``answer_id`` None) or one of its answers, with a reason; audited. The caller
    checks that the actor may (elearn.access.is_course_staff)."""
    reason = (reason or "").strip()
    if not reason:
        raise QuestionError("reason_required")
    if len(reason) > REASON_MAX:
        raise QuestionError("too_long")
    values = dict(hidden_at=utcnow(), hidden_by_id=actor_id, hidden_reason=reason)
    if answer_id is None:
        session.execute(update(ModuleQuestion).where(ModuleQuestion.id == thread.question.id).values(**values))
        record_event(session, "question.hidden", actor_id=actor_id, subject_id=thread.question.user_id,
                     question_id=thread.question.id, reason=reason)
        return
    author = next((a.user_id for a, _name in thread.answers if a.id == answer_id), None)
    if author is None:
        raise QuestionError("not_found")
    session.execute(update(ModuleAnswer).where(ModuleAnswer.id == answer_id).values(**values))
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
