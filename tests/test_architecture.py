"""Dependencies point one way: routes/cli → services → models and content.

- ``content/`` imports nothing of ours outside content, and neither Flask nor SQLAlchemy
  (tests/content/test_purity.py checks the third-party side);
- ``models/`` import no services, no blueprint and no access module;
- ``services/`` import no blueprint (routes, forms, presenters), no ``elearn.access`` and no
  request-bound Flask objects (``request``, ``session``, ``g``, ``current_user``): they take a
  session and plain values;
- every error a service (or ``ops/``) raises is data with a ``code`` (STYLE: errors carry codes).
"""
from __future__ import annotations

import ast
import builtins
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


def _errors_without_code(source: str) -> list[str]:
    """Exception classes (derived directly from a built-in exception) that set no ``code``: neither a
    class attribute nor ``self.code`` in a method. Subclasses of our own errors inherit theirs."""
    builtin_errors = {name for name, value in vars(builtins).items()
                      if isinstance(value, type) and issubclass(value, BaseException)}
    missing = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        if not any(isinstance(b, ast.Name) and b.id in builtin_errors for b in node.bases):
            continue
        sets_code = any(isinstance(t, ast.Name) and t.id == "code"
                        for item in node.body if isinstance(item, (ast.Assign, ast.AnnAssign))
                        for t in (item.targets if isinstance(item, ast.Assign) else [item.target]))
        sets_code = sets_code or any(
            isinstance(t, ast.Attribute) and t.attr == "code" and isinstance(t.value, ast.Name) and t.value.id == "self"
            for item in node.body if isinstance(item, ast.FunctionDef)
            for sub in ast.walk(item) if isinstance(sub, ast.Assign)
            for target in sub.targets for t in (target.elts if isinstance(target, ast.Tuple) else [target]))
        if not sets_code:
            missing.append(f"{node.lineno} {node.name}")
    return missing


@pytest.mark.parametrize("path", _files("services") + _files("ops"), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_service_error_carries_a_code(path):
    assert _errors_without_code(path.read_text(encoding="utf-8")) == []


def test_the_code_check_would_catch_an_error_without_one():
    assert _errors_without_code("class Broken(Exception):\n    pass\n") == ["1 Broken"]
    assert _errors_without_code("class Refused(ValueError):\n    def __init__(self, code):\n"
                                "        self.code = code\n") == []
    assert _errors_without_code("class Kept(Exception):\n    code = 'kept'\n") == []
    assert _errors_without_code("class Pair(Exception):\n    def __init__(self, code, path):\n"
                                "        self.code, self.path = code, path\n") == []
    assert _errors_without_code("class Narrower(QuizError):\n    pass\n") == []  # inherits its code
