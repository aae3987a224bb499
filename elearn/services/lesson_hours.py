"""Lesson hours (JP, *jam pelajaran*): the one place that sums them, for every page, export, PDF and CLI.

Rule: a person earns, for each counting completion (services.completion: revoked certificates
excluded, courses without certificates included, every renewal cycle counted), the JP of the course
version completed, as recorded at completion. JP belong to the local calendar year (TIME_ZONE) of
the completion.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from elearn.models import Completion
from elearn.services.completion import counts
from elearn.services.dates import local_year, year_window


def jp_by_person(session: Session, people, year: int, time_zone: str) -> dict[int, int]:
    """JP earned in a local calendar year by each of ``people`` (a list or a SELECT of user ids);
    people without any are absent. One query whatever the number of people."""
    start, end = year_window(year, time_zone)
    ids = people if isinstance(people, Select) else list(people)
    hours: dict[int, int] = defaultdict(int)
    for uid, jp in session.execute(
            select(Completion.user_id, func.sum(Completion.hours))
            .where(Completion.user_id.in_(ids), counts(), Completion.completed_at >= start,
                   Completion.completed_at < end)
            .group_by(Completion.user_id)):
        hours[uid] += int(jp or 0)
    return dict(hours)


def jp_in_year(session: Session, user_id: int, year: int, time_zone: str) -> int:
    """JP one person earned in a local calendar year."""
    return jp_by_person(session, [user_id], year, time_zone).get(user_id, 0)


def jp_by_year(session: Session, user_id: int, time_zone: str) -> list[tuple[int, int]]:
    """[(year, JP)] of one person, newest year first (years without JP left out)."""
    years: dict[int, int] = defaultdict(int)
    for at, hours in session.execute(select(Completion.completed_at, Completion.hours)
                                     .where(Completion.user_id == user_id, counts())):
        years[local_year(at, time_zone)] += hours or 0
    return sorted(((y, h) for y, h in years.items() if h), reverse=True)
