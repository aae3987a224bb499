"""Anonymising a person: irreversible, by the registry, keeping every id so every figure stays right.

What happens (each table's rules are declared in ``registry.py``):
- name, email and NIP become a pseudonym ("Peserta terhapus #<id>", ``deleted-<id>@binapustaka.invalid``,
  no NIP), the password an unusable value, the account disabled: it can no longer log in, and its
  sessions end at once (a session is only honoured for an active account: services.users);
- reset links, archives and unit supervision of the person are deleted;
- free text in the person's records is cleared (feedback comments, action-plan texts and the
  supervisor's comments on them, the reason of their requests), typed quiz answers removed (chosen
  option indexes stay for question statistics), names, emails, NIPs and notes removed from audit
  details about them, and the IP addresses of what they did;
- their certificates are withdrawn at the holder's request: the completion still counts
  (services.completion), the public page shows no personal details;
- enrollments, progress, completions, scores, ratings and plan dates stay: reports give the same totals.
The audit entry it writes names the request and counts rows, never the data it removed.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from elearn.extensions import db
from elearn.models import LoginThrottle, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.privacy.registry import POLICIES, Link, TablePolicy
from elearn.services.privacy.rules import Context, Rule

#: Shorter strings would match too much unrelated text in audit details.
MIN_NEEDLE = 3


class AnonymiseError(Exception):
    """``code``: unknown_user, already_anonymised."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Outcome:
    user_id: int
    #: table -> rows changed or deleted
    rows: dict[str, int]


def anonymise_person(session: Session, user_id: int, *, actor_id: int | None, request_id: int | None = None
                     ) -> Outcome:
    """Anonymise ``user_id`` per the registry (see the module rules); flushes, the caller commits."""
    user = session.get(User, user_id)
    if user is None:
        raise AnonymiseError("unknown_user")
    if user.anonymised_at is not None:
        raise AnonymiseError("already_anonymised")
    needles = tuple(sorted({v.strip().casefold() for v in (user.name, user.email, user.nip)
                            if v and len(v.strip()) >= MIN_NEEDLE}))
    context = Context(user_id=user_id, now=utcnow(), needles=needles)
    user_email = user.email
    session.flush()
    rows: dict[str, int] = {}
    # the person's own row last: rules of other tables may still need the old values
    for policy in sorted(POLICIES, key=lambda p: p.table == "users"):
        table = db.metadata.tables[policy.table]
        for link in policy.links:
            changed = _apply(session, table, policy, link, context)
            if changed:
                rows[policy.table] = rows.get(policy.table, 0) + changed
    # failed-login counts are keyed by the typed email, not the account (registry: login_throttles)
    throttles = session.execute(delete(LoginThrottle).where(LoginThrottle.email == user_email)).rowcount or 0
    if throttles:
        rows["login_throttles"] = throttles
    session.expire_all()
    record_event(session, "privacy.anonymised", actor_id=actor_id, subject_id=user_id, request=request_id,
                 rows=rows)
    session.flush()
    return Outcome(user_id, rows)


def _apply(session: Session, table, policy: TablePolicy, link: Link, ctx: Context) -> int:
    where = table.c[link.column] == ctx.user_id
    if link.owner and link.delete:
        return session.execute(delete(table).where(where)).rowcount or 0
    rules = policy.rules() if link.owner else link.rules
    if not rules:
        return 0
    constant = {name: rule for name, rule in rules.items() if not rule.reads}
    per_row = {name: rule for name, rule in rules.items() if rule.reads}
    changed = 0
    if constant:
        values = {name: rule.compute(ctx, {}) for name, rule in constant.items()}
        changed = session.execute(update(table).where(where).values(**values)).rowcount or 0
    if per_row:
        changed = max(changed, _apply_per_row(session, table, where, per_row, ctx))
    return changed


def _apply_per_row(session: Session, table, where, rules: dict[str, Rule], ctx: Context) -> int:
    reads = sorted({column for rule in rules.values() for column in rule.reads})
    keys = [c for c in table.primary_key.columns]
    count = 0
    for row in session.execute(select(*keys, *(table.c[c] for c in reads)).where(where)).mappings():
        values = {name: rule.compute(ctx, dict(row)) for name, rule in rules.items()}
        session.execute(update(table).where(*(k == row[k.name] for k in keys)).values(**values))
        count += 1
    return count
