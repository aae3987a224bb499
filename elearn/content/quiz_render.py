"""Turn a parsed quiz into the stored question pool: Markdown rendered once and sanitized.

The pool holds correct answers; it is stored server-side and never sent to a browser as such
(pages of open attempts are built from it by services.quizzes, without correctness data).
"""
from __future__ import annotations

import re

from elearn.content.quiz import Question, Quiz
from elearn.content.render import render_markdown

_SINGLE_PARAGRAPH = re.compile(r"^<p>(?P<inner>.*)</p>$", re.S)


def render_block(text: str) -> str:
    """Markdown (several paragraphs allowed) to sanitized HTML; links as on a module page."""
    return render_markdown(text, page="module").html if text.strip() else ""


def render_inline(text: str) -> str:
    """A one-line Markdown fragment (an option) to sanitized HTML without the <p> wrapper."""
    html = render_block(text).strip()
    match = _SINGLE_PARAGRAPH.match(html)
    return match["inner"] if match and "<p>" not in match["inner"] else html


def snapshot_question(q: Question) -> dict:
    """The stored form of one question (JSON-serialisable)."""
    data = {
        "key": q.key,
        "type": q.type,
        "title": q.title,
        "prompt_html": render_block(q.prompt) if q.prompt else "",
        "explanation_html": render_block(q.explanation),
        "scoring": q.scoring,
        "exact": q.exact,
        "options": [{"html": render_inline(o.text), "text": o.text, "correct": o.correct,
                     "feedback_html": render_block(o.feedback)} for o in q.options],
        "answers": [list(a) if isinstance(a, tuple) else a for a in q.answers],
        "pairs": [[left, right] for left, right in q.pairs],
        "pairs_html": [render_inline(left) for left, _right in q.pairs],
    }
    return data


def snapshot_quiz(quiz: Quiz) -> tuple[dict, list[dict], str]:
    """(settings, question pool, intro HTML) ready to store."""
    return dict(quiz.settings), [snapshot_question(q) for q in quiz.questions], render_block(quiz.intro)
