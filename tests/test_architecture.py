"""Dependencies point one way: routes/cli → services → models and content.

- ``content/`` imports nothing of ours outside content, and neither Flask nor SQLAlchemy
  (tests/content/test_purity.py checks the third-party side);
- ``models/`` import no services, no blueprint and no access module;
- ``services/`` import no blueprint (routes, forms, presenters), no ``elearn.access`` and no
  request-bound Flask objects (``request``, ``session``, ``g``, ``current_user``): they take a
  session and plain values.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "elearn"
BLUEPRINTS = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "routes.py").exists()}
REQUEST_BOUND = {"request", "session", "g", "current_user", "login_user", "logout_user"}


def _imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, module, names) for every import of a file, relative imports resolved."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            found.append((node.lineno, module, tuple(a.name for a in node.names)))
    return found


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _is_web(module: str) -> bool:
    parts = module.split(".")
    return len(parts) >= 2 and parts[0] == "elearn" and (parts[1] in BLUEPRINTS or parts[1] == "access")


@pytest.mark.parametrize("path", _files("content"), ids=lambda p: p.name)
def test_content_imports_only_content(path):
    ours = [f"{path.name}:{line} {module}" for line, module, _n in _imports(path)
            if module.startswith("elearn") and not module.startswith("elearn.content")]
    assert ours == []


@pytest.mark.parametrize("path", _files("models"), ids=lambda p: p.name)
def test_models_import_no_services_or_web(path):
    wrong = [f"{path.name}:{line} {module}" for line, module, _n in _imports(path)
             if module.startswith("elearn.services") or _is_web(module)]
    assert wrong == []


@pytest.mark.parametrize("path", _files("services"), ids=lambda p: str(p.relative_to(ROOT)))
def test_services_import_no_web_layer_and_no_request_objects(path):
    wrong = []
    for line, module, names in _imports(path):
        if _is_web(module):
            wrong.append(f"{path.name}:{line} imports {module}")
        if module in ("flask", "flask_login") and REQUEST_BOUND & set(names):
            wrong.append(f"{path.name}:{line} imports {sorted(REQUEST_BOUND & set(names))} from {module}")
        if module in ("flask.request", "flask.globals"):
            wrong.append(f"{path.name}:{line} imports {module}")
    assert wrong == []


def test_the_check_would_catch_a_wrong_import(tmp_path, monkeypatch):
    bad = ROOT / "services" / "_architecture_probe.py"
    try:
        bad.write_text("from flask import request\nfrom elearn.reports.presenters import Table\n", encoding="utf-8")
        with pytest.raises(AssertionError):
            test_services_import_no_web_layer_and_no_request_objects(bad)
    finally:
        bad.unlink()
