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
_ROUTE_KEY = "elearn.route"
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
        method = environ.get("REQUEST_METHOD", "")
        rule, view_args = environ.get(_ROUTE_KEY, (None, None))
        endpoint = rule.endpoint if rule is not None else "unmatched"
        metrics.observe_request(method, endpoint, status, seconds)
        if access_log.isEnabledFor(logging.INFO):
            path = loggable_path(environ.get("PATH_INFO", ""), view_args, matched=rule is not None)
            access_log.info("%s %s %s %.1fms", method, path, status, seconds * 1000, extra={
                "method": method, "path": path, "endpoint": endpoint, "status": status,
                "duration_ms": round(seconds * 1000, 2), "bytes": seen.get("length")})


def _note_route(sender, **extra) -> None:
    """Before the app's own hooks run: keep the matched route for the access line and the metrics
    (Flask drops its request object from the environ when the request ends)."""
    current = request._get_current_object()
    current.environ[_ROUTE_KEY] = (current.url_rule, current.view_args)


def init_app(app: Flask) -> None:
    app.wsgi_app = RequestMiddleware(app.wsgi_app)
    request_started.connect(_note_route, app)
