"""`flask --app wsgi backup create|restore|migrate|check`: errors print as ``FILE:0: error: …``, exit 1."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from elearn.models._types import utcnow
from elearn.ops.archive import BackupError

backup_cli = AppGroup("backup", help="Back up, restore, and move a SQLite site to PostgreSQL.")


def _fail(where: str, error: BackupError) -> None:
    click.echo(f"{where}:0: error: {error.message}", err=True)
    sys.exit(1)


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1_000_000:.1f} MB"


def _print_counts(counts: dict[str, int]) -> None:
    for name, count in sorted(counts.items()):
        click.echo(f"  {name:<22} {count:>9}")


@backup_cli.command("create")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--keep", type=int, help="Afterwards delete all but the KEEP newest backups in BACKUP_DIR "
                                       "(only files named binapustaka-<time>.tar).")
def backup_create(file: Path | None, keep: int | None) -> None:
    """Back up the database and the signing key into FILE (default: BACKUP_DIR/binapustaka-<time>.tar).

    The signing key is sealed with BACKUP_PASSPHRASE; without it the key is left out and must be kept
    separately (the backup names it).
    """
    from elearn.ops.backup import backup_dir, create_backup, prune

    passphrase = current_app.config.get("BACKUP_PASSPHRASE")
    try:
        result = create_backup(current_app, file, passphrase, utcnow())
    except BackupError as error:
        _fail(str(file or backup_dir(current_app)), error)
    database, key = result.manifest["database"], result.manifest["signing_key"]
    click.echo(f"wrote {result.path} ({_megabytes(result.path)}): {database['dialect']} at revision "
               f"{database['revision']}, {len(database['tables'])} tables, {sum(database['tables'].values())} rows")
    if key is None:
        click.echo("signing key: none yet (the site has not made one)")
    elif key["included"]:
        click.echo(f"signing key {key['key_id']}: inside, sealed with BACKUP_PASSPHRASE")
    else:
        click.echo(f"warning: signing key {key['key_id']} is NOT in the backup (no BACKUP_PASSPHRASE): keep the "
                   "key file (or SIGNING_KEY) as a separate secret", err=True)
    if keep is not None:
        try:
            for path in prune(result.path.parent, keep):
                click.echo(f"deleted {path}")
        except BackupError as error:
            _fail(str(result.path.parent), error)


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "target", metavar="URL", help="Restore into this database instead of DATABASE_URL "
                                                    "(a SQLite backup may go into PostgreSQL).")
@click.option("--force", is_flag=True, help="Replace a database that holds data (everything in it is dropped).")
@click.option("--skip-key", is_flag=True, help="Restore the database only, not the signing key.")
def backup_restore(file: Path, target: str | None, force: bool, skip_key: bool) -> None:
    """Restore FILE into an empty database (refuses one that holds data unless --force)."""
    from elearn.ops.restore import restore_backup

    try:
        result = restore_backup(current_app, file, target, force=force,
                                passphrase=current_app.config.get("BACKUP_PASSPHRASE"), skip_key=skip_key)
    except BackupError as error:
        _fail(str(file), error)
    _report(f"restored {file} into {result.target}", result)


@backup_cli.command("migrate")
@click.argument("target", metavar="URL")
@click.option("--force", is_flag=True, help="Replace a database that holds data (everything in it is dropped).")
def backup_migrate(target: str, force: bool) -> None:
    """Copy this SQLite site, every row, into the empty PostgreSQL database at URL."""
    from elearn.ops.restore import migrate_site

    try:
        result = migrate_site(current_app, target, force=force)
    except BackupError as error:
        _fail(current_app.config["SQLALCHEMY_DATABASE_URI"], error)
    _report(f"moved the site into {result.target}", result)


def _report(headline: str, result) -> None:
    from elearn.observability.readiness import code_heads

    click.echo(f"{headline}: revision {result.revision}, {sum(result.counts.values())} rows")
    _print_counts(result.counts)
    for note in result.notes:
        click.echo(note)
    if result.revision not in code_heads(current_app):
        click.echo("next: flask --app wsgi db upgrade (the backup is from an earlier version of the schema)")


@backup_cli.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_check(file: Path) -> None:
    """Read FILE, check every checksum, and print what it holds (nothing is restored)."""
    import tempfile

    from elearn.ops.archive import read_archive

    with tempfile.TemporaryDirectory(prefix="binapustaka-check-") as work:
        try:
            manifest, files = read_archive(file, Path(work))
        except BackupError as error:
            _fail(str(file), error)
    database, key = manifest["database"], manifest.get("signing_key")
    click.echo(f"{file}: intact, made {manifest['created_at']}")
    click.echo(f"database: {database['dialect']} {database['server_version']} ({database['dump_tool']}), "
               f"revision {database['revision']}")
    _print_counts(database["tables"])
    if key:
        click.echo(f"signing key {key['key_id']} ({key['public_key']}): "
                   + ("inside, sealed" if key["included"] else "not inside, kept separately"))
    click.echo("files: " + ", ".join(f"{name} {info['bytes']} bytes" for name, info in sorted(manifest["files"].items())))
