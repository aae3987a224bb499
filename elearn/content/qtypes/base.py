"""The question-type interface and its registry.

A question exists in three shapes, and a type owns all three:

- **authored**: a ``Question`` parsed from the Markdown quiz format (or converted from GIFT), with
  ``options`` (``- [x] …`` list items, with ``  > feedback``) and ``pairs`` (``- left -> right``);
  ``check`` validates them and may turn them into ``answers``;
- **stored**: the snapshot dict kept with the quiz pool and copied into every attempt
  (``snapshot``); it holds the correct answers and never goes to a browser as such. Attempts stored
  years ago hold these dicts, so a type reads only its own keys and keeps reading old ones;
- **shown and answered**: what an open attempt shows (``shown``: no correctness data, ever), the
  form fields it sends back (``read_form``) and their inverse for saved drafts (``form_values``), the mark (``grade``), and the words of the results
  page (``describe``, ``correct_answer``, ``feedback``).

Everything here is pure: no Flask, no database. The template part lives at ``template``
(``quiz/types/<name>.html`` in the quiz blueprint) and receives the question as ``q`` with its
``shown`` dict as ``q.parts``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Callable

#: Longest text answer kept from a form (a learner's field is never stored unbounded).
MAX_TEXT_ANSWER = 500


@dataclass
class Option:
    text: str
    correct: bool
    feedback: str = ""
    line: int = 0


@dataclass
class Question:
    key: str
    type: str
    title: str
    prompt: str
    line: int
    options: list[Option] = field(default_factory=list)
    #: short: accepted answers; numeric: accepted (low, high) ranges
    answers: list = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    exact: bool = False
    scoring: str = "all"
    explanation: str = ""
    #: a label for question banks (kept by GIFT import/export; not used in grading)
    category: str = ""
    #: every heading attribute allowed by ``quiz.QUESTION_ATTRIBUTES`` as written (its default when absent)
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def module(self) -> str:
        """The module a pre-test question tests (``{module=<slug>}``), or ""."""
        return self.attributes.get("module", "")


Report = Callable[..., None]  # error(message, line=None): a Problem at the question's line


class QuestionType:
    """One question type. Subclass, set ``name``, decorate with ``@register``; see the package docstring."""

    name: str = ""
    #: Markdown: a question without ``type=`` becomes the first type, in this order, that ``claims`` it
    #: (None: only when declared).
    infer_order: int | None = None
    #: GIFT: the answer block ``{…}`` becomes the first type, in this order, that ``gift_claims`` it
    #: (None: the type has no GIFT form).
    gift_order: int | None = None
    #: GIFT export: ``{answers}`` on the question's line rather than one answer per line.
    gift_inline: bool = False
    #: Heading attributes beyond type/id/category that change this type (``scoring``, ``exact``);
    #: the others are reported as having no effect.
    honours: frozenset[str] = frozenset()

    @property
    def template(self) -> str:
        return f"quiz/types/{self.name}.html"

    # --- the Markdown quiz format ---------------------------------------------------------------
    def claims(self, q: Question) -> bool:
        """Whether an undeclared question is of this type (only asked when ``infer_order`` is set)."""
        return False

    def check(self, q: Question, error: Report) -> None:
        """Validate the parsed answers (``error(message, line=None)``) and normalise them in place."""
        raise NotImplementedError

    def markdown_answers(self, q: Question) -> list[str]:
        """The answer lines of ``q`` in our Markdown format (the inverse of parsing)."""
        out = []
        for option in q.options:
            out.append(f"- [{'x' if option.correct else ' '}] {option.text}")
            out.extend(f"  > {line}" if line else "  >" for line in option.feedback.splitlines())
        return out

    # --- attempts -------------------------------------------------------------------------------
    def snapshot(self, q: Question) -> dict:
        """The type's own keys of the stored question (JSON-serialisable, Markdown rendered once)."""
        raise NotImplementedError

    def prepare(self, q: dict, rng: random.Random, rules: dict) -> None:
        """Per attempt, when it is drawn: shuffle what the rules and the type say (in place)."""

    def shown(self, q: dict) -> dict:
        """What an open attempt shows of the answers: JSON-serialisable, never correctness data."""
        return {}

    def read_form(self, q: dict, form: dict) -> Any:
        """The response to ``q`` in the submitted form (``q-<key>`` fields; values or lists of values)."""
        return text_field(form, field_name(q))

    def form_values(self, q: dict, response: Any) -> dict[str, list[str]]:
        """The form fields that would send ``response`` (the inverse of ``read_form``): field name →
        values. The attempt page fills its inputs with them to show the learner's saved drafts."""
        return {field_name(q): [str(response)]} if response is not None else {}

    def grade(self, q: dict, response: Any) -> float:
        """The mark of ``response`` in [0, 1]."""
        raise NotImplementedError

    def describe(self, q: dict, response: Any) -> str:
        """The learner's answer as plain text (results page, trainer statistics)."""
        return str(response or "")

    def correct_answer(self, q: dict) -> str:
        """The right answer as plain text (results page, when answers may be shown)."""
        raise NotImplementedError

    def feedback(self, q: dict, response: Any) -> list[str]:
        """Feedback HTML for what was answered (results page, when answers may be shown)."""
        return []

    def example_form(self, q: dict, right: bool = True) -> dict:
        """Form fields a learner would send to answer ``q`` right (or wrong); for tests and benchmarks."""
        raise NotImplementedError

    # --- Moodle GIFT ----------------------------------------------------------------------------
    def gift_claims(self, answers: str) -> bool:
        """Whether a GIFT answer block (escapes protected, general feedback removed) is of this type."""
        return False

    def from_gift(self, q: Question, block) -> bool:
        """Fill ``q`` from ``block`` (a ``gift_syntax.GiftAnswers``); False when it cannot be kept
        (``block.skip``/``block.error`` said why)."""
        raise NotImplementedError

    def to_gift(self, q: Question, note: Callable[[str], None]) -> list[str] | None:
        """The GIFT answers of ``q`` (escaped); ``note`` reports what GIFT cannot hold.
        None: the type has no GIFT form (the export reports the question and leaves it out)."""
        return None


