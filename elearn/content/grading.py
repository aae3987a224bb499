"""Grading: pure functions from (what was asked, what was answered) to a score in [0, 1].

``question`` is the snapshot stored with an attempt (see services.quizzes.snapshot_question):
a dict with ``type``, ``options`` ([{"correct": bool, …}], in authoring order), ``answers``
(short: accepted texts; numeric: [low, high] ranges), ``exact``, ``scoring`` and, for matching,
``pairs`` ([[left, right], …]) and ``rights`` (the right-hand texts offered).

A response is what the form sent, already parsed:
single/truefalse: an option index or None; multiple: a list of option indexes; short and
numeric: the typed text; matching: a list with, for each left item, the index into ``rights``
(or None).

Partial credit for multiple choice: (right picks / correct options) − (wrong picks / wrong
options), never below 0; matching: the share of left items matched correctly.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable

from elearn.content.quiz import parse_number


def normalise_text(text: str) -> str:
    """Case- and whitespace-insensitive form of a short answer (NFKC, casefold, single spaces)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


def _as_index(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def grade_single(question: dict, response: Any) -> float:
    index = _as_index(response)
    options = question["options"]
    return 1.0 if index is not None and 0 <= index < len(options) and options[index]["correct"] else 0.0


def grade_multiple(question: dict, response: Any) -> float:
    options = question["options"]
    chosen = {i for i in (_as_index(v) for v in (response or [])) if i is not None and 0 <= i < len(options)}
    correct = {i for i, o in enumerate(options) if o["correct"]}
    if question.get("scoring") != "partial":
        return 1.0 if chosen == correct else 0.0
    wrong = set(range(len(options))) - correct
    score = len(chosen & correct) / len(correct) - (len(chosen & wrong) / len(wrong) if wrong else 0.0)
    return round(max(0.0, score), 4)


def grade_short(question: dict, response: Any) -> float:
    text = response if isinstance(response, str) else ""
    if question.get("exact"):
        return 1.0 if text.strip() in question["answers"] else 0.0
    given = normalise_text(text)
    return 1.0 if given and any(given == normalise_text(a) for a in question["answers"]) else 0.0


def grade_numeric(question: dict, response: Any) -> float:
    value = parse_number(response) if isinstance(response, str) else None
    if value is None:
        return 0.0
    return 1.0 if any(low - 1e-9 <= value <= high + 1e-9 for low, high in question["answers"]) else 0.0


def grade_matching(question: dict, response: Any) -> float:
    pairs, rights = question["pairs"], question["rights"]
    chosen = list(response or [])
    hits = 0
    for i, (_left, right) in enumerate(pairs):
        index = _as_index(chosen[i]) if i < len(chosen) else None
        if index is not None and 0 <= index < len(rights) and rights[index] == right:
            hits += 1
    if question.get("scoring") == "partial":
        return round(hits / len(pairs), 4)
    return 1.0 if hits == len(pairs) else 0.0


#: One grader per question type; a new type registers here (as CTFd does for challenge types).
GRADERS: dict[str, Callable[[dict, Any], float]] = {
    "single": grade_single,
    "truefalse": grade_single,
    "multiple": grade_multiple,
    "short": grade_short,
    "numeric": grade_numeric,
    "matching": grade_matching,
}


def grade(question: dict, response: Any) -> float:
    """The score in [0, 1] of ``response`` to ``question``."""
    return GRADERS[question["type"]](question, response)
