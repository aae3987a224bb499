"""Command-line interface: `flask --app wsgi courses …`, `users …`, `quiz …`, `certificates …`, `backup …`
(the last in elearn/ops/cli.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from elearn.extensions import db

courses_cli = AppGroup("courses", help="Check and sync the Markdown courses.")
users_cli = AppGroup("users", help="Manage accounts.")
quiz_cli = AppGroup("quiz", help="Convert quizzes to and from Moodle GIFT.")
certificates_cli = AppGroup("certificates", help="Signing key and offline verification of credentials.")


def _courses_dir(directory: str | None) -> Path:
    return Path(directory or current_app.config["COURSES_DIR"])


@courses_cli.command("check")
@click.argument("directory", required=False)
def courses_check(directory: str | None) -> None:
    """Validate course folders without touching the database; print each course's claimed hours
    next to the estimate; exit 1 on any error."""
    from elearn.content.course_check import check_courses
    from elearn.content.problems import has_errors

    root = _courses_dir(directory)
    if not root.is_dir():
        click.echo(f"{root}:0: error: not a directory", err=True)
        sys.exit(1)
    checked = check_courses(root, current_app.config["TASK_MAX_FILES"])
    problems = checked.problems
    for problem in problems:
        click.echo(str(problem))
    for estimate in checked.estimates:
        click.echo(str(estimate))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(1 if has_errors(problems) else 0)


@courses_cli.command("sync")
@click.argument("directory", required=False)
@click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")
@click.option("--yes", is_flag=True, help="Retire courses whose folder is gone without asking.")
@click.option("--force", is_flag=True, help="Replace courses whose latest version was published in the studio.")
def courses_sync(directory: str | None, dry_run: bool, yes: bool, force: bool) -> None:
    """Bring the database up to date with the course folders (idempotent; per-course transactional);
    each changed folder is published as a new course version.

    Only courses synced earlier from DIRECTORY itself can be retired, and only after confirmation
    (or --yes); without an answer (no terminal) they stay live. A course whose latest version was
    published in the studio and is not what its folder holds is left alone (exit 1) unless --force.
    """
    from elearn.services.course_sync import courses_to_retire, sync_catalog

    root = _courses_dir(directory)
    if not root.is_dir():
        click.echo(f"{root}:0: error: not a directory", err=True)
        sys.exit(1)
    from elearn.services.certificates import issue_missing

    retiring = courses_to_retire(db.session, root)
    retire = bool(retiring) and (dry_run or yes or _confirm_retiring(root, retiring))
    if dry_run:
        outer = db.session.begin_nested()
        report = sync_catalog(db.session, root, retire_missing=retire, force=force)
        outer.rollback()
        db.session.rollback()
        click.echo("dry run: nothing was changed; a sync would do this:")
    else:
        report = sync_catalog(db.session, root, retire_missing=retire, force=force)
        db.session.commit()
        # a course that turned certificates on owes them to the people who completed it before
        issued = issue_missing(db.session)
        db.session.commit()
        if issued:
            click.echo(f"certificates: {issued} issued for earlier completions")
    _print_sync_report(report)
    if retiring and not retire:
        click.echo(f"kept {len(retiring)} course(s) live: {', '.join(retiring)} "
                   "(run again with --yes to retire them)", err=True)
    sys.exit(1 if report.failed else 0)


@courses_cli.command("export")
@click.argument("slug")
@click.argument("directory")
@click.option("--version", "number", type=int, help="Version number (default: the latest).")
def courses_export(slug: str, directory: str, number: int | None) -> None:
    """Write a course version's files, byte for byte, to DIRECTORY/SLUG/ (a course folder that
    `courses sync` or a studio upload turns back into the same version)."""
    from elearn.models import Course
    from elearn.services.course_versions import get_version, latest_version, version_files, write_folder

    course = db.session.scalar(db.select(Course).where(Course.slug == slug))
    version = None
    if course is not None:
        version = latest_version(db.session, course.id) if number is None else get_version(db.session, course.id,
                                                                                           number)
    if version is None:
        click.echo(f"{slug}:0: error: no such course or version", err=True)
        sys.exit(1)
    target = Path(directory) / slug
    if target.exists() and any(target.iterdir()):
        click.echo(f"{target}:0: error: folder exists and is not empty; export into an empty place", err=True)
        sys.exit(1)
    files = version_files(db.session, version)
    write_folder(files, target)
    click.echo(f"{slug}: version {version.number} ({len(files)} files, {version.content_hash[:12]}) written to {target}")


def _confirm_retiring(root: Path, slugs: list[str]) -> bool:
    click.echo(f"These courses were synced from {root.resolve()} and their folders are gone: {', '.join(slugs)}")
    try:
        return click.confirm(f"Retire {len(slugs)} course(s) no longer in {root}?", default=False)
    except click.Abort:  # no answer (no terminal): retire nothing
        click.echo("")
        return False


def _print_sync_report(report) -> None:
    for problem in report.problems:
        click.echo(str(problem), err=True)
    for change in sorted(report.courses, key=lambda c: c.slug):
        click.echo(
            f"{change.slug}: {change.outcome} (modules: {change.modules_added} added, "
            f"{change.modules_updated} updated, {change.modules_unchanged} unchanged, {change.modules_retired} retired)"
        )
    click.echo(
        f"courses: {report.count('added')} added, {report.count('updated')} updated, "
        f"{report.count('unchanged')} unchanged, {report.count('retired')} retired, {report.count('failed')} failed, "
        f"{report.count('refused')} refused; "
        f"modules: {report.module_total('modules_added')} added, {report.module_total('modules_updated')} updated, "
        f"{report.module_total('modules_unchanged')} unchanged, {report.module_total('modules_retired')} retired"
    )


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name as printed on certificates.")
@click.option("--role", type=click.Choice(["learner", "trainer", "supervisor", "admin"]), default="learner",
              show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
def users_create(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create an account. The password comes from a prompt or stdin, never from an argument."""
    from elearn.services.users import AccountError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        created = create_user(db.session, email, name, password, role)
    except AccountError as exc:
        db.session.rollback()
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"created {created.role} {created.email} (id {created.id})")


