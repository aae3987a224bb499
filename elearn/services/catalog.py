"""Read-side queries for the catalogue, course and module pages (fixed number of queries each)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import Course, CourseAsset, Module


@dataclass(frozen=True)
class CatalogueFilters:
    query: str = ""
    topic: str = ""
    level: str = ""
    language: str = ""


@dataclass(frozen=True)
class Catalogue:
    courses: list
    topics: list[str]
    levels: list[str]
    languages: list[str]


def list_courses(session: Session) -> list[Course]:
    """Live courses ordered by title."""
    return list(session.scalars(select(Course).where(Course.retired_at.is_(None)).order_by(Course.title)))


def search_catalogue(session: Session, filters: CatalogueFilters) -> Catalogue:
    """Live courses matching the text query (title, summary, topics) and the facet filters,
    with the facet values available. One query: the catalogue is tens of courses, not thousands."""
    courses = list_courses(session)
    topics = sorted({t for c in courses for t in (c.topics or [])}, key=str.lower)
    levels = [lv for lv in ("dasar", "menengah", "lanjut") if any(c.level == lv for c in courses)]
    languages = sorted({c.language for c in courses})
    words = filters.query.lower().split()

    def matches(course: Course) -> bool:
        haystack = " ".join([course.title, course.summary, *(course.topics or [])]).lower()
        return (all(w in haystack for w in words)
                and (not filters.topic or filters.topic in (course.topics or []))
                and (not filters.level or course.level == filters.level)
                and (not filters.language or course.language == filters.language))

    return Catalogue([c for c in courses if matches(c)], topics, levels, languages)


def get_course(session: Session, slug: str) -> Course | None:
    return session.scalar(select(Course).where(Course.slug == slug, Course.retired_at.is_(None)))


def list_live_modules(session: Session, course_id: int) -> list[Module]:
    stmt = (
        select(Module)
        .where(Module.course_id == course_id, Module.retired_at.is_(None))
        .order_by(Module.position)
    )
    return list(session.scalars(stmt))


def get_live_module_id(session: Session, course_id: int, slug: str) -> int | None:
    """The id of the course's live module ``slug``, or None."""
    return session.scalar(select(Module.id).where(Module.course_id == course_id, Module.slug == slug,
                                                  Module.retired_at.is_(None)))


@dataclass(frozen=True)
class GlossaryPage:
    course_slug: str
    course_title: str
    title: str
    #: sanitized at sync
    html: str


def get_glossary(session: Session, course_slug: str) -> GlossaryPage | None:
    """The glossary of a live course; None when there is no such course or it has no glossary."""
    row = session.execute(
        select(Course.slug, Course.title, Course.glossary_title, Course.glossary_html)
        .where(Course.slug == course_slug, Course.retired_at.is_(None), Course.glossary_title.is_not(None))
    ).first()
    return GlossaryPage(*row) if row is not None else None


def get_asset(session: Session, course_slug: str, path: str) -> CourseAsset | None:
    """An asset of a live course by its exact stored path; anything else (``..``, absolute) is None."""
    parts = path.split("/")
    if not path or path.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in path:
        return None
    return session.scalar(
        select(CourseAsset)
        .join(Course, CourseAsset.course_id == Course.id)
        .where(Course.slug == course_slug, Course.retired_at.is_(None), CourseAsset.path == "assets/" + path)
    )
