"""The "my data" archive: everything the platform holds about a person, as a ZIP of JSON (for
machines) and CSV (for people), built from the registry (``registry.py``).

Rules:
- the archive holds the person's rows of every registered table (their owner links, and the rows
  where they acted that concern nobody else), with the columns the registry exports; ids of courses,
  modules, quizzes and units come with their titles; quiz attempts list each question with the
  person's answer and mark, never the answer key;
- it is built in the request when the person has at most PRIVACY_EXPORT_INLINE_ROWS rows, otherwise
  by ``flask privacy run`` (scheduled; see docs/privacy.md); either way it is stored in the database
  (hosts stay stateless) and downloadable by its owner only, until PRIVACY_EXPORT_HOURS have passed;
  ``privacy prune`` deletes expired archives.
"""
from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import date, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from elearn.extensions import db
from elearn.models import DataExport
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.exports import to_csv
from elearn.services.privacy.registry import POLICIES, REGISTRY, TablePolicy

#: Tables whose ids the archive explains with a readable label column.
LABELS = {"courses": "title", "modules": "title", "quizzes": "title", "units": "name"}
FORMAT = "binapustaka-my-data"
VERSION = 1


def _rows_where(policy: TablePolicy, user_id: int):
    """The SQL condition for the person's exported rows of a table (None: nothing exported)."""
    table = db.metadata.tables[policy.table]
    conditions = []
    for link in policy.links:
        if not link.export:
            continue
        condition = table.c[link.column] == user_id
        if link.export_where is not None:
            condition = condition & link.export_where(table, user_id)
        conditions.append(condition)
    return or_(*conditions) if conditions else None


def count_rows(session: Session, user_id: int) -> int:
    """How many rows the person's archive would hold (decides between building now and later)."""
    total = 0
    for policy in POLICIES:
        where = _rows_where(policy, user_id)
        if where is not None:
            table = db.metadata.tables[policy.table]
            total += session.scalar(select(func.count()).select_from(table).where(where)) or 0
    return total


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def collect(session: Session, user_id: int) -> dict[str, list[dict]]:
    """Table name -> the person's rows (exported columns, labels, extras), for every registered table."""
    found: dict[str, list[dict]] = {}
    for policy in POLICIES:
        where = _rows_where(policy, user_id)
        if where is None:
            continue
        table = db.metadata.tables[policy.table]
        exported = policy.exported()
        order = list(table.primary_key.columns)
        rows = []
        for raw in session.execute(select(table).where(where).order_by(*order)).mappings():
            row = {name: _plain(raw[name]) for name in exported}
            if policy.export_extra is not None:
                row.update(policy.export_extra(dict(raw)))
            rows.append(row)
        _add_labels(session, table, exported, rows)
        found[policy.table] = rows
    return found


def _add_labels(session: Session, table, exported: list[str], rows: list[dict]) -> None:
    for name in exported:
        column = table.c[name]
        for fk in column.foreign_keys:
            label = LABELS.get(fk.column.table.name)
            if label is None or not rows:
                continue
            target = fk.column.table
            ids = {row[name] for row in rows if row[name] is not None}
            names = {key: value for key, value in session.execute(
                select(target.c.id, target.c[label]).where(target.c.id.in_(ids)))} if ids else {}
            key = f"{name.removesuffix('_id')}_{label}"
            for row in rows:
                row[key] = names.get(row[name])


def _cell(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def archive(session: Session, user_id: int, *, locale: str, now: datetime) -> bytes:
    """The ZIP: data.json, one CSV per table under csv/, and a README in the person's language."""
    data = collect(session, user_id)
    with force_locale(locale):
        readme = [_("Data pribadi Anda di BinaPustaka"), "",
                  _("Dibuat %(when)s (UTC).", when=now.replace(microsecond=0).isoformat()), "",
                  _("data.json berisi semua data dalam satu berkas untuk dibaca program; folder csv/ berisi "
                    "tabel yang sama untuk dibuka dengan aplikasi lembar kerja."), ""]
        readme += [f"csv/{name}.csv: {REGISTRY[name].title} ({len(rows)})" for name, rows in data.items()]
        readme += ["", _("Arsip ini tidak memuat kata sandi, kunci jawaban kuis, atau data orang lain.")]
    document = {"format": FORMAT, "version": VERSION, "generated_at": now.isoformat(), "person_id": user_id,
                "tables": data}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", "\n".join(str(line) for line in readme) + "\n")
        zf.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=1))
        for name, rows in data.items():
            headers = list(rows[0]) if rows else REGISTRY[name].exported()
            zf.writestr(f"csv/{name}.csv", to_csv(headers, [[_cell(row.get(h)) for h in headers] for row in rows]))
    return out.getvalue()


