"""`flask --app wsgi completion …`: the worker that records queued course completions (COMPLETION_QUEUE)."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from elearn.extensions import db

completion_cli = AppGroup("completion", help="Course completions queued by passed final exams (COMPLETION_QUEUE).")


@completion_cli.command("run")
@click.option("--loop", is_flag=True, help="Keep running: check the queue again every --every seconds.")
@click.option("--every", default=2.0, show_default=True, type=click.FloatRange(0.1, 3600))
@click.option("--batch", default=25, show_default=True, type=click.IntRange(1, 10000),
              help="At most this many completions per round (each is its own transaction).")
@click.option("--quiet", default=2.0, show_default=True, type=click.FloatRange(0, 3600),
              help="With --loop: wait until nothing was queued for this many seconds (an exam hour is over) "
                   "before a round ...")
@click.option("--max-wait", default=60.0, show_default=True, type=click.FloatRange(0, 86400),
              help="... but never keep a completion waiting longer than this.")
def completion_run(loop: bool, every: float, batch: int, quiet: float, max_wait: float) -> None:
    """Record the queued completions and issue their certificates (idempotent; safe with several workers)."""
    from elearn.models._types import utcnow
    from elearn.services.completion_queue import queue_state, run_completion_checks

    while True:
        while True:  # drain: rounds of up to --batch checks, each check its own transaction
            if loop and queue_state(db.session).busy(utcnow(), quiet, max_wait):
                db.session.commit()  # the read holds nothing while the exam goes on
                break
            run = run_completion_checks(db.session, limit=batch, commit=db.session.commit)
            if run.checked:
                click.echo(f"completion checks: {run.checked} checked, {run.completed} completed, "
                           f"{run.failed} failed (queued again)")
            if run.checked == 0 or run.failed == run.checked:
                break
        if not loop:
            return
        db.session.remove()
        time.sleep(every)


@completion_cli.command("status")
def completion_status() -> None:
    """How many completions wait for the worker, and since when."""
    from elearn.services.completion_queue import queue_state

    state = queue_state(db.session)
    oldest = state.oldest.isoformat(timespec="seconds") if state.oldest else "-"
    click.echo(f"waiting\t{state.waiting}\noldest\t{oldest}")
