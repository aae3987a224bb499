"""A person's requests that an admin decides: delete my account, reissue a certificate with my name.

Rules:
- a person asks with a reason (required for deletion); one open request per kind (and certificate);
  they may cancel it while it is pending;
- only an admin decides, never on their own request; refusing needs a reason (e.g. a legal duty to
  keep training records), which the person sees; a request is decided once (a conditional UPDATE);
- approving a deletion anonymises the account at once (``anonymise.py``); approving a reissue revokes
  the certificate as "superseded" and issues a new one for the same completion with the person's
  current name and NIP (services.certificates.reissue_certificate), so the JP are not counted twice;
- the person is told through ``notify_request_decided``: their pages show the decision until they
  dismiss it, and their account's data page lists every request with its outcome and reason.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, url_for
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from elearn.models import Certificate, PrivacyRequest, Role, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.certificates import CertificateError, reissue_certificate
from elearn.services.notifications import notify
from elearn.services.privacy.anonymise import anonymise_person

MAX_REASON = 2000


class RequestError(Exception):
    """``code``: empty_reason, already_pending, not_yours, not_reissuable, not_pending, forbidden, own_request,
    reason_required, already_anonymised."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Recipient:
    """Who is told about a decision, as they were when it was taken."""

    user_id: int
    email: str
    name: str
    locale: str | None


def _pending(session: Session, user_id: int, kind: str, certificate_id: int | None = None) -> PrivacyRequest | None:
    query = select(PrivacyRequest).where(PrivacyRequest.user_id == user_id, PrivacyRequest.kind == kind,
                                         PrivacyRequest.state == "pending")
    if certificate_id is not None:
        query = query.where(PrivacyRequest.certificate_id == certificate_id)
    return session.scalars(query).first()


def request_deletion(session: Session, user_id: int, reason: str) -> PrivacyRequest:
    """Ask for the account to be deleted (anonymised); raises RequestError."""
    reason = (reason or "").strip()
    if not reason:
        raise RequestError("empty_reason")
    if _pending(session, user_id, "deletion") is not None:
        raise RequestError("already_pending")
    request = PrivacyRequest(user_id=user_id, kind="deletion", reason=reason[:MAX_REASON])
    session.add(request)
    session.flush()
    record_event(session, "privacy.request_created", actor_id=user_id, subject_id=user_id, request=request.id,
                 kind="deletion")
    return request


def reissue_possible(certificate: Certificate, user) -> bool:
    """Whether the person may ask for this certificate to be reissued: it is theirs, it still stands
    (neither revoked nor withdrawn), and their profile's name or NIP now differs from what it prints."""
    return (certificate.user_id == user.id and certificate.revoked_at is None and certificate.withdrawn_at is None
            and (certificate.learner_name != user.name or (certificate.learner_nip or None) != (user.nip or None)))


def request_reissue(session: Session, user, certificate: Certificate, reason: str = "") -> PrivacyRequest:
    """Ask for ``certificate`` to be reissued with the current profile name; raises RequestError."""
    if certificate.user_id != user.id:
        raise RequestError("not_yours")
    if not reissue_possible(certificate, user):
        raise RequestError("not_reissuable")
    if _pending(session, user.id, "reissue", certificate.id) is not None:
        raise RequestError("already_pending")
    request = PrivacyRequest(user_id=user.id, kind="reissue", certificate_id=certificate.id,
                             reason=(reason or "").strip()[:MAX_REASON])
    session.add(request)
    session.flush()
    record_event(session, "privacy.request_created", actor_id=user.id, subject_id=user.id, request=request.id,
                 kind="reissue", serial=certificate.serial)
    return request


def cancel_request(session: Session, user_id: int, request_id: int) -> None:
    """The person withdraws their own pending request; raises RequestError."""
    request = session.get(PrivacyRequest, request_id)
    if request is None or request.user_id != user_id:
        raise RequestError("not_yours")
    changed = session.execute(update(PrivacyRequest).where(PrivacyRequest.id == request_id,
                                                           PrivacyRequest.state == "pending")
                              .values(state="cancelled", decided_at=utcnow(), seen_at=utcnow())).rowcount
    if changed != 1:
        raise RequestError("not_pending")
    record_event(session, "privacy.request_cancelled", actor_id=user_id, subject_id=user_id, request=request_id)


