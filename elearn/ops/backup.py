"""Making a backup: the whole database, consistent while the site runs, and the signing key.

- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the row counts and the migration
  revision are read in it and ``pg_dump -Fc --snapshot`` dumps exactly what it sees.
- SQLite: the online backup API copies the file page by page under a read lock (writers wait,
  readers do not); counts and revision are read from the copy.
- The signing key (``SIGNING_KEY`` or its file) lives outside the database. With a passphrase
  (``BACKUP_PASSPHRASE``) it goes into the backup sealed; without one the backup names the key
  (id and public key) and the operator keeps the key file as a separate secret.

The result is one tar file (``elearn.ops.archive``), mode 0600: it holds personal data and
password hashes, so it is kept like the database itself.
"""
from __future__ import annotations

import platform
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata as package_metadata
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url

from elearn.ops import pgtools
from elearn.ops.archive import (FORMAT, FORMAT_VERSION, PG_DUMP, SEALED_KEY, SQLITE_COPY, BackupError, seal_key,
                                write_archive)
from elearn.ops.database import engine_for, revision, sqlite_path, table_counts
from elearn.services.credentials import key_id, public_multibase, signing_key_from_pem

NAME_PREFIX = "binapustaka-"
NAME_SUFFIX = ".tar"
SOFTWARE = ("Flask", "SQLAlchemy", "alembic", "psycopg", "cryptography")


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def default_name(now: datetime) -> str:
    """``binapustaka-20261129T230501Z.tar``: names sort by time."""
    return f"{NAME_PREFIX}{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}{NAME_SUFFIX}"


def backup_dir(app: Flask) -> Path:
    return Path(app.config.get("BACKUP_DIR") or Path(app.instance_path) / "backups")


def current_key_pem(app: Flask) -> bytes | None:
    """The site's signing key as PEM, or None when it has none yet (a backup never makes one)."""
    if app.config.get("SIGNING_KEY"):
        return app.config["SIGNING_KEY"].encode()
    path = Path(app.config.get("SIGNING_KEY_FILE") or Path(app.instance_path) / "signing-key.pem")
    return path.read_bytes() if path.exists() else None


def key_summary(pem: bytes) -> dict:
    public = signing_key_from_pem(pem).public_key()
    return {"key_id": key_id(public), "public_key": public_multibase(public)}


def _software() -> dict:
    versions = {"python": platform.python_version()}
    for name in SOFTWARE:
        try:
            versions[name] = package_metadata.version(name)
        except package_metadata.PackageNotFoundError:
            continue
    return versions


def _snapshot_postgres(url: str, work: Path) -> tuple[dict, Path]:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                tool = pgtools.check_dump_tool(conn)
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
                described = {"dialect": "postgresql", "server_version": pgtools.server_version(conn),
                             "dump_tool": tool, "revision": revision(conn), "tables": table_counts(conn)}
                out = work / PG_DUMP
                pgtools.dump(url, snapshot, out)
    finally:
        engine.dispose()
    return described, out


def _snapshot_sqlite(url: str, work: Path) -> tuple[dict, Path]:
    source_path = sqlite_path(url)
    if not Path(source_path).exists():
        raise BackupError("no_database", f"the SQLite database {source_path} does not exist")
    out = work / SQLITE_COPY
    copy_sqlite(source_path, out)
    engine = engine_for(f"sqlite:///{out}")
    try:
        with engine.connect() as conn:
            described = {"dialect": "sqlite", "server_version": sqlite3.sqlite_version, "dump_tool": "sqlite3 backup API",
                         "revision": revision(conn), "tables": table_counts(conn)}
    finally:
        engine.dispose()
    return described, out


def copy_sqlite(source_path: str | Path, target_path: str | Path) -> None:
    """Copy a SQLite database with the online backup API (consistent while others read and write)."""
    source = sqlite3.connect(str(source_path))
    target = sqlite3.connect(str(target_path))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def snapshot(url: str, work: Path) -> tuple[dict, Path]:
    """(what the database held: dialect, versions, revision, rows per table; the dump or copy file)."""
    dialect = make_url(url).get_backend_name()
    if dialect == "postgresql":
        return _snapshot_postgres(url, work)
    if dialect == "sqlite":
        return _snapshot_sqlite(url, work)
    raise BackupError("unsupported_database", f"backups support PostgreSQL and SQLite, not {dialect}")


def create_backup(app: Flask, target: Path | None, passphrase: str | None, now: datetime) -> BackupResult:
    """Back the site up into ``target`` (default: BACKUP_DIR/binapustaka-<time>.tar)."""
    if target is None:
        target = backup_dir(app) / default_name(now)
    target = Path(target)
    if target.exists():
        raise BackupError("exists", "already exists: a backup never overwrites a file")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = current_key_pem(app)
    with tempfile.TemporaryDirectory(prefix=".binapustaka-backup-", dir=target.parent) as work:
        database, dump_file = snapshot(app.config["SQLALCHEMY_DATABASE_URI"], Path(work))
        files = {dump_file.name: dump_file}
        signing = None
        if pem is not None:
            signing = {**key_summary(pem), "included": bool(passphrase)}
            if passphrase:
                sealed = Path(work) / SEALED_KEY
                sealed.write_bytes(seal_key(pem, passphrase))
                files[SEALED_KEY] = sealed
                signing["sealing"] = "scrypt + AES-256-GCM"
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                    "created_at": now.astimezone(timezone.utc).isoformat(), "database": database,
                    "software": _software(), "signing_key": signing,
                    "retired_signing_keys": app.config.get("RETIRED_SIGNING_KEYS") or ""}
        write_archive(target, manifest, files)
    return BackupResult(target, manifest)


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups named by ``default_name`` in ``directory``; the deleted."""
    if keep < 1:
        raise BackupError("bad_keep", "--keep must be at least 1")
    ours = sorted(p for p in directory.glob(f"{NAME_PREFIX}*{NAME_SUFFIX}") if p.is_file())
    doomed = ours[:-keep]
    for path in doomed:
        path.unlink()
    return doomed
