"""Stored studio drafts: the working copy of a course that its staff edit before publishing.

A course has at most one draft (``CourseDraft``), shared by its staff: the files (path → blob, the
``content_blobs`` of versions, so identical content is stored once) and the version it started from.
It is created from the latest version on the first change (from the template for a new course);
every save and file operation writes into it, never a new version; publishing turns its files into the
next version through the one publishing service (``studio.publish_draft`` → ``publish_source``) and
deletes it; discarding deletes it. A course with no draft works on its latest version's files.

File operations (add, upload, rename, delete, reorder) are ``elearn.services.draft_files``.

Two people saving one file: each save carries the SHA-256 of the text the editor started from, and
the stored file is replaced only when it still holds that text (a compare-and-set in SQL); otherwise
``DraftConflict`` carries the stored text and nothing is written. Every change is audited.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import ContentBlob, Course, CourseDraft, DraftFile, User
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.course_versions import get_version, latest_version, store_blobs, version_files
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


def replace_files(session: Session, draft: CourseDraft, files: dict[str, bytes], user_id: int) -> None:
    """Make the draft hold exactly ``files`` (rows of unchanged paths stay), saved by ``user_id``. Flushes."""
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
    replace_files(session, draft, files, user_id)
    record_event(session, "studio.draft_uploaded", actor_id=user_id, course=course.slug, files=len(files))
    session.flush()


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

