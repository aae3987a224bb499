"""Numeric: ``- [x] 42``, ``- [x] 3.14 +- 0.01`` or ``- [x] 10..20`` (inclusive ranges); learners may
write a decimal comma."""
from __future__ import annotations

import re
from typing import Any

from elearn.content.qtypes.base import OptionsType, field_name, register

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_TOLERANCE = re.compile(rf"^(?P<value>{_NUMBER})\s*(?:\+-|±|\+/-)\s*(?P<tol>{_NUMBER})$")
_RANGE = re.compile(rf"^(?P<low>{_NUMBER})\s*\.\.\s*(?P<high>{_NUMBER})$")
_VALUE = re.compile(rf"^{_NUMBER}$")


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


@register
class Numeric(OptionsType):
    name = "numeric"

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
