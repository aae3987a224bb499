"""Personal-data requests (UU PDP): deletion and certificate reissue requests with an admin's decision,
and "my data" archives kept in the database until they expire (hosts stay stateless)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.models._types import UTCDateTime, utcnow

#: What a person may ask an admin for.
REQUEST_KINDS = ("deletion", "reissue")
#: pending → approved | refused | cancelled (by the person, while pending).
REQUEST_STATES = ("pending", "approved", "refused", "cancelled")


class PrivacyRequest(db.Model):
    """A person's request that an admin decides: delete (anonymise) my account, or reissue a certificate
    with my corrected name. Shaped after Moodle's ``tool_dataprivacy_request`` (type, comments, status,
    DPO and DPO comment)."""

    __tablename__ = "privacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose request it is (the person asking).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: "deletion" or "reissue".
    kind: Mapped[str] = mapped_column(String(20))
    #: For a reissue: the certificate to reissue with the current name.
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL"))
    #: The person's own words (free text; cleared when the account is anonymised).
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The admin who decided.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The admin's reason (required when refusing), shown to the person.
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    #: When the person dismissed the in-app message about the decision; None while it is still shown.
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DataExport(db.Model):
    """A "my data" ZIP archive: built in the request when small, by ``flask privacy run`` when large;
    stored here (not on a host's disk) until ``expires_at``."""

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: pending (waiting for ``privacy run``) → building → ready; "failed" keeps the error code.
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When a builder claimed it (a claim older than the timeout may be taken over).
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The download stops working here; ``privacy prune`` deletes the row's archive after it.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: Interface language of the archive's README and CSV headers.
    locale: Mapped[str] = mapped_column(String(5), default="id")
    size: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(200), default="")
    #: The ZIP itself; deferred so listings never load it.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
