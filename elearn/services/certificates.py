"""Certificates: issuing on completion, state, revocation, renewal.

Rules, in one place:
- a certificate is issued for a completion (services.completion records it and calls
  ``issue_certificate``) when the course has ``certificate: true`` (the default); one per
  (enrollment, cycle), enforced by a unique constraint, so double or concurrent completions
  never yield two; it prints the JP, version and final score recorded with the completion;
- the verification code is 160 random bits (base32); the serial ``BP-<year>-<number>`` is for
  people, not for security;
- a certificate is *revoked* (admin or the learner's supervisor, with a reason category),
  *withdrawn* (at the holder's request, when their account is anonymised: services.privacy; not a
  revocation, the completion still counts), *expired* (``certificate_valid_months`` after
  completion) or *valid*; revocation wins over everything (``Certificate.state_at``);
- a certificate is *reissued* (an admin, at the holder's request, after a name correction) as a new
  certificate for the same completion with the holder's current name and NIP; the old one is
  revoked as "superseded" and points to the new one, so the completion counts once;
- an expired or revoked certificate can be renewed: the learner starts a new cycle of the course
  (module completions cleared, earlier quiz attempts no longer count), and completing it again
  issues a new certificate for the course's current version. A revoked certificate's completion
  no longer counts (services.completion); the new one does.

Who may see or revoke a learner's certificates is decided in ``elearn.access``.
"""
from __future__ import annotations

import base64
import re
import secrets
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import REVOCATION_REASONS, Certificate, Completion, Course, Enrollment, Module, ModuleProgress, User
from elearn.models._types import utcnow
from elearn.services import events
from elearn.services.audit import record_event
from elearn.services.course_versions import latest_number
from elearn.services.dates import add_months, local_year

CODE_BYTES = 20  # 160 bits → 32 base32 characters
_CODE = re.compile(r"^[A-Z2-7]{32}$")


class CertificateError(Exception):
    """``code``: already_revoked, bad_reason, not_expired, not_enrolled, withdrawn."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def normalise_code(text: str) -> str | None:
    """A typed or scanned code (any case, with dashes or spaces) → the stored form, or None."""
    code = re.sub(r"[\s\-]", "", text or "").upper()
    return code if _CODE.match(code) else None


def _config(key: str, default: str) -> str:
    return current_app.config.get(key, default) if has_app_context() else default


def issue_certificate(session: Session, enrollment: Enrollment, completion: Completion) -> Certificate | None:
    """The certificate for the enrollment's completion of the current cycle, issued now if it does not
    exist yet (idempotent). None when the course gives no certificate or the cycle is not complete.
    """
    if enrollment.completed_at is None:
        return None
    course = session.get(Course, enrollment.course_id)
    settings = course.settings or {}
    if not settings.get("certificate", True):
        return None
    existing = _for_cycle(session, enrollment)
    if existing is not None:
        return existing
    user = session.get(User, enrollment.user_id)
    now = utcnow()
    months = settings.get("certificate_valid_months")
    certificate = Certificate(
        code=new_code(), user_id=user.id, course_id=course.id, enrollment_id=enrollment.id,
        cycle=enrollment.cycle or 1, learner_name=user.name, learner_nip=user.nip or None,
        course_slug=course.slug, course_title=course.title, course_version=completion.course_version,
        course_version_number=latest_number(session, course.id),
        hours=completion.hours, score=completion.score,
        institution=_config("INSTITUTION_NAME", "BinaPustaka"),
        city=_config("INSTITUTION_CITY", "Bontang"),
        signatory_name=str(settings.get("signatory_name") or _config("SIGNATORY_NAME", "")),
        signatory_title=str(settings.get("signatory_title") or _config("SIGNATORY_TITLE", "")),
        completed_at=completion.completed_at, issued_at=now,
        expires_at=add_months(completion.completed_at, int(months)) if months else None)
    try:
        with session.begin_nested():
            session.add(certificate)
            session.flush()
    except IntegrityError:  # a concurrent completion issued it first
        return _for_cycle(session, enrollment)
    year = local_year(now, _config("TIME_ZONE", "Asia/Makassar"))
    certificate.serial = f"BP-{year}-{certificate.id:06d}"
    record_event(session, "certificate.issued", subject_id=user.id, serial=certificate.serial,
                 course=course.slug)
    events.note(session, events.CERTIFICATE_ISSUED)
    session.flush()
    return certificate


def _for_cycle(session: Session, enrollment: Enrollment) -> Certificate | None:
    """The certificate standing for the cycle's completion (the latest reissue)."""
    return session.scalar(select(Certificate).where(Certificate.enrollment_id == enrollment.id,
                                                    Certificate.cycle == (enrollment.cycle or 1),
                                                    Certificate.superseded_by_id.is_(None))
                          .order_by(Certificate.reissue.desc()).limit(1))


