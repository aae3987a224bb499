"""Bringing the Markdown course folders into the database, and publishing course versions.

``publish_source`` is the one way a course goes live, whoever publishes it: ``courses sync`` (a folder,
``sync_catalog``) and the trainer studio (``elearn.services.studio``) both call it. It stores the
rendered course (modules, quizzes, assets) and the exact files as a new version
(``elearn.services.course_versions``). Rendering happens here, once per changed source; pages only
read stored HTML.

A folder never silently overwrites the studio: when a course's latest version was published in the
studio and the folder's files differ from it, ``sync_catalog`` refuses that course (a problem naming
the version) unless ``force`` is given.
"""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.content.course import CourseSource, load_catalog
from elearn.content.course_check import CheckedCourse, render_and_check
from elearn.content.fields import display_path
from elearn.content.images import derivative_path, measure, resize
from elearn.content.problems import Problem, has_errors
from elearn.content.pretest import parse_pretest
from elearn.content.quiz import parse_quiz
from elearn.content.quiz_render import snapshot_quiz
from elearn.models import Course, CourseAsset, CourseVersion, Module, ModuleTask, Quiz
from elearn.models._types import utcnow
from elearn.services.completion import complete_pending
from elearn.services.course_staff import import_front_matter_staff
from elearn.services.course_versions import content_hash, folder_files, latest_version, record_version

# Types served for assets; anything else is served as a download.
_EXTRA_TYPES = {".webp": "image/webp", ".svg": "application/octet-stream", ".md": "text/plain"}


@dataclass
class CourseChange:
    slug: str
    outcome: str  # added | updated | unchanged | retired | failed | refused (studio version is newer)
    modules_added: int = 0
    modules_updated: int = 0
    modules_unchanged: int = 0
    modules_retired: int = 0


@dataclass
class SyncReport:
    courses: list[CourseChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rendered_modules: int = 0
    #: learners whose course became complete because of the change (a module retired, …)
    completed_now: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for c in self.courses if c.outcome == outcome)

    def module_total(self, attr: str) -> int:
        return sum(getattr(c, attr) for c in self.courses)

    @property
    def failed(self) -> bool:
        return any(c.outcome in ("failed", "refused") for c in self.courses)


#: ``Course.source_kind`` (and ``CourseVersion.source``) of courses synced from a folder …
FOLDER = "folder"
#: … and of courses whose latest version was published in the trainer studio.
STUDIO = "studio"


def sync_catalog(session: Session, root: Path, *, retire_missing: bool = True, force: bool = False) -> SyncReport:
    """Sync every course folder under ``root``; each course in its own savepoint.

    A course with errors is reported and its stored version left untouched; the others are synced.
    When ``retire_missing``, the courses of :func:`courses_to_retire` are retired (never deleted):
    only folder courses that were synced from ``root`` itself, so syncing another directory never
    retires anything of this one. A course whose latest version comes from the studio and differs from
    its folder is refused (outcome "refused", a problem saying why) unless ``force``.
    """
    report = SyncReport()
    root = Path(root)
    retiring = courses_to_retire(session, root) if retire_missing else []
    sources, problems = load_catalog(root)
    report.problems.extend(problems)
    failed = {_course_slug_of(p, root) for p in problems if p.severity == "error"}
    failed.discard(None)
    good = [s for s in sources if s.slug not in failed]
    for slug in sorted(failed):
        report.courses.append(CourseChange(slug, "failed"))

    existing = {c.slug: c for c in session.scalars(select(Course))}
    for source in good:
        files = folder_files(Path(source.path))
        course = existing.get(source.slug)
        refusal = None if force or course is None else studio_refusal(session, course, files, root, source)
        if refusal is not None:
            report.problems.append(refusal)
            report.courses.append(CourseChange(source.slug, "refused"))
            continue
        savepoint = session.begin_nested()
        try:
            change, _version = publish_source(session, course, source, files, report, root, kind=FOLDER,
                                              user_id=None, note="courses sync")
            savepoint.commit()
        except CourseBroken as refused:
            savepoint.rollback()
            report.problems.extend(refused.problems)
            change = CourseChange(source.slug, "failed")
        except Exception as exc:  # a database error in one course must not take the others down
            savepoint.rollback()
            report.problems.append(Problem(str(Path(source.path) / "course.md"), 0, f"sync failed: {exc}"))
            change = CourseChange(source.slug, "failed")
        report.courses.append(change)

    # a retired module or a removed exam may have completed some learners' courses
    changed = [c.slug for c in report.courses if c.outcome == "updated"]
    if changed:
        ids = list(session.scalars(select(Course.id).where(Course.slug.in_(changed))))
        report.completed_now = complete_pending(session, ids)

    now = utcnow()
    for slug in retiring:
        course = existing[slug]
        course.retired_at = now
        retired = CourseChange(slug, "retired")
        for module in course.modules:
            if module.retired_at is None:
                module.retired_at = now
                retired.modules_retired += 1
        report.courses.append(retired)
    session.flush()
    return report


