"""Numeric: ``- [x] 42``, ``- [x] 3.14 +- 0.01`` or ``- [x] 10..20`` (inclusive ranges); learners may
write a decimal comma; GIFT ``{#3.14:0.01}``, ``{#1..5}``, ``{#=3 =%50%2 ~#feedback}``."""
from __future__ import annotations

import re
from typing import Any

from elearn.content.gift_syntax import (WILDCARD, keep_in_explanation, restore, split_answers,
                                        split_feedback, weight)
from elearn.content.qtypes.base import Option, OptionsType, Question, field_name, register

#: Indonesian grouping: a dot between thousands, a comma before decimals (2.760 · 1.234,5)
_GROUPED_ID = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?"
#: English grouping, only with a decimal point, which makes it unambiguous (1,234.5)
_GROUPED_EN = r"\d{1,3}(?:,\d{3})+\.\d+"
#: one separator, read as the decimal mark whichever it is (3.5 · 3,5)
_PLAIN = r"\d+(?:[.,]\d+)?"
_NUMBER = rf"[-+]?(?:{_GROUPED_ID}|{_GROUPED_EN}|{_PLAIN})"
_TOLERANCE = re.compile(rf"^(?P<value>{_NUMBER})\s*(?:\+-|±|\+/-)\s*(?P<tol>{_NUMBER})$")
_RANGE = re.compile(rf"^(?P<low>{_NUMBER})\s*\.\.\s*(?P<high>{_NUMBER})$")
_VALUE = re.compile(rf"^{_NUMBER}$")


def parse_number(text: str) -> float | None:
    """A number as authors and learners write it, else None: ``3.5`` and ``3,5`` (one separator is the
    decimal mark), ``2.760`` and ``1.234,5`` (Indonesian thousands dots: 2760 and 1234.5),
    ``1,234.5`` (English grouping with a decimal point), ``-2``. Spaces are ignored."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not _VALUE.match(text):
        return None
    sign, digits = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    if re.fullmatch(_GROUPED_ID, digits):
        digits = digits.replace(".", "").replace(",", ".")
    elif re.fullmatch(_GROUPED_EN, digits):
        digits = digits.replace(",", "")
    else:
        digits = digits.replace(",", ".")
    return float(sign + digits)


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


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


def _gift_value(value: str) -> str | None:
    """A GIFT numerical answer (``3``, ``3:2``, ``1..5``) in our notation; None if it is not a number."""
    if ":" in value:
        number, _, tolerance = value.partition(":")
        spread = parse_number(tolerance or "0")
        if spread is None:
            return None
        value = f"{number} +- {tolerance}" if spread else number
    return value if parse_numeric_answer(value) is not None else None


@register
class Numeric(OptionsType):
    name = "numeric"
    gift_order = 10
    gift_inline = True

    def check_options(self, q, correct, error) -> None:
        ranges = []
        for o in q.options:
            parsed = parse_numeric_answer(o.text)
            if parsed is None:
                error(f"not a number, 'value +- tolerance' or 'low..high': {o.text!r}", o.line)
            elif o.correct:
                ranges.append(parsed)
        q.answers = ranges
        if any(not o.correct for o in q.options):
            error("a numeric question lists only accepted values, each as '- [x] …'",
                  next(o.line for o in q.options if not o.correct))
        q.options = []

    def snapshot(self, q: Question) -> dict:
        return {"answers": [list(a) for a in q.answers]}

    def grade(self, q: dict, response: Any) -> float:
        value = parse_number(response) if isinstance(response, str) else None
        if value is None:
            return 0.0
        return 1.0 if any(low - 1e-9 <= value <= high + 1e-9 for low, high in q["answers"]) else 0.0

    def correct_answer(self, q: dict) -> str:
        return "; ".join(f"{lo:g}" if lo == hi else f"{lo:g} – {hi:g}" for lo, hi in q["answers"])

    def example_form(self, q: dict, right: bool = True) -> dict:
        low, high = q["answers"][0]
        return {field_name(q): str((low + high) / 2) if right else str(high + abs(high) + 1000)}

    def gift_claims(self, answers: str) -> bool:
        return answers.startswith("#")

    def from_gift(self, q: Question, block) -> bool:
        # Moodle: everything from the first '~' is the feedback for any other (wrong) answer.
        spec, tilde, other = block.text[1:].partition("~")
        notes = []
        other_notes = []
        if tilde:
            ignored, feedback = split_feedback(other)
            if ignored:
                block.warn(f"'{block.label}': '~{restore(ignored)}' only gives feedback for other answers "
                           f"in a numerical question; its value is ignored (as in Moodle)")
            if feedback:
                other_notes.append(block.other_answers_note(feedback))
        entries = split_answers(spec, "=")
        if not entries:
            block.error(f"'{block.label}': a numerical question needs an answer ('#value', '#value:tolerance' "
                        f"or '#low..high')")
            return False
        for _marker, entry in entries:
            answer_weight, entry = weight(entry)
            value, feedback = split_feedback(entry)
            value = restore(value).replace(" ", "")
            if value == WILDCARD:
                block.wildcard(answer_weight, feedback, other_notes)
                continue
            accepted = _gift_value(value)
            if accepted is None:
                block.error(f"'{block.label}': not a number, value:tolerance or low..high: {value!r}")
                return False
            if answer_weight is not None and answer_weight < 100:
                block.warn(f"'{block.label}': the answer {value} worth {answer_weight:g}% is left out "
                           f"(BinaPustaka accepts an answer fully or not at all)")
                continue
            q.options.append(Option(accepted, True, line=block.line))
            if feedback:
                notes.append(f"{accepted}: {block.markdown(feedback)}")
        if not q.options:
            block.skip(f"'{block.label}' has no fully correct numerical answer")
            return False
        if notes or other_notes:
            keep_in_explanation(q, notes + other_notes)
            block.warn(f"'{block.label}': per-answer feedback of a numerical question is kept in the explanation")
        return True

    def to_gift(self, q: Question, note) -> list[str]:
        specs = []
        for low, high in q.answers:
            if low == high:
                specs.append(_number(low))
            else:
                specs.append(f"{_number((low + high) / 2)}:{_number((high - low) / 2)}")
        return ["#" + (specs[0] if len(specs) == 1 else " ".join(f"={s}" for s in specs))]
