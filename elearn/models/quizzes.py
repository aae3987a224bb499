"""Quizzes as synced from ``*.quiz.md`` files, and learners' attempts at them.

An attempt stores a snapshot of exactly what was asked (questions drawn, option order,
correct answers), so editing a quiz later never changes how an old attempt was graded.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


#: What a quiz is for: a module's quiz, the course's final exam, or the placement pre-test.
QUIZ_KINDS = ("module", "exam", "pretest")


class Quiz(db.Model):
    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: One of QUIZ_KINDS.
    kind: Mapped[str] = mapped_column(String(10), default="module", server_default="module")
    #: The module it belongs to; None for the final exam and the pre-test.
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    #: The module's slug, "exam" or "pretest".
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300), default="")
    #: pass_mark, max_attempts, cooldown_minutes, time_limit_minutes, shuffle_*, draw, grading, show_answers.
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The question pool as rendered snapshots (HTML sanitized at sync), correct answers included:
    #: never sent to a browser as such.
    questions: Mapped[list] = mapped_column(JSON, default=list)
    intro_html: Mapped[str] = mapped_column(Text, default="")
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    #: Bumped whenever the source changes; attempts remember the version they were asked.
    version: Mapped[int] = mapped_column(Integer, default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: 1, 2, 3 … per learner and quiz; the unique constraint makes concurrent starts safe.
    number: Mapped[int] = mapped_column(Integer)
    #: "open" until submitted; "submitted" once graded; "expired" when closed after the time limit.
    state: Mapped[str] = mapped_column(String(12), default="open", index=True)
    quiz_version: Mapped[int] = mapped_column(Integer, default=1)
    #: The course's published version (``course_versions.number``) live when the attempt started;
    #: None for attempts made before versions were recorded.
    course_version_number: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: started_at + time limit; None when the quiz has no time limit.
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Closed after the deadline and its grace period: graded with the drafts saved in time (see
    #: services.quizzes; attempts closed before 2026-12 scored 0).
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Snapshot of the questions asked, in the order shown, with the option order used.
    questions: Mapped[list] = mapped_column(JSON, default=list)
    #: The learner's answers, keyed by question key; while the attempt is open, the saved drafts.
    responses: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Score per question key (0..1), and the total in percent.
    marks: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    #: pass_mark, show_answers, grading … as they were when the attempt started.
    rules: Mapped[dict] = mapped_column(JSON, default=dict)
