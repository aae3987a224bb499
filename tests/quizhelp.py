"""Answering a stored attempt the way a learner's browser would, for flow tests."""
from __future__ import annotations

from elearn.content.qtypes import get_type


def answer_form(attempt, right: bool = True) -> dict:
    """Form fields answering every question of ``attempt`` correctly (or wrongly); each question's
    type says which fields a learner's browser would send."""
    data: dict = {}
    for q in attempt.questions:
        data.update(get_type(q["type"]).example_form(q, right))
    return data


#: Questions as attempts stored them before the registry: every key for every type.
STORED_BEFORE = [
    {"key": "s", "type": "single", "title": "S", "prompt_html": "", "explanation_html": "", "scoring": "all",
     "exact": False, "options": [{"html": "a", "text": "a", "correct": False, "feedback_html": ""},
                                 {"html": "b", "text": "b", "correct": True, "feedback_html": "<p>Ya.</p>"}],
     "answers": [], "pairs": [], "pairs_html": [], "order": [1, 0]},
    {"key": "m", "type": "multiple", "title": "M", "prompt_html": "", "explanation_html": "", "scoring": "partial",
     "exact": False, "options": [{"html": "a", "text": "a", "correct": True, "feedback_html": ""},
                                 {"html": "b", "text": "b", "correct": True, "feedback_html": ""},
                                 {"html": "c", "text": "c", "correct": False, "feedback_html": ""}],
     "answers": [], "pairs": [], "pairs_html": [], "order": [0, 1, 2]},
    {"key": "t", "type": "truefalse", "title": "T", "prompt_html": "", "explanation_html": "", "scoring": "all",
     "exact": False, "options": [{"html": "Benar", "text": "Benar", "correct": True, "feedback_html": ""},
                                 {"html": "Salah", "text": "Salah", "correct": False, "feedback_html": ""}],
     "answers": [], "pairs": [], "pairs_html": [], "order": [0, 1]},
    {"key": "k", "type": "short", "title": "K", "prompt_html": "", "explanation_html": "", "scoring": "all",
     "exact": False, "options": [], "answers": ["OPAC"], "pairs": [], "pairs_html": [], "order": []},
    {"key": "n", "type": "numeric", "title": "N", "prompt_html": "", "explanation_html": "", "scoring": "all",
     "exact": False, "options": [], "answers": [[2.5, 3.5]], "pairs": [], "pairs_html": [], "order": []},
    {"key": "j", "type": "matching", "title": "J", "prompt_html": "", "explanation_html": "", "scoring": "all",
     "exact": False, "options": [], "answers": [], "pairs": [["TIFF", "master"], ["JPEG", "akses"]],
     "pairs_html": ["TIFF", "JPEG"], "order": [], "rights": ["master", "akses"]},
]
