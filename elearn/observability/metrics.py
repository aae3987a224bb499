"""Prometheus metrics (prometheus_client): requests, latency, database pool, quizzes, certificates.

Every metric is defined once per process, here. Under gunicorn with several workers set
``PROMETHEUS_MULTIPROC_DIR`` (an empty, writable folder; ``gunicorn.conf.py`` empties it at start and
tells the library when a worker exits): each worker then writes its values to files there and
``/metrics``, whichever worker answers, adds them up. Without it the values live in the process
that answers (one process: ``flask run``, tests, a single worker).

Site-wide figures that the database already knows (open quiz attempts now) are read when
``/metrics`` is scraped, through ``add_scrape_gauge``: open attempts, the notification emails waiting
or failed, the course completions waiting for the worker (COMPLETION_QUEUE) and the age of the oldest.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable

from flask import Flask
from prometheus_client import (REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics,
                               generate_latest)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import event, func, select

from elearn.services import events

# "_created" timestamps per series double the output and no dashboard of ours reads them
disable_created_metrics()

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: seconds; the module page answers in ~1 ms, an exam start under load in seconds
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)

REQUESTS = Counter("binapustaka_http_requests", "HTTP requests answered, by method, endpoint and status code",
                   ["method", "endpoint", "status"])
LATENCY = Histogram("binapustaka_http_request_duration_seconds",
                    "Time from receiving a request to handing the response to the server, by endpoint",
                    ["method", "endpoint"], buckets=LATENCY_BUCKETS)
DB_CHECKED_OUT = Gauge("binapustaka_db_connections_in_use", "Database connections checked out of the pool now",
                       multiprocess_mode="livesum")
DB_CAPACITY = Gauge("binapustaka_db_pool_capacity",
                    "Connections the pools may open (pool size + overflow), summed over live processes",
                    multiprocess_mode="livesum")
QUIZ_STARTS = Counter("binapustaka_quiz_attempts_started", "Quiz and exam attempts started (committed)")
QUIZ_SUBMITS = Counter("binapustaka_quiz_attempts_submitted", "Quiz and exam attempts graded (committed, once each)")
CERTIFICATES = Counter("binapustaka_certificates_issued", "Certificates issued (committed)")

ScrapeReading = Callable[[Flask], float]
_log = logging.getLogger(__name__)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def observe_request(method: str, endpoint: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(method, endpoint, str(status)).inc()
    LATENCY.labels(method, endpoint).observe(seconds)


class _ScrapeGauges:
    """Collector of the gauges read at scrape time (see ``add_scrape_gauge``)."""

    def __init__(self, app: Flask, readings: dict[str, tuple[str, ScrapeReading]]):
        self.app = app
        self.readings = readings

    def collect(self):
        for name, (documentation, read) in self.readings.items():
            try:
                value = float(read(self.app))
            except Exception:  # the database is down: the other metrics are still worth a scrape
                _log.warning("metrics: could not read %s", name, exc_info=True)
                _rollback()
                continue
            family = GaugeMetricFamily(name, documentation)
            family.add_metric([], value)
            yield family


class _Forward:
    """Collector that yields what another registry holds (the process's default one)."""

    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def collect(self):
        yield from self.registry.collect()


def add_scrape_gauge(app: Flask, name: str, documentation: str, read: ScrapeReading) -> None:
    """Export ``name`` with the value ``read(app)`` returns at each scrape (inside an app context).

    For site-wide figures the database holds; any worker reads the same value, so it is not
    added up across workers.
    """
    app.extensions["elearn_scrape_gauges"][name] = (documentation, read)


def exposition(app: Flask) -> bytes:
    """The text a Prometheus server scrapes from ``/metrics``."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        MultiProcessCollector(registry)
    else:
        registry.register(_Forward(REGISTRY))
    registry.register(_ScrapeGauges(app, app.extensions["elearn_scrape_gauges"]))
    return generate_latest(registry)


def _rollback() -> None:
    from elearn.extensions import db

    db.session.rollback()


def _open_attempts(app: Flask) -> float:
    from elearn.extensions import db
    from elearn.models import QuizAttempt

    return db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.state == "open"))


def _emails_in_state(state: str) -> ScrapeReading:
    def read(app: Flask) -> float:
        from elearn.extensions import db
        from elearn.models import Notification

        return db.session.scalar(select(func.count()).select_from(Notification)
                                 .where(Notification.email_state == state))
    return read


def _completions_waiting(app: Flask) -> float:
    from elearn.extensions import db
    from elearn.services.completion_queue import queue_state

    return queue_state(db.session).waiting


def _oldest_completion_seconds(app: Flask) -> float:
    from elearn.extensions import db
    from elearn.models._types import utcnow
    from elearn.services.completion_queue import queue_state

    oldest = queue_state(db.session).oldest
    return 0.0 if oldest is None else max(0.0, (utcnow() - oldest).total_seconds())


def _watch_pool(engine) -> None:
    pool = engine.pool
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", 0)
    if callable(size):  # a QueuePool; SQLite in memory uses a pool without a fixed size
        DB_CAPACITY.inc(size() + max(overflow, 0))
    event.listen(engine, "checkout", lambda *args: DB_CHECKED_OUT.inc())
    event.listen(engine, "checkin", lambda *args: DB_CHECKED_OUT.dec())


def init_app(app: Flask) -> None:
    from elearn.extensions import db

    app.extensions["elearn_scrape_gauges"] = {}
    add_scrape_gauge(app, "binapustaka_quiz_attempts_open",
                     "Quiz and exam attempts open now, site-wide (read from the database at scrape)", _open_attempts)
    add_scrape_gauge(app, "binapustaka_notification_emails_pending",
                     "Notification emails waiting to be sent (or retried) by `notify run`", _emails_in_state("pending"))
    add_scrape_gauge(app, "binapustaka_notification_emails_failed",
                     "Notification emails given up after MAIL_MAX_ATTEMPTS", _emails_in_state("failed"))
    add_scrape_gauge(app, "binapustaka_completions_waiting",
                     "Course completions queued by passed exams, waiting for `completion run`", _completions_waiting)
    add_scrape_gauge(app, "binapustaka_completions_oldest_seconds",
                     "Age of the oldest queued course completion (0 when none wait)", _oldest_completion_seconds)
    with app.app_context():
        _watch_pool(db.engine)
    events.subscribe(events.QUIZ_STARTED, QUIZ_STARTS.inc)
    events.subscribe(events.QUIZ_SUBMITTED, QUIZ_SUBMITS.inc)
    events.subscribe(events.CERTIFICATE_ISSUED, CERTIFICATES.inc)
