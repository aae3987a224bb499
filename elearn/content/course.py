"""Course folders: load and validate their structure and front matter (Problems with file:line).

```
<root>/<course-slug>/course.md               front matter + overview
<root>/<course-slug>/NN-<module-slug>.md     modules, ordered by NN
<root>/<course-slug>/NN-<module-slug>.quiz.md  a module's quiz
<root>/<course-slug>/NN-<module-slug>.task.md  a module's practice task (elearn.content.task)
<root>/<course-slug>/exam.quiz.md            the final exam
<root>/<course-slug>/pretest.quiz.md         the placement pre-test (elearn.content.pretest)
<root>/<course-slug>/glossary.md             the glossary (elearn.content.glossary)
<root>/<course-slug>/assets/…                images and files
```
Quiz files are parsed, and everything rendered, by elearn.content.course_check.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from elearn.content.fields import check_keys, display_path, positive_int, read_text, string_list
from elearn.content.frontmatter import split_front_matter
from elearn.content.glossary import GLOSSARY_FILE, GlossarySource, parse_glossary
from elearn.content.pretest import PRETEST_FILE
from elearn.content.problems import Problem
from elearn.content.task import TaskSource, parse_task

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MODULE_FILE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
QUIZ_FILE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.quiz\.md$")
TASK_FILE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.task\.md$")
EXAM_FILE = "exam.quiz.md"
#: Module slugs that would collide with a page of the course (/courses/<c>/glossary/) or with the
#: names the exam and pre-test quizzes are stored under.
RESERVED_MODULE_SLUGS = ("glossary", "exam", "pretest")
LEVELS = ("dasar", "menengah", "lanjut")
LANGUAGES = ("id", "en")
COURSE_REQUIRED = ("title", "summary", "language", "version", "hours", "level")
COURSE_OPTIONAL = ("topics", "authors", "prerequisites", "certificate", "certificate_valid_months",
                   "signatory_name", "signatory_title", "trainers")
SETTINGS_KEYS = ("certificate", "certificate_valid_months", "signatory_name", "signatory_title", "trainers")
MODULE_REQUIRED = ("title", "minutes")
MODULE_OPTIONAL = ("objectives", "requires")


@dataclass
class ModuleSource:
    slug: str
    number: int
    filename: str
    path: str
    title: str
    minutes: int
    objectives: list[str]
    requires: list[str]
    body: str
    body_line: int
    sha256: str
    quiz_path: str | None = None
    #: the path as shown in problems (relative to the checked root's parent)
    path_shown: str = ""
    requires_line: int = 1
    #: the module's practice task (NN-<slug>.task.md), if it has one
    task: TaskSource | None = None


@dataclass
class CourseSource:
    slug: str
    path: str
    title: str
    summary: str
    language: str
    version: str
    hours: int
    level: str
    topics: list[str]
    authors: list[str]
    prerequisites: list[str]
    settings: dict
    overview: str
    overview_line: int
    sha256: str
    modules: list[ModuleSource] = field(default_factory=list)
    assets: dict[str, str] = field(default_factory=dict)
    exam_path: str | None = None
    pretest_path: str | None = None
    glossary: GlossarySource | None = None
    #: the line of ``hours:`` in course.md (where the JP estimate's warning points)
    hours_line: int = 1

    def source_hash(self) -> str:
        """SHA-256 over every source file (course.md, modules, quizzes, tasks, pre-test, glossary,
        assets), for change detection."""
        digest = hashlib.sha256()
        files = [Path(self.path) / "course.md"] + [Path(m.path) for m in self.modules]
        files += [Path(m.quiz_path) for m in self.modules if m.quiz_path]
        files += [Path(m.task.path) for m in self.modules if m.task is not None]
        files += [Path(p) for p in (self.exam_path, self.pretest_path) if p]
        files += [Path(self.glossary.path)] if self.glossary is not None else []
        files += [Path(p) for p in self.assets.values()]
        folder = Path(self.path)
        for file in sorted(files, key=lambda f: str(f)):
            digest.update(str(file.relative_to(folder)).encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
        return digest.hexdigest()

    @property
    def module_files(self) -> dict[str, str]:
        return {m.filename: m.slug for m in self.modules}


def load_course(folder: Path, *, root: Path | None = None) -> tuple[CourseSource | None, list[Problem]]:
    """Load one course folder; None when errors make it unusable. Problems name files relative
    to ``root``'s parent (so ``courses/<slug>/02-x.md`` when root is ``courses``)."""
    folder = Path(folder)
    root = Path(root) if root is not None else folder.parent
    problems: list[Problem] = []
    shown_folder = display_path(folder, root)
    course_file = folder / "course.md"
    shown = display_path(course_file, root)
    if not SLUG.match(folder.name):
        problems.append(Problem(shown_folder, 0, f"course folder name '{folder.name}' is not a slug "
                                                 "(lowercase letters, digits and hyphens)"))
    if not course_file.is_file():
        problems.append(Problem(shown_folder, 0, "no course.md in this folder"))
        return None, problems
    raw = course_file.read_bytes()
    text = read_text(course_file, shown, problems)
    if text is None:
        return None, problems
    meta, body, body_line, fm_problems = split_front_matter(text, shown)
    problems.extend(fm_problems)
    if fm_problems:
        return None, problems
    check_keys(meta, shown, COURSE_REQUIRED, COURSE_OPTIONAL, problems)
    language = meta.get("language")
    if "language" in meta and language not in LANGUAGES:
        problems.append(Problem(shown, meta.line("language"), "language must be 'id' or 'en'"))
    level = meta.get("level")
    if "level" in meta and level not in LEVELS:
        problems.append(Problem(shown, meta.line("level"), f"level must be one of: {', '.join(LEVELS)}"))
    hours = positive_int(meta, "hours", shown, problems) if "hours" in meta else 0
    for key in ("title", "summary"):
        if key in meta and not isinstance(meta[key], str):
            problems.append(Problem(shown, meta.line(key), f"{key} must be text"))
    settings = {k: meta[k] for k in SETTINGS_KEYS if k in meta}
    if "certificate" in meta and not isinstance(meta["certificate"], bool):
        problems.append(Problem(shown, meta.line("certificate"), "certificate must be true or false"))
    if "certificate_valid_months" in meta:
        positive_int(meta, "certificate_valid_months", shown, problems)
    prerequisites = string_list(meta, "prerequisites", shown, problems)
    if "trainers" in meta:
        settings["trainers"] = [t.lower() for t in string_list(meta, "trainers", shown, problems)]
    course = CourseSource(
        slug=folder.name, path=str(folder), title=str(meta.get("title", "")).strip(),
        summary=str(meta.get("summary", "")).strip(), language=language if language in LANGUAGES else "id",
        version=str(meta.get("version", "")).strip(), hours=hours, level=level if level in LEVELS else "dasar",
        topics=string_list(meta, "topics", shown, problems), authors=string_list(meta, "authors", shown, problems),
        prerequisites=prerequisites, settings=settings, overview=body, overview_line=body_line,
        sha256=hashlib.sha256(raw).hexdigest(), hours_line=meta.line("hours"))
    _load_modules(course, folder, root, problems)
    _load_glossary(course, folder, root, problems)
    _load_assets(course, folder, root, problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return course, problems


def _load_modules(course: CourseSource, folder: Path, root: Path, problems: list[Problem]) -> None:
    numbers: dict[int, str] = {}
    quizzes: dict[str, Path] = {}
    tasks: dict[str, list[tuple[int, Path]]] = {}
    broken: set[str] = set()  # modules that exist but failed to load: no knock-on errors about them
    for file in sorted(folder.iterdir()):
        if not file.is_file() or not file.name.endswith(".md") or file.name in ("course.md", GLOSSARY_FILE):
            continue
        shown = display_path(file, root)
        if file.name == EXAM_FILE:
            course.exam_path = str(file)
            continue
        if file.name == PRETEST_FILE:
            course.pretest_path = str(file)
            continue
        if file.name.endswith(".task.md"):
            match = TASK_FILE.match(file.name)
            if match:
                tasks.setdefault(match["slug"], []).append((int(match["number"]), file))
            else:
                problems.append(Problem(shown, 0, "task file name must be NN-<module-slug>.task.md"))
            continue
        if file.name.endswith(".quiz.md"):
            match = QUIZ_FILE.match(file.name)
            if match:
                quizzes[match["slug"]] = file
            else:
                problems.append(Problem(shown, 0, "quiz file name must be NN-<module-slug>.quiz.md, exam.quiz.md "
                                                  "or pretest.quiz.md"))
            continue
        match = MODULE_FILE.match(file.name)
        if not match:
            problems.append(Problem(shown, 0, "ignored: module file names are NN-<slug>.md "
                                              "(two digits, lowercase slug)", "warning"))
            continue
        number, slug = int(match["number"]), match["slug"]
        if number in numbers:
            problems.append(Problem(shown, 0, f"module number {number:02d} is also used by {numbers[number]}"))
            continue
        if any(m.slug == slug for m in course.modules):
            problems.append(Problem(shown, 0, f"duplicate module slug '{slug}'"))
            continue
        if slug in RESERVED_MODULE_SLUGS:
            problems.append(Problem(shown, 0, f"module slug '{slug}' is reserved (used by the course's own "
                                              f"pages and quizzes); rename the file"))
            broken.add(slug)
            continue
        numbers[number] = file.name
        module = _load_module(file, shown, number, slug, problems)
        if module is not None:
            course.modules.append(module)
        else:
            broken.add(slug)
    if not course.modules and not any(p.severity == "error" for p in problems):
        problems.append(Problem(display_path(folder, root), 0, "the course has no modules (NN-<slug>.md files)"))
    by_slug = {m.slug: m for m in course.modules}
    for slug, file in quizzes.items():
        if slug in by_slug:
            by_slug[slug].quiz_path = str(file)
        elif slug not in broken:
            problems.append(Problem(display_path(file, root), 0, f"quiz for unknown module '{slug}'"))
    for slug, files in tasks.items():
        _attach_task(by_slug.get(slug), slug, files, slug in broken, root, problems)
    for module in course.modules:
        for required in module.requires:
            if required not in by_slug and required not in broken:
                problems.append(Problem(module.path_shown, module.requires_line,
                                        f"requires unknown module '{required}'"))
    for cycle in find_cycles({m.slug: m.requires for m in course.modules}):
        first = by_slug[cycle[0]]
        problems.append(Problem(first.path_shown, first.requires_line,
                                "module requirements form a cycle: " + " → ".join(cycle)))


def _load_module(file: Path, shown: str, number: int, slug: str, problems: list[Problem]) -> ModuleSource | None:
    raw = file.read_bytes()
    text = read_text(file, shown, problems)
    if text is None:
        return None
    meta, body, body_line, fm_problems = split_front_matter(text, shown)
    problems.extend(fm_problems)
    if fm_problems:
        return None
    before = len(problems)
    check_keys(meta, shown, MODULE_REQUIRED, MODULE_OPTIONAL, problems)
    minutes = positive_int(meta, "minutes", shown, problems) if "minutes" in meta else 0
    if "title" in meta and not isinstance(meta["title"], str):
        problems.append(Problem(shown, meta.line("title"), "title must be text"))
    objectives = string_list(meta, "objectives", shown, problems)
    requires = string_list(meta, "requires", shown, problems)
    if any(p.severity == "error" for p in problems[before:]):
        return None
    module = ModuleSource(slug=slug, number=number, filename=file.name, path=str(file),
                          title=str(meta["title"]).strip(), minutes=minutes, objectives=objectives,
                          requires=requires, body=body, body_line=body_line, sha256=hashlib.sha256(raw).hexdigest(),
                          path_shown=shown, requires_line=meta.line("requires"))
    return module


def _attach_task(module: ModuleSource | None, slug: str, files: list[tuple[int, Path]], broken: bool, root: Path,
                 problems: list[Problem]) -> None:
    """A module has at most one task, named with the module's own NN-slug."""
    if module is None:
        if not broken:
            problems += [Problem(display_path(file, root), 0, f"task for unknown module '{slug}'") for _n, file in files]
        return
    files = sorted(files, key=lambda found: found[0] != module.number)  # the well-named file is the task
    for number, file in files:
        shown = display_path(file, root)
        if number != module.number:
            problems.append(Problem(shown, 0, f"task file number {number:02d} does not match its module "
                                              f"{module.filename}: name it {module.number:02d}-{slug}.task.md"))
    for _number, file in files[1:]:
        problems.append(Problem(display_path(file, root), 0, f"module '{slug}' already has a task "
                                                             f"({files[0][1].name}); a module has one task"))
    module.task = _load_task(files[0][1], display_path(files[0][1], root), problems)


def _load_task(file: Path, shown: str, problems: list[Problem]) -> TaskSource | None:
    raw = file.read_bytes()
    text = read_text(file, shown, problems)
    if text is None:
        return None
    task, task_problems = parse_task(text, shown)
    problems.extend(task_problems)
    if task is not None:
        task.path, task.path_shown, task.sha256 = str(file), shown, hashlib.sha256(raw).hexdigest()
    return task


def _load_glossary(course: CourseSource, folder: Path, root: Path, problems: list[Problem]) -> None:
    file = folder / GLOSSARY_FILE
    if not file.is_file():
        return
    shown = display_path(file, root)
    raw = file.read_bytes()
    text = read_text(file, shown, problems)
    if text is None:
        return
    glossary, glossary_problems = parse_glossary(text, shown)
    problems.extend(glossary_problems)
    if glossary is not None:
        glossary.path, glossary.path_shown, glossary.sha256 = str(file), shown, hashlib.sha256(raw).hexdigest()
        course.glossary = glossary


def _load_assets(course: CourseSource, folder: Path, root: Path, problems: list[Problem]) -> None:
    assets = folder / "assets"
    if not assets.is_dir():
        return
    resolved_folder = folder.resolve()
    for file in sorted(assets.rglob("*")):
        # hidden files are not course content (as for versions); assets/.sized/ is the resized copies
        if file.is_dir() or any(part.startswith(".") for part in file.relative_to(assets).parts):
            continue
        shown = display_path(file, root)
        real = file.resolve()
        if not real.is_relative_to(resolved_folder):
            problems.append(Problem(shown, 0, "asset points outside the course folder (symlink); refused"))
            continue
        if not real.is_file():
            continue
        course.assets[file.relative_to(folder).as_posix()] = str(file)


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Cycles in a dependency graph, each as [a, b, …, a]; each cycle reported once."""
    cycles, seen_sets = [], set()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, []):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in seen_sets:
                    seen_sets.add(key)
                    cycles.append(cycle)
            elif state.get(nxt) is None:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if state.get(node) is None:
            visit(node, [node])
    return cycles


def load_catalog(root: Path) -> tuple[list[CourseSource], list[Problem]]:
    """Every usable course under ``root``, and all problems, including the cross-course checks
    (duplicate slugs, unknown prerequisites, prerequisite cycles). A course with an error is
    left out of the list."""
    root = Path(root)
    courses: list[CourseSource] = []
    problems: list[Problem] = []
    failed: set[str] = set()
    names: dict[str, str] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not (folder / "course.md").is_file():
            problems.append(Problem(display_path(folder, root), 0, "folder without course.md ignored", "warning"))
            continue
        lowered = folder.name.lower()
        if lowered in names:
            problems.append(Problem(display_path(folder, root), 0, f"duplicate course slug: also {names[lowered]}"))
            failed.add(folder.name)
            continue
        names[lowered] = folder.name
        course, course_problems = load_course(folder, root=root)
        problems.extend(course_problems)
        if course is None:
            failed.add(folder.name)
        else:
            courses.append(course)
    slugs = {c.slug for c in courses} | failed
    bad: set[str] = set()
    for course in courses:
        shown = display_path(Path(course.path) / "course.md", root)
        for prerequisite in course.prerequisites:
            if prerequisite not in slugs:
                problems.append(Problem(shown, 1, f"unknown prerequisite course '{prerequisite}'"))
                bad.add(course.slug)
    for cycle in find_cycles({c.slug: c.prerequisites for c in courses}):
        shown = display_path(root / cycle[0] / "course.md", root)
        problems.append(Problem(shown, 1, "prerequisites form a cycle: " + " → ".join(cycle)))
        bad.update(cycle)
    return [c for c in courses if c.slug not in bad], problems
