"""A question type that exists only in tests: "ordering" (put the steps in the right order).

It proves that a type is one module plus one template: nothing outside this file knows about it,
yet a quiz with it parses, syncs, is drawn, shown, answered, graded and described. Register it
for one test with ``monkeypatch.setitem(QUESTION_TYPES, "ordering", Ordering())``.

Stored form: ``steps`` (the steps as HTML and text, in the right order); each attempt adds
``order`` (authored indexes in the order shown). The learner types a rank per shown step
(``q-<key>-<position>``), so nothing sent to the browser tells the right order.
"""
from __future__ import annotations

import random
from typing import Any

from elearn.content.qtypes.base import OptionsType, as_index, field_name
from elearn.content.render import render_inline

TEMPLATE_NAME = "quiz/types/ordering.html"
TEMPLATE = """{% for step in q.parts.steps %}
<label class="choice"><input type="text" inputmode="numeric" name="q-{{ q.key }}-{{ loop.index0 }}" size="2">
<span>{{ step | safe }}</span></label>
{% endfor %}"""


class Ordering(OptionsType):
    name = "ordering"

    def check_options(self, q, correct, error) -> None:
        if len(q.options) < 2 or len(correct) != len(q.options):
            error("an ordering question lists at least 2 steps, each '- [x]', in the right order")

    def snapshot(self, q) -> dict:
        return {"steps": [{"html": render_inline(o.text), "text": o.text} for o in q.options]}

    def prepare(self, q: dict, rng: random.Random, rules: dict) -> None:
        order = list(range(len(q["steps"])))
        rng.shuffle(order)
        q["order"] = order

    def shown(self, q: dict) -> dict:
        return {"steps": [q["steps"][i]["html"] for i in q["order"]]}

    def read_form(self, q: dict, form: dict) -> list:
        ranks = []
        for position in range(len(q["order"])):
            value = form.get(f"{field_name(q)}-{position}")
            ranks.append(as_index(value[0] if isinstance(value, list) and value else value))
        return ranks

    def grade(self, q: dict, response: Any) -> float:
        ranks = list(response or [])
        right = [ranks[p] == authored + 1 for p, authored in enumerate(q["order"]) if p < len(ranks)]
        return 1.0 if len(right) == len(q["order"]) and all(right) else 0.0

    def describe(self, q: dict, response: Any) -> str:
        ranked = sorted((rank, q["steps"][q["order"][p]]["text"]) for p, rank in enumerate(response or [])
                        if rank is not None and p < len(q["order"]))
        return " → ".join(text for _rank, text in ranked)

    def correct_answer(self, q: dict) -> str:
        return " → ".join(step["text"] for step in q["steps"])

    def example_form(self, q: dict, right: bool = True) -> dict:
        n = len(q["order"])
        return {f"{field_name(q)}-{p}": str(authored + 1 if right else n - authored)
                for p, authored in enumerate(q["order"])}
