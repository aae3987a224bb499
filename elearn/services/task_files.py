"""Files handed in with a practice task: what kind a file is, decided by its content, and which files a
task accepts.

Rules
- A file's kind is read from its bytes, never from its name: ``pdf`` (starts with ``%PDF-``), ``image``
  (PNG, JPEG, GIF or WebP signature), ``docx`` / ``xlsx`` (an Office Open XML package: a ZIP holding
  ``[Content_Types].xml`` and ``word/document.xml`` or ``xl/workbook.xml``, without macros), ``odt`` /
  ``ods`` (an OpenDocument ZIP whose first member ``mimetype`` names text or spreadsheet); anything
  else is ``other`` (an HTML page named ``.pdf``, an SVG, a DOCM with macros). Only the ZIP's directory
  and its small ``mimetype`` member are read, so a ZIP bomb costs nothing.
- A task accepts the kinds its file lists (``allowed:``, elearn.content.task.FILE_KINDS) and at most
  ``min(task max_files, TASK_MAX_FILES)`` files of at most ``TASK_FILE_MAX_BYTES`` each (settings):
  the site's settings cap whatever a task file asks for.
- Every stored file is still only ever downloaded (see services.tasks).
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from elearn.content.task import FILE_KINDS

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_ODF_TYPES = {b"application/vnd.oasis.opendocument.text": "odt",
              b"application/vnd.oasis.opendocument.spreadsheet": "ods"}
#: Names shown to people for each kind (the same words in every language).
KIND_NAMES = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "odt": "ODT", "ods": "ODS", "image": "PNG/JPEG/GIF/WebP"}


class FileRefused(Exception):
    """A file a task does not accept; ``code``: too_many_files, file_too_large, empty_file, file_type;
    ``name``: the file concerned (empty for too_many_files)."""

    def __init__(self, code: str, name: str = ""):
        super().__init__(code)
        self.code = code
        self.name = name


def safe_file_name(name: str) -> str:
    """A file name reduced to letters, digits, dot, dash and underscore (at most 100 characters)."""
    name = unicodedata.normalize("NFKD", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name.encode("ascii", "ignore").decode()).strip("._")
    return name[-100:] or "berkas"


def file_kind(content: bytes) -> str:
    """The kind of ``content`` (one of FILE_KINDS, or ``other``), by its bytes alone."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(_IMAGE_MAGIC) or (content[:4] == b"RIFF" and content[8:12] == b"WEBP"):
        return "image"
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return "other"


def _zip_kind(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            members = package.infolist()
            names = {m.filename for m in members}
            if members and members[0].filename == "mimetype" and members[0].file_size <= 100:
                return _ODF_TYPES.get(package.read(members[0]).strip(), "other")
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError):
        return "other"
    if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
        return "other"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "other"


def effective_max_files(task_max_files: int, site_max_files: int) -> int:
    """How many files a hand-in of the task may carry: the task's number, capped by the site's setting."""
    return max(0, min(task_max_files, site_max_files))


def check_files(files: list[tuple[str, bytes]], allowed: tuple[str, ...] | list[str], max_files: int,
                max_bytes: int) -> list[tuple[str, str, bytes]]:
    """The files as (safe name, kind, content) when the task accepts every one of them; otherwise
    FileRefused for the first problem (count, emptiness, size, then kind). ``max_files`` is already
    the effective limit (effective_max_files)."""
    if len(files) > max_files:
        raise FileRefused("too_many_files")
    checked = []
    for name, content in files:
        shown = safe_file_name(name)
        if not content:
            raise FileRefused("empty_file", shown)
        if len(content) > max_bytes:
            raise FileRefused("file_too_large", shown)
        kind = file_kind(content)
        if kind not in allowed or kind not in FILE_KINDS:
            raise FileRefused("file_type", shown)
        checked.append((shown, kind, content))
    return checked


def kinds_shown(allowed) -> str:
    """The accepted kinds as people read them: ``PDF, DOCX, PNG/JPEG/GIF/WebP``."""
    return ", ".join(KIND_NAMES.get(k, k) for k in allowed)