DEMO_ACCOUNTS = (
    ("admin@demo.binapustaka.id", "Admin Demo", "admin"),
    ("pelatih@demo.binapustaka.id", "Pelatih Demo", "trainer"),
    ("kepala@demo.binapustaka.id", "Kepala Perpustakaan Demo", "supervisor"),
    ("pustakawan@demo.binapustaka.id", "Pustakawan Demo", "learner"),
)
DEMO_PASSWORD = "demo-binapustaka"
#: The demo supervisor supervises this unit, where the demo learner works.
DEMO_UNIT = "Perpustakaan Kota Bontang (demo)"


@users_cli.command("demo")
def users_demo() -> None:
    """Create the demo accounts (development only) and print their credentials."""
    from sqlalchemy import select

    from elearn.models import User
    from elearn.services.course_staff import adopt_unstaffed_courses
    from elearn.services.users import create_user

    if current_app.config["ENV_NAME"] == "production":
        click.echo("error: demo accounts are not created in production", err=True)
        sys.exit(1)
    from elearn.models import Unit, UnitSupervisor

    unit = db.session.scalar(select(Unit).where(Unit.name == DEMO_UNIT))
    if unit is None:
        unit = Unit(name=DEMO_UNIT)
        db.session.add(unit)
        db.session.flush()
    for email, name, role in DEMO_ACCOUNTS:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            created = create_user(db.session, email, name, DEMO_PASSWORD, role)
            user = db.session.get(User, created.id)
            user.unit_id = unit.id
            if role == "supervisor":
                db.session.add(UnitSupervisor(user_id=user.id, unit_id=unit.id))
    db.session.flush()
    trainer_id = db.session.scalar(select(User.id).where(User.email == DEMO_ACCOUNTS[1][0]))
    adopted = adopt_unstaffed_courses(db.session, trainer_id)
    db.session.commit()
    click.echo("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
    for email, _name, role in DEMO_ACCOUNTS:
        click.echo(f"  {role:<11} {email}")
    if adopted:
        click.echo(f"The demo trainer owns the {len(adopted)} course(s) that had no staff: {', '.join(adopted)}")


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        click.echo(f"{path}:0: error: no such file", err=True)
    except UnicodeDecodeError as exc:
        click.echo(f"{path}:0: error: not UTF-8 text ({exc.reason} at byte {exc.start})", err=True)
    except OSError as exc:
        click.echo(f"{path}:0: error: {exc.strerror}", err=True)
    sys.exit(1)


def _write_output(text: str, out: str | None, force: bool) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    target = Path(out)
    if target.exists() and not force:
        click.echo(f"{out}:0: error: already exists (use --force to overwrite)", err=True)
        sys.exit(1)
    target.write_text(text, encoding="utf-8")


@quiz_cli.command("import-gift")
@click.argument("file")
@click.option("--out", "out", help="Write the quiz here (NN-module.quiz.md); default: standard output.")
@click.option("--title", default="", help="Quiz title for the front matter.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Words for true/false answers (Benar/Salah or True/False).")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def quiz_import_gift(file: str, out: str | None, title: str, lang: str, force: bool) -> None:
    """Convert a Moodle GIFT file into a BinaPustaka quiz. Skipped questions are reported with their line."""
    from elearn.content.gift import import_gift

    markdown, result = import_gift(_read_text(file), file, title=title, lang=lang,
                                   out_path=out or "quiz.quiz.md")
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if markdown is None:
        sys.exit(1)
    _write_output(markdown, out, force)
    click.echo(f"{len(result.questions)} question(s) converted, {result.skipped} skipped"
               + (f", written to {out}" if out else ""), err=True)


@quiz_cli.command("export-gift")
@click.argument("file")
@click.option("--out", "out", help="Write the GIFT file here; default: standard output.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def quiz_export_gift(file: str, out: str | None, force: bool) -> None:
    """Convert a BinaPustaka quiz (*.quiz.md) into Moodle GIFT."""
    from elearn.content.gift import export_gift
    from elearn.content.quiz import parse_quiz

    quiz, problems = parse_quiz(_read_text(file), file)
    for problem in problems:
        click.echo(str(problem), err=True)
    if quiz is None:
        sys.exit(1)
    gift, notes = export_gift(quiz)
    for note in notes:
        click.echo(str(note), err=True)
    _write_output(gift, out, force)
    click.echo(f"{len(quiz.questions)} question(s) exported" + (f" to {out}" if out else ""), err=True)


@certificates_cli.command("verify")
@click.argument("file")
def certificates_verify(file: str) -> None:
    """Check a downloaded credential (JSON): signature, issued fields, and the site's status."""
    import json

    from sqlalchemy import select

    from elearn.models import Certificate
    from elearn.models._types import utcnow
    from elearn.services.credentials import (base_of, build_credential, check_signature, code_of, differences,
                                             site_verification_keys)

    try:
        document = json.loads(_read_text(file))
    except json.JSONDecodeError as exc:
        click.echo(f"{file}:{exc.lineno}: error: not JSON: {exc.msg}", err=True)
        sys.exit(1)
    if not isinstance(document, dict):
        click.echo(f"{file}:1: error: not a credential (expected a JSON object)", err=True)
        sys.exit(1)
    reasons = check_signature(document, site_verification_keys(current_app.config, current_app.instance_path))
    code = code_of(document)
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code)) if code else None
    if certificate is None:
        reasons.append("unknown certificate: this site never issued the code in the credential's id")
    else:
        # withdrawn at the holder's request: their details were removed, nothing personal to compare or print
        if certificate.withdrawn_at is None:
            genuine = build_credential(certificate, base_of(document) or "")
            reasons.extend(f"tampered field {d}" for d in differences(document, genuine))
        state = certificate.state_at(utcnow())
        if state == "withdrawn":
            reasons.append(f"withdrawn at the holder's request per the site on {certificate.withdrawn_at:%Y-%m-%d}")
        elif state == "revoked":
            reasons.append(f"revoked per the site on {certificate.revoked_at:%Y-%m-%d} "
                           f"(reason: {certificate.revoked_reason})")
        elif state == "expired":
            reasons.append(f"expired per the site on {certificate.expires_at:%Y-%m-%d}")
    if reasons:
        for reason in reasons:
            click.echo(f"{file}: invalid: {reason}")
        sys.exit(1)
    signer = str(document["proof"].get("verificationMethod", "")).rsplit("#", 1)[-1]
    click.echo(f"{file}: valid: {certificate.serial}, {certificate.learner_name}, {certificate.course_title} "
               f"(v{certificate.course_version}), {certificate.hours} JP; signature by {signer}")


