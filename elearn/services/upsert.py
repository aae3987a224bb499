"""INSERT … ON CONFLICT on the two databases the project runs (PostgreSQL, SQLite): one place that picks
the dialect's construct, for the inserts that let a unique constraint settle a race in one statement
(the exam start, the completion queue), each built once per database kind with bind parameters."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Executable
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def built_for(session: Session, build: Callable[[Callable], Executable]) -> Executable:
    """The statement ``build(insert)`` makes with the session's database's ``insert``, built once per
    database kind and kept (for statements with bind parameters run on every request of a busy hour)."""
    dialect = session.get_bind().dialect.name
    key = (build, dialect)
    statement = _BUILT.get(key)
    if statement is None:
        statement = _BUILT[key] = build(postgresql.insert if dialect == "postgresql" else sqlite.insert)
    return statement


_BUILT: dict[tuple, Executable] = {}
