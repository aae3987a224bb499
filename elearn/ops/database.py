"""What backup and restore need to know about a database: its tables and rows, its migration
revision, and how to bring a schema to the code's head inside a transaction the caller holds."""
from __future__ import annotations

from alembic import command
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import create_engine, func, inspect, select, table
from sqlalchemy.engine import Connection, Engine, make_url

from elearn.config import normalise_database_url
from elearn.ops.archive import BackupError


def engine_for(url: str) -> Engine:
    """An engine of our own for ``url`` (parameters never shown in logs or errors)."""
    try:
        return create_engine(normalise_database_url(url), hide_parameters=True)
    except Exception as exc:  # a malformed URL or an unknown driver: say so, do not trace back
        raise BackupError("bad_url", f"cannot use the database URL: {exc}") from None


def sqlite_path(url: str) -> str:
    """The file of a SQLite URL; BackupError for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise BackupError("in_memory", "an in-memory SQLite database cannot be backed up or restored")
    return database


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per table, for every table in the database's default schema (alembic_version included)."""
    names = sorted(inspect(conn).get_table_names())
    return {name: conn.execute(select(func.count()).select_from(table(name))).scalar() for name in names}


def revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at (several heads joined by commas), None when not migrated."""
    heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def holding_data(counts: dict[str, int]) -> dict[str, int]:
    """The tables that hold rows; the migration bookkeeping alone does not make a database full."""
    return {name: n for name, n in counts.items() if n and name != "alembic_version"}


def upgrade_within(app: Flask, conn: Connection, target: str = "head") -> None:
    """Run the migrations on ``conn`` inside its open transaction (needs ``app``'s context)."""
    config = app.extensions["migrate"].migrate.get_config()
    config.attributes["connection"] = conn
    try:
        command.upgrade(config, target)
    except Exception as exc:  # an unknown revision (a backup from newer code) or a failing migration
        raise BackupError("migration_failed", f"the schema could not be brought to {target}: {exc}") from None


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(normalise_database_url(url)).render_as_string(hide_password=True)
