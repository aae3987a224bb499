"""What the quiz pages show: open attempts without any correctness data, results as the
quiz's ``show_answers`` rule allows, and per-question statistics for trainers."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.content.qtypes import get_type
from elearn.models import QuizAttempt
from elearn.services.scoring import graded


@dataclass
class ShownQuestion:
    """A question of an open attempt: prompt and what to choose from, never which one is right."""

    number: int
    key: str
    type: str
    title: str
    prompt_html: str
    template: str  # the type's part of the attempt form
    parts: dict = field(default_factory=dict)  # the type's ``shown``: options, lefts/rights, …
    #: the learner's saved draft as form fields (field name → values), to fill the inputs
    values: dict = field(default_factory=dict)

    def has(self, name: str, value) -> bool:
        """Whether the draft sent ``value`` in field ``name`` (a checked box, a selected option)."""
        return str(value) in self.values.get(name, [])

    def text(self, name: str) -> str:
        """The draft's text in field ``name`` ("" when none)."""
        return (self.values.get(name) or [""])[0]


#: Keys every question of the attempt JSON carried before types owned their parts; kept (empty when
#: the type has none) so that clients written against them keep working.
_JSON_PARTS = {"options": [], "lefts": [], "rights": []}


def open_attempt_view(attempt: QuizAttempt) -> list[ShownQuestion]:
    """The questions of an open attempt in the order drawn, free of correctness information, with
    the owner's saved drafts (never anyone else's: callers check ownership)."""
    shown = []
    drafts = attempt.responses or {}
    for n, q in enumerate(attempt.questions, start=1):
        qtype = get_type(q["type"])
        shown.append(ShownQuestion(n, q["key"], q["type"], q["title"], q["prompt_html"], qtype.template,
                                   qtype.shown(q), qtype.form_values(q, drafts.get(q["key"]))))
    return shown


def open_attempt_json(attempt: QuizAttempt) -> dict:
    """The JSON form of an open attempt: same content as the page, same absence of answers; the
    owner's drafts as form fields under ``drafts``."""
    return {
        "id": attempt.id, "state": attempt.state, "number": attempt.number,
        "deadline_at": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "questions": [{"key": q.key, "type": q.type, "title": q.title, "prompt_html": q.prompt_html,
                       **_JSON_PARTS, **q.parts, "drafts": q.values} for q in open_attempt_view(attempt)],
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


def answer_text(q: dict, response) -> str:
    """The learner's answer as plain text (results page, statistics, the "my data" archive): each
    question type describes its own answers (elearn.content.qtypes)."""
    return get_type(q["type"]).describe(q, response)


def readable_answers(questions: list | None, responses: dict | None, marks: dict | None) -> list[dict]:
    """Each question of an attempt with the learner's answer as text and its mark, never the correct
    answer (for the learner's "my data" archive)."""
    return [{"question": q.get("title", ""), "answer": answer_text(q, (responses or {}).get(q.get("key"))),
             "mark": (marks or {}).get(q.get("key"))} for q in questions or []]


def answers_visible(attempt: QuizAttempt, passed_ever: bool) -> bool:
    """Whether the results may reveal correct answers, per the rule the attempt started under."""
    rule = (attempt.rules or {}).get("show_answers", "after_submit")
    return rule == "after_submit" or (rule == "after_pass" and passed_ever)


def result_view(attempt: QuizAttempt, passed_ever: bool) -> list[ResultQuestion]:
    """Per-question results; correct answers, feedback and explanations only when allowed."""
    reveal = answers_visible(attempt, passed_ever)
    rows = []
    for n, q in enumerate(attempt.questions, start=1):
        qtype = get_type(q["type"])
        response = (attempt.responses or {}).get(q["key"])
        row = ResultQuestion(n, q["title"], q["prompt_html"], (attempt.marks or {}).get(q["key"], 0.0),
                             qtype.describe(q, response))
        if reveal:
            row.correct_answer = qtype.correct_answer(q)
            row.feedback_html = qtype.feedback(q, response)
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
    """Per question of the pool, over graded attempts (services.scoring.graded: submitted, or closed
    by the deadline with the drafts saved in time): how often asked, % fully correct, and the most
    chosen wrong answer. ``user_ids`` (a list or a SELECT of ids) narrows to those people."""
    seen: dict[str, dict] = {}
    query = (select(QuizAttempt.questions, QuizAttempt.responses, QuizAttempt.marks)
             .where(QuizAttempt.quiz_id == quiz_id, graded()))
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
                answer = get_type(q["type"]).describe(q, (responses or {}).get(q["key"])).strip()
                if answer:
                    entry["wrong"][answer] += 1
    stats = []
    for key, e in seen.items():
        wrong = e["wrong"].most_common(1)
        stats.append(QuestionStats(key, e["title"], e["n"], round(100 * e["right"] / e["n"], 1),
                                   wrong[0][0] if wrong else None, wrong[0][1] if wrong else 0))
    stats.sort(key=lambda s: s.percent_correct)
    return stats
