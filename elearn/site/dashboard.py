"""The learner's dashboard as the page shows it: one card per course, in the order a learner acts.

Pure: it arranges what services.learning.get_dashboard (progress, JP) and
services.supervision.assignments_for (due dates) already decided; no figure is computed here.
Order: overdue, due soon, other assigned courses by due date, then courses under way; finished ones apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from elearn.services.learning import Dashboard, DashboardCourse
from elearn.services.supervision import Due, due_state


@dataclass(frozen=True)
class CourseCard:
    slug: str
    title: str
    hours: int
    percent: int
    #: what the card's button does: "start", "module", "exam", "enroll" or "certificate"
    next_step: str
    next_module_title: str | None
    minutes_left: int
    #: the due tag: "overdue", "due_soon", "due", "completed" or None (not assigned)
    due_tag: str | None
    due: date | None
    completed_at: datetime | None
    recurring: bool = False
    note: str = ""


@dataclass(frozen=True)
class DashboardPage:
    #: courses under way and assigned ones, most urgent first
    active: list[CourseCard]
    #: finished courses (the current cycle complete), newest first
    finished: list[CourseCard]
    #: the course last opened (the "Lanjutkan" card), also among ``active``
    next_up: CourseCard | None
    year: int
    hours: int
    target: int


_ORDER = {"overdue": 0, "due_soon": 1, "due": 2, None: 3, "completed": 4}


def _step(course: DashboardCourse) -> str:
    if course.exam_open:
        return "exam"
    return "module" if course.started else "start"


def dashboard_page(board: Dashboard, dues: list[Due], today: date, soon_days: int, target: int) -> DashboardPage:
    """Cards for the enrolled, assigned and completed courses of ``board`` and ``dues``."""
    by_slug = {d.course_slug: d for d in dues}
    cards: list[CourseCard] = []
    shown: set[str] = set()
    for c in board.in_progress:
        due = by_slug.get(c.slug)
        tag = due_state(due, today, soon_days) if due else None
        cards.append(CourseCard(c.slug, c.title, c.hours, c.percent, _step(c), c.next_module_title, c.minutes_left,
                                tag, due.due if due else None, None, due.recurring if due else False,
                                due.note if due else ""))
        shown.add(c.slug)
    completed = {c.slug: c for c in board.completed}
    for due in dues:  # assigned but not (or no longer) under way
        if due.course_slug in shown:
            continue
        tag = due_state(due, today, soon_days)
        if tag == "completed" and due.course_slug in completed:
            continue  # shown with the finished courses below
        cards.append(CourseCard(due.course_slug, due.course_title, 0, 0, "enroll", None, 0, tag, due.due, None,
                                due.recurring, due.note))
        shown.add(due.course_slug)
    for c in board.completed:
        if c.slug in shown:
            continue
        due = by_slug.get(c.slug)
        cards.append(CourseCard(c.slug, c.title, c.hours, 100, "certificate", None, 0, "completed",
                                due.due if due else None, c.completed_at))
    active = sorted((c for c in cards if c.next_step != "certificate"),  # stable: enrolment order kept
                    key=lambda card: (_ORDER[card.due_tag], card.due or date.max))
    finished = [c for c in cards if c.next_step == "certificate"]
    next_up = next((card for card in active if board.next_up and card.slug == board.next_up.slug), None)
    return DashboardPage(active, finished, next_up, board.year, board.hours_this_year, target)
