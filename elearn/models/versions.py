"""Published versions of a course: the exact files of each, stored content-addressed.

A version is immutable: its file list (``version_files``) names blobs by SHA-256, and a blob
(``content_blobs``) is stored once however many versions and courses share it. Hosts keep nothing
on disk: a version is written out to a temporary folder when it is parsed, exported or downloaded.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow

#: ``CourseVersion.source`` values: published by ``courses sync`` or from the studio.
VERSION_SOURCES = ("folder", "studio")


class ContentBlob(db.Model):
    __tablename__ = "content_blobs"

    #: SHA-256 (hex) of ``content``: the blob's identity.
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class CourseVersion(db.Model):
    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: 1, 2, 3 … per course, in publishing order.
    number: Mapped[int] = mapped_column(Integer)
    #: "folder" (``courses sync``) or "studio" (published in the browser).
    source: Mapped[str] = mapped_column(String(20))
    #: Who published it; None for ``courses sync`` (no account) or a deleted account.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The publisher's change note.
    note: Mapped[str] = mapped_column(String(500), default="")
    #: SHA-256 over the sorted (path, file SHA-256) pairs: equal files, equal hash.
    content_hash: Mapped[str] = mapped_column(String(64))

    files: Mapped[list[VersionFile]] = relationship(order_by="VersionFile.path", cascade="all, delete-orphan",
                                                    back_populates="version")


class VersionFile(db.Model):
    __tablename__ = "version_files"

    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), primary_key=True)
    #: Path inside the course folder, with "/" separators ("course.md", "assets/peta.png").
    path: Mapped[str] = mapped_column(String(500), primary_key=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("content_blobs.sha256"), index=True)

    version: Mapped[CourseVersion] = relationship(back_populates="files")


class CourseDraft(db.Model):
    """The working copy of a course in the studio: at most one per course, shared by its staff. Created
    from the latest version on the first edit (or from the template for a new course); publishing turns
    it into a version and deletes it; "Buang draf" deletes it."""
    __tablename__ = "course_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), unique=True)
    #: The version the draft started from; None for a course never published.
    base_number: Mapped[int | None] = mapped_column(Integer)
    #: Who started it and who saved it last; None for a deleted account.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    files: Mapped[list[DraftFile]] = relationship(order_by="DraftFile.path", cascade="all, delete-orphan",
                                                  back_populates="draft")


class DraftFile(db.Model):
    """One file of a draft: its path and the blob holding its bytes (shared with versions)."""
    __tablename__ = "draft_files"

    draft_id: Mapped[int] = mapped_column(ForeignKey("course_drafts.id", ondelete="CASCADE"), primary_key=True)
    #: Path inside the course folder, with "/" separators.
    path: Mapped[str] = mapped_column(String(500), primary_key=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("content_blobs.sha256"), index=True)

    draft: Mapped[CourseDraft] = relationship(back_populates="files")
