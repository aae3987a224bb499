"""Restoring a backup, and moving a SQLite site to PostgreSQL.

Rules:
- A restore goes into an empty database (tables with no rows, e.g. after ``db upgrade``, count as
  empty); a database holding rows is refused unless ``force`` is given, and is then replaced whole.
- All or nothing: PostgreSQL runs the drop, the dump and a row-count check of every table in one
  transaction; a SQLite → PostgreSQL move drops, migrates, copies and checks in one transaction too.
  A SQLite target is replaced page by page by SQLite's backup API.
- A PostgreSQL backup restores into PostgreSQL; a SQLite backup into SQLite or PostgreSQL (the
  move up, the copy is brought to this code's migration head first).
- The signing key: a sealed key needs the passphrase, and is written (mode 0600) only where no
  key is; a different key already in place is never overwritten. Everything about the key is
  decided before the database is touched.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlalchemy import MetaData
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from elearn.config import normalise_database_url
from elearn.ops import pgtools
from elearn.ops.archive import PG_DUMP, SEALED_KEY, SQLITE_COPY, BackupError, open_key, read_archive
from elearn.ops.backup import copy_sqlite, current_key_pem, key_summary, snapshot
from elearn.ops.copy import copy_site
from elearn.ops.database import (describe, engine_for, holding_data, revision, sqlite_path, table_counts,
                                 upgrade_within)


@dataclass
class RestoreResult:
    target: str
    counts: dict[str, int]
    revision: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class _KeyPlan:
    pem: bytes | None = None  # to write at ``path`` after the database is restored
    path: Path | None = None
    note: str = ""


def _key_file(app: Flask) -> Path:
    return Path(app.config.get("SIGNING_KEY_FILE") or Path(app.instance_path) / "signing-key.pem")


def _plan_key(app: Flask, manifest: dict, files: dict, passphrase: str | None, skip_key: bool) -> _KeyPlan:
    backed_up = manifest.get("signing_key")
    if not backed_up:
        return _KeyPlan(note="the backup holds no signing key (the site had not made one)")
    wanted = backed_up["key_id"]
    current = current_key_pem(app)
    current_id = key_summary(current)["key_id"] if current else None
    if current_id == wanted:
        return _KeyPlan(note=f"signing key {wanted} already in place")
    if skip_key:
        return _KeyPlan(note=f"signing key not restored (--skip-key); the backup's key is {wanted}")
    if SEALED_KEY not in files:
        return _KeyPlan(note=f"the backup does not hold the signing key {wanted} ({backed_up['public_key']}): "
                             "put it in place from where it is kept, or credentials it signed cannot be checked")
    if not passphrase:
        raise BackupError("passphrase_needed", "the backup holds the signing key, sealed: set BACKUP_PASSPHRASE "
                                               "(or pass --skip-key to restore the database only)")
    pem = open_key(files[SEALED_KEY].read_bytes(), passphrase)
    if key_summary(pem)["key_id"] != wanted:
        raise BackupError("damaged", "the sealed signing key is not the key the manifest names")
    if current is not None:
        where = "SIGNING_KEY" if app.config.get("SIGNING_KEY") else str(_key_file(app))
        raise BackupError("key_conflict", f"{where} holds another signing key ({current_id}); the backup's is "
                                          f"{wanted}. Move that key aside first (if it signed credentials, keep "
                                          "it and list its public key in RETIRED_SIGNING_KEYS), or pass --skip-key")
    return _KeyPlan(pem=pem, path=_key_file(app), note=f"signing key {wanted} written to {_key_file(app)}")


def _write_key(plan: _KeyPlan) -> None:
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(plan.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(plan.pem)


def _refuse_if_full(counts: dict[str, int], force: bool, target: str) -> None:
    full = holding_data(counts)
    if full and not force:
        shown = ", ".join(f"{name}: {n}" for name, n in sorted(full.items())[:6])
        raise BackupError("not_empty", f"{target} holds data ({shown}{', …' if len(full) > 6 else ''}); restore "
                                       "into an empty database, or pass --force to replace everything in it")


def _into_postgres_from_dump(url: str, dump_file: Path, expected: dict[str, int], existing: dict[str, int]) -> None:
    pgtools.tool_version("pg_restore")
    pgtools.restore(url, dump_file, sorted(existing), expected)


def _into_sqlite(copy: Path, url: str) -> None:
    target = Path(sqlite_path(url))
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_sqlite(copy, target)


def copy_sqlite_into(app: Flask, copy: Path, url: str) -> dict[str, int]:
    """Bring the SQLite ``copy`` to this code's head, then replace everything in ``url`` with its rows,
    in one transaction that also checks every table's count; the rows per table."""
    from elearn.extensions import db

    source_engine, target_engine = engine_for(f"sqlite:///{copy}"), engine_for(url)
    try:
        with source_engine.begin() as source:
            upgrade_within(app, source)
        with source_engine.connect() as source, target_engine.begin() as target:
            expected = table_counts(source)
            old = MetaData()
            old.reflect(target)
            old.drop_all(target)
            upgrade_within(app, target)
            copy_site(source, target, db.metadata)
            found = table_counts(target)
            wrong = {name: (found.get(name), n) for name, n in expected.items() if found.get(name) != n}
            if wrong:
                raise BackupError("count_mismatch", "rows differ after the copy, nothing was kept: " + ", ".join(
                    f"{name} {got} instead of {want}" for name, (got, want) in sorted(wrong.items())))
    except SQLAlchemyError as exc:
        raise BackupError("copy_failed", f"the copy was rolled back, {describe(url)} is as it was: "
                                         f"{str(exc).splitlines()[0]}") from None
    finally:
        source_engine.dispose()
        target_engine.dispose()
    return expected


