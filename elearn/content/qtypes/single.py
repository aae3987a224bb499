"""Single choice: ``- [x]`` one right option among at least two; radio buttons."""
from __future__ import annotations

from elearn.content.qtypes.base import Question, register
from elearn.content.qtypes.choice import OneChoiceType


@register
class SingleChoice(OneChoiceType):
    name = "single"
    infer_order = 40  # any list of options not claimed by a more particular type

    def claims(self, q: Question) -> bool:
        return bool(q.options)

    def check_options(self, q, correct, error) -> None:
        if len(correct) > 1:
            error("a single-choice question has exactly one '[x]' (use {type=multiple} for several)")
        if len(q.options) < 2:
            error("a choice question needs at least 2 options")
