"""What the choice types (single, multiple, true/false) share: options shown in a drawn order,
answered by their authored index, described by their text, with feedback per option.

Stored form: ``options`` = [{"html", "text", "correct", "feedback_html"}] in authoring order; each
attempt adds ``order`` (the indexes in the order shown). Not a type itself (no ``@register``).
"""
from __future__ import annotations

import random
from typing import Any

from elearn.content.gift_syntax import escape_gift, split_answers, split_feedback, weight
from elearn.content.qtypes.base import Option, OptionsType, Question, as_index, field_name
from elearn.content.render import render_block, render_inline


class ChoiceType(OptionsType):
    #: whether ``shuffle_options: true`` reorders the options of this type
    shuffles_options = True

    def snapshot(self, q: Question) -> dict:
        return {"options": [{"html": render_inline(o.text), "text": o.text, "correct": o.correct,
                             "feedback_html": render_block(o.feedback)} for o in q.options]}

    def prepare(self, q: dict, rng: random.Random, rules: dict) -> None:
        order = list(range(len(q["options"])))
        if rules.get("shuffle_options") and self.shuffles_options:
            rng.shuffle(order)
        q["order"] = order

    def shown(self, q: dict) -> dict:
        return {"options": [{"index": i, "html": q["options"][i]["html"]} for i in q["order"]]}

    def chosen(self, q: dict, response: Any) -> list[int]:
        """The valid option indexes in ``response``, in the order given."""
        raise NotImplementedError

    def describe(self, q: dict, response: Any) -> str:
        return "; ".join(q["options"][i]["text"] for i in self.chosen(q, response))

    def correct_answer(self, q: dict) -> str:
        return "; ".join(o["text"] for o in q["options"] if o["correct"])

    def feedback(self, q: dict, response: Any) -> list[str]:
        return [html for html in (q["options"][i]["feedback_html"] for i in self.chosen(q, response)) if html]


class OneChoiceType(ChoiceType):
    """One option is picked (radio buttons): single choice and true/false."""

    def chosen(self, q: dict, response: Any) -> list[int]:
        index = as_index(response)
        return [index] if index is not None and 0 <= index < len(q["options"]) else []

    def grade(self, q: dict, response: Any) -> float:
        return 1.0 if any(q["options"][i]["correct"] for i in self.chosen(q, response)) else 0.0

    def example_form(self, q: dict, right: bool = True) -> dict:
        index = next(i for i, o in enumerate(q["options"]) if o["correct"] == right)
        return {field_name(q): str(index)}

    def to_gift(self, q: Question, note) -> list[str]:
        return [f"{'=' if o.correct else '~'}{escape_gift(o.text)}"
                + (f"#{escape_gift(o.feedback)}" if o.feedback else "") for o in q.options]


def gift_options(q: Question, block) -> list[float | None] | None:
    """The options of a GIFT multiple-choice block into ``q.options`` (``=`` marks the right one);
    returns each option's Moodle weight, or None when an option is empty (reported)."""
    weights = []
    for marker, entry in split_answers(block.text):
        answer_weight, entry = weight(entry)
        text, feedback = split_feedback(entry)
        weights.append(answer_weight)
        q.options.append(Option(block.answer(text), marker == "=", block.markdown(feedback), block.line))
    if any(not o.text for o in q.options):
        block.error(f"'{block.label}': an answer option is empty")
        return None
    return weights