def _analyze(url: str) -> None:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def _state(url: str) -> tuple[dict[str, int], str | None]:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return table_counts(conn), revision(conn)
    except SQLAlchemyError as exc:
        raise BackupError("unreachable", f"cannot reach {describe(url)}: {str(exc).splitlines()[0]}") from None
    finally:
        engine.dispose()


def restore_backup(app: Flask, source: Path, target_url: str | None = None, *, force: bool = False,
                   passphrase: str | None = None, skip_key: bool = False) -> RestoreResult:
    """Restore the backup file ``source`` into ``target_url`` (default: the site's own database)."""
    from elearn.extensions import db

    url = normalise_database_url(target_url or app.config["SQLALCHEMY_DATABASE_URI"])
    target_kind = make_url(url).get_backend_name()
    with tempfile.TemporaryDirectory(prefix="binapustaka-restore-") as work:
        manifest, files = read_archive(Path(source), Path(work))
        database = manifest["database"]
        if database["dialect"] == "postgresql" and target_kind != "postgresql":
            raise BackupError("wrong_target", "a PostgreSQL backup restores into PostgreSQL only")
        if target_kind not in ("postgresql", "sqlite"):
            raise BackupError("unsupported_database", f"cannot restore into {target_kind}")
        key = _plan_key(app, manifest, files, passphrase, skip_key)
        existing, _ = _state(url)
        _refuse_if_full(existing, force, describe(url))
        if url == normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"]):
            db.engine.dispose()  # our own pooled connections must not outlive the old database
        notes = []
        if database["dialect"] == "postgresql":
            _into_postgres_from_dump(url, files[PG_DUMP], database["tables"], existing)
        elif target_kind == "sqlite":
            _into_sqlite(files[SQLITE_COPY], url)
        else:
            copy_sqlite_into(app, files[SQLITE_COPY], url)
            notes.append("moved from SQLite: the copy was brought to this code's migration head on the way")
        if target_kind == "postgresql":
            _analyze(url)
    counts, restored_revision = _state(url)
    if database["dialect"] == target_kind:
        wrong = {n: (counts.get(n), c) for n, c in database["tables"].items() if counts.get(n) != c}
        if wrong:
            raise BackupError("count_mismatch", "restored rows differ from the backup: " + ", ".join(
                f"{name} {got} instead of {want}" for name, (got, want) in sorted(wrong.items())))
    if key.pem is not None:
        _write_key(key)
    notes.append(key.note)
    return RestoreResult(describe(url), counts, restored_revision, notes)


def migrate_site(app: Flask, target_url: str, *, force: bool = False) -> RestoreResult:
    """Move the site's SQLite database to PostgreSQL at ``target_url`` (the SQLite file is left as it was)."""
    source_url = app.config["SQLALCHEMY_DATABASE_URI"]
    if make_url(source_url).get_backend_name() != "sqlite":
        raise BackupError("not_sqlite", "backup migrate moves a SQLite site; this site's DATABASE_URL is not SQLite")
    url = normalise_database_url(target_url)
    if make_url(url).get_backend_name() != "postgresql":
        raise BackupError("wrong_target", "backup migrate moves a SQLite site to PostgreSQL: give a postgresql:// URL")
    existing, _ = _state(url)
    _refuse_if_full(existing, force, describe(url))
    with tempfile.TemporaryDirectory(prefix="binapustaka-migrate-") as work:
        _described, copy = snapshot(source_url, Path(work))
        copy_sqlite_into(app, copy, url)
    _analyze(url)
    counts, restored_revision = _state(url)
    return RestoreResult(describe(url), counts, restored_revision,
                         ["the SQLite database is unchanged; point DATABASE_URL at the new database and restart"])
