"""Is this host ready for traffic? The database answers, its schema is at the code's migration head,
and the rate-limit storage (Redis when configured) answers.

``/healthz`` only asks the database (cheap, for the proxy's liveness checks); ``/readyz`` asks all
three, for a deploy script or an orchestrator deciding whether to send users to a host.
"""
from __future__ import annotations

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text

OK = "ok"


def code_heads(app: Flask) -> frozenset[str]:
    """The migration head(s) of the code this process runs (read once: the files do not change)."""
    heads = app.extensions.get("elearn_migration_heads")
    if heads is None:
        heads = frozenset(ScriptDirectory(app.extensions["migrate"].directory).get_heads())
        app.extensions["elearn_migration_heads"] = heads
    return heads


def _database_and_migrations(app: Flask) -> tuple[str, str]:
    from elearn.extensions import db

    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
    except Exception:  # any driver error: the host cannot serve
        return "unreachable", "unknown"
    expected = code_heads(app)
    if current == expected:
        return OK, OK
    if not current:
        return OK, "not migrated: run flask db upgrade"
    return OK, (f"database at {', '.join(sorted(current))}, code expects {', '.join(sorted(expected))}: "
                "run flask db upgrade")


def _rate_limit_storage(app: Flask) -> str:
    from elearn.extensions import limiter

    uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if not app.config.get("RATELIMIT_ENABLED", True) or uri.startswith("memory://"):
        return "not used (memory)"
    try:
        return OK if limiter.storage.check() else "unreachable"
    except Exception:  # a storage client that raises instead of answering False
        return "unreachable"


def readiness(app: Flask) -> tuple[bool, dict[str, str]]:
    """(ready, a reason per check)."""
    database, migrations = _database_and_migrations(app)
    checks = {"database": database, "migrations": migrations, "rate_limit_storage": _rate_limit_storage(app)}
    ready = database == OK and migrations == OK and checks["rate_limit_storage"] in (OK, "not used (memory)")
    return ready, checks
