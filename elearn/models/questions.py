"""Questions per module (the "Tanya" section): a learner asks on a module page, course staff and the
learner's mentors answer, the asker accepts an answer; staff may hide a post (hidden everywhere);
people follow questions and report posts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


class ModuleQuestion(db.Model):
    """A learner's question about a module."""

    __tablename__ = "module_questions"
    __table_args__ = (
        # The module page's list: a module's visible questions newest first, read along this index and
        # stopped after one page; the total counted from the same index (services.questions).
        Index("ix_module_questions_listing", "module_id", "hidden_at", "asked_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The asker's Markdown, as typed.
    text: Mapped[str] = mapped_column(Text, default="")
    #: ``text`` rendered without raw HTML and sanitized (elearn.content.render.render_user_markdown).
    html: Mapped[str] = mapped_column(Text, default="")
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: Set when the asker last edited the text (within QUESTION_EDIT_MINUTES of asking).
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set by a trainer or admin: the question is then shown to nobody (nor counted).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")


class ModuleAnswer(db.Model):
    """An answer to a module question by a trainer of the course, an admin or a mentor of the asker."""

    __tablename__ = "module_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("module_questions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when the author last edited the text (within QUESTION_EDIT_MINUTES of answering).
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when the asker accepted this answer (at most one per question: services.questions).
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")


class QuestionFollow(db.Model):
    """A person follows a question: told of each new answer and of the accepted one (the asker follows
    their own question from the start; services.questions)."""

    __tablename__ = "question_follows"
    __table_args__ = (UniqueConstraint("question_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("module_questions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    followed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PostReport(db.Model):
    """A person reports a question or an answer to the course staff, once per post; staff hide the post
    or dismiss the report (services.questions)."""

    __tablename__ = "question_reports"
    __table_args__ = (UniqueConstraint("user_id", "post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("module_questions.id", ondelete="CASCADE"), index=True)
    #: The reported answer of the question, or None when the question itself is reported.
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("module_answers.id", ondelete="CASCADE"), index=True)
    #: "q<question id>" or "a<answer id>": one report per person and post (a unique key NULLs cannot break).
    post: Mapped[str] = mapped_column(String(24))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when staff hid the post or dismissed the report; ``outcome`` says which ("hidden", "dismissed").
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(20), default="")
