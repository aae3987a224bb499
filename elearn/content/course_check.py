"""Rendering a loaded course and the checks only rendering or parsing can make: broken links to
modules, assets or the glossary, bad fenced divs, glossary terms, and the problems of the quiz
files (module quizzes, the exam, the pre-test). ``check_courses`` is what ``courses check`` runs:
those problems plus each course's lesson-hours estimate (elearn.content.estimate).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from elearn.content.course import CourseSource, load_catalog
from elearn.content.estimate import Estimate, describe, estimate_course, hours_problem
from elearn.content.fields import display_path, read_text
from elearn.content.glossary import GLOSSARY_FILE, term_problems
from elearn.content.images import ImageSize, measure
from elearn.content.pretest import parse_pretest, stray_module_attributes
from elearn.content.problems import Problem, has_errors
from elearn.content.quiz import Quiz, parse_quiz
from elearn.content.render import Rendered, render_markdown
from elearn.content.task import site_limit_problems


@dataclass(frozen=True)
class RenderedCourse:
    """Every Markdown text of a course rendered and sanitized, links made site-relative."""
    overview: Rendered
    modules: dict[str, Rendered]
    #: module slug → its task's instructions (relative links as on the module page)
    tasks: dict[str, Rendered]
    glossary: Rendered | None


@dataclass
class CheckedCourse:
    """A course rendered and checked: what sync stores, what check reports."""
    rendered: RenderedCourse
    problems: list[Problem]
    #: module slug → its parsed quiz (quizzes with errors are missing)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    exam: Quiz | None = None
    pretest: Quiz | None = None


@dataclass(frozen=True)
class CourseEstimate:
    """One course's claimed hours next to the estimate; ``path`` is the folder as shown."""
    path: str
    hours: int
    estimate: Estimate

    def __str__(self) -> str:
        return f"{self.path}: {self.hours} JP claimed, {describe(self.estimate)}"


@dataclass
class CatalogCheck:
    problems: list[Problem]
    #: one per course that loaded and checked without errors
    estimates: list[CourseEstimate]


def render_course(course: CourseSource) -> RenderedCourse:
    """The overview, modules, tasks and glossary rendered and sanitized, links made site-relative."""
    files, language = course.module_files, course.language
    images = course_images(course)

    def render(text: str, page: str) -> Rendered:
        return render_markdown(text, page=page, module_files=files, language=language, images=images)

    return RenderedCourse(
        overview=render(course.overview, "overview"),
        modules={m.slug: render(m.body, "module") for m in course.modules},
        tasks={m.slug: render(m.task.body, "module") for m in course.modules if m.task is not None},
        # the glossary page sits at a module page's depth: /courses/<c>/glossary/
        glossary=render(course.glossary.body, "module") if course.glossary is not None else None)


def course_images(course: CourseSource) -> dict[str, ImageSize]:
    """The course's raster images by path ("assets/…"), measured from their files' headers."""
    found = (measure(path, Path(file)) for path, file in sorted(course.assets.items()))
    return {size.path: size for size in found if size is not None}


def _link_problems(rendered: Rendered, text: str, first_line: int, shown: str, course: CourseSource) -> list[Problem]:
    problems = []
    lines = text.split("\n")

    def line_of(needle: str) -> int:
        for i, line in enumerate(lines):
            if needle in line:
                return first_line + i
        return first_line

    for line, message, severity in rendered.problems:
        problems.append(Problem(shown, first_line + line - 1, message, severity))
    for url in rendered.links:
        target = url.split("#", 1)[0]
        plain = target[2:] if target.startswith("./") else target
        if plain == GLOSSARY_FILE:
            if course.glossary is None:
                problems.append(Problem(shown, line_of(url), f"link to {GLOSSARY_FILE}, but the course has none"))
        elif re.match(r"^\d{2}-[^/]*\.md$", plain) and plain not in course.module_files:
            problems.append(Problem(shown, line_of(url), f"link to a missing module file '{plain}'"))
        elif plain.startswith("assets/") and plain not in course.assets:
            problems.append(Problem(shown, line_of(url), f"link to a missing asset '{plain}'"))
        elif plain.endswith(".md") and "://" not in plain and plain not in course.module_files:
            problems.append(Problem(shown, line_of(url), f"link to a missing module file '{plain}'"))
    return problems


