"""The trainer studio: check, preview and publish a course from the browser.

A *draft* is a set of course files (path → bytes); the studio stores one per course
(``elearn.services.drafts``) and passes its files here. Checking and preview write them to a temporary
folder and run the same ``elearn.content`` core as ``courses check`` and
``courses sync`` (parse → validate → render → sanitize), so a draft page is rendered exactly as the
published one will be. Publishing goes through the one publishing service,
``elearn.services.course_sync.publish_source``, and is refused while the draft has errors, or when
another version was published after the one the draft started from (``base_number``).

Who may use the studio for which course is ``elearn.access.is_course_staff``.
"""
from __future__ import annotations

import difflib
import json
import random
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.content.course import EXAM_FILE, QUIZ_FILE, CourseSource, find_cycles, load_course
from elearn.content.pretest import PRETEST_FILE
from elearn.content.course_check import CheckedCourse, render_and_check
from elearn.content.problems import Problem, has_errors
from elearn.models import Course, CourseVersion, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.completion import complete_pending
from elearn.services.course_staff import import_front_matter_staff
from elearn.services.course_sync import STUDIO, CourseBroken, SyncReport, load_course_quizzes, publish_source
from elearn.content.qtypes import get_type
from elearn.services.quizzes import grade_responses, parse_responses
from elearn.services.quiz_views import open_attempt_view, result_view
from elearn.services.course_versions import (content_hash, get_version, latest_version, version_files,
                                             write_folder)

#: A Markdown file the studio may create or edit: a file at the top of the course folder.
EDITABLE = re.compile(r"^[a-z0-9][a-z0-9._-]*\.md$")


@dataclass(frozen=True)
class PreviewPage:
    """A draft page as the learner's module page shows it."""
    path: str
    title: str
    minutes: int
    objectives: list[str]
    toc: list
    html: str


@dataclass
class DraftCheck:
    """The problems of a draft (paths relative to the course folder) and its rendered pages."""
    problems: list[Problem]
    pages: list[PreviewPage] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


