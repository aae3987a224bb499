"""The quiz file format (``NN-slug.quiz.md`` and ``exam.quiz.md``): parse and validate.

A quiz is YAML front matter (the rules) followed by questions. Each question starts with a
level-2 heading, optionally ending in Pandoc-style attributes ``{type=multiple scoring=partial}``;
then the prompt (Markdown), then the answers as a list, then optionally a top-level blockquote
with the explanation. See docs/authoring.md for the full syntax.

Pure functions: text in, a ``Quiz`` (Markdown strings, not HTML) and a list of Problems out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from elearn.content.frontmatter import split_front_matter
from elearn.content.problems import Problem

QUESTION_TYPES = ("single", "multiple", "truefalse", "short", "numeric", "matching")
GRADING_MODES = ("best", "last")
SHOW_ANSWERS = ("after_submit", "after_pass", "never")
TRUE_WORDS = ("benar", "true")
FALSE_WORDS = ("salah", "false")
SETTINGS_DEFAULTS = {
    "title": "",
    "pass_mark": 70,
    "max_attempts": 0,
    "cooldown_minutes": 0,
    "time_limit_minutes": 0,
    "shuffle_questions": False,
    "shuffle_options": False,
    "draw": 0,
    "grading": "best",
    "show_answers": "after_submit",
}

_HEADING = re.compile(r"^##(?!#)\s+(?P<text>.*?)\s*$")
_ATTRS = re.compile(r"\s*\{(?P<attrs>[^{}]*)\}\s*$")
_CHOICE = re.compile(r"^[-*+]\s+\[(?P<mark>[ xX])\]\s+(?P<text>.+?)\s*$")
_PAIR = re.compile(r"^[-*+]\s+(?P<left>.+?)\s+(?:->|→)\s+(?P<right>.+?)\s*$")
_PLAIN_ITEM = re.compile(r"^[-*+]\s+\S")
_INDENTED_QUOTE = re.compile(r"^(?: {2,}|\t)>\s?(?P<text>.*)$")
_INDENTED = re.compile(r"^(?: {2,}|\t)(?P<text>\S.*)$")
_QUOTE = re.compile(r"^>\s?(?P<text>.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_TOLERANCE = re.compile(rf"^(?P<value>{_NUMBER})\s*(?:\+-|±|\+/-)\s*(?P<tol>{_NUMBER})$")
_RANGE = re.compile(rf"^(?P<low>{_NUMBER})\s*\.\.\s*(?P<high>{_NUMBER})$")
_VALUE = re.compile(rf"^{_NUMBER}$")


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
    #: the module a pre-test question tests (``{module=<slug>}``; only pretest.quiz.md may use it)
    module: str = ""


@dataclass
class Quiz:
    path: str
    settings: dict
    questions: list[Question]
    intro: str = ""


def parse_number(text: str) -> float | None:
    """A number as authors and learners write it: ``3.5``, ``3,5`` (Indonesian), ``-2``; else None."""
    text = text.strip().replace(" ", "")
    if not _VALUE.match(text):
        return None
    return float(text.replace(",", "."))


def parse_numeric_answer(text: str) -> tuple[float, float] | None:
    """``42``, ``3.14 +- 0.01`` or ``10..20`` as an inclusive (low, high) range; None if malformed."""
    text = text.strip()
    if m := _TOLERANCE.match(text):
        value, tol = parse_number(m["value"]), abs(parse_number(m["tol"]))
        return (value - tol, value + tol)
    if m := _RANGE.match(text):
        low, high = parse_number(m["low"]), parse_number(m["high"])
        return (low, high) if low <= high else None
    value = parse_number(text)
    return None if value is None else (value, value)


def slugify_key(text: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return key[:60] or "q"


_ATTR_TOKEN = re.compile(r"""(?P<key>[^\s=]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S*))|(?P<flag>\S+)""")


def parse_attrs(text: str) -> dict[str, str]:
    """``type=multiple scoring=partial category="Katalog/Dasar"``: values may be quoted to hold spaces."""
    attrs = {}
    for m in _ATTR_TOKEN.finditer(text):
        if m["flag"] is not None:
            attrs[m["flag"].lstrip(".").lower()] = "true"
        else:
            value = next(v for v in (m["dq"], m["sq"], m["bare"]) if v is not None)
            attrs[m["key"].lower()] = value.strip()
    return attrs


def parse_quiz(text: str, path: str, *, module_slugs: tuple[str, ...] = ()) -> tuple[Quiz | None, list[Problem]]:
    """Parse a quiz file; the Quiz is None when there are errors."""
    problems: list[Problem] = []
    meta, body, body_line, fm_problems = split_front_matter(text, path)
    problems.extend(fm_problems)
    settings = _validate_settings(meta or {}, path, problems, key_lines=getattr(meta, "key_lines", None))
    intro, blocks = _split_questions(body, body_line)
    questions: list[Question] = []
    keys: set[str] = set()
    for heading_line, heading, lines in blocks:
        question = _parse_question(heading_line, heading, lines, path, problems)
        if question is None:
            continue
        base, n = question.key, 2
        while question.key in keys:
            question.key = f"{base}-{n}"
            n += 1
        keys.add(question.key)
        questions.append(question)
    if not blocks:
        problems.append(Problem(path, body_line, "the quiz has no questions (each question starts with '## ')"))
    draw = settings.get("draw", 0)
    if isinstance(draw, int) and draw > len(blocks) and blocks:
        problems.append(Problem(path, _key_line(meta, "draw"),
                                f"draw: {draw} but the pool has only {len(blocks)} question(s)"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return Quiz(path, settings, questions, intro.strip()), problems


def _key_line(meta, key: str) -> int:
    lines = getattr(meta, "key_lines", None) or {}
    return lines.get(key, 1)


def _validate_settings(meta: dict, path: str, problems: list[Problem], key_lines=None) -> dict:
    settings = dict(SETTINGS_DEFAULTS)
    lines = key_lines or {}

    def line(key):
        return lines.get(key, 1)

    for key, value in meta.items():
        if key not in SETTINGS_DEFAULTS:
            problems.append(Problem(path, line(key), f"unknown front-matter key '{key}'", "warning"))
            continue
        default = SETTINGS_DEFAULTS[key]
        if isinstance(default, bool):
            if not isinstance(value, bool):
                problems.append(Problem(path, line(key), f"{key} must be true or false"))
                continue
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(Problem(path, line(key), f"{key} must be a whole number ≥ 0"))
                continue
        elif key == "grading" and value not in GRADING_MODES:
            problems.append(Problem(path, line(key), f"grading must be one of: {', '.join(GRADING_MODES)}"))
            continue
        elif key == "show_answers" and value not in SHOW_ANSWERS:
            problems.append(Problem(path, line(key), f"show_answers must be one of: {', '.join(SHOW_ANSWERS)}"))
            continue
        elif key == "title" and not isinstance(value, str):
            problems.append(Problem(path, line(key), "title must be text"))
            continue
        settings[key] = value
    if settings["pass_mark"] > 100:
        problems.append(Problem(path, line("pass_mark"), "pass_mark is a percentage: 0 to 100"))
    elif "pass_mark" in meta and settings["pass_mark"] == 0:
        problems.append(Problem(path, line("pass_mark"), "pass_mark 0 means every attempt passes", "warning"))
    if settings["cooldown_minutes"] and settings["max_attempts"] == 1:
        problems.append(Problem(path, line("cooldown_minutes"),
                                "cooldown_minutes has no effect when max_attempts is 1", "warning"))
    if settings["show_answers"] == "after_pass" and settings["pass_mark"] == 0:
        problems.append(Problem(path, line("show_answers"),
                                "show_answers: after_pass with pass_mark 0 shows answers after every attempt",
                                "warning"))
    return settings


def _split_questions(body: str, body_line: int) -> tuple[str, list[tuple[int, str, list[tuple[int, str]]]]]:
    """Intro text and the question blocks: (heading line number, heading text, [(line, text), …])."""
    intro: list[str] = []
    blocks: list[tuple[int, str, list[tuple[int, str]]]] = []
    in_fence = False
    for offset, raw in enumerate(body.splitlines()):
        number = body_line + offset
        if _FENCE.match(raw):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(raw)
        if heading:
            blocks.append((number, heading["text"], []))
        elif blocks:
            blocks[-1][2].append((number, raw))
        else:
            intro.append(raw)
    return "\n".join(intro), blocks


def _parse_question(heading_line: int, heading: str, lines: list[tuple[int, str]], path: str,
                    problems: list[Problem]) -> Question | None:
    attrs = {}
    if m := _ATTRS.search(heading):
        attrs = parse_attrs(m["attrs"])
        heading = heading[: m.start()].strip()
    declared = attrs.get("type")
    if declared is not None and declared not in QUESTION_TYPES:
        problems.append(Problem(path, heading_line,
                                f"unknown question type '{declared}' (use one of: {', '.join(QUESTION_TYPES)})"))
        return None
    for name in attrs:
        if name not in ("type", "scoring", "exact", "id", "category", "module"):
            problems.append(Problem(path, heading_line, f"unknown question attribute '{name}'", "warning"))
    scoring = attrs.get("scoring", "all")
    if scoring not in ("all", "partial"):
        problems.append(Problem(path, heading_line, "scoring must be 'all' or 'partial'"))
        return None
    question = Question(key=attrs.get("id") or slugify_key(heading), type=declared or "", title=heading,
                        prompt="", line=heading_line, scoring=scoring,
                        exact=attrs.get("exact", "false").lower() in ("true", "yes", "1"),
                        category=attrs.get("category", ""), module=attrs.get("module", ""))

    prompt: list[str] = []
    explanation: list[str] = []
    stage = "prompt"  # prompt → answers → explanation
    in_fence = False
    last_option: Option | None = None
    item_lines: list[int] = []
    for number, raw in lines:
        if stage == "prompt":
            if _FENCE.match(raw):
                in_fence = not in_fence
            if in_fence or not (_CHOICE.match(raw) or _PAIR.match(raw)):
                prompt.append(raw)  # a quote here belongs to the prompt; explanations come after answers
                continue
            stage = "answers"
        if stage == "answers":
            if m := _CHOICE.match(raw):
                last_option = Option(m["text"], m["mark"] in "xX", line=number)
                question.options.append(last_option)
                item_lines.append(number)
                continue
            if m := _PAIR.match(raw):
                question.pairs.append((m["left"].strip(), m["right"].strip()))
                item_lines.append(number)
                last_option = None
                continue
            if m := _INDENTED_QUOTE.match(raw):
                if last_option is None:
                    problems.append(Problem(path, number, "feedback ('  > …') must follow an answer option"))
                else:
                    last_option.feedback = (last_option.feedback + "\n" + m["text"]).strip()
                continue
            if (m := _INDENTED.match(raw)) and last_option is not None and not last_option.feedback:
                last_option.text += " " + m["text"].strip()
                continue
            if not raw.strip():
                continue
            if m := _QUOTE.match(raw):
                stage = "explanation"
                explanation.append(m["text"])
                continue
            if _PLAIN_ITEM.match(raw):
                problems.append(Problem(path, number, "an answer must be '- [x] …', '- [ ] …' or a pair "
                                                      "'- left -> right'"))
                continue
            problems.append(Problem(path, number, "unexpected text after the answers: put the question text "
                                                  "before the answers and the explanation in a '> ' blockquote"))
            continue
        if stage == "explanation":
            if m := _QUOTE.match(raw):
                explanation.append(m["text"])
            elif raw.strip():
                problems.append(Problem(path, number, "unexpected text after the explanation (start a new "
                                                      "question with '## ')"))
            else:
                explanation.append("")
    question.prompt = "\n".join(prompt).strip()
    question.explanation = "\n".join(explanation).strip()
    if not question.prompt and not question.title:
        problems.append(Problem(path, heading_line, "the question has no text"))
    return _check_answers(question, path, problems)


def _check_answers(q: Question, path: str, problems: list[Problem]) -> Question | None:
    options, pairs = q.options, q.pairs
    before = len([p for p in problems if p.severity == "error"])

    def error(message: str, line: int | None = None) -> None:
        problems.append(Problem(path, line or q.line, message))

    if not q.type:
        if pairs and not options:
            q.type = "matching"
        elif not options:
            error("the question has no answers (list them as '- [x] right' / '- [ ] wrong')")
            return None
        else:
            correct = sum(o.correct for o in options)
            words = sorted(o.text.strip().lower() for o in options)
            if len(options) == 2 and correct == 1 and any(
                    words == sorted([t, f]) for t, f in zip(TRUE_WORDS, FALSE_WORDS)):
                q.type = "truefalse"
            else:
                q.type = "multiple" if correct > 1 else "single"
    if q.type == "matching":
        if options:
            error("a matching question lists pairs '- left -> right', not '- [x]' options", options[0].line)
        if len(pairs) < 2:
            error("a matching question needs at least 2 pairs '- left -> right'")
        lefts = [left.lower() for left, _ in pairs]
        if len(set(lefts)) != len(lefts):
            error("a matching question repeats a left-hand item")
    else:
        if pairs:
            error(f"pairs '- left -> right' only belong in matching questions (this one is {q.type})")
        correct = [o for o in options if o.correct]
        if not correct:
            error("no correct answer: mark at least one option '- [x]'")
        if q.type == "single":
            if len(correct) > 1:
                error("a single-choice question has exactly one '[x]' (use {type=multiple} for several)")
            if len(options) < 2:
                error("a choice question needs at least 2 options")
        elif q.type == "multiple":
            if len(options) < 2:
                error("a choice question needs at least 2 options")
        elif q.type == "truefalse":
            words = sorted(o.text.strip().lower() for o in options)
            if len(options) != 2 or len(correct) != 1 or not any(
                    words == sorted([t, f]) for t, f in zip(TRUE_WORDS, FALSE_WORDS)):
                error("a true/false question has exactly '- [x] Benar' and '- [ ] Salah' (or True/False), "
                      "one of them marked")
        elif q.type == "short":
            wrong = [o for o in options if not o.correct]
            if wrong:
                error("a short-answer question lists only accepted answers, each as '- [x] answer'", wrong[0].line)
            q.answers = [o.text.strip() for o in options if o.correct]
            q.options = []
        elif q.type == "numeric":
            ranges = []
            for o in options:
                parsed = parse_numeric_answer(o.text)
                if parsed is None:
                    error(f"not a number, 'value +- tolerance' or 'low..high': {o.text!r}", o.line)
                elif o.correct:
                    ranges.append(parsed)
            q.answers = ranges
            if any(not o.correct for o in options):
                error("a numeric question lists only accepted values, each as '- [x] …'",
                      next(o.line for o in options if not o.correct))
            q.options = []
    if q.scoring == "partial" and q.type not in ("multiple", "matching"):
        problems.append(Problem(path, q.line, f"scoring=partial has no effect on a {q.type} question", "warning"))
    if q.exact and q.type != "short":
        problems.append(Problem(path, q.line, "exact=true only applies to short-answer questions", "warning"))
    after = len([p for p in problems if p.severity == "error"])
    return q if after == before else None
