"""``/metrics`` (Prometheus, behind METRICS_TOKEN) and ``/readyz``."""
from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, request

from elearn.extensions import limiter
from elearn.observability.metrics import CONTENT_TYPE, exposition
from elearn.observability.readiness import readiness

bp = Blueprint("ops", __name__)


def _token_matches(expected: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())


@bp.get("/metrics")
@limiter.exempt
def metrics():
    """Prometheus text format. 404 while METRICS_TOKEN is unset; 401 without ``Authorization: Bearer <token>``."""
    expected = current_app.config.get("METRICS_TOKEN")
    if not expected:
        abort(404)
    if not _token_matches(expected):
        return Response("metrics need Authorization: Bearer <METRICS_TOKEN>\n", 401,
                        {"WWW-Authenticate": 'Bearer realm="metrics"', "Content-Type": "text/plain; charset=utf-8"})
    return Response(exposition(current_app), 200, {"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"})


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """200 when the database answers at the code's migration head and the rate-limit storage answers; 503 otherwise."""
    ready, checks = readiness(current_app)
    body = {"status": "ready" if ready else "unavailable", **checks}
    return body, 200 if ready else 503, {"Cache-Control": "no-store"}