def issue_missing(session: Session, user_ids: list[int] | None = None) -> int:
    """Issue certificates for the completions of current cycles that have none (completed before
    certificates existed, or a course that turned certificates on later); for everybody or only
    ``user_ids``. Returns how many were issued. Run by ``flask certificates issue-missing`` and after
    a course sync, never by a page view."""
    query = (select(Enrollment, Completion)
             .join(Completion, (Completion.enrollment_id == Enrollment.id) & (Completion.cycle == Enrollment.cycle))
             .outerjoin(Certificate, (Certificate.enrollment_id == Enrollment.id)
                        & (Certificate.cycle == Enrollment.cycle))
             .where(Enrollment.completed_at.is_not(None), Certificate.id.is_(None)))
    if user_ids is not None:
        query = query.where(Enrollment.user_id.in_(user_ids))
    return sum(1 for enrollment, completion in session.execute(query).all()
               if issue_certificate(session, enrollment, completion) is not None)


def get_by_code(session: Session, code: str) -> Certificate | None:
    normal = normalise_code(code)
    if normal is None:
        return None
    return session.scalar(select(Certificate).where(Certificate.code == normal))


def list_for_user(session: Session, user_id: int) -> list[Certificate]:
    return list(session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                                .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def revoke(session: Session, certificate: Certificate, actor, reason: str, note: str = "",
           ip: str | None = None) -> None:
    if reason not in REVOCATION_REASONS:
        raise CertificateError("bad_reason")
    now = utcnow()
    changed = session.execute(
        update(Certificate).where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason, revoked_by_id=actor.id)).rowcount
    session.refresh(certificate)
    if not changed:
        raise CertificateError("already_revoked")
    record_event(session, "certificate.revoked", actor_id=actor.id, subject_id=certificate.user_id, ip=ip,
                 serial=certificate.serial, reason=reason, note=note.strip()[:500])


def reissue_certificate(session: Session, certificate: Certificate, actor, *, ip: str | None = None) -> Certificate:
    """A new certificate for the same completion with the holder's current name and NIP; the old one is
    revoked as "superseded" and points to it. Everything else (course, version, JP, score, dates of
    completion and expiry) is copied: it is the same completion. Raises CertificateError
    (already_revoked, withdrawn)."""
    if certificate.withdrawn_at is not None:
        raise CertificateError("withdrawn")
    if certificate.revoked_at is not None:
        raise CertificateError("already_revoked")
    holder = session.get(User, certificate.user_id)
    now = utcnow()
    copied = {column: getattr(certificate, column) for column in (
        "user_id", "course_id", "enrollment_id", "cycle", "course_slug", "course_title", "course_version", "course_version_number", "hours",
        "score", "institution", "city", "signatory_name", "signatory_title", "completed_at", "expires_at")}
    latest = session.scalar(select(Certificate.reissue).where(
        Certificate.enrollment_id == certificate.enrollment_id, Certificate.cycle == certificate.cycle)
        .order_by(Certificate.reissue.desc()).limit(1)) or 0
    replacement = Certificate(code=new_code(), learner_name=holder.name, learner_nip=holder.nip or None,
                              issued_at=now, reissue=latest + 1, **copied)
    try:
        with session.begin_nested():
            session.add(replacement)
            session.flush()
    except IntegrityError:  # reissued by a concurrent request
        raise CertificateError("already_revoked") from None
    changed = session.execute(
        update(Certificate).where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason="superseded", revoked_by_id=actor.id,
                superseded_by_id=replacement.id)).rowcount
    if not changed:
        raise CertificateError("already_revoked")
    replacement.serial = f"BP-{local_year(now, _config('TIME_ZONE', 'Asia/Makassar'))}-{replacement.id:06d}"
    session.refresh(certificate)
    record_event(session, "certificate.reissued", actor_id=actor.id, subject_id=certificate.user_id, ip=ip,
                 serial=certificate.serial, new_serial=replacement.serial)
    session.flush()
    return replacement


def renew(session: Session, certificate: Certificate, user_id: int, now: datetime | None = None) -> Enrollment:
    """Start a new cycle of the course for an expired or revoked certificate's owner."""
    now = now or utcnow()
    if certificate.user_id != user_id:
        raise CertificateError("not_enrolled")
    if certificate.state_at(now) not in ("expired", "revoked"):
        raise CertificateError("not_expired")
    enrollment = session.get(Enrollment, certificate.enrollment_id)
    if enrollment is None:
        raise CertificateError("not_enrolled")
    if enrollment.cycle != certificate.cycle or enrollment.completed_at is None:
        return enrollment  # a renewal is already under way
    changed = session.execute(
        update(Enrollment).where(Enrollment.id == enrollment.id, Enrollment.cycle == certificate.cycle)
        .values(cycle=certificate.cycle + 1, cycle_started_at=now, completed_at=None, left_at=None)).rowcount
    if changed:
        module_ids = select(Module.id).where(Module.course_id == enrollment.course_id)
        session.execute(update(ModuleProgress).where(ModuleProgress.user_id == user_id,
                                                     ModuleProgress.module_id.in_(module_ids))
                        .values(completed_at=None, placed_out_at=None))
        record_event(session, "certificate.renewal_started", actor_id=user_id, subject_id=user_id,
                     serial=certificate.serial)
    session.refresh(enrollment)
    return enrollment


def mask_nip(nip: str | None) -> str | None:
    """The NIP as the public verification page shows it: enough to compare, not enough to harvest."""
    if not nip:
        return None
    if len(nip) <= 8:
        return nip[0] + "•" * (len(nip) - 1)
    return nip[:4] + "•" * (len(nip) - 8) + nip[-4:]
