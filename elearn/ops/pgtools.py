"""PostgreSQL's own client programs (Debian: postgresql-client): ``pg_dump`` writes the backup,
``pg_restore`` turns it back into SQL and ``psql`` runs that SQL in one transaction.

The password never appears on a command line (other users can read those): it goes in
``PGPASSWORD``. The dump program must be at least as new as the server it reads.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy.engine import Connection, make_url

from elearn.config import normalise_database_url
from elearn.ops.archive import BackupError


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError("missing_tool", f"{name} not found: install PostgreSQL's client programs "
                                          "(Debian: apt-get install postgresql-client)")
    return path


def tool_version(name: str) -> str:
    """``pg_dump (PostgreSQL) 15.20 …`` as the program prints it."""
    return subprocess.run([tool(name), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    return int(match.group(1)) if match else 0


def server_version(conn: Connection) -> str:
    return str(conn.exec_driver_sql("SHOW server_version").scalar())


def check_dump_tool(conn: Connection) -> str:
    """pg_dump's version; BackupError when it is older than the server (it would refuse or miss things)."""
    dump, server = tool_version("pg_dump"), server_version(conn)
    if _major(dump.rpartition("(PostgreSQL)")[2]) < _major(server):
        raise BackupError("old_tool", f"{dump} cannot dump a PostgreSQL {server} server: install the client "
                                      f"programs of version {_major(server)} or later")
    return dump


def conninfo(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the environment carrying it."""
    parsed = make_url(normalise_database_url(url))
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict, what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name}_failed", f"{what} failed: {done.stderr.strip()[-2000:]}")


def dump(url: str, snapshot: str, out: Path) -> None:
    """``pg_dump -Fc`` of the whole database as seen by ``snapshot`` (exported by an open transaction)."""
    info, env = conninfo(url)
    _run([tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={out}", f"--dbname={info}"],
         env, "pg_dump")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def restore(url: str, dump_file: Path, drop_tables: list[str], expected: dict[str, int]) -> None:
    """In one transaction: drop ``drop_tables``, run the dump, check every table's row count; all or nothing.

    Objects are created owned by the connecting user (no owners or grants from the source).
    """
    info, env = conninfo(url)
    with tempfile.TemporaryDirectory(prefix="binapustaka-restore-") as work:
        drops, checks = Path(work) / "drops.sql", Path(work) / "checks.sql"
        drops.write_text(f"DROP TABLE IF EXISTS {', '.join(map(_quote, drop_tables))} CASCADE;\n"
                         if drop_tables else "SELECT 1;\n")
        checks.write_text(_count_checks(expected))
        errors = Path(work) / "pg_restore.err"
        with open(errors, "w") as restore_err:
            to_sql = subprocess.Popen([tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump_file)],
                                      stdout=subprocess.PIPE, stderr=restore_err, env=env)
            run_sql = subprocess.Popen([tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                                        "--single-transaction", f"--dbname={info}", f"--file={drops}", "--file=-",
                                        f"--file={checks}"],
                                       stdin=to_sql.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       env=env, text=True)
            to_sql.stdout.close()
            _, psql_err = run_sql.communicate()
            to_sql.wait()
        if to_sql.returncode != 0:
            raise BackupError("pg_restore_failed", f"pg_restore could not read the dump: "
                                                   f"{errors.read_text().strip()[-2000:]}")
        if run_sql.returncode != 0:
            raise BackupError("psql_failed", "the restore was rolled back, the database is as it was: "
                                             f"{psql_err.strip()[-2000:]}")


def _count_checks(expected: dict[str, int]) -> str:
    """SQL that aborts the transaction when a table's row count differs from the backup's manifest."""
    lines = ["SET search_path = public;", "DO $$", "DECLARE found bigint;", "BEGIN"]
    for name, count in sorted(expected.items()):
        lines.append(f"  SELECT count(*) INTO found FROM {_quote(name)};")
        lines.append(f"  IF found <> {int(count)} THEN RAISE EXCEPTION 'table %: % rows restored, the backup "
                     f"holds {int(count)}', {_literal(name)}, found; END IF;")
    lines += ["END", "$$;", ""]
    return "\n".join(lines)


def _literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"
