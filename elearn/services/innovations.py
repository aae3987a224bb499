"""The innovation showcase: a learner shares a service innovation grown from a course.

Rules
- A signed-in person writes one up: a title, a description (Markdown without raw HTML, through the one
  sanitizer: elearn.content.render.render_user_markdown), the course it grew from (one they enrolled in; it
  is the innovation's *topic* in the showcase filter), an optional http(s) link (services.links.is_web_link),
  an optional measured result (a short text, optionally a figure and its unit: "45 pengunjung kelas
  literasi") and an optional photo (services.photos.prepare_photo: PNG, JPEG or WebP by its bytes, at most
  1600 px wide, metadata removed) with the author's description of it (required with a photo). It starts
  unpublished unless the author asks. It may be shared from one of the author's action plans marked carried
  out (``carried_out_plans``; opt-in: the author picks it, the form is prefilled by ``plan_draft``, nothing is
  shared by itself). The author edits it later (``update_innovation``), replacing or
  removing the photo. A refused edit stores nothing.
- The author publishes or withdraws it. Who reads one (elearn.access.can_read_innovation), its photo too:
  the author; everyone signed in once it is published; a supervisor or admin whose scope holds the author.
- The showcase (``showcase``) lists published innovations, featured ones first, filterable by the author's
  unit (with its sub-units) and by the course it grew from.
- A supervisor whose scope holds the author, or an admin (elearn.access.can_feature_innovation), features or
  unfeatures a published innovation; both are audited (``innovation.featured`` / ``innovation.unfeatured``).
  Withdrawing an innovation ends its featuring.
- The programme metrics count innovations *shared* (published) in the month they were published
  (``shared_by_month``).

Events: ``innovation.shared``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.content.render import render_user_markdown
from elearn.models import ActionPlan, Course, Enrollment, Innovation, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.dates import local_date
from elearn.services.events import note
from elearn.services.links import is_web_link
from elearn.services.pagination import Page, paginate
from elearn.services.profiles import list_unit_choices
from elearn.services.photos import THUMB_WIDTH, Photo, PhotoRefused, prepare_photo, scaled_size
from elearn.services.scope import Scope, people_query, subtree, unit_children

SHARED = "innovation.shared"
TITLE_MAX = 200
TEXT_MAX = 10000
RESULT_MAX = 200
UNIT_MAX = 40
ALT_MAX = 200
RESULT_VALUE_MAX = 1_000_000_000
PAGE_SIZE = 20


class InnovationError(Exception):
    """A refused action; ``code``: empty_title, empty, too_long, bad_link, bad_course, result_too_long,
    bad_value, unit_too_long, unit_without_value, photo_type, photo_too_large, photo_broken, alt_required,
    alt_too_long, bad_plan, not_author, not_published."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def course_choices(session: Session, user_id: int) -> list[tuple[int, str]]:
    """The courses the person enrolled in (an innovation grows from one of them)."""
    return [tuple(r) for r in session.execute(
        select(Course.id, Course.title).join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user_id).order_by(Course.title))]


@dataclass(frozen=True)
class MeasuredResult:
    """The measured result as typed: a short text, a figure ("45" or "12,5"; may be empty) and its unit."""

    text: str = ""
    value: str = ""
    unit: str = ""


