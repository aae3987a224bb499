"""The lexical side of Moodle GIFT, shared by the GIFT front end (``gift.py``) and by each question
type's own GIFT import/export (``qtypes/<type>.py``).

While a file is parsed, escaped characters (``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``) stand as private-use
code points so that the structure can be split on the bare ones; ``restore`` puts them back.
Pure functions; no Flask, no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from elearn.content.problems import Problem

_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003", "\\{": "\ue004",
            "\\}": "\ue005", "\\:": "\ue006", "\\n": "\ue007"}
_UNESCAPE = {"\ue000": "\\", "\ue001": "~", "\ue002": "=", "\ue003": "#", "\ue004": "{", "\ue005": "}",
             "\ue006": ":", "\ue007": "\n"}
FORMAT = re.compile(r"^\s*\[(?P<format>html|markdown|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(?P<weight>-?\d+(?:\.\d+)?)%")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|])")
#: Moodle's wildcard answer: with weight 0 it only carries the feedback for every other answer.
WILDCARD = "*"
#: How the feedback Moodle gives to "any other answer" is labelled in our explanation.
OTHER_ANSWERS = {"id": "Jawaban lain", "en": "Any other answer"}


def protect(text: str) -> str:
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def restore(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return text


def convert_text(text: str, fmt: str) -> str:
    """Text in a GIFT format → our Markdown (HTML passes on to the sanitizer; plain text is escaped)."""
    text = restore(text).strip()
    if fmt == "plain":
        return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return text


def split_format(text: str, default: str) -> tuple[str, str]:
    """``[html]text`` → ("html", "text"); text without a format marker keeps ``default``."""
    if m := FORMAT.match(text):
        return m["format"].lower(), text[m.end():]
    return default, text


def one_line(text: str) -> str:
    return " ".join(text.split())


def split_feedback(text: str) -> tuple[str, str]:
    """``answer # feedback`` → ("answer", "feedback")."""
    answer, _, feedback = text.partition("#")
    return answer.strip(), feedback.strip()


def split_answers(text: str, markers: str = "=~") -> list[tuple[str, str]]:
    """``a =b ~c ~%50%d`` → [('', 'a'), ('=', 'b'), ('~', 'c'), ('~', '%50%d')].

    As in Moodle, text before the first marker is an answer too (marker ''): ``{One}`` is a short
    answer whose one accepted answer is "One"."""
    parts = re.split(f"([{re.escape(markers)}])", text)
    answers = [("", parts[0].strip())] if parts[0].strip() else []
    for i in range(1, len(parts), 2):
        answers.append((parts[i], parts[i + 1].strip()))
    return answers


def weight(text: str) -> tuple[float | None, str]:
    """``%50%answer`` → (50.0, "answer"); no weight → (None, text)."""
    if m := _WEIGHT.match(text):
        return float(m["weight"]), text[m.end():]
    return None, text


def escape_gift(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


@dataclass
class GiftAnswers:
    """One question's answer block as a question type converts it (``QuestionType.from_gift``).

    ``text`` is the inside of ``{…}`` without the general feedback, escapes still protected; ``fmt``
    the question text's format, the default for answers and feedback. ``warn``/``skip``/``error``
    report with the question's line; ``skip`` counts the question as skipped."""

    text: str
    fmt: str
    label: str
    line: int
    path: str
    lang: str = "id"
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0

    def warn(self, message: str) -> None:
        self.problems.append(Problem(self.path, self.line, message, "warning"))

    def skip(self, message: str) -> None:
        self.skipped += 1
        self.warn(f"skipped: {message}")

    def error(self, message: str) -> None:
        self.problems.append(Problem(self.path, self.line, message))

    def markdown(self, raw: str) -> str:
        """Feedback or other text, in its own ``[format]`` if it names one, as Markdown."""
        fmt, raw = split_format(raw.strip(), self.fmt)
        return convert_text(raw, fmt)

    def answer(self, raw: str) -> str:
        """An answer's text as one line of Markdown (our answers are single-line)."""
        return one_line(self.markdown(raw))

    def other_answers_note(self, feedback: str) -> str:
        return f"{OTHER_ANSWERS.get(self.lang, OTHER_ANSWERS['id'])}: {self.markdown(feedback)}"

    def wildcard(self, answer_weight: float | None, feedback: str, notes: list[str]) -> None:
        """Moodle's ``*`` answer. At 0 % it only carries the feedback for any other answer, which
        joins ``notes``; an ``*`` that accepts any answer cannot be carried and is reported."""
        if answer_weight is not None and answer_weight <= 0:
            if feedback:
                notes.append(self.other_answers_note(feedback))
            return
        worth = f" worth {answer_weight:g}%" if answer_weight is not None else ""
        self.warn(f"'{self.label}': the answer '*' (any answer){worth} is left out "
                  f"(BinaPustaka accepts only the answers it lists)")


def keep_in_explanation(question, notes: list[str]) -> None:
    """Our short and numeric answers carry no feedback of their own: it joins the explanation."""
    question.explanation = "\n\n".join(filter(None, [question.explanation, *notes]))
