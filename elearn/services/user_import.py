"""Bulk account creation from a CSV file, with a report of every row.

Columns (header row required, any order): email, name, role (default learner), nip, unit.
Rows are judged one by one: created, skipped (the email already has an account) or rejected
(with the reason). Created accounts get a one-time link to set their password. The whole import
is one transaction: if anything unexpected fails, nothing is stored.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import Unit, User
from elearn.services.password_reset import issue_reset_token
from elearn.services.users import AccountProblem, account_problem, create_user, normalise_email

REQUIRED_COLUMNS = ("email", "name")
KNOWN_COLUMNS = ("email", "name", "role", "nip", "unit")
MAX_ROWS = 5000


@dataclass
class ImportRow:
    line: int
    email: str
    outcome: str  # created | skipped | rejected
    #: why a row was skipped or rejected: an AccountProblem (code + parameters; pages translate it)
    reason: AccountProblem | None = None
    user_id: int | None = None
    token: str | None = None  # one-time set-password token for created accounts


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    #: the file as a whole could not be read: a code ("not_utf8", "missing_columns", "too_many_rows") and
    #: its parameters; pages translate it
    error: str | None = None
    error_params: dict = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


def import_users_csv(session: Session, data: bytes | str, *, actor_id: int | None, reset_hours: int = 24) -> ImportReport:
    """Create the accounts described by the CSV ``data``; see the module docstring."""
    report = ImportReport()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.error = "not_utf8"
            return report
    try:
        dialect = csv.Sniffer().sniff(data[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(data), dialect=dialect)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        report.error, report.error_params = "missing_columns", {"missing": ", ".join(missing),
                                                                "expected": ", ".join(KNOWN_COLUMNS)}
        return report
    reader.fieldnames = header
    units = {u.name.strip().lower(): u.id for u in session.scalars(select(Unit))}
    existing = set(session.scalars(select(User.email)))
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if len(report.rows) >= MAX_ROWS:
            report.error, report.error_params = "too_many_rows", {"line": line, "max": MAX_ROWS}
            break
        values = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(values.values()):
            continue
        email = normalise_email(values.get("email", ""))
        name = values.get("name", "")
        role = (values.get("role") or "learner").lower()
        problem = account_problem(email, name, role)
        unit_name = values.get("unit", "")
        unit_id = None
        if not problem and unit_name:
            unit_id = units.get(unit_name.lower())
            if unit_id is None:
                problem = AccountProblem("unknown_unit", {"unit": unit_name})
        if problem:
            report.rows.append(ImportRow(line, email, "rejected", problem))
            continue
        if email in existing:
            report.rows.append(ImportRow(line, email, "skipped", AccountProblem("email_taken", {"email": email})))
            continue
        if email in seen:
            report.rows.append(ImportRow(line, email, "rejected", AccountProblem("duplicate_in_file", {})))
            continue
        seen.add(email)
        created = create_user(session, email, name, None, role, nip=values.get("nip"), unit_id=unit_id,
                              actor_id=actor_id)
        token = issue_reset_token(session, created.id, actor_id=actor_id, hours=reset_hours)
        report.rows.append(ImportRow(line, email, "created", user_id=created.id, token=token))
    return report