def studio_refusal(session: Session, course: Course, files: dict[str, bytes], root: Path,
                   source: CourseSource) -> Problem | None:
    """Why the folder may not overwrite ``course`` (None when it may): its latest version was published
    in the studio and the folder's files are not that version's."""
    latest = latest_version(session, course.id)
    if latest is None or latest.source != STUDIO or latest.content_hash == content_hash(files):
        return None
    shown = display_path(Path(source.path) / "course.md", Path(root))
    return Problem(shown, 0, f"course '{course.slug}' has studio version {latest.number} "
                             f"({latest.created_at:%Y-%m-%d %H:%M} UTC) that this folder does not hold; "
                             f"not overwritten. Download that version from the studio into the folder, "
                             f"or run again with --force to replace it with the folder")


def publish_source(session: Session, course: Course | None, source: CourseSource, files: dict[str, bytes],
                   report: SyncReport, root: Path, *, kind: str, user_id: int | None, note: str,
                   checked: CheckedCourse | None = None) -> tuple[CourseChange, CourseVersion]:
    """Publish one loaded course: store it rendered (``course`` None: a new course) and its exact
    ``files`` as a version from ``kind`` ("folder" or "studio") by ``user_id`` with ``note``. Raises
    ``CourseBroken`` when rendering finds errors. Files equal to the latest version make no new version;
    a course that was never versioned gets its first one even when nothing else changed. The front
    matter's ``trainers:`` become owners only while the course has no staff (services.course_staff)."""
    change, course = _sync_course(session, course, source, report, root, kind=kind, checked=checked)
    import_front_matter_staff(session, course)  # only while the course has no staff (then the studio decides)
    version, _created = record_version(session, course, files, source=kind, created_by_id=user_id, note=note)
    return change, version


def courses_to_retire(session: Session, root: Path) -> list[str]:
    """Slugs of the live courses a sync of ``root`` would retire: synced from a folder directly in
    ``root`` (``source_path``) that no longer holds a ``course.md``. Courses of other directories,
    of another kind, or synced before sources were recorded are never candidates."""
    root = Path(root).resolve()
    rows = session.execute(select(Course.slug, Course.source_path).where(
        Course.source_kind == FOLDER, Course.retired_at.is_(None), Course.source_path.is_not(None)))
    return sorted(slug for slug, path in rows
                  if Path(path).parent == root and not (Path(path) / "course.md").is_file())


def _course_slug_of(problem: Problem, root: Path) -> str | None:
    """The course folder a problem belongs to: the first path part below ``root``."""
    path = Path(problem.path)
    base = Path(root) if path.is_absolute() else Path(Path(root).name)
    try:
        parts = path.relative_to(base).parts
    except ValueError:
        return None
    return parts[0] if parts else None


