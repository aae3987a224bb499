"""Course versions: the files of every published version, stored content-addressed.

A version is the exact set of files of a course folder (``course.md``, modules, quizzes, tasks,
glossary, assets, anything else in it), each stored once as a blob named by its SHA-256. Writing a
version back out (a folder, a ZIP) gives the same bytes, so the folder format stays the source of
truth that round-trips to git: export → import gives the same ``content_hash``.

Publishing (deciding *whether* a version may go live) is ``elearn.services.publishing``; this module
only stores, reads and packs files. ZIP reading is defensive: uploads come from browsers.
"""
from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.models import ContentBlob, Course, CourseVersion, User, VersionFile
from elearn.models._types import utcnow

#: The ZIP timestamp of every entry: downloads of one version are identical byte for byte.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every regular file inside ``folder`` (path relative to it, "/"-separated → bytes). Hidden files
    and folders (".git", ".DS_Store") and links leading outside the folder are not course content."""
    folder = Path(folder)
    real_folder = folder.resolve()
    files: dict[str, bytes] = {}
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not file.is_file():
            continue
        if not file.resolve().is_relative_to(real_folder):
            continue
        files[relative.as_posix()] = file.read_bytes()
    return files


def content_hash(files: dict[str, bytes]) -> str:
    """SHA-256 over the sorted (path, SHA-256 of the bytes) pairs: the identity of a set of files."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(files[path]).digest())
    return digest.hexdigest()


def write_folder(files: dict[str, bytes], folder: Path) -> None:
    """Write ``files`` under ``folder`` (created). Paths were checked when the files were taken in."""
    folder = Path(folder)
    for path, data in files.items():
        target = folder / PurePosixPath(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def latest_version(session: Session, course_id: int) -> CourseVersion | None:
    return session.scalar(select(CourseVersion).where(CourseVersion.course_id == course_id)
                          .order_by(CourseVersion.number.desc()).limit(1))


def latest_number_query(course_id):
    """The statement behind :func:`latest_number`; a caller writing a record may put it inside its
    INSERT as a scalar subquery (``.scalar_subquery()``) to save the round trip (the exam start)."""
    return select(func.max(CourseVersion.number)).where(CourseVersion.course_id == course_id)


def latest_number(session: Session, course_id: int) -> int | None:
    """The number of the course's live (latest) version; None for a course never versioned. Learner
    records (quiz attempts, certificates) store it to say which version they were made on."""
    return session.scalar(latest_number_query(course_id))


def get_version(session: Session, course_id: int, number: int) -> CourseVersion | None:
    return session.scalar(select(CourseVersion).where(CourseVersion.course_id == course_id,
                                                      CourseVersion.number == number))


@dataclass(frozen=True)
class VersionRow:
    """A line of a course's version history."""
    number: int
    created_at: object
    source: str
    note: str
    #: the publisher's name; None for ``courses sync`` (or a deleted account)
    author: str | None
    content_hash: str
    files: int


def list_versions(session: Session, course_id: int) -> list[VersionRow]:
    """The course's versions, newest first, with who published them and how many files each holds."""
    counts = (select(VersionFile.version_id, func.count().label("files")).group_by(VersionFile.version_id)
              .subquery())
    rows = session.execute(
        select(CourseVersion.number, CourseVersion.created_at, CourseVersion.source, CourseVersion.note, User.name,
               CourseVersion.content_hash, counts.c.files)
        .outerjoin(User, User.id == CourseVersion.created_by_id)
        .join(counts, counts.c.version_id == CourseVersion.id)
        .where(CourseVersion.course_id == course_id).order_by(CourseVersion.number.desc()))
    return [VersionRow(*row) for row in rows]


def version_files(session: Session, version: CourseVersion) -> dict[str, bytes]:
    """The version's files, path → bytes, in one query."""
    rows = session.execute(select(VersionFile.path, ContentBlob.content)
                           .join(ContentBlob, ContentBlob.sha256 == VersionFile.blob_sha256)
                           .where(VersionFile.version_id == version.id).order_by(VersionFile.path))
    return {path: bytes(content) for path, content in rows}


def store_blobs(session: Session, files: dict[str, bytes]) -> dict[str, str]:
    """Store the blobs of ``files`` not stored yet (identical content is stored once, whoever holds it);
    path → SHA-256. Adds; the caller flushes."""
    shas = {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    known = set(session.scalars(select(ContentBlob.sha256).where(ContentBlob.sha256.in_(set(shas.values())))))
    for path, sha in shas.items():
        if sha not in known:
            session.add(ContentBlob(sha256=sha, size=len(files[path]), content=files[path]))
            known.add(sha)
    return shas


def record_version(session: Session, course: Course, files: dict[str, bytes], *, source: str,
                   created_by_id: int | None, note: str = "") -> tuple[CourseVersion, bool]:
    """Store ``files`` as the course's next version; ``(version, True)``. When they are exactly the
    latest version's files, nothing is stored: ``(latest, False)``. Blobs already stored are reused."""
    digest = content_hash(files)
    latest = latest_version(session, course.id)
    if latest is not None and latest.content_hash == digest:
        return latest, False
    shas = store_blobs(session, files)
    number = (session.scalar(select(func.max(CourseVersion.number)).where(CourseVersion.course_id == course.id))
              or 0) + 1
    version = CourseVersion(course_id=course.id, number=number, source=source, created_by_id=created_by_id,
                            created_at=utcnow(), note=note[:500], content_hash=digest,
                            files=[VersionFile(path=path, blob_sha256=sha) for path, sha in sorted(shas.items())])
    session.add(version)
    session.flush()
    return version, True


def version_zip(slug: str, files: dict[str, bytes]) -> bytes:
    """A ZIP of the course folder ``<slug>/…`` holding exactly ``files``; the same files always give
    the same ZIP bytes (fixed timestamps and order), and unzipping it in ``courses/`` gives the folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{slug}/{path}", date_time=_ZIP_TIME)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path])
    return buffer.getvalue()


@dataclass(frozen=True)
class ZipLimits:
    """What an uploaded course ZIP may hold (settings STUDIO_ZIP_*)."""
    max_files: int = 500
    max_file_bytes: int = 10 * 1024 * 1024
    max_total_bytes: int = 50 * 1024 * 1024
    #: uncompressed size / compressed size of one entry above which it is a zip bomb
    max_ratio: int = 200


class UploadRefused(Exception):
    """An upload that is refused as a whole; ``code`` says why (the UI translates it), ``path`` names
    the entry at fault ("" for the archive)."""

    def __init__(self, code: str, path: str = ""):
        super().__init__(f"{code}: {path}")
        self.code, self.path = code, path


def read_course_zip(data: bytes, limits: ZipLimits = ZipLimits()) -> dict[str, bytes]:
    """The files of an uploaded course ZIP, path inside the course folder → bytes.

    The ZIP holds the course folder's files either at its top level or inside one folder (as
    ``version_zip`` writes it); hidden entries (``.git/…``, ``__MACOSX/…``) are skipped. Refused as a whole
    (``UploadRefused``) when it is no ZIP, holds an absolute path, a ``..`` part, a backslash, a drive
    letter or a symbolic link, more than ``max_files`` files, a file larger than ``max_file_bytes``, more
    than ``max_total_bytes`` in all, or an entry compressed more than ``max_ratio`` times. Sizes are
    counted while decompressing, never taken from the archive's own claims."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise UploadRefused("not_zip") from None
    names: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    for info in entries:
        name = info.filename
        if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":") or "\0" in name:
            raise UploadRefused("unsafe_path", name)
        path = PurePosixPath(name)
        if any(part in ("..", ".") for part in path.parts):
            raise UploadRefused("unsafe_path", name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadRefused("symlink", name)
        if info.is_dir() or any(part.startswith(".") or part == "__MACOSX" for part in path.parts):
            continue
        names.append((info, path))
    if len(names) > limits.max_files:
        raise UploadRefused("too_many_files")
    prefix = _common_folder([path for _info, path in names])
    files: dict[str, bytes] = {}
    total = 0
    for info, path in names:
        relative = PurePosixPath(*path.parts[prefix:]).as_posix()
        if relative in files:
            raise UploadRefused("duplicate", relative)
        content = _read_entry(archive, info, relative, limits, limits.max_total_bytes - total)
        total += len(content)
        files[relative] = content
    if not files:
        raise UploadRefused("empty")
    return files


def _common_folder(paths: list[PurePosixPath]) -> int:
    """1 when every file sits in one top-level folder without a course.md at the top, else 0."""
    if not paths or any(len(p.parts) < 2 for p in paths):
        return 0
    return 1 if len({p.parts[0] for p in paths}) == 1 else 0


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, limits: ZipLimits,
                room: int) -> bytes:
    cap = min(limits.max_file_bytes, room)
    ratio_cap = max(info.compress_size, 1) * limits.max_ratio
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > ratio_cap and size > 1024 * 1024:
                    raise UploadRefused("zip_bomb", shown)
                if size > limits.max_file_bytes:
                    raise UploadRefused("file_too_large", shown)
                if size > cap:
                    raise UploadRefused("too_large", shown)
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
        raise UploadRefused("not_zip", shown) from None
    return b"".join(chunks)


