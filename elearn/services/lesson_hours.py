"""Lesson hours (JP, *jam pelajaran*): the one place that sums them, for every page, export, PDF and CLI.

Rule: a person earns, for each counting completion (services.completion: revoked certificates
excluded, courses without certificates included, every renewal cycle counted), the JP of the course
version completed, as recorded at completion. JP belong to the local calendar year (TIME_ZONE) of
the completion.

A second, labelled source: training done outside the platform (models.ExternalTraining) earns its JP
once approved by a supervisor or admin, in the calendar year of its last day; pending and rejected
records earn nothing. Every total here (per person and year, per year) adds both sources;
``jp_sources_by_person`` keeps them apart for the reports that show where JP came from.
"""
from __future__ import annotations

from collections import defaultdict

from datetime import date

from sqlalchemy import Select, func, literal_column, select, union_all
from sqlalchemy.orm import Session

from elearn.models import Completion, ExternalTraining
from elearn.services.completion import counts
from elearn.services.dates import local_year, year_window


def approved_external():
    """The SQL condition "this ExternalTraining earns its JP"."""
    return ExternalTraining.state == "approved"


def jp_sources_by_person(session: Session, people, year: int, time_zone: str) -> dict[int, tuple[int, int]]:
    """{person: (JP from platform completions, JP from approved training outside the platform)} earned in
    a local calendar year by each of ``people`` (a list or a SELECT of user ids); people without any are
    absent. One query whatever the number of people."""
    start, end = year_window(year, time_zone)
    ids = people if isinstance(people, Select) else list(people)
    platform: dict[int, int] = defaultdict(int)
    outside: dict[int, int] = defaultdict(int)
    from_platform = (
        select(Completion.user_id, literal_column("0").label("source"), func.sum(Completion.hours))
        .where(Completion.user_id.in_(ids), counts(), Completion.completed_at >= start, Completion.completed_at < end)
        .group_by(Completion.user_id))
    from_outside = (
        select(ExternalTraining.user_id, literal_column("1").label("source"), func.sum(ExternalTraining.hours))
        .where(ExternalTraining.user_id.in_(ids), approved_external(),
               ExternalTraining.end_on >= date(year, 1, 1), ExternalTraining.end_on <= date(year, 12, 31))
        .group_by(ExternalTraining.user_id))
    for uid, source, jp in session.execute(union_all(from_platform, from_outside)):
        (outside if source else platform)[uid] += int(jp or 0)
    return {uid: (platform.get(uid, 0), outside.get(uid, 0)) for uid in set(platform) | set(outside)
            if platform.get(uid, 0) or outside.get(uid, 0)}


def jp_by_person(session: Session, people, year: int, time_zone: str) -> dict[int, int]:
    """JP earned in a local calendar year by each of ``people`` (a list or a SELECT of user ids), both
    sources added; people without any are absent."""
    return {uid: a + b for uid, (a, b) in jp_sources_by_person(session, people, year, time_zone).items()}


def jp_in_year(session: Session, user_id: int, year: int, time_zone: str) -> int:
    """JP one person earned in a local calendar year."""
    return jp_by_person(session, [user_id], year, time_zone).get(user_id, 0)


def jp_by_year(session: Session, user_id: int, time_zone: str) -> list[tuple[int, int]]:
    """[(year, JP)] of one person, both sources added, newest year first (years without JP left out)."""
    years: dict[int, int] = defaultdict(int)
    for at, hours in session.execute(select(Completion.completed_at, Completion.hours)
                                     .where(Completion.user_id == user_id, counts())):
        years[local_year(at, time_zone)] += hours or 0
    for end_on, hours in session.execute(select(ExternalTraining.end_on, ExternalTraining.hours)
                                         .where(ExternalTraining.user_id == user_id, approved_external())):
        years[end_on.year] += hours or 0
    return sorted(((y, h) for y, h in years.items() if h), reverse=True)
