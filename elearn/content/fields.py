"""Checks of front-matter fields shared by every course file (course, module, task, glossary).

Each appends Problems (never raises) and returns a usable value, so one mistake is reported
once and the rest of the file is still checked.
"""
from __future__ import annotations

from pathlib import Path

from elearn.content.frontmatter import FrontMatter
from elearn.content.problems import Problem


def display_path(path: Path, root: Path) -> str:
    """``path`` as shown in problems: relative to ``root``'s parent (``courses/<slug>/…``)."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def read_text(file: Path, shown: str, problems: list[Problem]) -> str | None:
    """The file's text, or None (with a problem) when it is not UTF-8."""
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(shown, 0, "file is not UTF-8 text"))
        return None


def string_list(meta: FrontMatter, key: str, path: str, problems: list[Problem]) -> list[str]:
    """A list of texts (a single text counts as a list of one); [] when absent or malformed."""
    value = meta.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        problems.append(Problem(path, meta.line(key), f"{key} must be a list of texts"))
        return []
    return [str(v).strip() for v in value]


def positive_int(meta: FrontMatter, key: str, path: str, problems: list[Problem]) -> int:
    """A whole number greater than 0; 0 (with a problem) otherwise."""
    value = meta.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        problems.append(Problem(path, meta.line(key), f"{key} must be a whole number greater than 0"))
        return 0
    return value


def check_keys(meta: FrontMatter, path: str, required, optional, problems: list[Problem]) -> None:
    """Missing required keys are errors; keys neither required nor optional are warnings."""
    for key in required:
        if key not in meta or meta[key] in (None, ""):
            problems.append(Problem(path, 1, f"missing front-matter key '{key}'"))
    for key in meta:
        if key not in required and key not in optional:
            problems.append(Problem(path, meta.line(key), f"unknown front-matter key '{key}'", "warning"))
