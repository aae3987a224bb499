"""Restore drills: a filled site is backed up, restored into a fresh database, and every table is
compared row by row; the restored site shows the certificate page and checks the credential.
SQLite → SQLite always; PostgreSQL → PostgreSQL and SQLite → PostgreSQL when the suite runs on
PostgreSQL (CI's second run)."""
from __future__ import annotations

import io
import json
import tarfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from elearn.extensions import db
from elearn.models import User
from elearn.ops.archive import MANIFEST, read_archive
from elearn.ops.archive import BackupError
from elearn.ops.backup import prune
from elearn.ops.copy import copy_site
from elearn.services.credentials import generate_key_file
from sitefill import PASSWORD, all_rows, fill_site, make_app

PASSPHRASE = "frasa sandi cadangan yang panjang"


@pytest.fixture
def new_database(database_url, tmp_path):
    """new_database(kind) -> URL of a fresh, empty database ("sqlite" or "postgresql"), dropped afterwards."""
    made: list[str] = []
    admin_url = make_url(database_url)

    def make(kind: str) -> str:
        if kind == "sqlite":
            return "sqlite:///" + str(tmp_path / f"drill-{uuid.uuid4().hex[:8]}.sqlite")
        if admin_url.get_backend_name() != "postgresql":
            pytest.skip("PostgreSQL drills run when the suite runs on PostgreSQL (TEST_DATABASE_URL)")
        name = f"{admin_url.database}_drill_{uuid.uuid4().hex[:8]}"
        with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return admin_url.set(database=name).render_as_string(hide_password=False)

    yield make
    if made:
        engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def run(app, *args, passphrase: str | None = PASSPHRASE):
    app.config["BACKUP_PASSPHRASE"] = passphrase
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def site_at(new_database, tmp_path, kind: str, name: str = "site"):
    folder = tmp_path / name
    folder.mkdir()
    app = make_app(new_database(kind), folder)
    return app, fill_site(app, folder)


def assert_same_site(source_app, restored_app):
    before, after = all_rows(source_app), all_rows(restored_app)
    assert set(before) == set(after)
    for table, rows in before.items():
        assert after[table] == rows, f"table {table} differs after the restore"
    assert len(before["certificates"]) == 2 and len(before["course_assets"]) == 1 and before["audit_events"]


