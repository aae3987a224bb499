"""Short answer: the accepted texts as ``- [x] …``, compared without regard to case and spacing
(NFKC, casefold, single spaces) unless ``exact=true``; a text field; GIFT ``{=a =b}`` or ``{a}``."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from elearn.content.gift_syntax import (WILDCARD, escape_gift, keep_in_explanation, split_answers, split_feedback,
                                        weight)
from elearn.content.qtypes.base import Option, OptionsType, Question, field_name, register


def normalise_text(text: str) -> str:
    """Case- and whitespace-insensitive form of a short answer (NFKC, casefold, single spaces)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


@register
class ShortAnswer(OptionsType):
    name = "short"
    gift_order = 90  # whatever no other type claims, as in Moodle
    honours = frozenset({"exact"})

    def check_options(self, q, correct, error) -> None:
        wrong = [o for o in q.options if not o.correct]
        if wrong:
            error("a short-answer question lists only accepted answers, each as '- [x] answer'", wrong[0].line)
        q.answers = [o.text.strip() for o in q.options if o.correct]
        q.options = []

    def snapshot(self, q: Question) -> dict:
        return {"answers": list(q.answers)}

    def grade(self, q: dict, response: Any) -> float:
        text = response if isinstance(response, str) else ""
        if q.get("exact"):
            return 1.0 if text.strip() in q["answers"] else 0.0
        given = normalise_text(text)
        return 1.0 if given and any(given == normalise_text(a) for a in q["answers"]) else 0.0

    def correct_answer(self, q: dict) -> str:
        return "; ".join(q["answers"])

    def example_form(self, q: dict, right: bool = True) -> dict:
        return {field_name(q): q["answers"][0] if right else "jawaban yang pasti salah"}

    def gift_claims(self, answers: str) -> bool:
        return True

    def from_gift(self, q: Question, block) -> bool:
        notes, other = [], []
        for _marker, entry in split_answers(block.text, "="):
            answer_weight, entry = weight(entry)
            text, feedback = split_feedback(entry)
            text = block.answer(text)
            if text == WILDCARD:
                block.wildcard(answer_weight, feedback, other)
                continue
            if answer_weight is not None and answer_weight < 100:
                block.warn(f"'{block.label}': the answer '{text}'"
                           f"{f' worth {answer_weight:g}%' if answer_weight is not None else ''} is left out "
                           f"(BinaPustaka lists only fully accepted answers)")
                continue
            q.options.append(Option(text, True, line=block.line))
            if feedback:
                notes.append(f"{text}: {block.markdown(feedback)}")
        if not q.options:
            block.skip(f"'{block.label}' has no fully accepted answer")
            return False
        if notes or other:
            keep_in_explanation(q, notes + other)
            block.warn(f"'{block.label}': per-answer feedback of a short-answer question is kept in the explanation")
        return True

    def to_gift(self, q: Question, note) -> list[str]:
        if q.exact:
            note(f"'{q.title}': exact matching has no GIFT form; Moodle compares case-insensitively")
        return [f"={escape_gift(a)}" for a in q.answers]
