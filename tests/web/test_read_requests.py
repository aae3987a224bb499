"""Read requests without a transaction round trip (elearn.transactions), on the suite's database.

On PostgreSQL a view marked read_only / read_mostly reads in autocommit; a write in a read_only view
is refused, and the first write of a read_mostly view opens a real transaction: a failure after it
leaves nothing behind. On SQLite the same tests hold (the guard works there too).
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, insert, select, text

from elearn import transactions
from elearn.models import ModuleProgress, User
from elearn.transactions import ReadOnlyRequestError, read_mostly, read_only


def _dbapi(db):
    return db.session.connection().connection.dbapi_connection


def _rename(db, user_id: int, name: str) -> None:
    db.session.execute(text("UPDATE users SET name = :name WHERE id = :id"), {"name": name, "id": user_id})


def _name(db, user_id: int) -> str:
    db.session.rollback()
    return db.session.scalar(select(User.name).where(User.id == user_id))


@pytest.fixture
def routes(app, db, make_user):
    made = make_user()
    user = type("Plain", (), {"id": made.id, "name": made.name})  # plain values: no reload mid-test
    seen = {}

    @read_only
    def reads():
        seen["autocommit"] = getattr(_dbapi(db), "autocommit", None)
        return db.session.scalar(select(User.name).where(User.id == user.id))

    @read_only
    def writes():
        _rename(db, user.id, "Tertulis")
        db.session.commit()
        return "ok"

    @read_mostly
    def writes_then_fails():
        seen["before"] = getattr(_dbapi(db), "autocommit", None)
        _rename(db, user.id, "Setengah")
        seen["after"] = getattr(_dbapi(db), "autocommit", None)
        raise RuntimeError("after the write")

    @read_mostly
    def records():
        with db.session.begin_nested():  # the module page records a first view this way
            _rename(db, user.id, "Tercatat")
        db.session.commit()
        return db.session.scalar(select(User.name).where(User.id == user.id))

    app.add_url_rule("/_t/reads", "t_reads", reads)
    app.add_url_rule("/_t/writes", "t_writes", writes, methods=["GET", "POST"])
    app.add_url_rule("/_t/fails", "t_fails", writes_then_fails)
    app.add_url_rule("/_t/records", "t_records", records)
    db.session.commit()
    return user, seen


def test_a_read_only_view_reads_without_a_transaction_on_postgresql(client, db, routes):
    user, seen = routes
    response = client.get("/_t/reads")
    assert response.status_code == 200 and response.text == user.name
    if db.engine.dialect.name == "postgresql":
        assert seen["autocommit"] is True
    assert not db.session().in_transaction()  # the reading connection went back with the request


def test_a_write_in_a_read_only_view_is_refused(client, db, routes, caplog):
    user, _ = routes
    assert client.get("/_t/writes").status_code == 500
    assert any(isinstance(r.exc_info[1], ReadOnlyRequestError) for r in caplog.records if r.exc_info)
    assert _name(db, user.id) == user.name
    # the mark covers GET only: the same view may write when posted (in a transaction, as ever)
    assert client.post("/_t/writes").status_code == 200
    assert _name(db, user.id) == "Tertulis"


def test_the_first_write_of_a_read_mostly_view_opens_a_transaction(client, db, routes):
    user, seen = routes
    assert client.get("/_t/fails").status_code == 500
    assert _name(db, user.id) == user.name  # rolled back, not autocommitted
    if db.engine.dialect.name == "postgresql":
        assert seen == {"before": True, "after": False}


def test_a_read_mostly_view_commits_its_writes_with_a_savepoint(client, db, routes):
    user, _ = routes
    response = client.get("/_t/records")
    assert response.status_code == 200 and response.text == "Tercatat"
    assert _name(db, user.id) == "Tercatat"


def test_locking_reads_count_as_writes():
    assert transactions._plain_read("SELECT users.id FROM users")
    assert transactions._plain_read("\n  select 1")
    for statement in ("SELECT id FROM users FOR UPDATE", "SELECT id FROM users FOR UPDATE SKIP LOCKED",
                      "SELECT id FROM users FOR SHARE", "SELECT id FROM users FOR NO KEY UPDATE",
                      "INSERT INTO users (id) VALUES (1)", "SAVEPOINT sa_savepoint_1",
                      "WITH x AS (DELETE FROM users RETURNING id) SELECT * FROM x"):
        assert not transactions._plain_read(statement), statement


def test_the_module_page_records_a_first_view_and_reads_after(client, db, make_user, login, write_course, sync):
    """The module page (read_mostly): its first view writes progress in a transaction, later views
    only read; both answer 200."""
    from elearn.models import Course, Enrollment
    from elearn.models._types import utcnow

    write_course()
    sync()
    learner = make_user()
    course = db.session.scalar(select(Course))
    db.session.execute(insert(Enrollment).values(user_id=learner.id, course_id=course.id, enrolled_at=utcnow()))
    db.session.commit()
    login(learner)
    slug = course.slug
    first = db.session.scalar(text("SELECT slug FROM modules WHERE course_id = :c ORDER BY position"),
                              {"c": course.id})
    db.session.commit()
    for _ in range(2):
        assert client.get(f"/courses/{slug}/{first}/").status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(ModuleProgress.id).where(ModuleProgress.user_id == learner.id)) is not None


def test_a_connection_the_server_closed_is_replaced_without_an_error(app, db, database_url):
    """PostgreSQL: the ping is skipped for a fresh, silent connection, but a connection whose server
    process ended (restart, pg_terminate_backend) is noticed on checkout and replaced."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server to lose")
    assert app.config["DB_PING_WHEN_NEEDED"]
    db.session.remove()
    with db.engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    other = create_engine(db.engine.url)
    try:
        with other.connect() as admin:
            assert admin.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})").scalar()
    finally:
        other.dispose()
    time.sleep(0.2)  # the server's goodbye reaches the idle socket
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
