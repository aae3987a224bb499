"""Moodle GIFT interoperability: convert a GIFT question file to our quiz format and back.

Pure functions, text in and text out, with Problems (``path:line``) for everything that cannot be
carried across. The conversion never drops a question silently: an unsupported one (essay,
description, a shape our format cannot hold) is reported with its line and skipped, and every
approximation (Moodle percentage weights, partial credit on a wrong answer) is reported as a warning.

This module is the GIFT front end: it finds the questions (blank-line separated blocks, ``//``
comments), categories (``$CATEGORY:``), titles (``::title::``), text formats (``[html]`` /
``[markdown]`` / ``[plain]`` / ``[moodle]``), the answer block ``{…}`` (text after it makes a
missing-word question), general feedback ``####…``, essays (``{}``) and descriptions (no braces).
Which type an answer block is, and what it becomes, is each question type's business
(``QuestionType.gift_claims`` / ``from_gift`` / ``to_gift`` in ``elearn/content/qtypes/``), in
Moodle's order: ``#`` numerical, ``~`` multiple choice (``=`` single, else multiple answers with
``%weight%``), ``=left -> right`` matching, ``T``/``TRUE``/``F``/``FALSE``, otherwise short answer.

GIFT reference: https://docs.moodle.org/en/GIFT_format; behaviour checked against Moodle's own
test fixtures (``tests/content/fixtures/moodle-gift/``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from elearn.content.gift_syntax import GiftAnswers, convert_text, escape_gift, protect, restore, split_format
from elearn.content.problems import Problem
from elearn.content.qtypes import Question, get_type, gift_type
from elearn.content.quiz import _CHOICE, _HEADING, _PAIR, SETTINGS_DEFAULTS, Quiz, parse_quiz

_BLANK = "_____"
_MOODLE_IDS = re.compile(r"\[(?:id|tag):")


@dataclass
class GiftImport:
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    categories: list[str] = field(default_factory=list)


@dataclass
class _Block:
    """One question (or category line) of a GIFT file: its lines, and the comments among them."""

    start: int
    lines: list[tuple[int, str]]
    comments: list[str]


def _blocks(text: str) -> list[_Block]:
    """Questions are separated by blank lines; ``//`` comment lines are set aside."""
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    comments: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.lstrip().startswith("//"):
            comments.append(raw)
            continue
        if raw.strip():
            current.append((number, raw))
        elif current:
            blocks.append(_Block(current[0][0], current, comments))
            current, comments = [], []
        else:
            comments = []  # a comment followed by a blank line belongs to no question
    if current:
        blocks.append(_Block(current[0][0], current, comments))
    return blocks


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _heading_for(title: str, prompt: str) -> str:
    if title.strip():
        return _one_line(title)
    words = re.sub(r"<[^>]+>|[*_`#>\[\]()]", " ", prompt).split()
    heading = " ".join(words[:8]) or "Soal"
    return heading + ("…" if len(words) > 8 else "")


def parse_gift(text: str, path: str, *, lang: str = "id") -> GiftImport:
    """Parse a GIFT file into our Question objects (Markdown text), reporting what cannot be kept."""
    result = GiftImport()
    category = ""

    def error(line: int, message: str) -> None:
        result.problems.append(Problem(path, line, message))

    def skip(line: int, message: str) -> None:
        result.skipped += 1
        result.problems.append(Problem(path, line, f"skipped: {message}", "warning"))

    for block in _blocks(protect(text)):
        start, lines = block.start, block.lines
        first = lines[0][1].strip()
        if first.upper().startswith("$CATEGORY:"):
            category = restore(first.split(":", 1)[1]).strip()
            if category and category not in result.categories:
                result.categories.append(category)
            lines = lines[1:]
            if not lines:
                continue
            start = lines[0][0]
        body = "\n".join(raw for _number, raw in lines).strip()

        title = ""
        if body.startswith("::"):
            end = body.find("::", 2)
            if end < 0:
                error(start, "the question title '::…' is not closed with '::'")
                continue
            title, body = restore(body[2:end]).strip(), body[end + 2:]
        fmt, body = split_format(body, "moodle")

        open_at, close_at = body.find("{"), body.rfind("}")
        if open_at < 0:
            if close_at >= 0:
                error(start, "'}' without an opening '{' (escape it as '\\}')")
            else:
                skip(start, "a description (text without answers) is not a question in BinaPustaka")
            continue
        if close_at < open_at:
            error(start, "the answer block '{' is not closed with '}'")
            continue
        before, answer_text, after = body[:open_at], body[open_at + 1:close_at], body[close_at + 1:]
        prompt_raw = before.rstrip() + " " + _BLANK + " " + after.lstrip() if after.strip() else before
        prompt = convert_text(prompt_raw, fmt)
        answer_text, _, general = answer_text.partition("####")
        answer_text = answer_text.strip()
        label = title or _heading_for("", prompt)
        if not answer_text:
            skip(start, f"'{label}' is an essay question (empty answer block); BinaPustaka grades automatically only")
            continue

        answers = GiftAnswers(answer_text, fmt, label, start, path, lang)
        question = Question(key="", type="", title=_heading_for(title, prompt), prompt=prompt, line=start,
                            explanation=answers.markdown(general), category=category)
        qtype = gift_type(answer_text)
        if qtype is None:
            error(start, f"'{label}': no question type reads this answer block")
            continue
        question.type = qtype.name
        kept = qtype.from_gift(question, answers)
        result.problems.extend(answers.problems)
        result.skipped += answers.skipped
        if kept:
            if any(_MOODLE_IDS.search(comment) for comment in block.comments):
                result.problems.append(Problem(path, start, f"'{label}': Moodle's [id:…] and [tag:…] comments "
                                                            f"are not kept", "warning"))
            result.questions.append(question)
    return result


