"""The module page: the hottest read of the site, in one narrow Core query.

One row per live module of the course, in order, with the learner's progress on it (prev/next
links, locks, percentage, what was started); every row also carries the course and the learner's
enrollment, and only the asked module's row carries its text and whether it has a quiz. Writes
happen only when something changed: the first view of a module, a view more than SEEN_RESOLUTION
after the last one, or a new "last module".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, case, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import Course, Enrollment, Module, ModuleProgress, ModuleTask, Quiz
from elearn.models._types import utcnow
from elearn.services.progress import SEEN_RESOLUTION, build_progress

_m, _c, _e, _p, _q, _t = (Module.__table__, Course.__table__, Enrollment.__table__, ModuleProgress.__table__,
                          Quiz.__table__, ModuleTask.__table__)

_ASKED = _m.c.slug == bindparam("module_slug")
_COURSE_MODULES = (
    select(_m.c.id, _m.c.slug, _m.c.title, _m.c.minutes, _m.c.requires, _p.c.completed_at, _p.c.last_seen_at,
           _p.c.id.label("progress_id"), _p.c.placed_out_at,
           case((_ASKED, _m.c.objectives)).label("objectives"), case((_ASKED, _m.c.html)).label("html"),
           case((_ASKED, _m.c.toc)).label("toc"),
           case((_ASKED, exists().where(_q.c.module_id == _m.c.id, _q.c.retired_at.is_(None)))).label("has_quiz"),
           case((_ASKED, exists().where(_q.c.course_id == _c.c.id, _q.c.kind == "exam",
                                        _q.c.retired_at.is_(None)))).label("has_exam"),
           case((_ASKED, select(_t.c.title).where(_t.c.module_id == _m.c.id, _t.c.retired_at.is_(None))
                 .scalar_subquery())).label("task_title"),
           _c.c.title.label("course_title"), _c.c.glossary_title.is_not(None).label("has_glossary"),
           _e.c.id.label("enrollment_id"), _e.c.last_module_id,
           _e.c.completed_at.label("enrollment_completed_at"), _e.c.left_at)
    .select_from(_m.join(_c, _c.c.id == _m.c.course_id)
                 .outerjoin(_e, and_(_e.c.course_id == _c.c.id, _e.c.user_id == bindparam("user_id")))
                 .outerjoin(_p, and_(_p.c.module_id == _m.c.id, _p.c.user_id == bindparam("user_id"))))
    .where(_c.c.slug == bindparam("course_slug"), _c.c.retired_at.is_(None), _m.c.retired_at.is_(None))
    .order_by(_m.c.position)
)


@dataclass(frozen=True)
class ModuleLink:
    slug: str
    title: str
    minutes: int


@dataclass(frozen=True)
class ModulePage:
    """What every reader of the module sees: hashable, so the page itself keys its rendered HTML."""
    course_slug: str
    course_title: str
    id: int
    slug: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    html: str
    toc: tuple[tuple, ...]
    position: int
    count: int
    previous: ModuleLink | None
    next: ModuleLink | None
    #: whether the course has a glossary page to link to
    has_glossary: bool = False
    #: the title of the module's practice task, if it has one (services.tasks)
    task_title: str | None = None


@dataclass
class ModuleView:
    page: ModulePage
    #: "read" (enrolled learner), "preview" (trainer/admin, nothing recorded),
    #: "enroll_first" or "locked".
    access: str
    missing: tuple[str, ...] = ()
    completed: bool = False
    #: completed by the placement pre-test
    placed_out: bool = False
    can_mark_complete: bool = False
    by_quiz: bool = False
    percent: int = 0
    #: whether the view wrote anything (the caller commits only then: a commit expires the
    #: session's objects, and reloading the user would cost another query)
    recorded: bool = False


def view_module(session: Session, user_id: int, preview: bool, course_slug: str, module_slug: str,
                now: datetime | None = None, record: bool = True) -> ModuleView | None:
    """The module page for this user, recording the view for an enrolled learner (unless ``record``
    is False: a page stored for offline reading is not a page read); None if no such module."""
    siblings = session.connection().execute(
        _COURSE_MODULES, {"user_id": user_id, "course_slug": course_slug, "module_slug": module_slug}).all()
    index = next((i for i, s in enumerate(siblings) if s.slug == module_slug), None)
    if index is None:
        return None
    row = siblings[index]
    page = ModulePage(
        course_slug=course_slug, course_title=row.course_title, id=row.id, slug=row.slug, title=row.title,
        minutes=row.minutes, objectives=tuple(row.objectives or ()), html=row.html,
        toc=tuple(tuple(entry) for entry in row.toc or ()),
        position=index + 1, count=len(siblings),
        previous=ModuleLink(*siblings[index - 1][1:4]) if index > 0 else None,
        next=ModuleLink(*siblings[index + 1][1:4]) if index + 1 < len(siblings) else None,
        has_glossary=bool(row.has_glossary), task_title=row.task_title)
    if row.enrollment_id is None or row.left_at is not None:
        return ModuleView(page, "preview" if preview else "enroll_first")
    rows = [tuple(s[:5]) for s in siblings]
    done = {s.id: s.completed_at for s in siblings if s.progress_id is not None}
    progress = build_progress(rows, done, row.last_module_id, row.enrollment_completed_at,
                              has_exam=bool(row.has_exam),
                              placed={s.id for s in siblings if s.placed_out_at is not None})
    state = progress.state_of(page.slug)
    if state.locked and not preview:
        return ModuleView(page, "locked", missing=state.missing)
    recorded = _record_view(session, user_id, row, now or utcnow()) if record else False
    has_quiz = bool(row.has_quiz)
    return ModuleView(page, "read", completed=state.completed, placed_out=state.placed_out, by_quiz=has_quiz,
                      can_mark_complete=not state.completed and not has_quiz, percent=progress.percent,
                      recorded=recorded)


def _record_view(session: Session, user_id: int, row, now: datetime) -> bool:
    """Started / last seen / last module: writes only what changed (a read page must stay cheap).

    Returns whether anything was written."""
    conn = session.connection()
    wrote = False
    if row.progress_id is None:
        wrote = True
        try:
            with session.begin_nested():
                session.connection().execute(insert(_p).values(user_id=user_id, module_id=row.id, started_at=now,
                                                               last_seen_at=now))
        except IntegrityError:  # opened twice at once; the other request recorded it
            pass
    elif row.last_seen_at < now - SEEN_RESOLUTION:
        conn.execute(update(_p).where(_p.c.id == row.progress_id).values(last_seen_at=now))
        wrote = True
    if row.last_module_id != row.id:
        conn.execute(update(_e).where(_e.c.id == row.enrollment_id).values(last_module_id=row.id))
        wrote = True
    return wrote
