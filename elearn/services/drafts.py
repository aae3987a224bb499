"""Stored studio drafts: the working copy of a course that its staff edit before publishing.

A course has at most one draft (``CourseDraft``), shared by its staff: the files (path → blob, the
``content_blobs`` of versions, so identical content is stored once) and the version it started from.
It is created from the latest version on the first change (from the template for a new course);
every save and file operation writes into it, never a new version; publishing turns its files into the
next version through the one publishing service (``studio.publish_draft`` → ``publish_source``) and
deletes it; discarding deletes it. A course with no draft works on its latest version's files.

Two people saving one file: each save carries the SHA-256 of the text the editor started from, and
the stored file is replaced only when it still holds that text (a compare-and-set in SQL); otherwise
``DraftConflict`` carries the stored text and nothing is written. Every change is audited.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.content.course import MODULE_FILE, RESERVED_MODULE_SLUGS, SLUG
from elearn.models import ContentBlob, Course, CourseDraft, DraftFile, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.course_versions import check_upload_types, get_version, latest_version, store_blobs, version_files
from elearn.services.studio import (EDITABLE, DraftCheck, FileDiff, Published, StudioError, create_course, diff_files,
                                    latest_files, publish_draft)


@dataclass(frozen=True)
class WorkingCopy:
    """What the studio shows and works on: the stored draft's files, or the latest version's when
    there is no draft (``draft`` None)."""
    draft: CourseDraft | None
    #: the version the files start from; None for a course never published
    base_number: int | None
    files: dict[str, bytes]

    def sha(self, path: str) -> str:
        """The SHA-256 of the file ``path`` ("" when there is none): what an editor starts from."""
        return file_sha(self.files[path]) if path in self.files else ""


class DraftConflict(StudioError):
    """The file changed (or appeared, or went) since the editor opened it: ``stored`` is its text now
    (None when it is gone), ``stored_sha`` its SHA-256 ("" when gone)."""

    def __init__(self, path: str, stored: str | None, stored_sha: str):
        super().__init__("edit_conflict")
        self.path, self.stored, self.stored_sha = path, stored, stored_sha


def file_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def get_draft(session: Session, course: Course) -> CourseDraft | None:
    return session.scalar(select(CourseDraft).where(CourseDraft.course_id == course.id))


def draft_files(session: Session, draft: CourseDraft) -> dict[str, bytes]:
    """The draft's files, path → bytes, in one query."""
    rows = session.execute(select(DraftFile.path, ContentBlob.content)
                           .join(ContentBlob, ContentBlob.sha256 == DraftFile.blob_sha256)
                           .where(DraftFile.draft_id == draft.id).order_by(DraftFile.path))
    return {path: bytes(content) for path, content in rows}


def working_copy(session: Session, course: Course) -> WorkingCopy:
    draft = get_draft(session, course)
    if draft is not None:
        return WorkingCopy(draft, draft.base_number, draft_files(session, draft))
    number, files = latest_files(session, course)
    return WorkingCopy(None, number, files)


def open_draft(session: Session, course: Course, user_id: int) -> CourseDraft:
    """The course's draft, created from the latest version (the template for a course never published)
    when there is none. Flushes."""
    draft = get_draft(session, course)
    if draft is not None:
        return draft
    number, files = latest_files(session, course)
    now = utcnow()
    draft = CourseDraft(course_id=course.id, base_number=number, created_by_id=user_id, created_at=now,
                        updated_by_id=user_id, updated_at=now,
                        files=[DraftFile(path=path, blob_sha256=sha) for path, sha in
                               sorted(store_blobs(session, files).items())])
    session.add(draft)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # another staff member started it a moment ago
        draft = get_draft(session, course)
        if draft is None:
            raise
    return draft


def new_course(session: Session, user: User, slug: str, title: str) -> Course:
    """A new studio course (``studio.create_course``) whose draft holds the template, ``user`` its
    trainer. Flushes; the caller commits."""
    course = create_course(session, user, slug, title)
    open_draft(session, course, user.id)
    return course


def _touch(session: Session, draft: CourseDraft, user_id: int) -> None:
    draft.updated_by_id, draft.updated_at = user_id, utcnow()
    session.flush()


def _replace_files(session: Session, draft: CourseDraft, files: dict[str, bytes], user_id: int) -> None:
    """Make the draft hold exactly ``files`` (rows of unchanged paths stay)."""
    shas = store_blobs(session, files)
    by_path = {f.path: f for f in draft.files}
    for path, row in by_path.items():
        if path not in shas:
            draft.files.remove(row)
        elif row.blob_sha256 != shas[path]:
            row.blob_sha256 = shas[path]
    session.flush()
    for path in sorted(set(shas) - set(by_path)):
        draft.files.append(DraftFile(path=path, blob_sha256=shas[path]))
    _touch(session, draft, user_id)


