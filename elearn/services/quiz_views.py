"""What the quiz pages show: open attempts without any correctness data, results as the
quiz's ``show_answers`` rule allows, and per-question statistics for trainers."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import QuizAttempt


@dataclass(frozen=True)
class ShownOption:
    index: int  # position in the authored list: what the form sends back
    html: str


@dataclass
class ShownQuestion:
    """A question of an open attempt: prompt and choices only, never which one is right."""

    number: int
    key: str
    type: str
    title: str
    prompt_html: str
    options: list[ShownOption] = field(default_factory=list)
    lefts: list[str] = field(default_factory=list)  # matching: left items (HTML)
    rights: list[str] = field(default_factory=list)  # matching: right items offered (text)


def open_attempt_view(attempt: QuizAttempt) -> list[ShownQuestion]:
    """The questions of an open attempt in the order drawn, free of correctness information."""
    shown = []
    for n, q in enumerate(attempt.questions, start=1):
        item = ShownQuestion(n, q["key"], q["type"], q["title"], q["prompt_html"])
        if q["type"] in ("single", "multiple", "truefalse"):
            item.options = [ShownOption(i, q["options"][i]["html"]) for i in q["order"]]
        elif q["type"] == "matching":
            item.lefts = list(q["pairs_html"])
            item.rights = list(q["rights"])
        shown.append(item)
    return shown


def open_attempt_json(attempt: QuizAttempt) -> dict:
    """The JSON form of an open attempt: same content as the page, same absence of answers."""
    return {
        "id": attempt.id, "state": attempt.state, "number": attempt.number,
        "deadline_at": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "questions": [{"key": q.key, "type": q.type, "title": q.title, "prompt_html": q.prompt_html,
                       "options": [{"index": o.index, "html": o.html} for o in q.options],
                       "lefts": q.lefts, "rights": q.rights} for q in open_attempt_view(attempt)],
    }


@dataclass
class ResultQuestion:
    number: int
    title: str
    prompt_html: str
    mark: float
    your_answer: str
    correct_answer: str | None = None  # None when answers are not to be shown
    feedback_html: list[str] = field(default_factory=list)
    explanation_html: str = ""


def _describe(q: dict, response) -> str:
    """The learner's answer as plain text, for the results page."""
    if q["type"] in ("single", "truefalse"):
        try:
            return q["options"][int(response)]["text"]
        except (TypeError, ValueError, IndexError):
            return ""
    if q["type"] == "multiple":
        texts = []
        for value in response or []:
            try:
                texts.append(q["options"][int(value)]["text"])
            except (TypeError, ValueError, IndexError):
                continue
        return "; ".join(texts)
    if q["type"] == "matching":
        chosen = []
        for i, (left, _right) in enumerate(q["pairs"]):
            try:
                right = q["rights"][int((response or [])[i])]
            except (TypeError, ValueError, IndexError):
                right = "—"
            chosen.append(f"{left} → {right}")
        return "; ".join(chosen)
    return str(response or "")


def _correct(q: dict) -> str:
    if q["type"] in ("single", "truefalse", "multiple"):
        return "; ".join(o["text"] for o in q["options"] if o["correct"])
    if q["type"] == "matching":
        return "; ".join(f"{left} → {right}" for left, right in q["pairs"])
    if q["type"] == "numeric":
        return "; ".join(f"{lo:g}" if lo == hi else f"{lo:g} – {hi:g}" for lo, hi in q["answers"])
    return "; ".join(q["answers"])


def _feedback(q: dict, response) -> list[str]:
    if q["type"] in ("single", "truefalse"):
        chosen = [response]
    elif q["type"] == "multiple":
        chosen = list(response or [])
    else:
        return []
    html = []
    for value in chosen:
        try:
            text = q["options"][int(value)]["feedback_html"]
        except (TypeError, ValueError, IndexError):
            continue
        if text:
            html.append(text)
    return html


def answers_visible(attempt: QuizAttempt, passed_ever: bool) -> bool:
    """Whether the results may reveal correct answers, per the rule the attempt started under."""
    rule = (attempt.rules or {}).get("show_answers", "after_submit")
    return rule == "after_submit" or (rule == "after_pass" and passed_ever)


def result_view(attempt: QuizAttempt, passed_ever: bool) -> list[ResultQuestion]:
    """Per-question results; correct answers, feedback and explanations only when allowed."""
    reveal = answers_visible(attempt, passed_ever)
    rows = []
    for n, q in enumerate(attempt.questions, start=1):
        response = (attempt.responses or {}).get(q["key"])
        row = ResultQuestion(n, q["title"], q["prompt_html"], (attempt.marks or {}).get(q["key"], 0.0),
                             _describe(q, response))
        if reveal:
            row.correct_answer = _correct(q)
            row.feedback_html = _feedback(q, response)
            row.explanation_html = q.get("explanation_html", "")
        rows.append(row)
    return rows


@dataclass
class QuestionStats:
    key: str
    title: str
    attempts: int
    percent_correct: float
    common_wrong: str | None
    common_wrong_count: int


def question_stats(session: Session, quiz_id: int, user_ids=None) -> list[QuestionStats]:
    """Per question of the pool, over submitted attempts: how often asked, % fully correct, and
    the most chosen wrong answer. ``user_ids`` (a list or a SELECT of ids) narrows to those people."""
    seen: dict[str, dict] = {}
    query = (select(QuizAttempt.questions, QuizAttempt.responses, QuizAttempt.marks)
             .where(QuizAttempt.quiz_id == quiz_id, QuizAttempt.state == "submitted", QuizAttempt.late.is_(False)))
    if user_ids is not None:
        query = query.where(QuizAttempt.user_id.in_(user_ids))
    for questions, responses, marks in session.execute(query):
        for q in questions:
            entry = seen.setdefault(q["key"], {"title": q["title"], "n": 0, "right": 0, "wrong": Counter()})
            entry["n"] += 1
            mark = (marks or {}).get(q["key"], 0.0)
            if mark >= 1.0:
                entry["right"] += 1
            else:
                answer = _describe(q, (responses or {}).get(q["key"])).strip()
                if answer:
                    entry["wrong"][answer] += 1
    stats = []
    for key, e in seen.items():
        wrong = e["wrong"].most_common(1)
        stats.append(QuestionStats(key, e["title"], e["n"], round(100 * e["right"] / e["n"], 1),
                                   wrong[0][0] if wrong else None, wrong[0][1] if wrong else 0))
    stats.sort(key=lambda s: s.percent_correct)
    return stats