class CourseBroken(Exception):
    """Rendering found errors (broken links, quiz errors): the course keeps its stored version.
    ``code`` is always "broken"; ``problems`` say what and where."""

    code = "broken"

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _sync_course(session: Session, course: Course | None, source: CourseSource, report: SyncReport,
                 root: Path, *, kind: str = FOLDER, checked: CheckedCourse | None = None) -> tuple[CourseChange, Course]:
    source_hash = source.source_hash()
    # a studio draft lives in a temporary folder: the course keeps the folder it last came from
    source_path = str(Path(source.path).resolve()) if kind == FOLDER else (course.source_path if course else None)
    if course is not None and course.source_hash == source_hash and course.retired_at is None \
            and not _tasks_stale(session, course, source) and not _copies_missing(session, course, source):
        course.source_kind, course.source_path = kind, source_path  # where it now comes from
        live = [m for m in course.modules if m.retired_at is None]
        return CourseChange(source.slug, "unchanged", modules_unchanged=len(live)), course

    checked = checked if checked is not None else render_and_check(source, root)
    rendered = checked.rendered.modules
    report.rendered_modules += len(rendered)
    if has_errors(checked.problems):
        raise CourseBroken(checked.problems)
    report.problems.extend(checked.problems)  # warnings
    quizzes = load_course_quizzes(source)
    now = utcnow()
    if course is None:
        course = Course(slug=source.slug, created_at=now)
        session.add(course)
        change = CourseChange(source.slug, "added")
    else:
        change = CourseChange(source.slug, "updated")
    course.title = source.title
    course.summary = source.summary
    course.language = source.language
    course.version = str(source.version)
    course.hours = source.hours
    course.level = source.level
    course.topics = list(source.topics)
    course.authors = list(source.authors)
    course.prerequisites = list(source.prerequisites)
    course.settings = dict(source.settings)
    course.overview_html = checked.rendered.overview.html
    glossary = checked.rendered.glossary
    course.glossary_title = source.glossary.title if source.glossary is not None else None
    course.glossary_html = glossary.html if glossary is not None else None
    course.source_hash = source_hash
    course.source_kind, course.source_path = kind, source_path
    course.retired_at = None
    course.updated_at = now
    session.flush()

    by_slug = {m.slug: m for m in course.modules}
    for module_source in source.modules:
        module = by_slug.pop(module_source.slug, None)
        html = rendered[module_source.slug]
        if module is None:
            module = Module(course=course, slug=module_source.slug)
            session.add(module)
            change.modules_added += 1
        elif (module.source_sha256 == module_source.sha256 and module.retired_at is None
              and module.position == module_source.number):
            change.modules_unchanged += 1
        else:
            change.modules_updated += 1
        module.position = module_source.number
        module.title = module_source.title
        module.minutes = module_source.minutes
        module.objectives = list(module_source.objectives)
        module.requires = list(module_source.requires)
        module.html = html.html
        module.toc = [[e.level, e.id, e.title] for e in html.toc]
        module.source_sha256 = module_source.sha256
        module.retired_at = None
    for module in by_slug.values():
        if module.retired_at is None:
            module.retired_at = now
            change.modules_retired += 1

    _sync_assets(session, course, source)
    _sync_quizzes(session, course, source, quizzes)
    session.flush()
    _sync_tasks(session, course, source, checked.rendered.tasks)
    session.flush()
    return change, course


def _tasks_stale(session: Session, course: Course, source: CourseSource) -> bool:
    """The stored live tasks are not the folder's task files (a course synced before tasks were, or tasks
    stored before a migration added what they carry and emptied their hash): sync the course again."""
    wanted = sorted(m.task.sha256 for m in source.modules if m.task is not None)
    stored = sorted(session.scalars(
        select(ModuleTask.source_sha256).join(Module, Module.id == ModuleTask.module_id)
        .where(Module.course_id == course.id, ModuleTask.retired_at.is_(None))))
    return wanted != stored


def _copies_missing(session: Session, course: Course, source: CourseSource) -> bool:
    """A wide image has no resized copies stored (a course published before images were resized):
    sync it again, so its pages name the copies too."""
    wanted = {derivative_path(path, width) for path, file in source.assets.items()
              for size in [measure(path, Path(file))] if size is not None for width in size.copies}
    if not wanted:
        return False
    stored = set(session.scalars(select(CourseAsset.path).where(CourseAsset.course_id == course.id,
                                                                CourseAsset.path.in_(wanted))))
    return stored != wanted


def _sync_tasks(session: Session, course: Course, source: CourseSource, rendered: dict) -> None:
    """Upsert each module's practice task; a task whose file vanished is retired (submissions stay)."""
    module_ids = {m.slug: m.id for m in course.modules}
    stored = {t.module_id: t for t in session.scalars(
        select(ModuleTask).where(ModuleTask.module_id.in_(list(module_ids.values()) or [-1])))}
    for module_source in source.modules:
        task_source = module_source.task
        if task_source is None:
            continue
        module_id = module_ids[module_source.slug]
        task = stored.pop(module_id, None)
        if task is None:
            task = ModuleTask(module_id=module_id)
            session.add(task)
        task.title = task_source.title
        task.minutes = task_source.minutes
        task.required = task_source.required
        task.rubric = [{"criterion": c.criterion, "points": c.points, "description": c.description}
                       for c in task_source.rubric]
        task.pass_points = task_source.pass_points
        task.max_files = task_source.max_files
        task.allowed = list(task_source.allowed)
        task.html = rendered[module_source.slug].html
        task.source_sha256 = task_source.sha256
        task.retired_at = None
    for task in stored.values():
        if task.retired_at is None:
            task.retired_at = utcnow()