@certificates_cli.command("issue-missing")
def certificates_issue_missing() -> None:
    """Issue the certificates owed for completions that have none (idempotent)."""
    from elearn.services.certificates import issue_missing

    issued = issue_missing(db.session)
    db.session.commit()
    click.echo(f"certificates: {issued} issued")


@certificates_cli.command("keygen")
def certificates_keygen() -> None:
    """Create the signing key file (SIGNING_KEY_FILE or instance/signing-key.pem) if it does not exist."""
    from elearn.services.credentials import generate_key_file, key_id, load_signing_key, public_multibase

    if current_app.config.get("SIGNING_KEY"):
        click.echo("error: SIGNING_KEY is set; the key comes from the environment", err=True)
        sys.exit(1)
    path = Path(current_app.config.get("SIGNING_KEY_FILE") or Path(current_app.instance_path) / "signing-key.pem")
    created = generate_key_file(path)
    public = load_signing_key(current_app.config, current_app.instance_path).public_key()
    click.echo(f"{'created' if created else 'kept existing'} {path} ({key_id(public)}, public key "
               f"{public_multibase(public)})")


def init_app(app: Flask) -> None:
    from elearn.certificates.completion_cli import completion_cli
    from elearn.ops.cli import backup_cli
    from elearn.notifications.cli import notify_cli
    from elearn.privacy.cli import privacy_cli

    app.cli.add_command(privacy_cli)
    app.cli.add_command(notify_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(quiz_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(completion_cli)
