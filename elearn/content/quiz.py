"""The quiz file format (``NN-slug.quiz.md`` and ``exam.quiz.md``): parse and validate.

A quiz is YAML front matter (the rules) followed by questions. Each question starts with a
level-2 heading, optionally ending in Pandoc-style attributes ``{type=multiple scoring=partial}``;
then the prompt (Markdown), then the answers as a list, then optionally a top-level blockquote
with the explanation. See docs/authoring.md for the full syntax.

Pure functions: text in, a ``Quiz`` (Markdown strings, not HTML) and a list of Problems out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from elearn.content.frontmatter import split_front_matter
from elearn.content.problems import Problem
from elearn.content.qtypes import QUESTION_TYPES, Option, Question, get_type, infer_type
from elearn.content.qtypes.numeric import parse_number, parse_numeric_answer

__all__ = ["QUESTION_ATTRIBUTES", "Option", "Question", "Quiz", "parse_number", "parse_numeric_answer",
           "parse_quiz"]

GRADING_MODES = ("best", "last")
SHOW_ANSWERS = ("after_submit", "after_pass", "never")
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
#: The attributes a question heading may carry (``## Title {type=multiple id=q1}``), each with its value
#: when absent. Every one is kept in ``Question.attributes``; any other name is warned about and ignored.
#: A new generic attribute is one more line here.
QUESTION_ATTRIBUTES = {
    "type": "",
    "id": "",
    "scoring": "all",
    "exact": "false",
    "category": "",
    #: the module a pre-test question tests (only pretest.quiz.md may use it: content.pretest)
    "module": "",
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


@dataclass
class Quiz:
    path: str
    settings: dict
    questions: list[Question]
    intro: str = ""


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
        problems.append(Problem(path, heading_line, f"unknown question type '{declared}' "
                                                    f"(use one of: {', '.join(sorted(QUESTION_TYPES))})"))
        return None
    for name in attrs:
        if name not in QUESTION_ATTRIBUTES:
            problems.append(Problem(path, heading_line, f"unknown question attribute '{name}'", "warning"))
    attributes = {name: attrs.get(name, default) for name, default in QUESTION_ATTRIBUTES.items()}
    scoring = attributes["scoring"]
    if scoring not in ("all", "partial"):
        problems.append(Problem(path, heading_line, "scoring must be 'all' or 'partial'"))
        return None
    question = Question(key=attributes["id"] or slugify_key(heading), type=attributes["type"], title=heading,
                        prompt="", line=heading_line, scoring=scoring,
                        exact=attributes["exact"].lower() in ("true", "yes", "1"),
                        category=attributes["category"], attributes=attributes)

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
    """The question's type (declared, or inferred from its answers) checks and normalises them."""
    before = len([p for p in problems if p.severity == "error"])

    def error(message: str, line: int | None = None) -> None:
        problems.append(Problem(path, line or q.line, message))

    if not q.type:
        inferred = infer_type(q)
        if inferred is None:
            error("the question has no answers (list them as '- [x] right' / '- [ ] wrong')")
            return None
        q.type = inferred.name
    qtype = get_type(q.type)
    qtype.check(q, error)
    if q.scoring == "partial" and "scoring" not in qtype.honours:
        problems.append(Problem(path, q.line, f"scoring=partial has no effect on a {q.type} question", "warning"))
    if q.exact and "exact" not in qtype.honours:
        problems.append(Problem(path, q.line, "exact=true only applies to short-answer questions", "warning"))
    after = len([p for p in problems if p.severity == "error"])
    return q if after == before else None
