"""Multiple answers: several ``- [x]``, check boxes; all-or-nothing or ``scoring=partial``
((right picks / right options) − (wrong picks / wrong options), never below 0)."""
from __future__ import annotations

from typing import Any

from elearn.content.qtypes.base import Question, as_index, field_name, register
from elearn.content.qtypes.choice import ChoiceType


@register
class MultipleChoice(ChoiceType):
    name = "multiple"
    infer_order = 30
    honours = frozenset({"scoring"})

    def claims(self, q: Question) -> bool:
        return sum(o.correct for o in q.options) > 1

    def check_options(self, q, correct, error) -> None:
        if len(q.options) < 2:
            error("a choice question needs at least 2 options")

    def read_form(self, q: dict, form: dict) -> list[str]:
        return sorted({v for v in form.get(field_name(q) + "[]", []) if str(v).isdigit()}, key=int)

    def chosen(self, q: dict, response: Any) -> list[int]:
        indexes = (as_index(v) for v in (response or []))
        return [i for i in indexes if i is not None and 0 <= i < len(q["options"])]

    def grade(self, q: dict, response: Any) -> float:
        options = q["options"]
        chosen = set(self.chosen(q, response))
        correct = {i for i, o in enumerate(options) if o["correct"]}
        if q.get("scoring") != "partial":
            return 1.0 if chosen == correct else 0.0
        wrong = set(range(len(options))) - correct
        score = len(chosen & correct) / len(correct) - (len(chosen & wrong) / len(wrong) if wrong else 0.0)
        return round(max(0.0, score), 4)

    def example_form(self, q: dict, right: bool = True) -> dict:
        return {field_name(q) + "[]": [str(i) for i, o in enumerate(q["options"]) if o["correct"] == right]}