#: Leading bytes of the asset types an upload may hold; SVG and HTML never (they can carry script).
_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF87a", ".gif"), (b"GIF89a", ".gif"),
          (b"%PDF-", ".pdf"))
_SUFFIXES = {".png": ".png", ".jpg": ".jpg", ".jpeg": ".jpg", ".gif": ".gif", ".pdf": ".pdf", ".webp": ".webp"}


def check_upload_types(files: dict[str, bytes]) -> None:
    """Refuse (``UploadRefused("file_type", path)``) any uploaded file that is not a Markdown file at the
    folder's top, or an asset under ``assets/`` whose bytes are a PNG, JPEG, GIF, WebP or PDF matching
    its name. The name alone is never trusted: an HTML page named ``.png`` is refused."""
    for path, data in files.items():
        parts = PurePosixPath(path).parts
        if len(parts) == 1 and path.endswith(".md"):
            continue
        if parts[0] != "assets" or len(parts) < 2:
            raise UploadRefused("file_type", path)
        wanted = _SUFFIXES.get(PurePosixPath(path).suffix.lower())
        if wanted is None or sniff_asset_type(data) != wanted:
            raise UploadRefused("file_type", path)


def sniff_asset_type(data: bytes) -> str | None:
    """The type an upload's bytes hold, judged by its first bytes, as a suffix (``.png``, ``.jpg``, ``.gif``,
    ``.webp``, ``.pdf``), or None for anything else (SVG, HTML, text). The one content-type check of uploads
    shown on the site (studio assets, innovation photos)."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    return None
