"""A Moodle GIFT file uploaded in the studio becomes a quiz of the course's stored draft: a module's quiz
(``NN-slug.quiz.md``) or the final exam (``exam.quiz.md``). The conversion is the one ``flask quiz
import-gift`` runs (``elearn.content.gift.import_gift``); the converted quiz is written as one audited
change of the draft (``draft_files.change_draft``). Refusals are ``StudioError`` codes the studio
translates; a file that does not convert is a ``GiftRefused`` carrying the converter's problems.
Services flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from sqlalchemy.orm import Session

from elearn.content.course import EXAM_FILE, QUIZ_FILE
from elearn.content.gift import import_gift
from elearn.content.problems import Problem
from elearn.models import Course
from elearn.services.draft_files import change_draft, modules
from elearn.services.studio import StudioError

#: Languages the converter has true/false words for; other courses get the Indonesian ones.
GIFT_LANGUAGES = ("id", "en")


class GiftRefused(StudioError):
    """The GIFT file did not convert into a quiz that passes our check; ``problems`` says where, as the
    uploaded file's ``path:line``. Nothing is stored."""

    def __init__(self, problems: list[Problem]):
        super().__init__("gift_errors")
        self.problems = problems


@dataclass(frozen=True)
class GiftUpload:
    """What an upload did: the quiz file written, its questions, and the converter's warnings."""
    path: str
    questions: int
    skipped: int
    replaced: bool
    warnings: list[Problem] = field(default_factory=list)


def gift_targets(files) -> list[str]:
    """The quiz files a GIFT upload may become, in course order: each module's quiz, then the exam."""
    return [path[:-3] + ".quiz.md" for _n, _s, path in modules(files)] + [EXAM_FILE]


def gift_source_name(filename: str) -> str:
    """The uploaded file's own name (no folders), as its problems name it."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name.strip()
    return name[:100] or "kuis.gift"


def gift_text(data: bytes) -> str:
    """The upload as text: UTF-8, a byte order mark dropped. Raises ``StudioError`` "not_text" for any
    other encoding or a binary file (NUL bytes are valid UTF-8 but never text)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StudioError("not_text") from None
    if "\x00" in text:
        raise StudioError("not_text")
    return text


def _default_title(target: str) -> str:
    if target == EXAM_FILE:
        return "Ujian akhir"
    return "Kuis " + QUIZ_FILE.match(target)["slug"].replace("-", " ")


def upload_gift_quiz(session: Session, course: Course, user_id: int, filename: str, data: bytes, target: str,
                     *, title: str = "", replace: bool = False, max_bytes: int) -> GiftUpload:
    """Convert the GIFT upload ``data`` and store it in the draft as ``target``. Raises ``StudioError``
    "too_large" (over ``max_bytes``), "not_text", "no_file" (``target`` is not the quiz of a module of the
    draft, nor the exam) or "quiz_exists" (``target`` is there and ``replace`` is not set), and
    ``GiftRefused`` when the file does not convert."""
    if len(data) > max_bytes:
        raise StudioError("too_large")
    text = gift_text(data)
    if target != EXAM_FILE and not QUIZ_FILE.match(target):
        raise StudioError("no_file")
    source = gift_source_name(filename)
    title = " ".join(title.split()) or _default_title(target)
    lang = course.language if course.language in GIFT_LANGUAGES else "id"
    markdown, result = import_gift(text, source, title=title, lang=lang, out_path=target)
    if markdown is None:
        raise GiftRefused(result.problems)

    def change(files):
        if target not in gift_targets(files):
            raise StudioError("no_file")
        replaced = target in files
        if replaced and not replace:
            raise StudioError("quiz_exists")
        return files | {target: markdown.encode("utf-8")}, replaced

    replaced = change_draft(session, course, user_id, change, "studio.gift_uploaded", path=target, source=source,
                            questions=len(result.questions), skipped=result.skipped, replace_allowed=replace)
    return GiftUpload(target, len(result.questions), result.skipped, replaced, list(result.problems))