def save_file(session: Session, course: Course, user_id: int, path: str, text: str, started_sha: str) -> bool:
    """Save the Markdown file ``path`` of the draft as ``text`` (browser line ends become LF), when the
    stored file is still the one the editor started from (``started_sha``; "" for a new file). True when
    the file changed. Raises ``StudioError("bad_path")`` for anything but a top-level ``.md`` file, and
    ``DraftConflict`` (nothing written) when the file changed meanwhile. Flushes; the caller commits."""
    if not EDITABLE.match(path):
        raise StudioError("bad_path")
    data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    if get_draft(session, course) is None:
        unchanged = latest_files(session, course)[1].get(path)
        if unchanged is not None and file_sha(unchanged) == started_sha == file_sha(data):
            return False  # nothing to keep: no draft is started
    draft = open_draft(session, course, user_id)
    current = session.scalar(select(DraftFile.blob_sha256).where(DraftFile.draft_id == draft.id,
                                                                 DraftFile.path == path))
    if (current or "") != (started_sha or ""):
        raise _conflict(session, path, current)
    new_sha = store_blobs(session, {path: data})[path]
    if new_sha == current:
        return False
    session.flush()
    if current is None:
        try:
            with session.begin_nested():
                session.add(DraftFile(draft_id=draft.id, path=path, blob_sha256=new_sha))
                session.flush()
        except IntegrityError:  # the same file created by someone else a moment ago
            raise _conflict(session, path, session.scalar(select(DraftFile.blob_sha256).where(
                DraftFile.draft_id == draft.id, DraftFile.path == path))) from None
    else:
        swapped = session.execute(update(DraftFile).where(DraftFile.draft_id == draft.id, DraftFile.path == path,
                                                          DraftFile.blob_sha256 == current)
                                  .values(blob_sha256=new_sha))
        if swapped.rowcount != 1:  # saved by someone else between the read and the write
            session.expire(draft)
            raise _conflict(session, path, session.scalar(select(DraftFile.blob_sha256).where(
                DraftFile.draft_id == draft.id, DraftFile.path == path)))
    session.expire(draft, ["files"])
    _touch(session, draft, user_id)
    record_event(session, "studio.draft_saved", actor_id=user_id, course=course.slug, path=path)
    session.flush()
    return True


def _conflict(session: Session, path: str, sha: str | None) -> DraftConflict:
    if sha is None:
        return DraftConflict(path, None, "")
    content = session.scalar(select(ContentBlob.content).where(ContentBlob.sha256 == sha))
    return DraftConflict(path, bytes(content).decode("utf-8", errors="replace"), sha)


def replace_all(session: Session, course: Course, user_id: int, files: dict[str, bytes]) -> None:
    """The draft becomes exactly ``files`` (an uploaded ZIP, already checked). Flushes."""
    draft = open_draft(session, course, user_id)
    _replace_files(session, draft, files, user_id)
    record_event(session, "studio.draft_uploaded", actor_id=user_id, course=course.slug, files=len(files))
    session.flush()


# --- file operations ---------------------------------------------------------------------------------

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


def _change(session: Session, course: Course, user_id: int, change, action: str, **detail):
    """Run ``change(files) -> (new files, result)`` on the draft, store it and audit ``action``."""
    draft = open_draft(session, course, user_id)
    files = draft_files(session, draft)
    new_files, result = change(files)
    _replace_files(session, draft, new_files, user_id)
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

    return _change(session, course, user_id, change, "studio.draft_file_added", path=f"{slug}.md")


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

    return _change(session, course, user_id, change, "studio.draft_file_added", path=module_path[:-3] + ".quiz.md")


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

    return _change(session, course, user_id, change, "studio.asset_uploaded", path=path, size=len(data))


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

    return _change(session, course, user_id, change, "studio.draft_file_renamed", path=old, to=new)


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

    return _change(session, course, user_id, change, "studio.draft_file_deleted", path=path)


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

    return _change(session, course, user_id, change, "studio.draft_module_moved", path=path,
                   direction="up" if up else "down")


# --- discard, publish, changes -----------------------------------------------------------------------

def discard_draft(session: Session, course: Course, user_id: int) -> bool:
    """Delete the course's draft (False when there was none). A course never published goes back to the
    template. Flushes; the caller commits."""
    draft = get_draft(session, course)
    if draft is None:
        return False
    session.delete(draft)
    record_event(session, "studio.draft_discarded", actor_id=user_id, course=course.slug)
    session.flush()
    return True


def publish_stored_draft(session: Session, course: Course, user_id: int, note: str) -> Published | DraftCheck:
    """Publish the draft through ``studio.publish_draft`` (refused with the problems while it has errors;
    ``StudioError("conflict")`` when a version was published after the one it started from) and delete
    it. Raises ``StudioError("no_draft")`` when there is none. Flushes; the caller commits."""
    draft = get_draft(session, course)
    if draft is None:
        raise StudioError("no_draft")
    result = publish_draft(session, course, draft_files(session, draft), user_id=user_id, note=note,
                           base_number=draft.base_number)
    if isinstance(result, Published):
        session.delete(draft)
        session.flush()
    return result


def draft_changes(session: Session, course: Course, copy: WorkingCopy) -> list[FileDiff]:
    """What the draft changes against the version it started from (every file, for a course never
    published); [] without a draft."""
    if copy.draft is None:
        return []
    base = get_version(session, course.id, copy.base_number) if copy.base_number is not None else None
    return diff_files(version_files(session, base) if base is not None else {}, copy.files)


def is_stale(session: Session, course: Course, copy: WorkingCopy) -> bool:
    """A version newer than the one the draft started from was published (it can no longer be
    published; discard it or carry its changes over by hand)."""
    latest = latest_version(session, course.id)
    return copy.draft is not None and (latest.number if latest else None) != copy.base_number

