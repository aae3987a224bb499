"""Completion certificates: what was certified, to whom, and whether it still stands."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow

#: Why a certificate was revoked (a category shown publicly; the free-text note stays internal).
REVOCATION_REASONS = ("issued_in_error", "misconduct", "identity", "superseded", "other")
#: Why a certificate was withdrawn: not a revocation (the completion still counts), only the holder's wish.
WITHDRAWAL_REASONS = ("holder_request",)


class Certificate(db.Model):
    """One certificate per completion: (enrollment, cycle, reissue) is unique and issuing always uses
    reissue 0, so issuing is idempotent. A reissue (a corrected name) is a new row for the same
    completion with the next ``reissue`` number; the row it replaces is revoked as "superseded" and
    points to it (``superseded_by_id``).

    Everything printed is copied here at issue time, so a later rename, course edit or re-sync never
    changes what a certificate says.
    """

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("enrollment_id", "cycle", "reissue"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Readable serial, e.g. BP-2026-000123 (year of issue + the certificate number).
    serial: Mapped[str | None] = mapped_column(String(30), unique=True)
    #: Random verification code (160 bits, base32, upper case, no separators); the public key to it.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    #: Which completion of the course this is (1, then 2 after a renewal, …).
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    learner_name: Mapped[str] = mapped_column(String(200))
    learner_nip: Mapped[str | None] = mapped_column(String(30))
    course_slug: Mapped[str] = mapped_column(String(100))
    course_title: Mapped[str] = mapped_column(String(300))
    course_version: Mapped[str] = mapped_column(String(40))
    #: The course's published version (``course_versions.number``) live at issue; None for certificates
    #: issued before versions were recorded.
    course_version_number: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[int] = mapped_column(Integer)
    #: Final score in percent (the exam's, else the mean of the module quizzes); None without quizzes.
    score: Mapped[float | None] = mapped_column(Float)
    institution: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    signatory_name: Mapped[str] = mapped_column(String(200))
    signatory_title: Mapped[str] = mapped_column(String(200))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(30))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: 0 for the certificate issued at completion, 1, 2 … for reissues of the same completion.
    reissue: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The certificate that replaced this one (set together with revocation "superseded").
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL"))
    #: Withdrawn at the holder's request (their account was anonymised): the completion still counts,
    #: the public page shows no personal details.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(String(30))

    def state_at(self, now: datetime) -> str:
        """"valid", "revoked", "withdrawn" or "expired"; revocation wins over everything, then withdrawal."""
        if self.revoked_at is not None:
            return "revoked"
        if self.withdrawn_at is not None:
            return "withdrawn"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "valid"

    @property
    def code_display(self) -> str:
        return "-".join(self.code[i:i + 4] for i in range(0, len(self.code), 4))
