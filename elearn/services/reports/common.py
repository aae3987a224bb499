"""What every report shares: the filters, the live courses, the people rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from elearn.models import Course, Unit, User
from elearn.services.dates import day_window


@dataclass
class Filters:
    unit_id: int | None = None
    course_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    year: int | None = None
    #: only these people (None: everyone the scope allows); never widens the scope
    user_ids: tuple[int, ...] | None = None

    def window(self, time_zone: str) -> tuple[datetime | None, datetime | None]:
        """[from, to) as instants: whole local days."""
        return day_window(self.date_from, self.date_to, time_zone)


def live_courses(session: Session, course_id: int | None = None) -> list[tuple[int, str, str, int]]:
    """(id, slug, title, JP) of the live courses, by title; optionally only one."""
    query = select(Course.id, Course.slug, Course.title, Course.hours).where(Course.retired_at.is_(None))
    if course_id is not None:
        query = query.where(Course.id == course_id)
    return [tuple(r) for r in session.execute(query.order_by(Course.title))]


def people_rows(ids) -> Select:
    """Name, NIP and unit of the people whose ids ``ids`` (a SELECT) yields, in report order."""
    return (select(User.id, User.name, User.nip, User.unit_id, Unit.name)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .where(User.id.in_(ids))
            .order_by(Unit.name, User.name, User.id))
