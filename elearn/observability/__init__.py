"""How operators see a running site: a request id on every log line and response, JSON logs when
``LOG_FORMAT=json``, Prometheus metrics at ``/metrics`` and a readiness check at ``/readyz``.

Nothing here changes what a page shows; ``init_app`` is called once at the end of ``create_app``.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from elearn.observability import logs, metrics, middleware
    from elearn.observability.routes import bp

    logs.init_app(app)
    metrics.init_app(app)
    middleware.init_app(app)
    app.register_blueprint(bp)
