"""The completion matrix: people in scope × live courses."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.models import Enrollment, User
from elearn.services.completion import latest_completions
from elearn.services.dates import within
from elearn.services.progress import progress_batch
from elearn.services.reports.common import Filters, live_courses, people_rows
from elearn.services.scope import Scope, people_query
from elearn.services.supervision import resolve_assignments

#: every state a cell can show, most final first
STATES = ("completed", "completed_before", "revoked", "overdue", "in_progress", "not_started", "assigned",
          "not_enrolled")


@dataclass
class Cell:
    state: str  # one of STATES
    percent: int = 0
    completed_at: datetime | None = None
    due: date | None = None
    #: modules placed out by the pre-test (current cycle)
    placed_out: int = 0


@dataclass
class MatrixRow:
    user_id: int
    name: str
    nip: str | None
    unit: str | None
    cells: list[Cell]


@dataclass
class Matrix:
    courses: list[tuple[int, str, str, int]]
    rows: list[MatrixRow]
    total_people: int
    page: int
    pages: int
    #: per course: completed in the period, overdue, assigned (over the whole filtered population)
    summary: list[dict] = field(default_factory=list)


def completion_matrix(session: Session, scope: Scope, f: Filters, now: datetime, time_zone: str,
                      page_size: int | None = 50) -> Matrix:
    """Learners × courses, ``page_size`` people per page (None: everyone, for exports).

    A cell is *completed* when the person's latest counting completion lies in the date filter
    (services.completion), *completed before* when it lies before it and no assignment is open,
    *revoked* when the current cycle is complete but its certificate was revoked, *overdue* by
    the assignment rules (services.supervision), else in progress / not started by the one
    percentage rule (services.progress), else assigned or not enrolled. Eight queries whatever
    the number of people and courses.
    """
    courses = live_courses(session, f.course_id)
    course_ids = [c[0] for c in courses]
    ids = people_query(session, scope, f.unit_id)
    if f.user_ids is not None:
        ids = ids.where(User.id.in_(f.user_ids))
    people_select = people_rows(ids)
    total = session.scalar(select(func.count()).select_from(people_select.subquery()))
    pages = max(1, -(-total // page_size)) if page_size else 1
    page = min(max(1, f.page), pages)
    if page_size:
        people_select = people_select.limit(page_size).offset((page - 1) * page_size)
    people = session.execute(people_select).all()
    user_ids = [p[0] for p in people]
    start, end = f.window(time_zone)

    enrolled: dict[tuple[int, int], datetime | None] = {}
    if user_ids and course_ids:
        for uid, cid, completed_at in session.execute(
                select(Enrollment.user_id, Enrollment.course_id, Enrollment.completed_at)
                .where(Enrollment.user_id.in_(user_ids), Enrollment.course_id.in_(course_ids),
                       Enrollment.left_at.is_(None))):
            enrolled[(uid, cid)] = completed_at
    batch = progress_batch(session, user_ids, course_ids)
    placed = batch.placed
    completions = latest_completions(session, user_ids, course_ids)
    assigned = resolve_assignments(session, {p[0]: p[3] for p in people}, now, time_zone, course_ids)

    rows = []
    summary = [{"completed": 0, "overdue": 0, "assigned": 0} for _ in courses]
    for uid, name, nip, _unit_id, unit_name in people:
        cells = []
        for i, (cid, _slug, _title, _hours) in enumerate(courses):
            due = assigned.by_person_course.get((uid, cid))
            due_on = due.due if due else None
            done_at = completions.get((uid, cid))
            if due is not None:
                summary[i]["assigned"] += 1
            if within(done_at, start, end):
                cell = Cell("completed", 100, done_at, due=due_on)
                summary[i]["completed"] += 1
            elif done_at is not None and start is not None and done_at < start and (
                    due is None or due.completed_at is not None):
                cell = Cell("completed_before", 100, done_at, due=due_on)
            elif due is not None and due.overdue:
                cell = Cell("overdue", batch.percent(uid, cid, complete=False), due=due_on)
                summary[i]["overdue"] += 1
            elif (uid, cid) in enrolled and enrolled[(uid, cid)] is not None and done_at is None:
                cell = Cell("revoked", batch.percent(uid, cid, complete=False), due=due_on)
            elif (uid, cid) in enrolled:
                value = batch.percent(uid, cid, complete=False)
                cell = Cell("in_progress" if value or done_at else "not_started", value, due=due_on)
            elif due is not None:
                cell = Cell("assigned", 0, due=due_on)
            else:
                cell = Cell("not_enrolled")
            cell.placed_out = placed.get((uid, cid), 0)
            cells.append(cell)
        rows.append(MatrixRow(uid, name, nip, unit_name, cells))
    return Matrix(courses, rows, total, page, pages, summary)


def completion_matrix_pages(session: Session, scope: Scope, f: Filters, now: datetime, time_zone: str,
                            page_size: int = 500) -> Iterator[Matrix]:
    """The whole filtered matrix, ``page_size`` people at a time (for exports: memory stays bounded
    whatever the number of people; eight queries per page)."""
    page = 1
    while True:
        chunk = completion_matrix(session, scope, replace(f, page=page), now, time_zone, page_size=page_size)
        yield chunk
        if chunk.page >= chunk.pages:
            return
        page += 1
