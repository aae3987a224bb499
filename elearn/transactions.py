"""Read requests without a transaction round trip, and connections checked without one (PostgreSQL).

On PostgreSQL every request used to cost, besides its queries, three round trips to the server: the
pool's ping before handing out the connection, BEGIN before the first query and ROLLBACK when the
session closed. The ROLLBACK also threw away psycopg's prepared statements (it deallocates them after
every rollback, which may have undone a PREPARE), so no query of a page was ever prepared: the
server parsed and planned each of them on every request. (SQLite has no round trips, and pysqlite
already begins a transaction only before the first write.)

- A GET view marked :func:`read_only` runs its queries in autocommit (no BEGIN, no ROLLBACK, the
  prepared statements stay). A write in it is refused with :class:`ReadOnlyRequestError`, on every
  database, so a test of the page fails loudly the day the page starts writing.
- A GET view marked :func:`read_mostly` (the module page: it records the first view of a module) reads
  the same way; its first statement that is not a plain SELECT (INSERT, UPDATE, DELETE, SAVEPOINT,
  SELECT … FOR UPDATE) first turns the connection back to transactions, so that statement and every
  later one run in a real transaction, committed or rolled back as before. At PostgreSQL's READ
  COMMITTED every statement sees its own snapshot anyway, so the reads before it see what they saw in
  a transaction.
- ``pool_pre_ping`` on PostgreSQL (psycopg) becomes :func:`_ping_when_needed`: a connection that rested less than
  PING_AFTER and whose socket is silent is handed out as it is; one the server has closed (restart,
  ``pg_terminate_backend``: the server says so on the socket) or that rested longer is pinged, and
  replaced if the ping fails.
"""
from __future__ import annotations

import select
import time
from functools import lru_cache, wraps

from flask import Flask, g, request
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError

#: a connection idle longer than this is pinged before use (a firewall or pgbouncer may have dropped it
#: without a word)
PING_AFTER = 30.0
_OPTION = "elearn_reads"  # execution option on the request's connection: "only" or "mostly"


class ReadOnlyRequestError(RuntimeError):
    """A view marked read_only tried to write."""

    code = "read_only_request"


def read_only(view):
    """Mark a GET view that never writes: its reads run without a transaction; a write is refused."""
    view._elearn_reads = "only"
    return view


def read_mostly(view):
    """Mark a GET view that reads and sometimes writes: it reads without a transaction, and its first
    write opens one (committed by the view, rolled back otherwise, as in any request)."""
    view._elearn_reads = "mostly"
    return view


def init_app(app: Flask, db) -> None:
    with app.app_context():
        engine = db.engine
    postgres = engine.dialect.name == "postgresql"
    event.listen(engine, "before_cursor_execute", _guard)
    if postgres and app.config.get("DB_PING_WHEN_NEEDED"):
        event.listen(engine, "checkin", _checked_in)
        event.listen(engine, "checkout", _ping_when_needed(engine.dialect))

    @app.before_request
    def _start_reading():
        mode = _mode_of(app)
        session = db.session()
        if mode is None or session.in_transaction():
            return  # a session already in a transaction (tests share one across requests) stays in it
        if postgres:
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT", _OPTION: mode})
        elif mode == "only":  # SQLite: nothing to save, but the write guard holds on every database
            session.connection(execution_options={_OPTION: mode})
        else:
            return
        g._elearn_reading = True

    @app.teardown_request
    def _stop_reading(exc=None):
        """Give the reading connection back with the request (tests keep one session across requests;
        a real request's session is closed right after, which rolls back just the same)."""
        if g.pop("_elearn_reading", False) and db.session().in_transaction():
            db.session.rollback()


def _mode_of(app: Flask) -> str | None:
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return None
    return getattr(app.view_functions.get(request.endpoint), "_elearn_reads", None)


@lru_cache(maxsize=1024)
def _plain_read(statement: str) -> bool:
    words = statement.lstrip().upper()
    return words.startswith("SELECT") and not any(
        lock in words for lock in (" FOR UPDATE", " FOR NO KEY UPDATE", " FOR SHARE", " FOR KEY SHARE"))


def _guard(conn, cursor, statement, parameters, context, executemany) -> None:
    mode = conn.get_execution_options().get(_OPTION)
    if mode is None or _plain_read(statement):
        return
    if mode == "only":
        raise ReadOnlyRequestError(f"a read_only view tried to write: {statement.split()[0]} …")
    dbapi_connection = conn.connection.dbapi_connection
    if getattr(dbapi_connection, "autocommit", False):
        # psycopg sends BEGIN before this statement; the connection's isolation level is reset to
        # the engine's default when it goes back to the pool, as for any AUTOCOMMIT connection
        dbapi_connection.autocommit = False


def _checked_in(dbapi_connection, record) -> None:
    record.info["elearn_idle_since"] = time.monotonic()


def _ping_when_needed(dialect):
    def _check_out(dbapi_connection, record, proxy) -> None:
        """The pre-ping without its round trip while nothing suggests the connection is gone."""
        idle_since = record.info.get("elearn_idle_since")
        if idle_since is None:
            return  # just connected
        if time.monotonic() - idle_since < PING_AFTER and not _socket_has_news(dbapi_connection):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool replaces it and tries again
            raise DisconnectionError(f"connection failed its ping: {exc}") from exc

    return _check_out


def _socket_has_news(dbapi_connection) -> bool:
    """Between two requests the server says nothing unless it closes the connection: any byte waiting
    (its goodbye, or the end of the stream) or a connection psycopg already knows broken counts."""
    if dbapi_connection.closed or dbapi_connection.broken:
        return True
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
