"""`flask --app wsgi notify …`: make the reminders that are due and send pending emails."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from elearn.extensions import db

notify_cli = AppGroup("notify", help="Reminders and notification emails.")


def _site_context():
    """A request context whose address is PUBLIC_URL, so links in notifications and emails are right."""
    return current_app.test_request_context("/", base_url=current_app.config.get("PUBLIC_URL") or "http://localhost")


def run_once() -> None:
    from elearn.models._types import utcnow
    from elearn.services.notification_mail import deliver_pending
    from elearn.services.reminders import run_reminders

    with _site_context():
        report = run_reminders(db.session, utcnow(), current_app.config["TIME_ZONE"],
                               digest_weekday=current_app.config["NOTIFY_DIGEST_WEEKDAY"])
        db.session.commit()
        click.echo(f"notifications created: {report.total}"
                   + "".join(f"\n  {kind}: {n}" for kind, n in sorted(report.created.items())))
        if current_app.config.get("MAIL_URL"):
            sent = deliver_pending(db.session)
            click.echo(f"emails sent: {sent.sent}, to retry later: {sent.retry_later}, failed for good: {sent.failed}, "
                       f"skipped: {sent.skipped}")
        else:
            click.echo("email: off (MAIL_URL is not set)")


@notify_cli.command("run")
@click.option("--loop", is_flag=True, help="Run again every --every seconds (for containers without a timer).")
@click.option("--every", default=3600, show_default=True, type=click.IntRange(60, 86400))
def notify_run(loop: bool, every: int) -> None:
    """Create the reminders that are due and send pending emails (idempotent; schedule it hourly)."""
    while True:
        run_once()
        if not loop:
            return
        db.session.remove()
        time.sleep(every)


@notify_cli.command("status")
def notify_status() -> None:
    """Emails per state and the latest delivery failures."""
    from elearn.services.notification_mail import mail_status

    status = mail_status(db.session)
    click.echo("email: " + ("on" if current_app.config.get("MAIL_URL") else "off (MAIL_URL is not set)"))
    for state in ("pending", "sending", "sent", "failed", "none"):
        click.echo(f"{state}\t{status.by_state.get(state, 0)}")
    for notification_id, kind, error, attempts in status.failed:
        click.echo(f"notification {notification_id} ({kind}): {attempts} attempt(s), last error: {error}")