def render_and_check(course: CourseSource, root: Path) -> CheckedCourse:
    """Render the course and report what only rendering and parsing find: broken links, bad
    fenced divs, glossary terms, and problems in the quiz files."""
    rendered = render_course(course)
    problems = _link_problems(rendered.overview, course.overview, course.overview_line,
                              display_path(Path(course.path) / "course.md", root), course)
    for module in course.modules:
        problems += _link_problems(rendered.modules[module.slug], module.body, module.body_line, module.path_shown,
                                   course)
        if module.task is not None:
            task = module.task
            problems += _link_problems(rendered.tasks[module.slug], task.body, task.body_line, task.path_shown,
                                       course)
    if course.glossary is not None:
        glossary = course.glossary
        problems += _link_problems(rendered.glossary, glossary.body, glossary.body_line, glossary.path_shown, course)
        problems += term_problems(glossary, rendered.glossary)
    checked = CheckedCourse(rendered, problems)
    _check_quizzes(course, root, checked)
    return checked


def _check_quizzes(course: CourseSource, root: Path, checked: CheckedCourse) -> None:
    """Parse the module quizzes, the exam and the pre-test into ``checked`` with their problems."""

    def source(path: str) -> tuple[str, str | None]:
        shown = display_path(Path(path), root)
        return shown, read_text(Path(path), shown, checked.problems)

    ordinary = [(m.slug, m.quiz_path) for m in course.modules if m.quiz_path]
    ordinary += [(None, course.exam_path)] if course.exam_path else []
    for slug, path in ordinary:
        shown, text = source(path)
        if text is None:
            continue
        quiz, problems = parse_quiz(text, shown)
        checked.problems.extend(problems)
        if quiz is None:
            continue
        checked.problems.extend(stray_module_attributes(quiz))
        if slug is None:
            checked.exam = quiz
        else:
            checked.quizzes[slug] = quiz
    if course.pretest_path:
        shown, text = source(course.pretest_path)
        if text is not None:
            checked.pretest, problems = parse_pretest(text, shown, [m.slug for m in course.modules])
            checked.problems.extend(problems)
            if not course.exam_path:
                checked.problems.append(Problem(shown, 1, "a pre-test needs a final exam (exam.quiz.md): placing "
                                                          "out of modules never skips the exam, so without one "
                                                          "the pre-test alone could complete the course"))


def check_courses(root: Path, site_max_files: int | None = None) -> CatalogCheck:
    """Every problem of every course under ``root`` (structure, front matter, links, quizzes,
    tasks, pre-test, glossary, claimed hours) and the hours estimate of every course without errors.
    With ``site_max_files`` (the site's TASK_MAX_FILES), a warning for each task asking for more."""
    root = Path(root)
    courses, problems = load_catalog(root)
    estimates: list[CourseEstimate] = []
    for course in courses:
        checked = render_and_check(course, root)
        problems += checked.problems
        if site_max_files is not None:
            problems += [p for m in course.modules if m.task is not None
                         for p in site_limit_problems(m.task, site_max_files)]
        if has_errors(checked.problems):
            continue  # a course that does not parse has no honest estimate
        estimate = estimate_course(course, checked.quizzes, checked.exam)
        warning = hours_problem(course, estimate, display_path(Path(course.path) / "course.md", root))
        problems += [warning] if warning is not None else []
        estimates.append(CourseEstimate(display_path(Path(course.path), root), course.hours, estimate))
    return CatalogCheck(problems, estimates)


def check_catalog(root: Path) -> list[Problem]:
    """The problems of ``check_courses``."""
    return check_courses(root).problems
