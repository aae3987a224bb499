"""Lesson hours (JP) per person per year against the annual target; figures from services.lesson_hours
(both sources added, the JP of approved training outside the platform also shown apart)."""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from elearn.services.lesson_hours import jp_sources_by_person
from elearn.services.reports.common import Filters, people_rows
from elearn.services.scope import Scope, people_query


@dataclass
class HoursRow:
    user_id: int
    name: str
    nip: str | None
    unit: str | None
    hours: int
    target: int
    #: the part of ``hours`` from approved training outside the platform
    outside: int = 0

    @property
    def percent(self) -> int:
        return int(100 * self.hours / self.target) if self.target else 100


@dataclass
class HoursReport:
    year: int
    target: int
    rows: list[HoursRow]
    by_unit: list[tuple[str, float]]  # average JP per unit
    reached: int  # people at or above the target


def hours_report(session: Session, scope: Scope, f: Filters, year: int, target: int, time_zone: str) -> HoursReport:
    people = people_query(session, scope, f.unit_id)
    sources = jp_sources_by_person(session, people, year, time_zone)
    rows = [HoursRow(uid, name, nip, unit, sum(sources.get(uid, (0, 0))), target, sources.get(uid, (0, 0))[1])
            for uid, name, nip, _u, unit in session.execute(people_rows(people))]
    by_unit: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_unit[row.unit or "—"].append(row.hours)
    return HoursReport(year, target, rows,
                       sorted((unit, round(statistics.fmean(v), 1)) for unit, v in by_unit.items()),
                       sum(1 for r in rows if r.hours >= target))