def assert_restored_site_works(restored_app, filled, tmp_path):
    """The verification page, the credential check and a login work; new rows get fresh ids."""
    client = restored_app.test_client()
    page = client.get(f"/verify/{filled.certificate_code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert filled.learner_name in html and filled.certificate_serial in html
    document = tmp_path / "kredensial.json"
    document.write_text(json.dumps(filled.credential), encoding="utf-8")
    checked = restored_app.test_cli_runner().invoke(args=["certificates", "verify", str(document)])
    assert checked.exit_code == 0 and f"valid: {filled.certificate_serial}" in checked.output, checked.output
    assert client.post("/login", data={"email": "ani@contoh.id", "password": PASSWORD}).status_code == 302
    asset = client.get("/courses/katalogisasi/assets/logo.png")
    assert asset.status_code == 200 and asset.data.endswith(b"\x00\xff\x10")
    with restored_app.app_context():
        from elearn.services.users import create_user

        newest = max(db.session.scalars(db.select(User.id)))
        created = create_user(db.session, "baru@contoh.id", "Pengguna Baru", PASSWORD, "learner")
        db.session.commit()
        assert created.id > newest
        db.engine.dispose()


def drill(new_database, tmp_path, source_kind: str, target_kind: str):
    source_app, filled = site_at(new_database, tmp_path, source_kind)
    archive = tmp_path / "cadangan.tar"
    made = run(source_app, "backup", "create", archive)
    assert made.exit_code == 0, made.output
    assert "sealed with BACKUP_PASSPHRASE" in made.output

    restored_folder = tmp_path / "restored"
    restored_folder.mkdir()
    restored_app = make_app(new_database(target_kind), restored_folder)
    restored = run(restored_app, "backup", "restore", archive)
    assert restored.exit_code == 0, restored.output
    assert (restored_folder / "signing-key.pem").read_bytes() == (tmp_path / "site" / "signing-key.pem").read_bytes()
    assert oct((restored_folder / "signing-key.pem").stat().st_mode & 0o777) == "0o600"
    assert_same_site(source_app, restored_app)
    assert_restored_site_works(restored_app, filled, tmp_path)


def test_sqlite_site_restores_row_for_row(new_database, tmp_path):
    drill(new_database, tmp_path, "sqlite", "sqlite")


def test_postgresql_site_restores_row_for_row(new_database, tmp_path):
    drill(new_database, tmp_path, "postgresql", "postgresql")


def test_sqlite_backup_restores_into_postgresql_row_for_row(new_database, tmp_path):
    drill(new_database, tmp_path, "sqlite", "postgresql")


def test_sqlite_site_moves_to_postgresql_row_for_row(new_database, tmp_path):
    source_app, filled = site_at(new_database, tmp_path, "sqlite")
    target = new_database("postgresql")
    moved = run(source_app, "backup", "migrate", target)
    assert moved.exit_code == 0, moved.output
    assert "the SQLite database is unchanged" in moved.output
    moved_app = make_app(target, tmp_path / "site")  # the same host: the same key file
    assert_same_site(source_app, moved_app)
    assert_restored_site_works(moved_app, filled, tmp_path)
    again = run(source_app, "backup", "migrate", target)
    assert again.exit_code == 1 and "holds data" in again.output


# --- refusals ------------------------------------------------------------------------------------

@pytest.fixture
def backed_up(new_database, tmp_path):
    """A filled SQLite site and its backup (signing key sealed)."""
    source_app, filled = site_at(new_database, tmp_path, "sqlite")
    archive = tmp_path / "cadangan.tar"
    assert run(source_app, "backup", "create", archive).exit_code == 0
    return source_app, filled, archive


def test_a_database_holding_data_is_refused_without_force_and_replaced_with_it(backed_up, new_database, tmp_path):
    source_app, _filled, archive = backed_up
    other_app, _ = site_at(new_database, tmp_path, "sqlite", name="other")
    other_rows = all_rows(other_app)
    refused = run(other_app, "backup", "restore", archive, "--skip-key")
    assert refused.exit_code == 1
    assert "holds data" in refused.output and "--force" in refused.output
    assert all_rows(other_app) == other_rows
    forced = run(other_app, "backup", "restore", archive, "--force", "--skip-key")
    assert forced.exit_code == 0, forced.output
    assert_same_site(source_app, other_app)


def test_a_migrated_but_empty_database_counts_as_empty(backed_up, new_database, tmp_path):
    from flask_migrate import upgrade

    source_app, _filled, archive = backed_up
    (tmp_path / "empty").mkdir()
    empty_app = make_app(new_database("sqlite"), tmp_path / "empty")
    with empty_app.app_context():
        upgrade()
        db.engine.dispose()
    assert run(empty_app, "backup", "restore", archive).exit_code == 0
    assert_same_site(source_app, empty_app)


def test_the_sealed_key_needs_the_passphrase_and_a_free_place(backed_up, new_database, tmp_path):
    _source_app, _filled, archive = backed_up
    (tmp_path / "target").mkdir()
    target_app = make_app(new_database("sqlite"), tmp_path / "target")
    without = run(target_app, "backup", "restore", archive, passphrase=None)
    assert without.exit_code == 1 and "BACKUP_PASSPHRASE" in without.output
    wrong = run(target_app, "backup", "restore", archive, passphrase="bukan ini")
    assert wrong.exit_code == 1 and "passphrase does not open" in wrong.output
    generate_key_file(tmp_path / "target" / "signing-key.pem")  # another key is already in place
    conflict = run(target_app, "backup", "restore", archive)
    assert conflict.exit_code == 1 and "holds another signing key" in conflict.output
    with target_app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM sqlite_master WHERE type='table'")).scalar() == 0
        db.engine.dispose()  # nothing was restored: the key was decided first


def test_without_a_passphrase_the_key_is_named_and_left_out(new_database, tmp_path):
    source_app, _filled = site_at(new_database, tmp_path, "sqlite")
    archive = tmp_path / "tanpa-kunci.tar"
    made = run(source_app, "backup", "create", archive, passphrase=None)
    assert made.exit_code == 0
    assert "NOT in the backup" in made.output
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == ["database.sqlite", "manifest.json"]
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    assert manifest["signing_key"]["included"] is False and manifest["signing_key"]["key_id"].startswith("key-")
    (tmp_path / "fresh").mkdir()
    fresh_app = make_app(new_database("sqlite"), tmp_path / "fresh")
    restored = run(fresh_app, "backup", "restore", archive, passphrase=None)
    assert restored.exit_code == 0
    assert "does not hold the signing key" in restored.output


def test_a_damaged_or_foreign_file_is_refused(backed_up, tmp_path):
    source_app, _filled, archive = backed_up
    damaged = tmp_path / "rusak.tar"
    data = bytearray(archive.read_bytes())
    offset = data.find(b"SQLite format 3")
    data[offset + 5000] ^= 0xFF
    damaged.write_bytes(bytes(data))
    checked = run(source_app, "backup", "check", damaged)
    assert checked.exit_code == 1 and "database.sqlite: checksum differs" in checked.output
    assert run(source_app, "backup", "restore", damaged, "--force").exit_code == 1
    foreign = tmp_path / "bukan.tar"
    foreign.write_text("bukan cadangan")
    refused = run(source_app, "backup", "check", foreign)
    assert refused.exit_code == 1 and f"{foreign}:0: error: not a BinaPustaka backup" in refused.output
    intact = run(source_app, "backup", "check", archive)
    assert intact.exit_code == 0 and "intact" in intact.output and "certificates" in intact.output


def test_a_postgresql_restore_is_all_or_nothing(new_database, tmp_path):
    source_app, _filled = site_at(new_database, tmp_path, "postgresql")
    archive = tmp_path / "cadangan.tar"
    assert run(source_app, "backup", "create", archive).exit_code == 0
    forged = tmp_path / "dipalsukan.tar"  # the manifest claims one user more than the dump holds
    with tarfile.open(archive) as tar, tarfile.open(forged, "w") as out:
        for member in tar.getmembers():
            body = tar.extractfile(member).read()
            if member.name == MANIFEST:
                manifest = json.loads(body)
                manifest["database"]["tables"]["users"] += 1
                body = json.dumps(manifest).encode()
                member.size = len(body)
            out.addfile(member, io.BytesIO(body))
    (tmp_path / "target").mkdir()
    target_url = new_database("postgresql")
    target_app = make_app(target_url, tmp_path / "target")
    failed = run(target_app, "backup", "restore", forged)
    assert failed.exit_code == 1 and "rolled back" in failed.output and "users" in failed.output
    with target_app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar() == 0
        db.engine.dispose()


def test_a_postgresql_backup_does_not_go_into_sqlite(new_database, tmp_path):
    source_app, _filled = site_at(new_database, tmp_path, "postgresql")
    archive = tmp_path / "cadangan.tar"
    assert run(source_app, "backup", "create", archive).exit_code == 0
    (tmp_path / "lite").mkdir()
    refused = run(make_app(new_database("sqlite"), tmp_path / "lite"), "backup", "restore", archive)
    assert refused.exit_code == 1 and "restores into PostgreSQL only" in refused.output


def test_create_never_overwrites_and_keep_prunes_the_oldest(backed_up, tmp_path):
    source_app, _filled, archive = backed_up
    again = run(source_app, "backup", "create", archive)
    assert again.exit_code == 1 and "already exists" in again.output
    folder = tmp_path / "harian"
    folder.mkdir()
    for day in range(1, 5):
        (folder / f"binapustaka-2026110{day}T020000Z.tar").write_bytes(b"x")
    (folder / "catatan.txt").write_text("bukan cadangan")
    source_app.config["BACKUP_DIR"] = str(folder)
    made = run(source_app, "backup", "create", "--keep", "2")
    assert made.exit_code == 0, made.output
    newest = Path(made.output.split()[1]).name
    assert newest.startswith("binapustaka-2") and newest > "binapustaka-20261104T020000Z.tar"
    assert sorted(p.name for p in folder.iterdir()) == ["binapustaka-20261104T020000Z.tar", newest, "catatan.txt"]
    for day in (1, 2, 3):
        assert f"deleted {folder / f'binapustaka-2026110{day}T020000Z.tar'}" in made.output
    with pytest.raises(BackupError, match="at least 1"):
        prune(folder, 0)


def test_manifest_names_revision_counts_versions_and_checksums(backed_up, tmp_path):
    source_app, _filled, archive = backed_up
    manifest, files = read_archive(archive, tmp_path)
    rows = all_rows(source_app)
    assert manifest["database"]["revision"] == rows["alembic_version"][0][0]
    assert {name: count for name, count in manifest["database"]["tables"].items()} == {
        name: len(table_rows) for name, table_rows in rows.items()}
    assert {"python", "SQLAlchemy", "alembic", "Flask"} <= set(manifest["software"])
    assert set(manifest["files"]) == {"database.sqlite", "signing-key.enc"} == set(files)
    assert all(len(info["sha256"]) == 64 for info in manifest["files"].values())


def test_the_copy_names_a_value_the_target_would_cut_or_refuse(tmp_path):
    from elearn.extensions import Base

    source = create_engine("sqlite:///" + str(tmp_path / "sumber.sqlite"))
    target = create_engine("sqlite:///" + str(tmp_path / "tujuan.sqlite"))
    Base.metadata.create_all(source)
    Base.metadata.create_all(target)
    with source.begin() as conn:  # SQLite keeps what PostgreSQL would refuse
        conn.execute(text("INSERT INTO users (id, email, name, password_hash, role, active, created_at) "
                          "VALUES (7, :email, 'Panjang', 'x', 'learner', 1, '2026-01-01 00:00:00')"),
                     {"email": "a" * 300 + "@contoh.id"})
    with source.connect() as src, target.connect() as dst:
        with pytest.raises(BackupError, match=r"users row id=7, column email: 310 characters, the column holds 254"):
            copy_site(src, dst, Base.metadata)
    with source.begin() as conn:
        conn.execute(text("UPDATE users SET email = 'a@contoh.id'"))
        conn.execute(text("UPDATE users SET name = 'ada' || char(0) || 'nul'"))
    with source.connect() as src, target.connect() as dst:
        with pytest.raises(BackupError, match=r"users row id=7, column name: holds a NUL character"):
            copy_site(src, dst, Base.metadata)
