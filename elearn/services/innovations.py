"""The innovation showcase: a learner shares a service innovation grown from a course.

Rules
- A signed-in person writes one up: a title, a description (Markdown without raw HTML, through the one
  sanitizer: elearn.content.render.render_user_markdown), the course it grew from (one they enrolled in),
  and an optional http(s) link (services.links.is_web_link). It starts unpublished.
- The author publishes or withdraws it. Who reads one (``may_read``): the author; everyone signed in once
  it is published; a supervisor or admin whose scope holds the author (published or not).
- The programme metrics count innovations *shared* (published) in the month they were published
  (``shared_by_month``).

Events: ``innovation.shared``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.content.render import render_user_markdown
from elearn.models import Course, Enrollment, Innovation, User
from elearn.models._types import utcnow
from elearn.services.dates import local_date
from elearn.services.events import note
from elearn.services.links import is_web_link
from elearn.services.pagination import Page, paginate
from elearn.services.scope import Scope, people_query

SHARED = "innovation.shared"
TITLE_MAX = 200
TEXT_MAX = 10000
PAGE_SIZE = 20


class InnovationError(Exception):
    """A refused action; ``code``: empty_title, empty, too_long, bad_link, bad_course."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def course_choices(session: Session, user_id: int) -> list[tuple[int, str]]:
    """The courses the person enrolled in (an innovation grows from one of them)."""
    return [tuple(r) for r in session.execute(
        select(Course.id, Course.title).join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user_id).order_by(Course.title))]


def share_innovation(session: Session, user_id: int, title: str, description: str, course_id: int,
                     link: str = "", publish: bool = False) -> Innovation:
    title, description, link = (title or "").strip(), (description or "").strip(), (link or "").strip()
    if not title:
        raise InnovationError("empty_title")
    if not description:
        raise InnovationError("empty")
    if len(title) > TITLE_MAX or len(description) > TEXT_MAX:
        raise InnovationError("too_long")
    if link and not is_web_link(link):
        raise InnovationError("bad_link")
    if course_id not in {c for c, _t in course_choices(session, user_id)}:
        raise InnovationError("bad_course")
    now = utcnow()
    innovation = Innovation(user_id=user_id, course_id=course_id, title=title, description=description,
                            html=render_user_markdown(description), link=link, created_at=now,
                            published_at=now if publish else None)
    session.add(innovation)
    session.flush()
    if publish:
        note(session, SHARED)
    return innovation


def set_published(session: Session, user_id: int, innovation: Innovation, publish: bool) -> None:
    """The author publishes or withdraws their innovation (anyone else: not_author)."""
    if innovation.user_id != user_id:
        raise InnovationError("not_author")
    if publish and innovation.published_at is None:
        innovation.published_at = utcnow()
        note(session, SHARED)
    elif not publish:
        innovation.published_at = None
    session.flush()


@dataclass(frozen=True)
class InnovationRow:
    id: int
    title: str
    author: str
    course_title: str | None
    created_at: datetime
    published_at: datetime | None


def _rows(query) -> select:
    return (select(Innovation.id, Innovation.title, User.name, Course.title, Innovation.created_at,
                   Innovation.published_at)
            .join(User, User.id == Innovation.user_id).outerjoin(Course, Course.id == Innovation.course_id)
            .where(query).order_by(Innovation.published_at.desc().nulls_last(), Innovation.id.desc()))


def _page(session: Session, query, page: int) -> Page:
    found = paginate(session, query, page, PAGE_SIZE)
    return Page([InnovationRow(*r) for r in found.items], found.page, found.pages, found.total, found.page_size)


def published(session: Session, page: int) -> Page:
    return _page(session, _rows(Innovation.published_at.is_not(None)), page)


def of_author(session: Session, user_id: int, page: int) -> Page:
    return _page(session, _rows(Innovation.user_id == user_id), page)


def in_scope(session: Session, scope: Scope, page: int) -> Page:
    """Every innovation (published or not) of the people in the supervisor's scope."""
    return _page(session, _rows(Innovation.user_id.in_(people_query(session, scope))), page)


def get_innovation(session: Session, innovation_id: int):
    """(innovation, author name, course title) or None."""
    return session.execute(select(Innovation, User.name, Course.title).join(User, User.id == Innovation.user_id)
                           .outerjoin(Course, Course.id == Innovation.course_id)
                           .where(Innovation.id == innovation_id)).first()


def shared_by_month(session: Session, people, start: datetime, end: datetime, time_zone: str) -> dict[int, int]:
    """{local month: innovations published} by ``people`` (a SELECT of ids) between ``start`` and ``end``."""
    found: dict[int, int] = {}
    for (at,) in session.execute(select(Innovation.published_at).where(
            Innovation.user_id.in_(people), Innovation.published_at >= start, Innovation.published_at < end)):
        month = local_date(at, time_zone).month
        found[month] = found.get(month, 0) + 1
    return found
