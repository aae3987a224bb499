"""Multiple answers: several ``- [x]``, check boxes; all-or-nothing or ``scoring=partial``
((right picks / right options) − (wrong picks / wrong options), never below 0); GIFT
``{~%50%a ~%50%b ~%-100%c}`` (no ``=``)."""
from __future__ import annotations

from typing import Any

from elearn.content.gift_syntax import escape_gift
from elearn.content.qtypes.base import Question, as_index, field_name, register
from elearn.content.qtypes.choice import ChoiceType, gift_options


def _fraction(n: int) -> str:
    return f"{100 / n:.5f}".rstrip("0").rstrip(".")


@register
class MultipleChoice(ChoiceType):
    name = "multiple"
    infer_order = 30
    gift_order = 21
    honours = frozenset({"scoring"})

    def claims(self, q: Question) -> bool:
        return sum(o.correct for o in q.options) > 1

    def check_options(self, q, correct, error) -> None:
        if len(q.options) < 2:
            error("a choice question needs at least 2 options")

    def read_form(self, q: dict, form: dict) -> list[str]:
        return sorted({v for v in form.get(field_name(q) + "[]", []) if str(v).isdigit()}, key=int)

    def form_values(self, q: dict, response: Any) -> dict[str, list[str]]:
        return {field_name(q) + "[]": [str(v) for v in response or []]}

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

    def gift_claims(self, answers: str) -> bool:
        return "~" in answers  # without '=' (single choice claims those first)

    def from_gift(self, q: Question, block) -> bool:
        weights = gift_options(q, block)
        if weights is None:
            return False
        q.scoring = "partial"
        for option, weight in zip(q.options, weights):
            option.correct = bool(weight and weight > 0)
        if not any(o.correct for o in q.options):
            block.skip(f"'{block.label}': no answer has a positive weight")
            return False
        n_right = sum(o.correct for o in q.options)
        n_wrong = len(q.options) - n_right
        ours = [100 / n_right if o.correct else -100 / n_wrong for o in q.options]
        if any(abs((w or 0) - e) > 0.01 for w, e in zip(weights, ours)):
            block.warn(f"'{block.label}': Moodle weights {', '.join(f'{w or 0:g}%' for w in weights)} become "
                       f"BinaPustaka partial credit (each right option counts equally, each wrong one "
                       f"subtracts equally)")
        return True

    def to_gift(self, q: Question, note) -> list[str]:
        right = [o for o in q.options if o.correct]
        wrong = [o for o in q.options if not o.correct]
        if q.scoring != "partial":
            note(f"'{q.title}': all-or-nothing scoring has no GIFT form; exported with Moodle partial weights")
        answers = []
        for o in q.options:
            weight = _fraction(len(right)) if o.correct else "-" + _fraction(len(wrong))
            answers.append(f"~%{weight}%{escape_gift(o.text)}" + (f"#{escape_gift(o.feedback)}" if o.feedback else ""))
        return answers