#: The registry: type name → its one instance. Filled by ``@register`` as the type modules load.
QUESTION_TYPES: dict[str, QuestionType] = {}


class UnknownQuestionType(KeyError):
    """A stored or authored question names a type that is not registered."""


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: add one instance of ``cls`` to ``QUESTION_TYPES`` under ``cls.name``."""
    if not cls.name or cls.name in QUESTION_TYPES:
        raise ValueError(f"question type name missing or taken: {cls.name!r}")
    QUESTION_TYPES[cls.name] = cls()
    return cls


def get_type(name: str) -> QuestionType:
    try:
        return QUESTION_TYPES[name]
    except KeyError:
        raise UnknownQuestionType(name) from None


def infer_type(q: Question) -> QuestionType | None:
    """The type of a Markdown question that declares none (None: nothing claims it)."""
    candidates = sorted((t for t in QUESTION_TYPES.values() if t.infer_order is not None),
                        key=lambda t: t.infer_order)
    return next((t for t in candidates if t.claims(q)), None)


def gift_type(answers: str) -> QuestionType | None:
    """The type of a GIFT answer block (None: no type claims it)."""
    candidates = sorted((t for t in QUESTION_TYPES.values() if t.gift_order is not None),
                        key=lambda t: t.gift_order)
    return next((t for t in candidates if t.gift_claims(answers)), None)


# --- helpers the types share -------------------------------------------------------------------

def field_name(q: dict) -> str:
    return f"q-{q['key']}"


def first(value: Any) -> Any:
    """A form value given either as is or as a list of values (what ``getlist`` returns)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def text_field(form: dict, name: str) -> str | None:
    """One text field, cut to ``MAX_TEXT_ANSWER``; None when it was not sent."""
    value = first(form.get(name))
    return (value or "")[:MAX_TEXT_ANSWER] if value is not None else None


def as_index(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class OptionsType(QuestionType):
    """A type answered in Markdown by ``- [x] …`` / ``- [ ] …`` options (every type but matching)."""

    def check(self, q: Question, error: Report) -> None:
        if q.pairs:
            error(f"pairs '- left -> right' only belong in matching questions (this one is {q.type})")
        correct = [o for o in q.options if o.correct]
        if not correct:
            error("no correct answer: mark at least one option '- [x]'")
        self.check_options(q, correct, error)

    def check_options(self, q: Question, correct: list[Option], error: Report) -> None:
        """The type's own rules for its options (``correct``: those marked ``[x]``)."""
