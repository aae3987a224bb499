"""Calendar rules: every date a person sees or a rule counts is a *local* calendar date in TIME_ZONE.

- A due date is a whole local day: an assignment due on 31 March is overdue from 1 April 00:00 local
  time (Bontang, Asia/Makassar, UTC+8: 31 March 16:00 UTC).
- A year (lesson hours per year, programme metrics) is the local calendar year: a course completed
  on 1 January 00:30 in Bontang counts for the new year, although it was still 31 December in UTC.
- A date range filter [from, to] covers whole local days: from 00:00 on ``from`` to the start of
  the day after ``to``.
- "N months later" keeps the day of the month, clamped to the month's end (31 January + 1 month
  is 28/29 February).
"""
from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


def add_months(day, months: int):
    """The same day ``months`` later (clamped to the month's end); works for dates and datetimes."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def local_date(moment: datetime, time_zone: str) -> date:
    """The local calendar day of an instant."""
    return moment.astimezone(ZoneInfo(time_zone)).date()


def local_today(now: datetime, time_zone: str) -> date:
    return local_date(now, time_zone)


def local_year(moment: datetime, time_zone: str) -> int:
    return moment.astimezone(ZoneInfo(time_zone)).year


@lru_cache(maxsize=4096)  # pure; rules ask it for the same few dates once per person
def start_instant(day: date, time_zone: str) -> datetime:
    """00:00 local time on ``day``."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(time_zone))


@lru_cache(maxsize=4096)
def due_instant(due_on: date, time_zone: str) -> datetime:
    """The moment a thing due on ``due_on`` becomes overdue: the start of the next local day."""
    return start_instant(due_on + timedelta(days=1), time_zone)


def year_window(year: int, time_zone: str) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar year as instants."""
    return start_instant(date(year, 1, 1), time_zone), start_instant(date(year + 1, 1, 1), time_zone)


def day_window(date_from: date | None, date_to: date | None,
               time_zone: str) -> tuple[datetime | None, datetime | None]:
    """[from, to) of whole local days as instants; an open end is None."""
    return (start_instant(date_from, time_zone) if date_from else None,
            due_instant(date_to, time_zone) if date_to else None)


def within(moment: datetime | None, start: datetime | None, end: datetime | None) -> bool:
    """Whether ``moment`` lies in [start, end) (None bounds are open)."""
    return moment is not None and (start is None or moment >= start) and (end is None or moment < end)
