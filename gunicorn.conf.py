"""gunicorn settings read automatically when gunicorn starts in this folder (see README, Production).

Workers, bind address and the rest come from the command line; this file only adds what every
deployment wants.
"""
import gc


def post_worker_init(worker):
    """Move everything the app built at start-up out of the garbage collector's sight.

    A worker holds ~150,000 long-lived objects (SQLAlchemy, Jinja, Babel, the app). Without this,
    every full collection walks all of them: measured 40–80 ms stalls of a request now and then
    (bench/pages.py). Objects created later are collected as usual.
    """
    gc.freeze()
