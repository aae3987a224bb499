"""Read-side queries for the catalogue, course and module pages (fixed number of queries each)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from elearn.models import Course, CourseAsset, Module


@dataclass(frozen=True)
class ModuleLink:
    slug: str
    title: str
    minutes: int


@dataclass(frozen=True)
class ModulePage:
    course_slug: str
    course_title: str
    slug: str
    title: str
    minutes: int
    objectives: list
    html: str
    toc: list
    position: int
    count: int
    previous: ModuleLink | None
    next: ModuleLink | None


def list_courses(session: Session, query: str = "") -> list[Course]:
    """Live courses ordered by title, optionally filtered by a text query on title and summary."""
    stmt = select(Course).where(Course.retired_at.is_(None)).order_by(Course.title)
    if query.strip():
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Course.title).like(like), func.lower(Course.summary).like(like)))
    return list(session.scalars(stmt))


def get_course(session: Session, slug: str) -> Course | None:
    return session.scalar(select(Course).where(Course.slug == slug, Course.retired_at.is_(None)))


def list_live_modules(session: Session, course_id: int) -> list[Module]:
    stmt = (
        select(Module)
        .where(Module.course_id == course_id, Module.retired_at.is_(None))
        .order_by(Module.position)
    )
    return list(session.scalars(stmt))


def get_module_page(session: Session, course_slug: str, module_slug: str) -> ModulePage | None:
    """Everything the module page shows, in two queries: the module, then its siblings' links."""
    row = session.execute(
        select(Module, Course.id, Course.title)
        .join(Course, Module.course_id == Course.id)
        .where(Course.slug == course_slug, Course.retired_at.is_(None),
               Module.slug == module_slug, Module.retired_at.is_(None))
    ).first()
    if row is None:
        return None
    module, course_id, course_title = row
    siblings = session.execute(
        select(Module.slug, Module.title, Module.minutes)
        .where(Module.course_id == course_id, Module.retired_at.is_(None))
        .order_by(Module.position)
    ).all()
    slugs = [s.slug for s in siblings]
    index = slugs.index(module.slug)
    prev_link = ModuleLink(*siblings[index - 1]) if index > 0 else None
    next_link = ModuleLink(*siblings[index + 1]) if index + 1 < len(siblings) else None
    return ModulePage(
        course_slug=course_slug, course_title=course_title, slug=module.slug, title=module.title,
        minutes=module.minutes, objectives=list(module.objectives or []), html=module.html,
        toc=list(module.toc or []), position=index + 1, count=len(siblings),
        previous=prev_link, next=next_link,
    )


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
