"""Moodle GIFT interoperability: convert a GIFT question file to our quiz format and back.

Pure functions, text in and text out, with Problems (``path:line``) for everything that cannot be
carried across. The conversion never drops a question silently: an unsupported one (essay,
description, a shape our format cannot hold) is reported with its line and skipped, and every
approximation (Moodle percentage weights, partial credit on a wrong answer) is reported as a warning.

GIFT reference: https://docs.moodle.org/en/GIFT_format. Supported: ``$CATEGORY:``, ``::title::``,
``//`` comments, ``[html]`` / ``[markdown]`` / ``[plain]`` / ``[moodle]`` text formats, multiple choice
(``=`` / ``~``), multiple answers with ``%weight%``, true/false (``T``, ``TRUE``, ``F``, ``FALSE`` with
wrong/right feedback), short answer, numerical (``#value:tolerance``, ``#low..high`` and several
``=`` answers), matching (``=left -> right``), missing word (text after the braces), per-answer
``#feedback``, general feedback ``####…``, and the escapes ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from elearn.content.problems import Problem
from elearn.content.qtypes.truefalse import TRUE_WORDS
from elearn.content.quiz import (
    _CHOICE,
    _HEADING,
    _PAIR,
    SETTINGS_DEFAULTS,
    Option,
    Question,
    Quiz,
    parse_number,
    parse_numeric_answer,
    parse_quiz,
)

# Escaped characters are swapped for private-use code points while the structure is parsed.
_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003", "\\{": "\ue004",
            "\\}": "\ue005", "\\:": "\ue006", "\\n": "\ue007"}
_UNESCAPE = {"\ue000": "\\", "\ue001": "~", "\ue002": "=", "\ue003": "#", "\ue004": "{", "\ue005": "}",
             "\ue006": ":", "\ue007": "\n"}
_FORMAT = re.compile(r"^\s*\[(?P<format>html|markdown|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(?P<weight>-?\d+(?:\.\d+)?)%")
_TF = {"t": True, "true": True, "f": False, "false": False}
_BLANK = "_____"
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|])")
TRUE_FALSE_WORDS = {"id": ("Benar", "Salah"), "en": ("True", "False")}


@dataclass
class GiftImport:
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    categories: list[str] = field(default_factory=list)


def _protect(text: str) -> str:
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def _restore(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return text


def _blocks(text: str) -> list[tuple[int, list[tuple[int, str]]]]:
    """Questions are separated by blank lines; ``//`` comment lines are dropped first."""
    blocks: list[tuple[int, list[tuple[int, str]]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.lstrip().startswith("//"):
            continue
        if raw.strip():
            current.append((number, raw))
        elif current:
            blocks.append((current[0][0], current))
            current = []
    if current:
        blocks.append((current[0][0], current))
    return blocks


def _convert_text(text: str, fmt: str) -> str:
    """Question or answer text in its GIFT format → our Markdown (HTML passes on to the sanitizer)."""
    text = _restore(text).strip()
    if fmt == "plain":
        return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _split_feedback(text: str) -> tuple[str, str]:
    answer, _, feedback = text.partition("#")
    return answer.strip(), feedback.strip()


def _split_answers(text: str) -> list[tuple[str, str]]:
    """``=a ~b ~%50%c`` → [('=', 'a'), ('~', 'b'), ('~', '%50%c')]."""
    parts = re.split(r"([=~])", text)
    answers = []
    for i in range(1, len(parts), 2):
        answers.append((parts[i], parts[i + 1].strip()))
    return answers


def _weight(text: str) -> tuple[float | None, str]:
    if m := _WEIGHT.match(text):
        return float(m["weight"]), text[m.end():]
    return None, text


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
    true_word, false_word = TRUE_FALSE_WORDS.get(lang, TRUE_FALSE_WORDS["id"])

    def warn(line: int, message: str) -> None:
        result.problems.append(Problem(path, line, message, "warning"))

    def skip(line: int, message: str) -> None:
        result.skipped += 1
        warn(line, f"skipped: {message}")

    for start, lines in _blocks(_protect(text)):
        first = lines[0][1].strip()
        if first.upper().startswith("$CATEGORY:"):
            category = _restore(first.split(":", 1)[1]).strip()
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
                result.problems.append(Problem(path, start, "the question title '::…' is not closed with '::'"))
                continue
            title, body = _restore(body[2:end]).strip(), body[end + 2:]

        fmt = "moodle"
        if m := _FORMAT.match(body):
            fmt, body = m["format"].lower(), body[m.end():]

        open_at, close_at = body.find("{"), body.rfind("}")
        if open_at < 0:
            if close_at >= 0:
                result.problems.append(Problem(path, start, "'}' without an opening '{' (escape it as '\\}')"))
            else:
                skip(start, "a description (text without answers) is not a question in BinaPustaka")
            continue
        if close_at < open_at:
            result.problems.append(Problem(path, start, "the answer block '{' is not closed with '}'"))
            continue
        before, answer_text, after = body[:open_at], body[open_at + 1:close_at], body[close_at + 1:]
        if after.strip():
            prompt_raw = before.rstrip() + " " + _BLANK + " " + after.lstrip()
        else:
            prompt_raw = before
        prompt = _convert_text(prompt_raw, fmt)
        # Answers may carry their own [format]; they are single-line in our format.
        answer_text, _, general = answer_text.partition("####")
        explanation = _convert_text(general, fmt)
        answer_text = answer_text.strip()
        label = title or _heading_for("", prompt)

        question = Question(key="", type="", title=_heading_for(title, prompt), prompt=prompt,
                            line=start, explanation=explanation, category=category)

        def answer_markdown(raw: str) -> str:
            raw = raw.strip()
            answer_fmt = fmt
            if m := _FORMAT.match(raw):
                answer_fmt, raw = m["format"].lower(), raw[m.end():]
            return _one_line(_convert_text(raw, answer_fmt))

        if not answer_text:
            skip(start, f"'{label}' is an essay question (empty answer block); BinaPustaka grades automatically only")
            continue

        if answer_text.startswith("#"):
            question.type = "numeric"
            spec = answer_text[1:].strip()
            entries = _split_answers(spec) if spec.startswith("=") else [("=", spec)]
            feedback_notes = []
            for _marker, entry in entries:
                weight, entry = _weight(entry)
                value, feedback = _split_feedback(entry)
                value = _restore(value).replace(" ", "")
                if ":" in value:
                    number, _, tolerance = value.partition(":")
                    accepted = f"{number} +- {tolerance}" if parse_number(tolerance or "0") else number
                else:
                    accepted = value
                if parse_numeric_answer(accepted) is None:
                    result.problems.append(Problem(path, start, f"'{label}': not a number, value:tolerance or "
                                                                f"low..high: {value!r}"))
                    question.type = ""
                    break
                if weight is not None and weight < 100:
                    warn(start, f"'{label}': the answer {value} worth {weight:g}% is left out "
                                f"(BinaPustaka accepts an answer fully or not at all)")
                    continue
                question.options.append(Option(accepted, True, line=start))
                if feedback:
                    feedback_notes.append(f"{accepted}: {_convert_text(feedback, fmt)}")
            if not question.type:
                continue
            if not question.options:
                skip(start, f"'{label}' has no fully correct numerical answer")
                continue
            if feedback_notes:
                _keep_in_explanation(question, feedback_notes)
                warn(start, f"'{label}': per-answer feedback of a numerical question is kept in the explanation")
        elif "~" in answer_text:
            entries = _split_answers(answer_text)
            weights = []
            for marker, entry in entries:
                weight, entry = _weight(entry)
                text, feedback = _split_feedback(entry)
                weights.append(weight)
                option = Option(answer_markdown(text), False, _convert_text(feedback, fmt), start)
                if marker == "=":
                    option.correct = True
                question.options.append(option)
            if any(not o.text for o in question.options):
                result.problems.append(Problem(path, start, f"'{label}': an answer option is empty"))
                continue
            if any(marker == "=" for marker, _ in entries):
                question.type = "single"
                if sum(o.correct for o in question.options) > 1:
                    skip(start, f"'{label}': several '=' answers in a multiple-choice question "
                                f"(write it as multiple answers with %weights%)")
                    continue
                for option, weight in zip(question.options, weights):
                    if not option.correct and weight:
                        warn(start, f"'{label}': partial credit {weight:g}% for '{option.text}' is dropped "
                                    f"(the option counts as wrong)")
            else:
                question.type = "multiple"
                question.scoring = "partial"
                for option, weight in zip(question.options, weights):
                    option.correct = bool(weight and weight > 0)
                if not any(o.correct for o in question.options):
                    skip(start, f"'{label}': no answer has a positive weight")
                    continue
                n_right = sum(o.correct for o in question.options)
                n_wrong = len(question.options) - n_right
                ours = [100 / n_right if o.correct else -100 / n_wrong for o in question.options]
                if any(abs((w or 0) - e) > 0.01 for w, e in zip(weights, ours)):
                    warn(start, f"'{label}': Moodle weights {', '.join(f'{w or 0:g}%' for w in weights)} become "
                                f"BinaPustaka partial credit (each right option counts equally, each wrong one "
                                f"subtracts equally)")
        elif (tf := _split_feedback(answer_text)[0].lower()) in _TF:
            question.type = "truefalse"
            _answer, _, feedbacks = answer_text.partition("#")
            wrong_feedback, _, right_feedback = feedbacks.partition("#")
            truth = _TF[tf]
            right = _convert_text(right_feedback, fmt)
            wrong = _convert_text(wrong_feedback, fmt)
            question.options = [
                Option(true_word, truth, right if truth else wrong, start),
                Option(false_word, not truth, wrong if truth else right, start),
            ]
        elif "->" in answer_text:
            question.type = "matching"
            question.scoring = "partial"
            for marker, entry in _split_answers(answer_text):
                if marker != "=":
                    continue
                left, _, right = entry.partition("->")
                left, right = answer_markdown(left), answer_markdown(_split_feedback(right)[0])
                if not left:
                    warn(start, f"'{label}': the extra distractor '{right}' is left out "
                                f"(a matching question here pairs every right-hand item)")
                    continue
                question.pairs.append((left, right))
            if len(question.pairs) < 2:
                skip(start, f"'{label}': a matching question needs at least 2 pairs")
                continue
        else:
            question.type = "short"
            feedback_notes = []
            for marker, entry in _split_answers(answer_text):
                weight, entry = _weight(entry)
                text, feedback = _split_feedback(entry)
                text = answer_markdown(text)
                if marker != "=" or (weight is not None and weight < 100):
                    warn(start, f"'{label}': the answer '{text}'"
                                f"{f' worth {weight:g}%' if weight is not None else ''} is left out "
                                f"(BinaPustaka lists only fully accepted answers)")
                    continue
                question.options.append(Option(text, True, line=start))
                if feedback:
                    feedback_notes.append(f"{text}: {_convert_text(feedback, fmt)}")
            if not question.options:
                skip(start, f"'{label}' has no fully accepted answer")
                continue
            if feedback_notes:
                _keep_in_explanation(question, feedback_notes)
                warn(start, f"'{label}': per-answer feedback of a short-answer question is kept in the explanation")
        result.questions.append(question)
    return result


def _keep_in_explanation(question: Question, notes: list[str]) -> None:
    """Our short and numeric answers carry no feedback of their own: it joins the explanation."""
    question.explanation = "\n\n".join(filter(None, [question.explanation, *notes]))


def _escape_line(line: str) -> str:
    """A prompt line that our quiz parser would read as an answer or a new question is escaped."""
    if _CHOICE.match(line) or _PAIR.match(line) or _HEADING.match(line):
        return "\\" + line
    return line


def _attr_value(value: str) -> str:
    return '"' + value.replace('"', "'") + '"'


def question_markdown(q: Question) -> str:
    attrs = [f"type={q.type}"]
    if q.scoring == "partial" and q.type in ("multiple", "matching"):
        attrs.append("scoring=partial")
    if q.exact and q.type == "short":
        attrs.append("exact=true")
    if q.category:
        attrs.append(f"category={_attr_value(q.category)}")
    title = q.title.replace("{", "(").replace("}", ")")
    out = [f"## {title} {{{' '.join(attrs)}}}", ""]
    if q.prompt:
        out.extend(_escape_line(line) for line in q.prompt.splitlines())
        out.append("")
    if q.type == "matching":
        out.extend(f"- {left} -> {right}" for left, right in q.pairs)
    else:
        for option in q.options:
            out.append(f"- [{'x' if option.correct else ' '}] {option.text}")
            out.extend(f"  > {line}" if line else "  >" for line in option.feedback.splitlines())
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

def _escape_gift(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _fraction(n: int) -> str:
    return f"{100 / n:.5f}".rstrip("0").rstrip(".")


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


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

        if q.category != category and q.category:
            out += [f"$CATEGORY: {q.category}", ""]
        category = q.category
        head = f"::{_escape_gift(q.title)}::[markdown]{_escape_gift(q.prompt or q.title)}"
        answers: list[str] = []
        if q.type == "single":
            for o in q.options:
                answers.append(f"{'=' if o.correct else '~'}{_escape_gift(o.text)}"
                               + (f"#{_escape_gift(o.feedback)}" if o.feedback else ""))
        elif q.type == "multiple":
            right = [o for o in q.options if o.correct]
            wrong = [o for o in q.options if not o.correct]
            if q.scoring != "partial":
                note(f"'{q.title}': all-or-nothing scoring has no GIFT form; exported with Moodle partial weights")
            for o in q.options:
                weight = _fraction(len(right)) if o.correct else "-" + _fraction(len(wrong))
                answers.append(f"~%{weight}%{_escape_gift(o.text)}"
                               + (f"#{_escape_gift(o.feedback)}" if o.feedback else ""))
        elif q.type == "truefalse":
            true_option = next(o for o in q.options if o.text.strip().lower() in TRUE_WORDS)
            false_option = next(o for o in q.options if o is not true_option)
            truth = true_option.correct
            right, wrong = (true_option, false_option) if truth else (false_option, true_option)
            tf = "TRUE" if truth else "FALSE"
            feedback = ""
            if right.feedback or wrong.feedback:
                feedback = f"#{_escape_gift(wrong.feedback)}#{_escape_gift(right.feedback)}"
            answers.append(tf + feedback)
        elif q.type == "short":
            if q.exact:
                note(f"'{q.title}': exact matching has no GIFT form; Moodle compares case-insensitively")
            answers += [f"={_escape_gift(a)}" for a in q.answers]
        elif q.type == "numeric":
            specs = []
            for low, high in q.answers:
                if low == high:
                    specs.append(_number(low))
                else:
                    specs.append(f"{_number((low + high) / 2)}:{_number((high - low) / 2)}")
            answers.append("#" + (specs[0] if len(specs) == 1 else " ".join(f"={s}" for s in specs)))
        elif q.type == "matching":
            if len(q.pairs) < 3:
                note(f"'{q.title}': Moodle needs at least 3 pairs in a matching question")
            answers += [f"={_escape_gift(left)} -> {_escape_gift(right)}" for left, right in q.pairs]
        general = f"####{_escape_gift(q.explanation)}" if q.explanation else ""
        if q.type in ("truefalse", "numeric"):
            out.append(f"{head}{{{answers[0]}{general}}}")
        else:
            answers += [general] if general else []
            out.append(head + "{\n" + "\n".join("\t" + a for a in answers) + "\n}")
        out.append("")
    return "\n".join(out), problems
