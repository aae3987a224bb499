"""Grading: a pure function from (what was asked, what was answered) to a score in [0, 1].

``question`` is the snapshot stored with an attempt (``quiz_render.snapshot_question`` plus what the
attempt added when it was drawn); a response is what the form sent, as the question's type read it
(``QuestionType.read_form``). Each type grades its own questions: see ``elearn/content/qtypes/``.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Callable

from elearn.content.qtypes import QUESTION_TYPES, get_type
from elearn.content.qtypes.short import normalise_text

__all__ = ["GRADERS", "grade", "normalise_text"]


class _Graders(Mapping):
    """Type name → grading function, read live from the question-type registry."""

    def __getitem__(self, name: str) -> Callable[[dict, Any], float]:
        return QUESTION_TYPES[name].grade

    def __iter__(self) -> Iterator[str]:
        return iter(QUESTION_TYPES)

    def __len__(self) -> int:
        return len(QUESTION_TYPES)


#: One grader per registered question type (a view of ``QUESTION_TYPES``, kept for callers of old).
GRADERS: Mapping[str, Callable[[dict, Any], float]] = _Graders()


def grade(question: dict, response: Any) -> float:
    """The score in [0, 1] of ``response`` to ``question``."""
    return get_type(question["type"]).grade(question, response)
