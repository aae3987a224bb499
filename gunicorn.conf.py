"""gunicorn settings read automatically when gunicorn starts in this folder (see README, Production).

Workers, bind address and the rest come from the command line; this file only adds what every
deployment wants.
"""
import gc
import os
from pathlib import Path


def on_starting(server):
    """With PROMETHEUS_MULTIPROC_DIR set, start from an empty metrics folder.

    Each worker writes its metric values to files there and /metrics adds them up; files left by
    an earlier run would be added too (docs/operations.md, Metrics).
    """
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()


def post_worker_init(worker):
    """Move everything the app built at start-up out of the garbage collector's sight.

    A worker holds ~150,000 long-lived objects (SQLAlchemy, Jinja, Babel, the app). Without this,
    every full collection walks all of them: measured 40–80 ms stalls of a request now and then
    (bench/pages.py). Objects created later are collected as usual.
    """
    gc.freeze()


def child_exit(server, worker):
    """A worker that exits no longer counts in the gauges summed over live workers (pool in use)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
