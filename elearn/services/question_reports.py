"""Reports of module questions and answers (the "Laporkan" button of a thread).

Rules
- Whoever may read a question (elearn.access.can_read_questions) may report it or one of its visible
  answers, with a reason (at most REASON_MAX characters), once per post; never their own post.
  Audited: ``question.reported``.
- Course staff (elearn.access.is_course_staff: the course's trainers, admins) see the open reports of
  their courses' visible posts on the waiting page, oldest first, and either hide the post
  (services.questions.hide_post settles its open reports as "hidden") or dismiss the report
  (``dismissed``; audited ``question.report_dismissed``). A report of a hidden post is no longer open.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from elearn.models import Course, Module, ModuleAnswer, ModuleQuestion, PostReport, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.questions import REASON_MAX, QuestionError, Thread

#: how much of a reported post the waiting page quotes
EXCERPT = 160


def report_post(session: Session, reporter_id: int, thread: Thread, reason: str,
                answer_id: int | None = None) -> PostReport:
    """Report the question (``answer_id`` None) or one of its visible answers. Raises QuestionError:
    reason_required, too_long, not_found, own_post, already_reported."""
    reason = (reason or "").strip()
    if not reason:
        raise QuestionError("reason_required")
    if len(reason) > REASON_MAX:
        raise QuestionError("too_long")
    if answer_id is None:
        author, key = thread.question.user_id, f"q{thread.question.id}"
    else:
        author = next((a.user_id for a, _name in thread.answers if a.id == answer_id), None)
        if author is None:
            raise QuestionError("not_found")
        key = f"a{answer_id}"
    if author == reporter_id:
        raise QuestionError("own_post")
    report = PostReport(question_id=thread.question.id, answer_id=answer_id, post=key, user_id=reporter_id,
                        reason=reason, reported_at=utcnow())
    try:
        with session.begin_nested():
            session.add(report)
    except IntegrityError:  # this person reported this post before (or twice at once)
        raise QuestionError("already_reported") from None
    record_event(session, "question.reported", actor_id=reporter_id, subject_id=author,
                 question_id=thread.question.id, answer_id=answer_id, reason=reason)
    return report


@dataclass(frozen=True)
class OpenReport:
    """An open report of a visible post, as the staff's waiting page lists it."""
    id: int
    question_id: int
    answer_id: int | None
    reporter: str
    reason: str
    reported_at: datetime
    course_title: str
    module_title: str
    excerpt: str


def open_reports(session: Session, course_ids, limit: int = 200) -> list[OpenReport]:
    """Open reports of visible posts on live modules of ``course_ids`` (None: every course), oldest first
    (one query)."""
    answer = aliased(ModuleAnswer)
    query = (select(PostReport.id, PostReport.question_id, PostReport.answer_id, User.name, PostReport.reason,
                    PostReport.reported_at, Course.title, Module.title, ModuleQuestion.text, answer.text)
             .join(User, User.id == PostReport.user_id)
             .join(ModuleQuestion, ModuleQuestion.id == PostReport.question_id)
             .outerjoin(answer, answer.id == PostReport.answer_id)
             .join(Module, Module.id == ModuleQuestion.module_id).join(Course, Course.id == Module.course_id)
             .where(PostReport.resolved_at.is_(None), ModuleQuestion.hidden_at.is_(None),
                    answer.hidden_at.is_(None), Module.retired_at.is_(None), Course.retired_at.is_(None))
             .order_by(PostReport.reported_at, PostReport.id).limit(limit))
    if course_ids is not None:
        query = query.where(Course.id.in_(list(course_ids) or [-1]))
    found = []
    for (report_id, question_id, answer_id, reporter, reason, reported_at, course, module, question_text,
         answer_text) in session.execute(query):
        text = answer_text if answer_id is not None else question_text
        excerpt = text if len(text) <= EXCERPT else text[:EXCERPT].rstrip() + "…"
        found.append(OpenReport(report_id, question_id, answer_id, reporter, reason, reported_at, course, module,
                                excerpt))
    return found


def get_open_report(session: Session, report_id: int) -> tuple[PostReport, Course] | None:
    """An open report with the course of its question (for the staff check), or None."""
    row = session.execute(select(PostReport, Course)
                          .join(ModuleQuestion, ModuleQuestion.id == PostReport.question_id)
                          .join(Module, Module.id == ModuleQuestion.module_id)
                          .join(Course, Course.id == Module.course_id)
                          .where(PostReport.id == report_id, PostReport.resolved_at.is_(None))).first()
    return (row[0], row[1]) if row is not None else None


def dismiss_report(session: Session, actor_id: int, report: PostReport) -> None:
    """Close the report without hiding the post; audited. The caller checks that the actor is course staff."""
    report.resolved_at, report.resolved_by_id, report.outcome = utcnow(), actor_id, "dismissed"
    session.flush()
    record_event(session, "question.report_dismissed", actor_id=actor_id, subject_id=report.user_id,
                 question_id=report.question_id, answer_id=report.answer_id, report_id=report.id)
