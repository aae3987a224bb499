"""Shared fixtures: an app per test on the suite's database, factories for users and courses.

The database is SQLite (a temporary file) unless TEST_DATABASE_URL or DATABASE_URL points
elsewhere (CI runs the suite again on PostgreSQL). Every test leaves the tables empty.
"""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import delete, text

from elearn import create_app
from elearn.extensions import db as _db

PASSWORD = "kata-sandi-yang-panjang"


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with a fresh ``g`` and locale.

    pytest-flask keeps one request context pushed for the whole test, so requests share the
    application context; Flask-Login and Flask-Babel cache the user and locale there, which
    would let a second request see the first one's login. Real requests never share them.
    """

    def open(self, *args, **kwargs):
        ctx = _cv_app.get(None)
        if ctx is not None:
            ctx.g = ctx.app.app_ctx_globals_class()
            for attr in ("babel_locale", "babel_tzinfo", "babel_translations"):
                ctx.__dict__.pop(attr, None)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def app(_schema, database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "COURSES_DIR": str(tmp_path / "courses"),
                      "SIGNING_KEY_FILE": str(tmp_path / "signing-key.pem")})
    app.test_client_class = FreshRequestClient
    with app.app_context():
        yield app
        _db.session.rollback()
        if _db.engine.dialect.name == "sqlite":  # self-referencing rows (unit tree) go in one statement
            _db.session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(delete(table))
        _db.session.commit()
        _db.session.remove()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def make_user(db):
    """make_user(role="learner", email=None, name=None, active=True) -> User (committed)."""
    from elearn.models import User
    from elearn.services.users import create_user

    counter = {"n": 0}

    def make(role: str = "learner", email: str | None = None, name: str | None = None, active: bool = True,
             password: str = PASSWORD) -> User:
        counter["n"] += 1
        email = email or f"{role}{counter['n']}@example.org"
        created = create_user(db.session, email, name or f"{role.title()} {counter['n']}", password, role)
        user = db.session.get(User, created.id)
        user.active = active
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """login(user) logs the test client in through the real form."""

    def do_login(user, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data[:500]
        return response

    return do_login


@pytest.fixture
def write_course(tmp_path):
    """write_course(slug, modules=3, **front) writes a valid course folder under tmp_path/courses."""

    def write(slug: str = "kursus-uji", modules: int = 3, root: Path | None = None, title: str | None = None,
              extra_front: str = "", bodies: dict[int, str] | None = None) -> Path:
        root = root or tmp_path / "courses"
        folder = root / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "course.md").write_text(textwrap.dedent(f"""\
            ---
            title: {title or 'Kursus ' + slug}
            summary: Ringkasan kursus {slug}.
            language: id
            version: "1.0"
            hours: 4
            level: dasar
            topics: [uji]
            {extra_front}
            ---
            Ikhtisar kursus **{slug}**.
            """), encoding="utf-8")
        for n in range(1, modules + 1):
            body = (bodies or {}).get(n, f"## Bagian {n}\n\nIsi modul {n}.\n")
            (folder / f"{n:02d}-modul-{n}.md").write_text(
                f"---\ntitle: Modul {n}\nminutes: {10 * n}\nobjectives:\n  - Tujuan {n}\n---\n{body}", encoding="utf-8")
        return folder

    return write


@pytest.fixture
def sync(db, tmp_path):
    """sync(root=None) runs the sync service on the courses folder and commits."""
    from elearn.services.course_sync import sync_catalog

    def run(root: Path | None = None):
        report = sync_catalog(db.session, root or tmp_path / "courses")
        db.session.commit()
        return report

    return run
