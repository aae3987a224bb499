"""The curriculum as synced from the Markdown course folders.

HTML is rendered and sanitized once at sync time and stored here; pages only read it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Folder name; the course's stable identity across syncs.
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="id")
    version: Mapped[str] = mapped_column(String(40), default="1")
    #: Lesson hours (JP) a learner earns on completion.
    hours: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[str] = mapped_column(String(20), default="dasar")
    topics: Mapped[list] = mapped_column(JSON, default=list)
    authors: Mapped[list] = mapped_column(JSON, default=list)
    #: Slugs of courses that must be completed first.
    prerequisites: Mapped[list] = mapped_column(JSON, default=list)
    #: Quiz/certificate settings from front matter (certificate, signatory_name, …).
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Sanitized HTML of the course.md body.
    overview_html: Mapped[str] = mapped_column(Text, default="")
    #: Title of glossary.md; None when the course has no glossary (both glossary columns are set together).
    glossary_title: Mapped[str | None] = mapped_column(String(300))
    #: Sanitized HTML of glossary.md; deferred: only the glossary page reads it.
    glossary_html: Mapped[str | None] = mapped_column(Text, deferred=True)
    #: SHA-256 over every source file of the folder; equal hash means nothing to render.
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    #: Where the course comes from: "folder" (`courses sync`); a second kind ("studio") may publish too.
    source_kind: Mapped[str] = mapped_column(String(20), default="folder", server_default="folder")
    #: For "folder": the resolved course folder it was last synced from; a sync of a directory only ever
    #: retires courses whose folder was in that directory. None: synced before sources were recorded.
    source_path: Mapped[str | None] = mapped_column(String(1000))
    #: Set when the folder disappeared from the courses directory; hidden, history kept.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan"
    )


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: Module slug (file name without NN- and .md); keeps its identity across syncs.
    slug: Mapped[str] = mapped_column(String(100))
    #: Order in the course (the NN of the file name).
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    #: Slugs of modules of the same course that must be complete first.
    requires: Mapped[list] = mapped_column(JSON, default=list)
    html: Mapped[str] = mapped_column(Text, default="")
    #: [[level, id, title], …] for the table of contents.
    toc: Mapped[list] = mapped_column(JSON, default=list)
    #: SHA-256 of the source file the HTML was rendered from.
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    #: Set when the file disappeared; a retired module is hidden and no longer counts.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="modules")


class CourseAsset(db.Model):
    """An image or file of a course's assets/ folder, kept in the database so hosts stay stateless."""

    __tablename__ = "course_assets"
    __table_args__ = (UniqueConstraint("course_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: Path inside the course folder, always starting with "assets/".
    path: Mapped[str] = mapped_column(String(500))
    mime_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