def request_export(session: Session, user_id: int, *, locale: str, inline_rows: int, hours: int,
                   now: datetime | None = None) -> DataExport:
    """A new archive for the person: built now when small, else left pending for ``privacy run``. One
    waiting archive at a time (asking again returns it); a new one replaces the person's earlier
    archives, so copies of their data do not pile up."""
    now = now or utcnow()
    waiting = session.scalars(select(DataExport).where(DataExport.user_id == user_id,
                                                       DataExport.state.in_(("pending", "building")))).first()
    if waiting is not None:
        return waiting
    session.execute(delete(DataExport).where(DataExport.user_id == user_id))
    export = DataExport(user_id=user_id, state="pending", requested_at=now, locale=locale)
    session.add(export)
    session.flush()
    record_event(session, "privacy.export_requested", actor_id=user_id, subject_id=user_id, export=export.id)
    if count_rows(session, user_id) <= inline_rows:
        _build(session, export, hours=hours, now=now)
    return export


def _build(session: Session, export: DataExport, *, hours: int, now: datetime) -> None:
    content = archive(session, export.user_id, locale=export.locale, now=now)
    export.content, export.size, export.state = content, len(content), "ready"
    export.built_at, export.expires_at = now, now + timedelta(hours=hours)
    session.flush()


def build_pending(session: Session, *, hours: int, claim_minutes: int = 30, limit: int = 20,
                  now: datetime | None = None) -> int:
    """Build waiting archives (oldest first); each is claimed by a conditional UPDATE so two hosts
    running the command never build the same one, and a claim older than ``claim_minutes`` (a builder
    that died) is taken over; one that fails is marked "failed" (the person sees it and asks again).
    Commits after each archive. Returns how many were built."""
    now = now or utcnow()
    stale = now - timedelta(minutes=claim_minutes)
    waiting = (DataExport.state == "pending") | ((DataExport.state == "building") & (DataExport.claimed_at < stale))
    built = 0
    for export_id in session.scalars(select(DataExport.id).where(waiting).order_by(DataExport.requested_at)
                                     .limit(limit)).all():
        claimed = session.execute(update(DataExport).where(DataExport.id == export_id, waiting)
                                  .values(state="building", claimed_at=now)).rowcount
        session.commit()
        if claimed != 1:
            continue
        export = session.get(DataExport, export_id)
        try:
            _build(session, export, hours=hours, now=utcnow())
        except Exception as exc:  # one broken archive must not stop the others; the person may ask again
            session.rollback()
            logging.getLogger(__name__).exception("building archive %s failed", export_id)
            session.execute(update(DataExport).where(DataExport.id == export_id)
                            .values(state="failed", error=type(exc).__name__[:200]))
        else:
            built += 1
        session.commit()
    return built


def exports_of(session: Session, user_id: int) -> list[DataExport]:
    """The person's archives, newest first (without their content)."""
    return list(session.scalars(select(DataExport).where(DataExport.user_id == user_id)
                                .order_by(DataExport.requested_at.desc(), DataExport.id.desc()).limit(10)))


def downloadable(session: Session, export_id: int, user_id: int, now: datetime | None = None) -> DataExport | None:
    """The archive if it is the person's own, built, and not expired; None otherwise."""
    export = session.get(DataExport, export_id)
    now = now or utcnow()
    if export is None or export.user_id != user_id or export.state != "ready" or export.expires_at is None \
            or export.expires_at <= now:
        return None
    return export
