"""Single choice: ``- [x]`` one right option among at least two; radio buttons; GIFT ``{=right ~wrong}``."""
from __future__ import annotations

from elearn.content.qtypes.base import Question, register
from elearn.content.qtypes.choice import OneChoiceType, gift_options


@register
class SingleChoice(OneChoiceType):
    name = "single"
    infer_order = 40  # any list of options not claimed by a more particular type
    gift_order = 20

    def claims(self, q: Question) -> bool:
        return bool(q.options)

    def check_options(self, q, correct, error) -> None:
        if len(correct) > 1:
            error("a single-choice question has exactly one '[x]' (use {type=multiple} for several)")
        if len(q.options) < 2:
            error("a choice question needs at least 2 options")

    def gift_claims(self, answers: str) -> bool:
        return "~" in answers and "=" in answers  # Moodle: a '~' makes it multiple choice, an '=' single

    def from_gift(self, q: Question, block) -> bool:
        weights = gift_options(q, block)
        if weights is None:
            return False
        if sum(o.correct for o in q.options) > 1:
            block.skip(f"'{block.label}': several '=' answers in a multiple-choice question "
                       f"(write it as multiple answers with %weights%)")
            return False
        for option, weight in zip(q.options, weights):
            if not option.correct and weight:
                block.warn(f"'{block.label}': partial credit {weight:g}% for '{option.text}' is dropped "
                           f"(the option counts as wrong)")
        return True
