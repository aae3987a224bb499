"""Turn a parsed quiz into the stored question pool: Markdown rendered once and sanitized.

The pool holds correct answers; it is stored server-side and never sent to a browser as such
(pages of open attempts are built from it by each type's ``shown``, without correctness data).
"""
from __future__ import annotations

from elearn.content.qtypes import Question, get_type
from elearn.content.quiz import Quiz
from elearn.content.render import render_block


def snapshot_question(q: Question) -> dict:
    """The stored form of one question (JSON-serialisable): what every type has, then the type's own keys."""
    data = {
        "key": q.key,
        "type": q.type,
        "title": q.title,
        "prompt_html": render_block(q.prompt) if q.prompt else "",
        "explanation_html": render_block(q.explanation),
        "scoring": q.scoring,
        "exact": q.exact,
    }
    if q.module:  # pre-test questions name the module they test
        data["module"] = q.module
    data.update(get_type(q.type).snapshot(q))
    return data


def snapshot_quiz(quiz: Quiz) -> tuple[dict, list[dict], str]:
    """(settings, question pool, intro HTML) ready to store."""
    return dict(quiz.settings), [snapshot_question(q) for q in quiz.questions], render_block(quiz.intro)
