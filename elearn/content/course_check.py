"""Rendering a loaded course and the checks only rendering can make: broken links to modules or
assets, bad fenced divs, and the problems of the quiz files. ``check_catalog`` is what
``courses check`` runs.
"""
from __future__ import annotations

import re
from pathlib import Path

from elearn.content.course import CourseSource, load_catalog
from elearn.content.fields import display_path
from elearn.content.problems import Problem
from elearn.content.quiz import parse_quiz
from elearn.content.render import Rendered, render_markdown


def render_course(course: CourseSource) -> tuple[Rendered, dict[str, Rendered]]:
    """The overview and every module rendered and sanitized, links made site-relative."""
    files = course.module_files
    overview = render_markdown(course.overview, page="overview", module_files=files, language=course.language)
    modules = {m.slug: render_markdown(m.body, page="module", module_files=files, language=course.language)
               for m in course.modules}
    return overview, modules


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
        if re.match(r"^\d{2}-[^/]*\.md$", plain) and plain not in course.module_files:
            problems.append(Problem(shown, line_of(url), f"link to a missing module file '{plain}'"))
        elif plain.startswith("assets/") and plain not in course.assets:
            problems.append(Problem(shown, line_of(url), f"link to a missing asset '{plain}'"))
        elif plain.endswith(".md") and "://" not in plain and plain not in course.module_files:
            problems.append(Problem(shown, line_of(url), f"link to a missing module file '{plain}'"))
    return problems


def render_and_check(course: CourseSource, root: Path) -> tuple[Rendered, dict[str, Rendered], list[Problem]]:
    """Render the course (overview and modules) and report what only rendering finds: broken
    links to modules or assets, bad fenced divs, and problems in the quiz files."""
    problems: list[Problem] = []
    overview, modules = render_course(course)
    problems += _link_problems(overview, course.overview, course.overview_line,
                               display_path(Path(course.path) / "course.md", root), course)
    for module in course.modules:
        problems += _link_problems(modules[module.slug], module.body, module.body_line, module.path_shown, course)
    quiz_files = [m.quiz_path for m in course.modules if m.quiz_path] + ([course.exam_path] if course.exam_path else [])
    for path in quiz_files:
        shown = display_path(Path(path), root)
        _quiz, quiz_problems = parse_quiz(Path(path).read_text(encoding="utf-8"), shown)
        problems += quiz_problems
    return overview, modules, problems


def check_catalog(root: Path) -> list[Problem]:
    """Every problem of every course under ``root``: structure, front matter, links, quizzes."""
    root = Path(root)
    courses, problems = load_catalog(root)
    for course in courses:
        problems += render_and_check(course, root)[2]
    return problems
