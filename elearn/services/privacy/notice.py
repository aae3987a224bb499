"""The privacy notice: its version, and a person's acknowledgement of it.

The notice's text lives in the templates (privacy/notice.html, Indonesian and English through the
catalogs); what it prints from settings (controller, contact, retention periods) is part of its
version, so changing a setting or the text (bump ``NOTICE_REVISION``) shows the notice again to
everyone at their next page view until they acknowledge it.
"""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import update
from sqlalchemy.orm import Session

from elearn.models import User
from elearn.models._types import utcnow
from elearn.services.audit import record_event

#: Bump when the notice's text changes.
NOTICE_REVISION = "2026-12"
#: Settings the notice prints.
NOTICE_SETTINGS = ("PRIVACY_CONTROLLER_NAME", "PRIVACY_CONTACT", "PRIVACY_AUDIT_IP_DAYS", "PRIVACY_LOGIN_EVENT_DAYS",
                   "PRIVACY_EXPORT_HOURS", "PRIVACY_INACTIVE_MONTHS")


def notice_facts(config) -> dict:
    """The settings the notice prints; the controller defaults to the institution."""
    facts = {key: config.get(key) for key in NOTICE_SETTINGS}
    facts["PRIVACY_CONTROLLER_NAME"] = facts["PRIVACY_CONTROLLER_NAME"] or config.get("INSTITUTION_NAME")
    return facts


def notice_version(config) -> str:
    """``<revision>-<hash of the printed settings>``: changes whenever what the notice says changes."""
    digest = hashlib.sha256(json.dumps(notice_facts(config), sort_keys=True, default=str).encode()).hexdigest()
    return f"{NOTICE_REVISION}-{digest[:8]}"


def acknowledge_notice(session: Session, user_id: int, version: str) -> None:
    """Record that the person read this version of the notice (the caller commits)."""
    session.execute(update(User).where(User.id == user_id)
                    .values(privacy_notice_version=version, privacy_notice_at=utcnow()))
    record_event(session, "privacy.notice_acknowledged", actor_id=user_id, subject_id=user_id, version=version)