def _escape_line(line: str) -> str:
    """A prompt line that our quiz parser would read as an answer or a new question is escaped."""
    if _CHOICE.match(line) or _PAIR.match(line) or _HEADING.match(line):
        return "\\" + line
    return line


def _attr_value(value: str) -> str:
    return '"' + value.replace('"', "'") + '"'


def question_markdown(q: Question) -> str:
    """One question in our Markdown quiz format; its type writes the answers."""
    qtype = get_type(q.type)
    attrs = [f"type={q.type}"]
    if q.scoring == "partial" and "scoring" in qtype.honours:
        attrs.append("scoring=partial")
    if q.exact and "exact" in qtype.honours:
        attrs.append("exact=true")
    if q.category:
        attrs.append(f"category={_attr_value(q.category)}")
    title = q.title.replace("{", "(").replace("}", ")")
    out = [f"## {title} {{{' '.join(attrs)}}}", ""]
    if q.prompt:
        out.extend(_escape_line(line) for line in q.prompt.splitlines())
        out.append("")
    out.extend(qtype.markdown_answers(q))
    if q.explanation:
        out.append("")
        out.extend(f"> {line}" if line else ">" for line in q.explanation.splitlines())
    return "\n".join(out)


def quiz_markdown(questions: list[Question], *, title: str, source: str = "") -> str:
    lines = ["---"]
    if title:
        lines.append(f"title: {_yaml_string(title)}")
    lines += [f"pass_mark: {SETTINGS_DEFAULTS['pass_mark']}", "max_attempts: 0", "---", ""]
    if source:
        lines += [f"<!-- converted from {source} (Moodle GIFT); check the rules above before publishing -->", ""]
    return "\n".join(lines) + "\n\n".join(question_markdown(q) for q in questions) + "\n"


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def import_gift(text: str, path: str, *, title: str = "", lang: str = "id",
                out_path: str = "quiz.quiz.md") -> tuple[str | None, GiftImport]:
    """GIFT text → quiz Markdown, checked by our own quiz parser; None when nothing usable came out."""
    result = parse_gift(text, path, lang=lang)
    if any(p.severity == "error" for p in result.problems):
        return None, result
    if not result.questions:
        result.problems.append(Problem(path, 0, "no question could be converted"))
        return None, result
    markdown = quiz_markdown(result.questions, title=title)
    _quiz, problems = parse_quiz(markdown, out_path)
    for problem in problems:  # our own output must pass our own check; say where it came from
        result.problems.append(Problem(path, 0, f"converted quiz fails its check: {problem}", problem.severity))
    if any(p.severity == "error" for p in problems):
        return None, result
    return markdown, result


# --- export --------------------------------------------------------------------------------------

def export_gift(quiz: Quiz) -> tuple[str, list[Problem]]:
    """Our quiz → GIFT. Rules without a GIFT equivalent are written as comments and reported."""
    problems: list[Problem] = []
    out = [f"// BinaPustaka quiz {quiz.path}"]
    rules = {k: v for k, v in quiz.settings.items() if k != "title" and v != SETTINGS_DEFAULTS[k]}
    if rules:
        out.append("// rules (set them on the Moodle quiz): "
                   + ", ".join(f"{k}: {v}" for k, v in rules.items()))
    out.append("")
    category = None
    for q in quiz.questions:
        def note(message: str) -> None:
            problems.append(Problem(quiz.path, q.line, message, "warning"))

        qtype = get_type(q.type)
        answers = qtype.to_gift(q, note)
        if answers is None:
            note(f"'{q.title}': {q.type} questions have no GIFT form; left out")
            continue
        if q.category != category and q.category:
            out += [f"$CATEGORY: {q.category}", ""]
        category = q.category
        head = f"::{escape_gift(q.title)}::[markdown]{escape_gift(q.prompt or q.title)}"
        general = f"####{escape_gift(q.explanation)}" if q.explanation else ""
        if qtype.gift_inline:
            out.append(f"{head}{{{answers[0]}{general}}}")
        else:
            answers += [general] if general else []
            out.append(head + "{\n" + "\n".join("\t" + a for a in answers) + "\n}")
        out.append("")
    return "\n".join(out), problems
