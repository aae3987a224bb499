"""`flask --app wsgi privacy …`: retention, the processing record, and building pending archives."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from elearn.extensions import db

privacy_cli = AppGroup("privacy", help="Personal data: retention, processing record, 'my data' archives.")


@privacy_cli.command("prune")
def privacy_prune() -> None:
    """Apply the retention settings: IP addresses and login events in the audit log, used or expired
    password links, expired archives; flag never-used accounts (flagged, not deleted)."""
    from elearn.models._types import utcnow
    from elearn.services.privacy.retention import RetentionSettings, prune

    settings = RetentionSettings.from_config(current_app.config)
    report = prune(db.session, settings, utcnow())
    db.session.commit()
    click.echo(f"audit IP addresses removed (older than {settings.audit_ip_days} days): {report.ips_removed}")
    click.echo(f"login events deleted (older than {settings.login_event_days} days): {report.login_events_deleted}")
    click.echo(f"password links deleted (expired or used): {report.reset_links_deleted}")
    click.echo(f"'my data' archives deleted (expired): {report.exports_deleted}")
    click.echo(f"failed-login counts deleted (older than {settings.login_failure_seconds} s): "
               f"{report.login_throttles_deleted}")
    click.echo(f"accounts flagged as never used for {settings.inactive_months} months: {report.accounts_flagged}"
               + (f" (ids {', '.join(map(str, report.flagged_ids))})" if report.flagged_ids else ""))


@privacy_cli.command("inventory")
def privacy_inventory() -> None:
    """Print every table and column that holds personal data, with counts: the record of processing."""
    from elearn.services.privacy.retention import inventory

    rows = inventory(db.session)
    click.echo("table.column\tkind of data\trows\tpeople\tpurpose\tretention")
    for row in rows:
        people = "-" if row.people is None else str(row.people)
        click.echo(f"{row.table}.{row.column}\t{row.category}\t{row.rows}\t{people}\t{row.purpose}\t{row.retention}")
    click.echo(f"{len(rows)} column(s) holding personal data in {len({r.table for r in rows})} table(s)", err=True)


@privacy_cli.command("run")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000),
              help="Archives to build in this run.")
def privacy_run(limit: int) -> None:
    """Build the 'my data' archives waiting to be built (schedule every few minutes; safe on several hosts)."""
    from elearn.services.privacy.export import build_pending

    built = build_pending(db.session, hours=current_app.config["PRIVACY_EXPORT_HOURS"], limit=limit)
    click.echo(f"archives built: {built}")
