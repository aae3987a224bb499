"""The WSGI layer around the app: a request id, the access line, the request metrics.

It wraps everything Flask does (extensions' refusals such as 429 included), so every response
carries ``X-Request-ID`` and is counted and timed. The endpoint (a route name, never a raw path)
labels the metrics; requests that match no route are labelled ``unmatched``.
"""
from __future__ import annotations

import logging
import time
import uuid

from flask import Flask, request, request_started

from elearn.observability import metrics
from elearn.observability.logs import loggable_path, request_id_var, sane_request_id

REQUEST_ID_HEADER = "X-Request-ID"
_ENDPOINT_KEY = "elearn.endpoint"
_PATH_KEY = "elearn.loggable_path"
access_log = logging.getLogger("elearn.access")


class RequestMiddleware:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        request_id = sane_request_id(environ.get("HTTP_X_REQUEST_ID")) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        seen: dict = {}

        def start(status: str, headers: list, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0])
            seen["length"] = next((v for k, v in headers if k.lower() == "content-length"), None)
            headers = [(k, v) for k, v in headers if k.lower() != REQUEST_ID_HEADER.lower()]
            headers.append((REQUEST_ID_HEADER, request_id))
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        try:
            return self.wsgi_app(environ, start)
        finally:
            self._record(environ, seen, time.perf_counter() - started)
            request_id_var.reset(token)

    @staticmethod
    def _record(environ, seen: dict, seconds: float) -> None:
        status = seen.get("status", 500)
        endpoint = environ.get(_ENDPOINT_KEY) or "unmatched"
        method = environ.get("REQUEST_METHOD", "")
        metrics.observe_request(method, endpoint, status, seconds)
        if access_log.isEnabledFor(logging.INFO):
            path = environ.get(_PATH_KEY) or loggable_path(environ.get("PATH_INFO", ""), None, matched=False)
            access_log.info("%s %s %s %.1fms", method, path, status, seconds * 1000, extra={
                "method": method, "path": path, "endpoint": endpoint, "status": status,
                "duration_ms": round(seconds * 1000, 2), "bytes": seen.get("length")})


def _note_endpoint(sender, **extra) -> None:
    """Before the app's own hooks run: remember the route name and a path safe to log."""
    matched = request.url_rule is not None
    request.environ[_ENDPOINT_KEY] = request.endpoint if matched else None
    request.environ[_PATH_KEY] = loggable_path(request.path, request.view_args, matched)


def init_app(app: Flask) -> None:
    app.wsgi_app = RequestMiddleware(app.wsgi_app)
    request_started.connect(_note_endpoint, app)
