"""INSERT … ON CONFLICT on the two databases the project runs (PostgreSQL, SQLite): one place that picks
the dialect's construct, for the inserts that let a unique constraint settle a race in one statement."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_for(session: Session):
    """The session's database's ``insert`` (it has ``on_conflict_do_nothing``)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
