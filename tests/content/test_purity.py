"""The content core stays pure: nothing in elearn/content imports Flask, the database or any
other part of elearn (it must be testable on plain files and reusable by any shell)."""
from __future__ import annotations

import ast
from pathlib import Path

CONTENT = Path(__file__).resolve().parents[2] / "elearn" / "content"
FORBIDDEN_ROOTS = {"flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate",
                   "sqlalchemy", "alembic", "werkzeug", "jinja2"}


def imported_modules(source: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_content_imports_nothing_of_the_web_or_database_and_nothing_of_ours_outside_content():
    bad = []
    for source in sorted(CONTENT.glob("*.py")):
        for line, name in imported_modules(source):
            root = name.split(".")[0]
            if root in FORBIDDEN_ROOTS or (root == "elearn" and not name.startswith("elearn.content")):
                bad.append(f"{source.name}:{line}: {name}")
    assert bad == []


def test_the_walk_sees_the_modules_it_guards():
    names = {s.name for s in CONTENT.glob("*.py")}
    assert {"course.py", "course_check.py", "quiz.py", "render.py"} <= names
