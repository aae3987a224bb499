"""Matching: pairs ``- left -> right`` (at least 2, lefts distinct); each left item gets a choice of
every right-hand text, shuffled per attempt; all-or-nothing or ``scoring=partial`` (the share matched);
GIFT ``{=left -> right …}``.

Stored form: ``pairs`` ([[left, right], …], Markdown text) and ``pairs_html`` (the lefts rendered);
each attempt adds ``rights`` (the distinct right-hand texts in the order offered). A response is a
list with, per left item, the index into ``rights`` (or None).
"""
from __future__ import annotations

import random
from typing import Any

from elearn.content.gift_syntax import escape_gift, split_answers, split_feedback
from elearn.content.qtypes.base import Question, QuestionType, as_index, field_name, first, register
from elearn.content.render import render_inline


@register
class Matching(QuestionType):
    name = "matching"
    infer_order = 10
    gift_order = 30
    honours = frozenset({"scoring"})

    def claims(self, q: Question) -> bool:
        return bool(q.pairs) and not q.options

    def check(self, q: Question, error) -> None:
        if q.options:
            error("a matching question lists pairs '- left -> right', not '- [x]' options", q.options[0].line)
        if len(q.pairs) < 2:
            error("a matching question needs at least 2 pairs '- left -> right'")
        lefts = [left.lower() for left, _ in q.pairs]
        if len(set(lefts)) != len(lefts):
            error("a matching question repeats a left-hand item")

    def markdown_answers(self, q: Question) -> list[str]:
        return [f"- {left} -> {right}" for left, right in q.pairs]

    def snapshot(self, q: Question) -> dict:
        return {"pairs": [[left, right] for left, right in q.pairs],
                "pairs_html": [render_inline(left) for left, _right in q.pairs]}

    def prepare(self, q: dict, rng: random.Random, rules: dict) -> None:
        rights = sorted({right for _left, right in q["pairs"]})
        rng.shuffle(rights)
        q["rights"] = rights

    def shown(self, q: dict) -> dict:
        return {"lefts": list(q["pairs_html"]), "rights": list(q["rights"])}

    def read_form(self, q: dict, form: dict) -> list:
        name = field_name(q)
        return [(first(form.get(f"{name}-{i}")) or None) for i in range(len(q["pairs"]))]

    def form_values(self, q: dict, response: Any) -> dict[str, list[str]]:
        name = field_name(q)
        return {f"{name}-{i}": [str(v)] for i, v in enumerate(response or []) if v is not None}

    def _right_chosen(self, q: dict, response: Any, i: int) -> str | None:
        chosen = list(response or [])
        index = as_index(chosen[i]) if i < len(chosen) else None
        return q["rights"][index] if index is not None and 0 <= index < len(q["rights"]) else None

    def grade(self, q: dict, response: Any) -> float:
        pairs = q["pairs"]
        hits = sum(self._right_chosen(q, response, i) == right for i, (_left, right) in enumerate(pairs))
        if q.get("scoring") == "partial":
            return round(hits / len(pairs), 4)
        return 1.0 if hits == len(pairs) else 0.0

    def describe(self, q: dict, response: Any) -> str:
        return "; ".join(f"{left} → {self._right_chosen(q, response, i) or '—'}"
                         for i, (left, _right) in enumerate(q["pairs"]))

    def correct_answer(self, q: dict) -> str:
        return "; ".join(f"{left} → {right}" for left, right in q["pairs"])

    def example_form(self, q: dict, right: bool = True) -> dict:
        rights, form = q["rights"], {}
        for i, (_left, target) in enumerate(q["pairs"]):
            index = rights.index(target)
            form[f"{field_name(q)}-{i}"] = str(index if right else (index + 1) % len(rights))
        return form

    def gift_claims(self, answers: str) -> bool:
        return "=" in answers and "->" in answers

    def from_gift(self, q: Question, block) -> bool:
        q.scoring = "partial"
        for _marker, entry in split_answers(block.text, "="):
            left, arrow, right = entry.partition("->")
            if not arrow:
                block.error(f"'{block.label}': a matching answer is written '=left -> right': {block.answer(entry)!r}")
                return False
            left, right = block.answer(left), block.answer(split_feedback(right)[0])
            if not left:
                block.warn(f"'{block.label}': the extra distractor '{right}' is left out "
                           f"(a matching question here pairs every right-hand item)")
                continue
            q.pairs.append((left, right))
        if len(q.pairs) < 2:
            block.skip(f"'{block.label}': a matching question needs at least 2 pairs")
            return False
        return True

    def to_gift(self, q: Question, note) -> list[str]:
        if len(q.pairs) < 3:
            note(f"'{q.title}': Moodle needs at least 3 pairs in a matching question")
        return [f"={escape_gift(left)} -> {escape_gift(right)}" for left, right in q.pairs]
