"""File operations on a course's stored draft (``elearn.services.drafts``): add a module or a quiz from a
small template, upload an asset, rename, delete and reorder. Names follow the folder format: modules are
``NN-slug.md``, and a module's quiz and task (``NN-slug.quiz.md``, ``NN-slug.task.md``) go wherever it
goes; Markdown links to a moved file follow it. Each operation is one audited change of the draft;
refusals are ``StudioError`` codes the studio translates. Services flush; the caller commits."""
from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from sqlalchemy.orm import Session

from elearn.content.course import MODULE_FILE, RESERVED_MODULE_SLUGS, SLUG
from elearn.models import Course
from elearn.services.audit import record_event
from elearn.services.course_versions import check_upload_types
from elearn.services.drafts import draft_files, open_draft, replace_files
from elearn.services.studio import StudioError

MODULE_TEMPLATE = ("---\ntitle: {title}\nminutes: 15\nobjectives:\n  - Tujuan belajar pertama\n---\n"
                   "## Bagian pertama\n\nTulis isi modul di sini.\n")
QUIZ_TEMPLATE = ("---\ntitle: {title}\npass_mark: 70\nmax_attempts: 0\n---\n\n## Pertanyaan pertama\n\n"
                 "Tulis pertanyaan di sini. Tandai jawaban benar dengan [x].\n\n- [x] Jawaban benar\n"
                 "- [ ] Jawaban salah\n")
#: An asset's file name inside ``assets/``.
ASSET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9]+)+$")


def modules(files) -> list[tuple[int, str, str]]:
    """The module files as (number, slug, path), in course order."""
    return sorted((int(m["number"]), m["slug"], path) for path in files if (m := MODULE_FILE.match(path)))


def companions(files, module_path: str) -> list[str]:
    """The files that belong to a module by name: its quiz and its practice task."""
    stem = module_path[:-3]
    return [path for path in (f"{stem}.quiz.md", f"{stem}.task.md") if path in files]


def _rewrite_links(files: dict[str, bytes], moves: dict[str, str]) -> dict[str, bytes]:
    """Every Markdown link target in the ``.md`` files that names a moved file, renamed along."""
    if not moves:
        return files
    pattern = re.compile(r"\]\((" + "|".join(re.escape(old) for old in moves) + r")([#)\s])")
    out = {}
    for path, data in files.items():
        if path.endswith(".md"):
            text = data.decode("utf-8", errors="surrogateescape")
            data = pattern.sub(lambda m: f"]({moves[m[1]]}{m[2]}", text).encode("utf-8", errors="surrogateescape")
        out[path] = data
    return out


def _apply_moves(files: dict[str, bytes], moves: dict[str, str]) -> dict[str, bytes]:
    moved = {moves.get(path, path): data for path, data in files.items()}
    return _rewrite_links(moved, moves)


def change_draft(session: Session, course: Course, user_id: int, change, action: str, **detail):
    """Run ``change(files) -> (new files, result)`` on the draft, store it and audit ``action``."""
    draft = open_draft(session, course, user_id)
    files = draft_files(session, draft)
    new_files, result = change(files)
    replace_files(session, draft, new_files, user_id)
    record_event(session, action, actor_id=user_id, course=course.slug, **detail)
    session.flush()
    return result


def add_module(session: Session, course: Course, user_id: int, slug: str, title: str) -> str:
    """A new module after the last one (next ``NN-`` number) with its folder name ``slug``, from a small
    template; its path. Raises ``StudioError`` "bad_name" (not a slug, or reserved), "exists" (a module
    has that slug) or "too_many" (99 modules)."""
    slug, title = slug.strip().lower(), " ".join(title.split()) or "Modul baru"
    if not SLUG.match(slug) or len(slug) > 80 or slug in RESERVED_MODULE_SLUGS:
        raise StudioError("bad_name")

    def change(files):
        present = modules(files)
        if any(s == slug for _n, s, _p in present):
            raise StudioError("exists")
        number = (present[-1][0] if present else 0) + 1
        if number > 99:
            raise StudioError("too_many")
        path = f"{number:02d}-{slug}.md"
        return files | {path: MODULE_TEMPLATE.format(title=json.dumps(title, ensure_ascii=False)).encode()}, path

    return change_draft(session, course, user_id, change, "studio.draft_file_added", path=f"{slug}.md")


def add_quiz(session: Session, course: Course, user_id: int, module_path: str) -> str:
    """The quiz of the module ``module_path`` from a small template; its path. Raises ``StudioError``
    "no_file" (no such module) or "exists" (it has a quiz)."""
    def change(files):
        if module_path not in files or not MODULE_FILE.match(module_path):
            raise StudioError("no_file")
        path = module_path[:-3] + ".quiz.md"
        if path in files:
            raise StudioError("exists")
        title = "Kuis " + MODULE_FILE.match(module_path)["slug"].replace("-", " ")
        return files | {path: QUIZ_TEMPLATE.format(title=json.dumps(title, ensure_ascii=False)).encode()}, path

    return change_draft(session, course, user_id, change, "studio.draft_file_added", path=module_path[:-3] + ".quiz.md")


