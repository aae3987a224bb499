"""Short answer: the accepted texts as ``- [x] …``, compared without regard to case and spacing
(NFKC, casefold, single spaces) unless ``exact=true``; a text field."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from elearn.content.qtypes.base import OptionsType, field_name, register


def normalise_text(text: str) -> str:
    """Case- and whitespace-insensitive form of a short answer (NFKC, casefold, single spaces)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


@register
class ShortAnswer(OptionsType):
    name = "short"
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