class StudioError(Exception):
    """A studio action refused; ``code`` says why (the route translates it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def latest_files(session: Session, course: Course) -> tuple[int | None, dict[str, bytes]]:
    """The latest version's number and files; for a studio draft never published, (None, the template
    it was created from); (None, {}) for any other course never versioned."""
    version = latest_version(session, course.id)
    if version is not None:
        return version.number, version_files(session, version)
    if course.source_kind == STUDIO:
        return None, course_template(course.title, (course.settings or {}).get("trainers", []))
    return None, {}


#: A course slug: the folder name rule of ``courses check`` (lowercase words joined by "-").
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def course_template(title: str, trainers: list[str]) -> dict[str, bytes]:
    """The files a new studio course starts from, in the folder format: ``course.md`` naming
    ``trainers``, one module and its quiz. Valid as it stands (``courses check`` finds no error), so the
    trainer replaces text rather than learning the format first. Strings are written as JSON, which is
    YAML, so any title is safe in the front matter."""
    course_md = (
        "---\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        "summary: Ringkasan singkat kursus ini (satu atau dua kalimat).\n"
        "language: id\n"
        'version: "1"\n'
        "hours: 2\n"
        "level: dasar\n"
        "topics: []\n"
        "prerequisites: []\n"
        "# trainers: dibaca sekali, saat kursus belum punya staf; sesudahnya staf diatur di halaman Staf studio\n"
        f"trainers: {json.dumps(list(trainers), ensure_ascii=False)}\n"
        "---\n"
        "Ikhtisar kursus: untuk siapa kursus ini dan apa yang dipelajari.\n")
    module = (
        "---\n"
        "title: Pengantar\n"
        "minutes: 15\n"
        "objectives:\n"
        "  - Tujuan belajar pertama\n"
        "---\n"
        "## Bagian pertama\n\n"
        "Tulis isi modul di sini dengan Markdown: **tebal**, *miring*, daftar, dan tautan.\n")
    quiz = (
        "---\n"
        "title: Kuis Modul 1 - Pengantar\n"
        "pass_mark: 70\n"
        "max_attempts: 0\n"
        "---\n\n"
        "## Pertanyaan pertama\n\n"
        "Tulis pertanyaan di sini. Tandai jawaban benar dengan [x].\n\n"
        "- [x] Jawaban benar\n"
        "- [ ] Jawaban salah\n\n"
        "> Penjelasan yang ditampilkan setelah menjawab.\n")
    return {"course.md": course_md.encode("utf-8"), "01-pengantar.md": module.encode("utf-8"),
            "01-pengantar.quiz.md": quiz.encode("utf-8")}


def create_course(session: Session, user: User, slug: str, title: str) -> Course:
    """A new studio course, started from ``course_template`` with ``user`` as its trainer.

    Until its first publish it is a *studio draft*: stored hidden from learners like a retired course
    (``retired_at`` set, no version; the catalog, enrolment and every learner page skip it), and only
    its staff see it in the studio. Publishing it (``publish_draft``) makes it live. Raises
    ``StudioError("bad_slug")`` or ``StudioError("slug_taken")`` (any course, live, retired or draft,
    holds its slug for good). Flushes; the caller commits."""
    slug, title = slug.strip(), " ".join(title.split())
    if not SLUG.match(slug) or len(slug) > 100 or not title:
        raise StudioError("bad_slug")
    if session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
        raise StudioError("slug_taken")
    now = utcnow()
    course = Course(slug=slug, title=title[:300], source_kind=STUDIO, settings={"trainers": [user.email]},
                    retired_at=now, created_at=now, updated_at=now)
    session.add(course)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # the same slug taken a moment ago
        raise StudioError("slug_taken") from None
    import_front_matter_staff(session, course)  # the creator, named in trainers:, becomes its owner
    record_event(session, "studio.course_created", actor_id=user.id, course=slug)
    session.flush()
    return course


def get_studio_course(session: Session, slug: str) -> Course | None:
    """A live course, or a studio draft never published (hidden from learners); None otherwise."""
    course = session.scalar(select(Course).where(Course.slug == slug))
    if course is None or course.retired_at is None:
        return course
    if course.source_kind == STUDIO and latest_version(session, course.id) is None:
        return course
    return None


def quiz_slugs(paths) -> list[str]:
    """The quizzes a course's files hold, by the slug their pages use: module quizzes, then the
    pre-test and the exam."""
    slugs = [match["slug"] for path in sorted(paths) if (match := QUIZ_FILE.match(path))]
    return slugs + [slug for file, slug in ((PRETEST_FILE, "pretest"), (EXAM_FILE, "exam")) if file in paths]


def edited_files(files: dict[str, bytes], path: str, text: str) -> dict[str, bytes]:
    """``files`` with the Markdown file ``path`` set to ``text``; the browser's CRLF line ends become LF
    (course files use LF). Raises ``StudioError("bad_path")`` for anything but a top-level ``.md`` file."""
    if not EDITABLE.match(path):
        raise StudioError("bad_path")
    changed = dict(files)
    changed[path] = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return changed


@contextmanager
def _materialised(slug: str, files: dict[str, bytes]) -> Iterator[tuple[Path, Path]]:
    """The draft written to ``<tmp>/courses/<slug>/`` (so problems read ``courses/<slug>/…`` as in
    ``courses check``); removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="studio-") as tmp:
        root = Path(tmp) / "courses"
        folder = root / slug
        folder.mkdir(parents=True)
        write_folder(files, folder)
        yield root, folder


def _load(session: Session, course: Course, root: Path, folder: Path
          ) -> tuple[CourseSource | None, CheckedCourse | None, list[Problem]]:
    """Load and check the draft folder as ``courses check`` does, with the cross-course checks made
    against the courses in the database (prerequisites exist and form no cycle)."""
    source, problems = load_course(folder, root=root)
    if source is None:
        return None, None, problems
    shown = f"courses/{course.slug}/course.md"
    others = dict(session.execute(select(Course.slug, Course.prerequisites).where(Course.id != course.id)).all())
    for prerequisite in source.prerequisites:
        if prerequisite not in others:
            problems.append(Problem(shown, 1, f"unknown prerequisite course '{prerequisite}'"))
    graph = {slug: list(requires or []) for slug, requires in others.items()} | {course.slug: source.prerequisites}
    for cycle in find_cycles(graph):
        if course.slug in cycle:
            problems.append(Problem(shown, 1, "prerequisites form a cycle: " + " → ".join(cycle)))
    checked = render_and_check(source, root)
    problems += checked.problems
    return source, checked, problems