def asset_path(filename: str) -> str:
    """The path under ``assets/`` an uploaded file is stored at: its name in lowercase, spaces as "-"."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip().lower().replace(" ", "-")
    return f"assets/{name}"


def upload_asset(session: Session, course: Course, user_id: int, filename: str, data: bytes,
                 max_bytes: int) -> str:
    """Store an uploaded image or PDF as ``assets/<name>``; its path. Raises ``StudioError`` "bad_name",
    "exists" or "too_large", and ``UploadRefused("file_type")`` when its bytes are not a PNG, JPEG, GIF,
    WebP or PDF matching its name (the same check as a course ZIP)."""
    path = asset_path(filename)
    if not ASSET_NAME.match(path[len("assets/"):]) or len(path) > 200:
        raise StudioError("bad_name")
    if len(data) > max_bytes:
        raise StudioError("too_large")
    check_upload_types({path: data})

    def change(files):
        if path in files:
            raise StudioError("exists")
        return files | {path: data}, path

    return change_draft(session, course, user_id, change, "studio.asset_uploaded", path=path, size=len(data))


def rename_file(session: Session, course: Course, user_id: int, old: str, new: str) -> str:
    """Rename a module (its number stays: reorder with the move buttons; its quiz and task follow) or an
    asset (same type); links in the Markdown files follow. The new path. Raises ``StudioError``
    "no_file", "fixed_name" (course.md, quizzes, tasks, exam…: their names are fixed by the format),
    "bad_name", "number_changed", "type_changed" or "exists"."""
    new = new.strip()

    def change(files):
        if old not in files:
            raise StudioError("no_file")
        module = MODULE_FILE.match(old)
        if module:
            wanted = MODULE_FILE.match(new)
            if not wanted or wanted["slug"] in RESERVED_MODULE_SLUGS:
                raise StudioError("bad_name")
            if wanted["number"] != module["number"]:
                raise StudioError("number_changed")
            moves = {old: new} | {path: new[:-3] + path[len(old) - 3:] for path in companions(files, old)}
        elif old.startswith("assets/"):
            if not new.startswith("assets/") or not ASSET_NAME.match(new[len("assets/"):]) or len(new) > 200:
                raise StudioError("bad_name")
            if PurePosixPath(new).suffix != PurePosixPath(old).suffix:
                raise StudioError("type_changed")
            moves = {old: new}
        else:
            raise StudioError("fixed_name")
        if new == old:
            return files, new
        if any(target in files for target in moves.values()):
            raise StudioError("exists")
        return _apply_moves(files, moves), new

    return change_draft(session, course, user_id, change, "studio.draft_file_renamed", path=old, to=new)


def deleted_with(files, path: str) -> list[str]:
    """The files deleting ``path`` removes: a module takes its quiz and task along."""
    return [path] + (companions(files, path) if MODULE_FILE.match(path) else [])


def delete_file(session: Session, course: Course, user_id: int, path: str) -> list[str]:
    """Delete ``path`` from the draft (a module with its quiz and task); the paths deleted. Raises
    ``StudioError`` "no_file" or "fixed_name" (course.md stays)."""
    if path == "course.md":
        raise StudioError("fixed_name")

    def change(files):
        if path not in files:
            raise StudioError("no_file")
        gone = deleted_with(files, path)
        return {p: data for p, data in files.items() if p not in gone}, gone

    return change_draft(session, course, user_id, change, "studio.draft_file_deleted", path=path)


def move_module(session: Session, course: Course, user_id: int, path: str, up: bool) -> str:
    """Move a module one place up or down; every module is numbered again 01, 02 … in the new order, its
    quiz and task renamed along and links following. The module's new path. Raises ``StudioError``
    "no_file" (not a module of the draft)."""
    def change(files):
        order = [p for _n, _s, p in modules(files)]
        if path not in order:
            raise StudioError("no_file")
        i = order.index(path)
        j = i - 1 if up else i + 1
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
        moves = {}
        for number, module_path in enumerate(order, start=1):
            target = f"{number:02d}-{MODULE_FILE.match(module_path)['slug']}.md"
            if target != module_path:
                moves[module_path] = target
                for companion in companions(files, module_path):
                    moves[companion] = target[:-3] + companion[len(module_path) - 3:]
        return _apply_moves(files, moves), moves.get(path, path)

    return change_draft(session, course, user_id, change, "studio.draft_module_moved", path=path,
                   direction="up" if up else "down")
