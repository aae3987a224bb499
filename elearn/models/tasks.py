"""Practice tasks (tugas praktik): a module's task as synced from its ``NN-<module>.task.md``, and the
learners' submissions with their reviews."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


class ModuleTask(db.Model):
    """A module's practice task (elearn.content.task), rendered and sanitized at sync time."""

    __tablename__ = "module_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(Integer)
    #: Must be accepted before the course completes (services.completion).
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    #: [{"criterion", "points", "description"}, …] in order; guidance for reviewers.
    rubric: Mapped[list] = mapped_column(JSON, default=list)
    pass_points: Mapped[int] = mapped_column(Integer)
    #: Sanitized HTML of the instructions.
    html: Mapped[str] = mapped_column(Text, default="")
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    #: Set when the task file disappeared: the task no longer counts (submissions stay).
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TaskSubmission(db.Model):
    """One hand-in of a task by a learner; a resubmission is a new row (``number`` 1, 2, …), so the
    history of hand-ins and reviews stays. ``state``: submitted, accepted or revision."""

    __tablename__ = "task_submissions"
    __table_args__ = (UniqueConstraint("task_id", "user_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("module_tasks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: The learner's Markdown, as typed.
    text: Mapped[str] = mapped_column(Text, default="")
    #: ``text`` rendered without raw HTML and sanitized (elearn.content.render.render_user_markdown).
    html: Mapped[str] = mapped_column(Text, default="")
    #: An optional http(s) link to the work (a shared document, a photo album).
    link: Mapped[str] = mapped_column(String(500), default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    state: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The reviewer's comment (plain text).
    comment: Mapped[str] = mapped_column(Text, default="")


class TaskFile(db.Model):
    """A file handed in with a submission, stored in the database. Whatever it holds, it is only ever
    served as a download (``Content-Disposition: attachment``, ``application/octet-stream``, nosniff)."""

    __tablename__ = "task_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("task_submissions.id", ondelete="CASCADE"), index=True)
    #: The learner who handed it in (the submission's, kept here for the personal-data registry).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The file name as given, reduced to safe characters (services.tasks.safe_file_name).
    name: Mapped[str] = mapped_column(String(200))
    #: What the content looks like (services.tasks.sniff_kind): pdf, office, image, or other; shown only.
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
