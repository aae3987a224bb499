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
