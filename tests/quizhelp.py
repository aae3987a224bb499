"""Answering a stored attempt the way a learner's browser would, for flow tests."""
from __future__ import annotations


def answer_form(attempt, right: bool = True) -> dict:
    """Form fields answering every question of ``attempt`` correctly (or wrongly)."""
    data: dict = {}
    for q in attempt.questions:
        name = f"q-{q['key']}"
        kind = q["type"]
        if kind in ("single", "truefalse"):
            index = next(i for i, o in enumerate(q["options"]) if o["correct"] == right)
            data[name] = str(index)
        elif kind == "multiple":
            data[name + "[]"] = [str(i) for i, o in enumerate(q["options"]) if o["correct"] == right]
        elif kind == "short":
            data[name] = q["answers"][0] if right else "jawaban yang pasti salah"
        elif kind == "numeric":
            low, high = q["answers"][0]
            data[name] = str((low + high) / 2) if right else str(high + abs(high) + 1000)
        elif kind == "matching":
            rights = q["rights"]
            for i, (_left, target) in enumerate(q["pairs"]):
                index = rights.index(target)
                data[f"{name}-{i}"] = str(index if right else (index + 1) % len(rights))
        else:
            raise AssertionError(f"unknown question type {kind}")
    return data