def decide_request(session: Session, request_id: int, admin, *, approve: bool, reason: str = "",
                   ip: str | None = None) -> PrivacyRequest:
    """An admin approves or refuses a pending request (see the module rules); raises RequestError.
    Flushes; the caller commits once, so an approval and its anonymisation or reissue stand or fall
    together."""
    if admin.role != Role.ADMIN.value:
        raise RequestError("forbidden")
    request = session.get(PrivacyRequest, request_id)
    if request is None:
        raise RequestError("not_pending")
    if request.user_id == admin.id:
        raise RequestError("own_request")
    reason = (reason or "").strip()[:MAX_REASON]
    if not approve and not reason:
        raise RequestError("reason_required")
    person = session.get(User, request.user_id)
    if approve and request.kind == "deletion" and person.anonymised_at is not None:
        raise RequestError("already_anonymised")
    changed = session.execute(update(PrivacyRequest).where(PrivacyRequest.id == request_id,
                                                           PrivacyRequest.state == "pending")
                              .values(state="approved" if approve else "refused", decided_at=utcnow(),
                                      decided_by_id=admin.id, decision_reason=reason)).rowcount
    if changed != 1:
        raise RequestError("not_pending")
    session.refresh(request)
    notify_request_decided(session, request, Recipient(person.id, person.email, person.name, person.locale))
    if approve and request.kind == "reissue":
        certificate = session.get(Certificate, request.certificate_id) if request.certificate_id else None
        if certificate is None:
            raise RequestError("not_reissuable")
        try:
            reissue_certificate(session, certificate, admin, ip=ip)
        except CertificateError:
            raise RequestError("not_reissuable") from None
    elif approve:
        anonymise_person(session, request.user_id, actor_id=admin.id, request_id=request.id)
    # recorded after anonymising, which clears addresses on the person's events: this one is the admin's
    record_event(session, "privacy.request_decided", actor_id=admin.id, subject_id=request.user_id, ip=ip,
                 request=request.id, kind=request.kind, outcome=request.state)
    session.flush()
    return request


def notify_request_decided(session: Session, request: PrivacyRequest, recipient: Recipient) -> None:
    """Tell the person that their request was decided. The one place a notification channel hooks in
    (the notifications feature adds its delivery here).

    Called once per decision, inside the decision's transaction, and for an approved deletion
    *before* the account is anonymised: it is the last moment the address exists. A channel copies
    what it needs now, sends after commit, and keeps nothing.

    The notification centre gets a ``privacy_decided`` notification (emailed when the person chose so;
    for an approved deletion the notification goes with the account, as anonymisation deletes it).
    The in-app message: the decision stays unseen (``seen_at`` None) and every page of the person shows
    it until they dismiss it (``dismiss_decisions``); their data page lists it with the admin's reason.
    """
    request.seen_at = None
    session.flush()
    notify(session, recipient.user_id, "privacy_decided", {"kind": request.kind, "state": request.state},
           url_for("privacy.my_data", _anchor="requests") if has_request_context() else "/account/data#requests",
           dedup_key=f"privacy_request:{request.id}")


def dismiss_decisions(session: Session, user_id: int) -> None:
    """The person has read the decisions on their requests: stop showing the in-app message."""
    session.execute(update(PrivacyRequest).where(PrivacyRequest.user_id == user_id,
                                                 PrivacyRequest.decided_at.is_not(None),
                                                 PrivacyRequest.seen_at.is_(None)).values(seen_at=utcnow()))


def requests_of(session: Session, user_id: int) -> list[tuple[PrivacyRequest, str | None]]:
    """The person's requests, newest first, with the serial of the certificate a reissue is about."""
    return [tuple(r) for r in session.execute(
        select(PrivacyRequest, Certificate.serial).outerjoin(Certificate, Certificate.id == PrivacyRequest.certificate_id)
        .where(PrivacyRequest.user_id == user_id)
        .order_by(PrivacyRequest.requested_at.desc(), PrivacyRequest.id.desc()))]


@dataclass(frozen=True)
class RequestRow:
    request: PrivacyRequest
    name: str
    email: str
    #: for a reissue: the certificate as printed and the profile now
    certificate: Certificate | None
    profile_nip: str | None


def list_requests(session: Session, *, pending: bool, limit: int = 50) -> list[RequestRow]:
    """Pending requests (oldest first) or decided ones (newest first), for the admin page."""
    query = (select(PrivacyRequest, User.name, User.email, Certificate, User.nip)
             .join(User, User.id == PrivacyRequest.user_id)
             .outerjoin(Certificate, Certificate.id == PrivacyRequest.certificate_id))
    if pending:
        query = query.where(PrivacyRequest.state == "pending").order_by(PrivacyRequest.requested_at,
                                                                         PrivacyRequest.id)
    else:
        query = query.where(PrivacyRequest.state != "pending").order_by(PrivacyRequest.decided_at.desc(),
                                                                         PrivacyRequest.id.desc())
    return [RequestRow(*row) for row in session.execute(query.limit(limit))]
