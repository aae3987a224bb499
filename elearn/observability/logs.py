"""Log lines: plain text or JSON (``LOG_FORMAT``), each carrying the id of the request it belongs to.

Our loggers live under ``elearn`` (Flask's ``app.logger`` is ``elearn`` too); one handler on that
logger writes to standard error, where gunicorn and systemd collect it. Outside a request the id is
``-`` (CLI commands, start-up).

What never goes into a log line: passwords, tokens (password links, session cookies, CSRF, the
metrics token) and quiz answers. The access line names the route and a path whose secret parts are
masked, never the query string, headers or form fields; SQL parameters are hidden by the engine
(``hide_parameters`` in the config) and the rows SQLAlchemy would print at DEBUG are dropped.
``tests/web/test_observability_logs.py`` checks it with every logger at DEBUG.
"""
from __future__ import annotations

import logging
import re
from contextvars import ContextVar

from flask import Flask
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
#: what the proxy may hand us as a request id (nginx's $request_id is 32 hex digits)
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
#: view arguments whose values are secrets and are masked in logged paths
SECRET_VIEW_ARGS = frozenset({"token"})
#: an unmatched path may still carry a secret (a mistyped link): long opaque segments are masked
_OPAQUE_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_-]{16,}(?=/|$)")
MASK = "[redacted]"

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
_handler: logging.Handler | None = None


def sane_request_id(value: str | None) -> str | None:
    """The incoming X-Request-ID if it is safe to log and echo (short, no spaces or controls)."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return None


def loggable_path(path: str, view_args: dict | None, matched: bool) -> str:
    """The request path with secret view arguments (or, unmatched, any long opaque segment) masked."""
    if not matched:
        return _OPAQUE_SEGMENT.sub(MASK, path)
    for name, value in (view_args or {}).items():
        if name in SECRET_VIEW_ARGS and value:
            path = path.replace(str(value), MASK)
    return path


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class NoResultRows(logging.Filter):
    """Drops SQLAlchemy's DEBUG records: they print result rows (answers, e-mail addresses, hashes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_NO_RESULT_ROWS = NoResultRows()


def _formatter(kind: str) -> logging.Formatter:
    if kind == "json":
        return JsonFormatter("{levelname}{name}{message}", style="{", timestamp="time",
                             rename_fields={"levelname": "level", "name": "logger"})
    return logging.Formatter(TEXT_FORMAT)


def init_app(app: Flask) -> None:
    """Send the ``elearn`` loggers to standard error in the configured format and level."""
    global _handler
    kind = str(app.config["LOG_FORMAT"]).lower()
    if kind not in FORMATS:
        raise RuntimeError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {kind!r}")
    level = str(app.config["LOG_LEVEL"]).upper()
    if not isinstance(logging.getLevelName(level), int):
        raise RuntimeError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
    logger = logging.getLogger("elearn")
    if _handler is None:  # logging is per process: one handler however many apps are built
        _handler = logging.StreamHandler()
        _handler.addFilter(RequestIdFilter())
        logger.addHandler(_handler)
    logger.removeHandler(default_handler)
    logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NO_RESULT_ROWS)  # idempotent for one instance
    _handler.setFormatter(_formatter(kind))
    logger.setLevel(level)
