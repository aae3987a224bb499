"""Retention (``flask privacy prune``) and the processing record (``flask privacy inventory``).

What pruning removes, exactly (settings in elearn/config.py, documented in docs/privacy.md):
- IP addresses of audit events older than PRIVACY_AUDIT_IP_DAYS (default 180): the address only,
  the event stays;
- login events (login.success, login.failure, logout) older than PRIVACY_LOGIN_EVENT_DAYS (365);
- password links that expired or were used, at once;
- "my data" archives past their expiry;
- failed-login counts (keyed by the email typed) older than LOGIN_FAILURE_MEMORY_SECONDS;
- accounts never used (no login) and created more than PRIVACY_INACTIVE_MONTHS (12) ago are
  *flagged* for an admin to review (``users.inactive_flagged_at``), never deleted; a login clears
  nothing by itself, but a used account is never flagged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import JSON, String, Text, cast, delete, func, select, update
from sqlalchemy.orm import Session

from elearn.extensions import db
from elearn.models import AuditEvent, DataExport, LoginThrottle, PasswordReset, User
from elearn.services.dates import add_months
from elearn.services.privacy.registry import POLICIES

LOGIN_EVENTS = ("login.success", "login.failure", "logout")


@dataclass(frozen=True)
class RetentionSettings:
    audit_ip_days: int = 180
    login_event_days: int = 365
    inactive_months: int = 12
    #: failed-login counts older than this are deleted (LOGIN_FAILURE_MEMORY_SECONDS: forgotten anyway)
    login_failure_seconds: int = 86400

    @classmethod
    def from_config(cls, config) -> RetentionSettings:
        return cls(int(config["PRIVACY_AUDIT_IP_DAYS"]), int(config["PRIVACY_LOGIN_EVENT_DAYS"]),
                   int(config["PRIVACY_INACTIVE_MONTHS"]), int(config["LOGIN_FAILURE_MEMORY_SECONDS"]))


@dataclass
class PruneReport:
    ips_removed: int = 0
    login_events_deleted: int = 0
    reset_links_deleted: int = 0
    exports_deleted: int = 0
    accounts_flagged: int = 0
    flagged_ids: list[int] = field(default_factory=list)
    login_throttles_deleted: int = 0


def prune(session: Session, settings: RetentionSettings, now: datetime) -> PruneReport:
    """Apply the retention rules of the module docstring; flushes, the caller commits."""
    report = PruneReport()
    login_before = now - timedelta(days=settings.login_event_days)
    report.login_events_deleted = session.execute(
        delete(AuditEvent).where(AuditEvent.at < login_before, AuditEvent.action.in_(LOGIN_EVENTS))).rowcount or 0
    ip_before = now - timedelta(days=settings.audit_ip_days)
    report.ips_removed = session.execute(
        update(AuditEvent).where(AuditEvent.at < ip_before, AuditEvent.ip.is_not(None)).values(ip=None)).rowcount or 0
    report.reset_links_deleted = session.execute(
        delete(PasswordReset).where((PasswordReset.expires_at <= now) | PasswordReset.used_at.is_not(None))
    ).rowcount or 0
    report.exports_deleted = session.execute(
        delete(DataExport).where(DataExport.expires_at.is_not(None), DataExport.expires_at <= now)).rowcount or 0
    report.login_throttles_deleted = session.execute(
        delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - timedelta(
            seconds=settings.login_failure_seconds))).rowcount or 0
    created_before = add_months(now, -settings.inactive_months)
    report.flagged_ids = list(session.scalars(select(User.id).where(
        User.last_login_at.is_(None), User.created_at < created_before, User.anonymised_at.is_(None),
        User.inactive_flagged_at.is_(None)).order_by(User.id)))
    if report.flagged_ids:
        session.execute(update(User).where(User.id.in_(report.flagged_ids)).values(inactive_flagged_at=now))
    report.accounts_flagged = len(report.flagged_ids)
    session.flush()
    return report


def flagged_accounts(session: Session, limit: int = 100) -> list[tuple[int, str, str, datetime, datetime]]:
    """Accounts flagged as never used, still not used: (id, name, email, created, flagged)."""
    return [tuple(r) for r in session.execute(
        select(User.id, User.name, User.email, User.created_at, User.inactive_flagged_at)
        .where(User.inactive_flagged_at.is_not(None), User.last_login_at.is_(None), User.anonymised_at.is_(None))
        .order_by(User.inactive_flagged_at, User.id).limit(limit))]


@dataclass(frozen=True)
class InventoryRow:
    table: str
    column: str
    category: str
    #: rows holding a value in this column
    rows: int
    #: distinct people those rows belong to (None for data no person link reaches)
    people: int | None
    purpose: str
    retention: str


def _has_value(column):
    """SQL: the column holds something (not NULL, not empty text, not an empty JSON object or list)."""
    if isinstance(column.type, JSON):
        return column.is_not(None) & (func.length(cast(column, Text)) > 2)
    if isinstance(column.type, (String, Text)):
        return column.is_not(None) & (column != "")
    return column.is_not(None)


def inventory(session: Session) -> list[InventoryRow]:
    """Every registered column that holds personal data, with how many rows and people hold it:
    the record of processing UU PDP asks the controller to keep."""
    found = []
    for policy in POLICIES:
        table = db.metadata.tables[policy.table]
        owners = policy.owner_links()
        for name, category in policy.personal().items():
            column = table.c[name]
            rows = session.scalar(select(func.count()).select_from(table).where(_has_value(column))) or 0
            people = None
            if owners:
                people = session.scalar(select(func.count(func.distinct(table.c[owners[0].column])))
                                        .where(_has_value(column))) or 0
            found.append(InventoryRow(policy.table, name, category, rows, people, policy.purpose, policy.retention))
    return found