def parse_result_value(text: str) -> float | None:
    """A figure as people type it, or None when empty: "45", "12,5" or "12.5" (one decimal separator), or
    grouped in thousands the Indonesian way ("1.200", "2.500.000", "1.200,5"). Raises
    InnovationError("bad_value") for anything else or outside 0 … RESULT_VALUE_MAX."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")
    elif text.count(",") + text.count(".") > 1:
        raise InnovationError("bad_value")
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InnovationError("bad_value") from None
    if not 0 <= value <= RESULT_VALUE_MAX:
        raise InnovationError("bad_value")
    return value


def result_value_text(value: float | None) -> str:
    """A stored figure as the form shows it again ("45", "12,5"; "" for none): parse_result_value reads it back."""
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else str(value).replace(".", ",")


def carried_out_plans(session: Session, user_id: int, keep: int | None = None) -> list[tuple[int, str]]:
    """(id, title) of the person's action plans marked carried out, newest first (an innovation may be shared
    from one); ``keep``: the plan an innovation already comes from, listed even if no longer marked so."""
    which = ActionPlan.carried_out_at.is_not(None)
    if keep:
        which |= ActionPlan.id == keep
    return [tuple(r) for r in session.execute(
        select(ActionPlan.id, ActionPlan.title).where(ActionPlan.user_id == user_id, which)
        .order_by(ActionPlan.carried_out_at.desc().nulls_last(), ActionPlan.id.desc()))]


def plan_draft(session: Session, user_id: int, plan_id: int) -> dict | None:
    """What a new innovation shared from the person's carried-out plan starts with (title, description,
    course, action_plan), or None when it is not such a plan."""
    plan = session.scalar(select(ActionPlan).where(ActionPlan.id == plan_id, ActionPlan.user_id == user_id,
                                                    ActionPlan.carried_out_at.is_not(None)))
    if plan is None:
        return None
    return {"title": plan.title, "description": plan.description, "course": plan.course_id, "action_plan": plan.id}


def _checked_fields(session: Session, user_id: int, title: str, description: str, course_id: int, link: str,
                    result: MeasuredResult, action_plan_id: int | None, current_plan: int | None = None) -> dict:
    title, description, link = (title or "").strip(), (description or "").strip(), (link or "").strip()
    result_text, result_unit = (result.text or "").strip(), (result.unit or "").strip()
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
    if len(result_text) > RESULT_MAX:
        raise InnovationError("result_too_long")
    value = parse_result_value(result.value)
    if len(result_unit) > UNIT_MAX:
        raise InnovationError("unit_too_long")
    if result_unit and value is None:
        raise InnovationError("unit_without_value")
    if action_plan_id and action_plan_id not in {p for p, _t in carried_out_plans(session, user_id, current_plan)}:
        raise InnovationError("bad_plan")
    return {"title": title, "description": description, "html": render_user_markdown(description), "link": link,
            "course_id": course_id, "result_text": result_text, "result_value": value, "result_unit": result_unit,
            "action_plan_id": action_plan_id or None}


def _checked_photo(data: bytes | None, alt: str, max_bytes: int) -> Photo | None:
    alt = (alt or "").strip()
    if len(alt) > ALT_MAX:
        raise InnovationError("alt_too_long")
    if not data:
        return None
    if not alt:
        raise InnovationError("alt_required")
    try:
        return prepare_photo(data, max_bytes)
    except PhotoRefused as refused:
        raise InnovationError(refused.code) from None


def _set_photo(innovation: Innovation, photo: Photo | None) -> None:
    innovation.photo = photo.content if photo else None
    innovation.photo_thumb = photo.thumb if photo else None
    innovation.photo_type = photo.mime_type if photo else ""
    innovation.photo_width = photo.width if photo else None
    innovation.photo_height = photo.height if photo else None
    innovation.photo_key = photo.key if photo else ""


def share_innovation(session: Session, user_id: int, title: str, description: str, course_id: int,
                     link: str = "", publish: bool = False, result: MeasuredResult = MeasuredResult(),
                     photo_data: bytes | None = None, photo_alt: str = "",
                     photo_max_bytes: int = 8_000_000, action_plan_id: int | None = None) -> Innovation:
    """Write up an innovation (see the module rules); ``photo_data``: the uploaded bytes, read by the caller up
    to photo_max_bytes + 1. Everything is checked before anything is stored."""
    fields = _checked_fields(session, user_id, title, description, course_id, link, result, action_plan_id)
    photo = _checked_photo(photo_data, photo_alt, photo_max_bytes)
    now = utcnow()
    innovation = Innovation(user_id=user_id, created_at=now, published_at=now if publish else None,
                            photo_alt=(photo_alt or "").strip() if photo else "", **fields)
    _set_photo(innovation, photo)
    session.add(innovation)
    session.flush()
    if publish:
        note(session, SHARED)
    return innovation


def update_innovation(session: Session, user_id: int, innovation: Innovation, title: str, description: str,
                      course_id: int, link: str = "", result: MeasuredResult = MeasuredResult(),
                      photo_data: bytes | None = None, photo_alt: str = "", remove_photo: bool = False,
                      photo_max_bytes: int = 8_000_000, action_plan_id: int | None = None) -> None:
    """The author edits their innovation: a new photo replaces the old one, ``remove_photo`` drops it, else it
    stays (its description may change, and is required while there is a photo). The plan it comes from may
    stay even if it is no longer marked carried out."""
    if innovation.user_id != user_id:
        raise InnovationError("not_author")
    fields = _checked_fields(session, user_id, title, description, course_id, link, result, action_plan_id,
                             innovation.action_plan_id)
    photo = _checked_photo(photo_data, photo_alt, photo_max_bytes)
    keeps_photo = photo is None and not remove_photo and bool(innovation.photo_key)
    if keeps_photo and not (photo_alt or "").strip():
        raise InnovationError("alt_required")
    for name, value in fields.items():
        setattr(innovation, name, value)
    if photo is not None or remove_photo:
        _set_photo(innovation, photo)
    innovation.photo_alt = (photo_alt or "").strip() if (photo is not None or keeps_photo) else ""
    session.flush()


def set_published(session: Session, user_id: int, innovation: Innovation, publish: bool) -> None:
    """The author publishes or withdraws their innovation (anyone else: not_author); withdrawing ends its
    featuring (audited as innovation.unfeatured by the author)."""
    if innovation.user_id != user_id:
        raise InnovationError("not_author")
    if publish and innovation.published_at is None:
        innovation.published_at = utcnow()
        note(session, SHARED)
    elif not publish:
        if innovation.featured_at is not None:
            record_event(session, "innovation.unfeatured", actor_id=user_id, subject_id=user_id,
                         innovation_id=innovation.id, reason="withdrawn")
        innovation.published_at = None
        innovation.featured_at = innovation.featured_by_id = None
    session.flush()


def set_featured(session: Session, actor_id: int, innovation: Innovation, featured: bool) -> None:
    """Feature (or unfeature) a published innovation, audited. The caller checks that the actor may
    (elearn.access.can_feature_innovation); an unpublished one: not_published."""
    if featured and innovation.published_at is None:
        raise InnovationError("not_published")
    if featured == (innovation.featured_at is not None):
        return
    innovation.featured_at = utcnow() if featured else None
    innovation.featured_by_id = actor_id if featured else None
    record_event(session, "innovation.featured" if featured else "innovation.unfeatured", actor_id=actor_id,
                 subject_id=innovation.user_id, innovation_id=innovation.id)
    session.flush()


@dataclass(frozen=True)
class InnovationRow:
    id: int
    title: str
    author: str
    course_title: str | None
    created_at: datetime
    published_at: datetime | None
    result_text: str
    result_value: float | None
    result_unit: str
    photo_key: str
    photo_width: int | None
    photo_height: int | None
    photo_alt: str
    featured_at: datetime | None

    @property
    def thumb_size(self) -> tuple[int, int]:
        return thumb_size(self.photo_width, self.photo_height)


def thumb_size(width: int | None, height: int | None) -> tuple[int, int]:
    """(width, height) of a photo's thumbnail (services.photos.THUMB_WIDTH wide at most)."""
    return scaled_size(width or 1, height or 1, THUMB_WIDTH)