def _relative(problems: list[Problem], slug: str) -> list[Problem]:
    prefix = f"courses/{slug}"
    out = []
    for p in problems:
        path = p.path[len(prefix) + 1:] if p.path.startswith(prefix + "/") else ("" if p.path == prefix else p.path)
        out.append(Problem(path or "course.md", p.line, p.message, p.severity))
    return sorted(out, key=lambda p: (p.path, p.line))


def check_draft(session: Session, course: Course, files: dict[str, bytes], preview: str | None = None) -> DraftCheck:
    """The draft's problems, as ``courses check`` finds them; with ``preview`` a file path (a module or
    ``course.md``) or ``"*"`` (every module), the rendered pages too."""
    with _materialised(course.slug, files) as (root, folder):
        source, checked, problems = _load(session, course, root, folder)
    result = DraftCheck(_relative(problems, course.slug))
    if source is not None and checked is not None and preview:
        if preview in ("course.md", "*"):
            result.pages.append(PreviewPage("course.md", source.title, 0, [], [[e.level, e.id, e.title] for e in checked.rendered.overview.toc],
                                            checked.rendered.overview.html))
        for module in source.modules:
            if preview in (module.filename, "*"):
                rendered = checked.rendered.modules[module.slug]
                result.pages.append(PreviewPage(module.filename, module.title, module.minutes, module.objectives,
                                                [[e.level, e.id, e.title] for e in rendered.toc], rendered.html))
    return result


@dataclass(frozen=True)
class Published:
    version: CourseVersion
    #: False when the draft equalled the latest version (nothing was published)
    created: bool


def publish_draft(session: Session, course: Course, files: dict[str, bytes], *, user_id: int, note: str,
                  base_number: int | None) -> Published | DraftCheck:
    """Publish the draft as the course's next version (source "studio"), live for learners at once.

    Returns the problems (a ``DraftCheck``) when the draft has errors: nothing is stored. Raises
    ``StudioError("conflict")`` when a version newer than ``base_number`` was published meanwhile (the
    trainer's draft would silently undo it), or a concurrent publish took the number. Flushes; the caller
    commits."""
    latest = latest_version(session, course.id)
    if (latest.number if latest else None) != base_number:
        raise StudioError("conflict")
    if latest is not None and latest.content_hash == content_hash(files):
        return Published(latest, False)
    with _materialised(course.slug, files) as (root, folder):
        source, checked, problems = _load(session, course, root, folder)
        if source is None or has_errors(problems):
            return DraftCheck(_relative(problems, course.slug))
        savepoint = session.begin_nested()
        try:
            change, version = publish_source(session, course, source, files, SyncReport(), root, kind=STUDIO,
                                             user_id=user_id, note=note.strip(), checked=checked)
            savepoint.commit()
        except CourseBroken as broken:
            savepoint.rollback()
            return DraftCheck(_relative(broken.problems, course.slug))
        except IntegrityError:  # another publish took this version number a moment ago
            savepoint.rollback()
            raise StudioError("conflict") from None
    if change.outcome == "updated":
        complete_pending(session, [course.id])
    record_event(session, "studio.published", actor_id=user_id, course=course.slug, version=version.number)
    session.flush()
    return Published(version, True)


def rollback_to(session: Session, course: Course, number: int, *, user_id: int,
                base_number: int | None) -> Published | DraftCheck:
    """Publish version ``number``'s files again as the newest version (the history keeps everything in
    between). Raises ``StudioError("no_version")`` for an unknown number; otherwise as ``publish_draft``."""
    version = get_version(session, course.id, number)
    if version is None:
        raise StudioError("no_version")
    result = publish_draft(session, course, version_files(session, version), user_id=user_id,
                           note=f"rollback to version {number}", base_number=base_number)
    if isinstance(result, Published) and result.created:
        record_event(session, "studio.rolled_back", actor_id=user_id, course=course.slug, to=number,
                     version=result.version.number)
    return result


