"""The course_staff migration imports today's staff rule once: the trainer and admin accounts named in a
course's front-matter ``trainers:`` become its owners (issue 14)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask_migrate import upgrade
from sqlalchemy import JSON, Boolean, DateTime, column, table, text

from elearn import create_app
from elearn.extensions import db
from tests.test_migrations import empty_database_url  # noqa: F401  (fixture)


def test_front_matter_trainers_become_owners(empty_database_url):  # noqa: F811
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="15bbc8523be2")
        now = datetime.now(timezone.utc)
        users = table("users", column("id"), column("email"), column("name"), column("password_hash"),
                      column("role"), column("active", Boolean), column("created_at", DateTime(timezone=True)),
                      column("session_epoch"))
        courses = table("courses", *(column(c) for c in ("id", "slug", "title", "summary", "language", "version",
                                                          "hours", "level", "overview_html", "source_hash",
                                                          "source_kind")),
                        *(column(c, JSON) for c in ("topics", "authors", "prerequisites", "settings")),
                        column("created_at", DateTime(timezone=True)), column("updated_at", DateTime(timezone=True)))
        with db.engine.begin() as conn:
            for uid, email, role in ((1, "tia@example.org", "trainer"), (2, "ada@example.org", "admin"),
                                     (3, "lina@example.org", "learner"), (4, "toni@example.org", "trainer")):
                conn.execute(users.insert().values(id=uid, email=email, name=email, password_hash="x", role=role,
                                                   active=True, created_at=now, session_epoch=0))
            for cid, slug, trainers in ((1, "kursus-a", ["TIA@example.org", "ada@example.org", "lina@example.org",
                                                         "hilang@example.org"]),
                                        (2, "kursus-b", []), (3, "kursus-c", ["toni@example.org"])):
                conn.execute(courses.insert().values(
                    id=cid, slug=slug, title=slug, summary="", language="id", version="1", hours=1, level="dasar",
                    overview_html="", source_hash="", source_kind="folder", topics=[], authors=[], prerequisites=[],
                    settings={"trainers": trainers}, created_at=now, updated_at=now))
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT course_id, user_id, role FROM course_staff ORDER BY course_id, user_id"))
            assert [tuple(r) for r in rows] == [(1, 1, "owner"), (1, 2, "owner"), (3, 4, "owner")]
        db.engine.dispose()