def _rows(query) -> select:
    return (select(Innovation.id, Innovation.title, User.name, Course.title, Innovation.created_at,
                   Innovation.published_at, Innovation.result_text, Innovation.result_value,
                   Innovation.result_unit, Innovation.photo_key, Innovation.photo_width, Innovation.photo_height,
                   Innovation.photo_alt, Innovation.featured_at)
            .join(User, User.id == Innovation.user_id).outerjoin(Course, Course.id == Innovation.course_id)
            .where(query).order_by(Innovation.featured_at.is_(None), Innovation.published_at.desc().nulls_last(),
                                   Innovation.id.desc()))


def _page(session: Session, query, page: int) -> Page:
    found = paginate(session, query, page, PAGE_SIZE)
    return Page([InnovationRow(*r) for r in found.items], found.page, found.pages, found.total, found.page_size)


def showcase(session: Session, page: int, unit_id: int | None = None, course_id: int | None = None) -> Page:
    """Published innovations, featured first, optionally of authors in ``unit_id`` or a unit below it, and
    grown from ``course_id``."""
    where = Innovation.published_at.is_not(None)
    if unit_id is not None:
        where &= User.unit_id.in_(sorted(subtree(unit_children(session), [unit_id])))
    if course_id is not None:
        where &= Innovation.course_id == course_id
    return _page(session, _rows(where), page)


def showcase_filters(session: Session) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(units, courses) to filter the showcase by: every unit, and the courses published innovations grew
    from, by name."""
    units = list_unit_choices(session)
    courses = [tuple(r) for r in session.execute(
        select(Course.id, Course.title).where(Course.id.in_(select(Innovation.course_id).where(
            Innovation.published_at.is_not(None)))).order_by(Course.title, Course.id))]
    return units, courses


def of_author(session: Session, user_id: int, page: int) -> Page:
    return _page(session, _rows(Innovation.user_id == user_id), page)


def in_scope(session: Session, scope: Scope, page: int) -> Page:
    """Every innovation (published or not) of the people in the supervisor's scope."""
    return _page(session, _rows(Innovation.user_id.in_(people_query(session, scope))), page)


def get_innovation(session: Session, innovation_id: int):
    """(innovation, author name, course title, action plan or None) or None."""
    return session.execute(select(Innovation, User.name, Course.title, ActionPlan)
                           .join(User, User.id == Innovation.user_id)
                           .outerjoin(Course, Course.id == Innovation.course_id)
                           .outerjoin(ActionPlan, ActionPlan.id == Innovation.action_plan_id)
                           .where(Innovation.id == innovation_id)).first()


def shared_by_month(session: Session, people, start: datetime, end: datetime, time_zone: str) -> dict[int, int]:
    """{local month: innovations published} by ``people`` (a SELECT of ids) between ``start`` and ``end``."""
    found: dict[int, int] = {}
    for (at,) in session.execute(select(Innovation.published_at).where(
            Innovation.user_id.in_(people), Innovation.published_at >= start, Innovation.published_at < end)):
        month = local_date(at, time_zone).month
        found[month] = found.get(month, 0) + 1
    return found
