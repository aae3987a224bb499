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
    #: [{"criterion", "points", "description"}, …] in order: each criterion's maximum points.
    rubric: Mapped[list] = mapped_column(JSON, default=list)
    #: Total points a hand-in needs to be accepted (services.tasks.rubric_result).
    pass_points: Mapped[int] = mapped_column(Integer)
    #: Files a hand-in may carry (capped by the TASK_MAX_FILES setting; 0 = text answer only).
    max_files: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    #: Kinds of file accepted (elearn.content.task.FILE_KINDS), decided by content on upload.
    allowed: Mapped[list] = mapped_column(JSON, default=list, server_default='["pdf", "docx", "odt", "image"]')
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
    #: The reviewer's overall comment (plain text).
    comment: Mapped[str] = mapped_column(Text, default="")
    #: The task's pass mark when this hand-in was reviewed with scores (None: reviewed before rubric scores).
    pass_points: Mapped[int | None] = mapped_column(Integer)


class TaskScore(db.Model):
    """The points one review gave a hand-in on one rubric criterion, with the reviewer's comment on it.
    The criterion's wording and maximum are copied, so the history stays as it was when the task file
    changes later. Personal data of the learner (``user_id``)."""

    __tablename__ = "task_scores"
    __table_args__ = (UniqueConstraint("submission_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("task_submissions.id", ondelete="CASCADE"), index=True)
    #: The learner whose hand-in was scored (the submission's, kept here for the personal-data registry).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The criterion's place in the rubric (0, 1, …).
    position: Mapped[int] = mapped_column(Integer)
    criterion: Mapped[str] = mapped_column(String(300))
    max_points: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    #: The reviewer's comment on this criterion (plain text, may be empty).
    comment: Mapped[str] = mapped_column(Text, default="")


class TaskFile(db.Model):
    """A file handed in with a submission, stored in the database. Whatever it holds, it is only ever
    served as a download (``Content-Disposition: attachment``, ``application/octet-stream``, nosniff)."""

    __tablename__ = "task_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("task_submissions.id", ondelete="CASCADE"), index=True)
    #: The learner who handed it in (the submission's, kept here for the personal-data registry).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The file name as given, reduced to safe characters (services.task_files.safe_file_name).
    name: Mapped[str] = mapped_column(String(200))
    #: What the content is (services.task_files.file_kind): pdf, docx, xlsx, odt, ods or image
    #: ("office" or "other" on files handed in before kinds were checked).
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