def load_course_quizzes(source: CourseSource) -> dict[str, tuple[str, dict, list, str]]:
    """Parse and render the course's quiz files: {module slug or "exam": (sha256, settings, pool, intro)}.

    Only called for courses without errors (quiz errors are found by load_catalog's checks).
    """
    found = {}
    files = [(m.slug, m.quiz_path) for m in source.modules if m.quiz_path]
    if source.exam_path:
        files.append(("exam", source.exam_path))
    if source.pretest_path:
        files.append(("pretest", source.pretest_path))
    for slug, path in files:
        raw = Path(path).read_bytes()
        if slug == "pretest":
            quiz, problems = parse_pretest(raw.decode("utf-8"), path, [m.slug for m in source.modules])
        else:
            quiz, problems = parse_quiz(raw.decode("utf-8"), path)
        if quiz is None:
            raise ValueError("; ".join(str(p) for p in problems if p.severity == "error"))
        settings, pool, intro = snapshot_quiz(quiz)
        found[slug] = (hashlib.sha256(raw).hexdigest(), settings, pool, intro)
    return found


def _sync_quizzes(session: Session, course: Course, source: CourseSource,
                  quizzes: dict[str, tuple[str, dict, list, str]]) -> None:
    """Upsert the course's quizzes; a quiz whose file vanished is retired (its attempts stay)."""
    module_ids = {m.slug: m.id for m in course.modules}
    stored = {q.slug: q for q in session.scalars(select(Quiz).where(Quiz.course_id == course.id))}
    for slug, (sha, settings, pool, intro) in quizzes.items():
        quiz = stored.pop(slug, None)
        if quiz is None:
            quiz = Quiz(course_id=course.id, slug=slug, version=1)
            session.add(quiz)
        elif quiz.source_sha256 != sha:
            quiz.version += 1
        quiz.kind = slug if slug in ("exam", "pretest") else "module"
        quiz.module_id = module_ids[slug] if quiz.kind == "module" else None
        default_title = {"exam": "Ujian akhir", "pretest": "Tes penempatan"}.get(slug) or "Kuis: " + next(
            m.title for m in source.modules if m.slug == slug)
        quiz.title = settings.pop("title", "") or default_title
        quiz.settings = settings
        quiz.questions = pool
        quiz.intro_html = intro
        quiz.source_sha256 = sha
        quiz.retired_at = None
    for quiz in stored.values():
        if quiz.retired_at is None:
            quiz.retired_at = utcnow()


def _sync_assets(session: Session, course: Course, source: CourseSource) -> None:
    """Store the course's asset files, and next to each wide raster image its resized copies
    (``elearn.content.images``: the paths the page's ``srcset`` names). A copy is made again only when
    its original changed; copies and files the course no longer has are deleted."""
    stored = {a.path: a for a in session.scalars(select(CourseAsset).where(CourseAsset.course_id == course.id))}
    for rel_path, abs_path in sorted(source.assets.items()):
        data = Path(abs_path).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        asset = stored.pop(rel_path, None)
        size = measure(rel_path, data)
        copies = [derivative_path(rel_path, width) for width in (size.copies if size else ())]
        kept = [stored.pop(path, None) for path in copies]
        if asset is not None and asset.sha256 == digest and all(kept):
            continue
        _store_asset(session, course, asset, rel_path, data)
        for (path, copy), old in zip(resize(size, data).items() if size else (), kept):
            _store_asset(session, course, old, path, copy)
    for asset in stored.values():  # assets carry no history: a removed file is gone
        session.delete(asset)


def _store_asset(session: Session, course: Course, asset: CourseAsset | None, path: str, data: bytes) -> None:
    if asset is None:
        asset = CourseAsset(course_id=course.id, path=path)
        session.add(asset)
    asset.content = data
    asset.sha256 = hashlib.sha256(data).hexdigest()
    asset.mime_type = _mime_type(path)


def _mime_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in _EXTRA_TYPES:
        return _EXTRA_TYPES[suffix]
    return mimetypes.guess_type(path)[0] or "application/octet-stream"