@dataclass(frozen=True)
class FileDiff:
    path: str
    #: "added" | "removed" | "changed"
    status: str
    #: unified diff lines (no "---"/"+++" header) of a text file as (kind, line), kind "add", "del",
    #: "hunk" or ""; empty for a binary file
    lines: list[tuple[str, str]]
    binary: bool = False


def diff_versions(session: Session, course: Course, old: int, new: int) -> list[FileDiff] | None:
    """What changed from version ``old`` to ``new``, file by file (unchanged files left out), as unified
    diffs with 3 lines of context; None when either version does not exist."""
    before_version, after_version = get_version(session, course.id, old), get_version(session, course.id, new)
    if before_version is None or after_version is None:
        return None
    return diff_files(version_files(session, before_version), version_files(session, after_version))


def diff_files(before: dict[str, bytes], after: dict[str, bytes]) -> list[FileDiff]:
    """What changed from the files ``before`` to ``after``, file by file (unchanged files left out), as
    unified diffs with 3 lines of context."""
    diffs = []
    for path in sorted(set(before) | set(after)):
        a, b = before.get(path), after.get(path)
        if a == b:
            continue
        status = "added" if a is None else "removed" if b is None else "changed"
        try:
            a_lines = (a or b"").decode("utf-8").splitlines()
            b_lines = (b or b"").decode("utf-8").splitlines()
        except UnicodeDecodeError:
            diffs.append(FileDiff(path, status, [], binary=True))
            continue
        lines = list(difflib.unified_diff(a_lines, b_lines, lineterm="", n=3))[2:]
        diffs.append(FileDiff(path, status, [(_line_kind(line), line) for line in lines]))
    return diffs


def _line_kind(line: str) -> str:
    return {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "")


@dataclass
class PreviewAttempt:
    """A preview of a draft quiz, taken by course staff: the whole question pool of the draft (no draw,
    no shuffled order, option order fixed per draft so that the page and the grading agree), graded
    on the server by ``grade_responses`` like a learner's attempt, and never stored: it exists only
    for the request. It has the fields the attempt views read (questions hold the answers: only
    ``open_attempt_view`` of it reaches a page before submission)."""
    slug: str
    title: str
    intro_html: str
    questions: list[dict]
    rules: dict
    responses: dict = field(default_factory=dict)
    marks: dict = field(default_factory=dict)
    score: float | None = None
    passed: bool | None = None
    number: int = 1
    state: str = "open"

    def shown(self):
        return open_attempt_view(self)

    def grade(self, form) -> None:
        """Grade the submitted form fields (``q-<key>…``) as a learner's submit would."""
        self.responses = parse_responses(self.questions, form)
        self.marks, self.score, self.passed = grade_responses(self, self.responses)
        self.state = "submitted"

    def results(self):
        """The per-question results as the learner's results page shows them under the quiz's
        ``show_answers`` rule (a pass counts as "passed ever")."""
        return result_view(self, bool(self.passed))


def preview_quiz(session: Session, course: Course, files: dict[str, bytes], quiz_slug: str
                 ) -> PreviewAttempt | DraftCheck | None:
    """The draft's quiz ``quiz_slug`` (a module's slug, "exam" or "pretest") ready to take in preview;
    the draft's problems (a ``DraftCheck``) when it has errors; None when it has no such quiz."""
    if quiz_slug not in quiz_slugs(files):
        return None
    with _materialised(course.slug, files) as (root, folder):
        source, _checked, problems = _load(session, course, root, folder)
        if source is None or has_errors(problems):
            return DraftCheck(_relative(problems, course.slug))
        found = load_course_quizzes(source).get(quiz_slug)
    if found is None:
        return None
    _sha, settings, pool, intro = found
    rng = random.Random(content_hash(files))  # the same draft shows and grades the same option order
    questions = [dict(q) for q in pool]
    for q in questions:
        get_type(q["type"]).prepare(q, rng, settings)
    return PreviewAttempt(quiz_slug, settings.get("title") or quiz_slug, intro, questions, dict(settings))
