"""Courses kept on the learner's phone: what "Simpan untuk dibaca offline" stores, and how big it is.

Rules:
- only an enrolled learner may save a course; only the modules they may open now are saved (a
  locked module stays on the server until its prerequisites are complete);
- the bundle names the course's revision (its version and the hash of its published sources), so the
  phone can tell when a newer version was published (or a fix to the same version) and refresh its
  copy when online;
- the size is measured on the stored HTML and asset bytes (what the phone downloads, before the
  page layout around it), so the learner sees it before saving.

The service worker (``elearn/static/js/sw.js``) and ``offline.js`` do the storing; nothing here
touches the browser. Progress done offline comes back through the ordinary idempotent services
(``progress.mark_module_complete``, ``quizzes.save_draft`` / ``submit_attempt``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.models import Course, CourseAsset, Module
from elearn.services.enrollment import get_enrollment
from elearn.services.progress import get_course_progress


@dataclass
class OfflineBundle:
    course_slug: str
    #: ``offline_revision`` of the course when the bundle was made
    revision: str
    #: slugs of the modules to store, in course order
    modules: list[str] = field(default_factory=list)
    #: asset paths under the course's ``assets/`` route (without the ``assets/`` prefix)
    assets: list[str] = field(default_factory=list)
    #: bytes of module HTML and assets together
    size: int = 0


def offline_revision(course: Course) -> str:
    """What a saved copy is compared with: changes with every published change of the course."""
    return f"{course.version}-{(course.source_hash or '')[:12]}"


def open_module_slugs(session: Session, user_id: int, course_id: int) -> set[str] | None:
    """The slugs of the course's modules open to the learner now (not locked by the module rules of
    services.progress): what they may save for offline reading or download as a book. None when they are
    not enrolled."""
    enrollment = get_enrollment(session, user_id, course_id)
    if enrollment is None:
        return None
    return {m.slug for m in get_course_progress(session, user_id, course_id, enrollment).modules if not m.locked}


def get_offline_bundle(session: Session, user_id: int, course: Course) -> OfflineBundle | None:
    """What saving ``course`` for offline reading stores; None when the learner is not enrolled."""
    readable = open_module_slugs(session, user_id, course.id)
    if readable is None:
        return None
    rows = session.execute(
        select(Module.slug, func.length(Module.html))
        .where(Module.course_id == course.id, Module.retired_at.is_(None)).order_by(Module.position)).all()
    modules = [(slug, size or 0) for slug, size in rows if slug in readable]
    assets = session.execute(
        select(CourseAsset.path, func.length(CourseAsset.content))
        .where(CourseAsset.course_id == course.id).order_by(CourseAsset.path)).all()
    return OfflineBundle(
        course.slug, offline_revision(course), [slug for slug, _size in modules],
        [path.removeprefix("assets/") for path, _size in assets],
        sum(size for _slug, size in modules) + sum(size or 0 for _path, size in assets))
