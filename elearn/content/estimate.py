"""Honest lesson hours: how long a course really takes, and whether its claimed JP fit.

The one place of the estimate's method and constants (docs/authoring.md explains their sources):

- reading: the words of every module body (front matter excluded) at ``READING_WORDS_PER_MINUTE``;
  a word is a whitespace-separated token holding at least one letter or digit, so table rules,
  list bullets and ``:::`` fences do not count while table cells and examples do;
- module quizzes: ``QUIZ_MINUTES_PER_QUESTION`` per question asked (the ``draw``, else the pool);
- final exam: its ``time_limit_minutes`` when set, else ``EXAM_MINUTES_PER_QUESTION`` per question
  asked;
- practice tasks: their ``minutes`` (the author's honest working time);
- the placement pre-test is not counted (it saves time, it does not teach).

A course's claimed ``hours`` are too many when they exceed the estimate by more than
``OVERCLAIM_TOLERANCE``. Arithmetic is exact (fractions): a claim on the boundary is not rounded
into a warning.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from elearn.content.course import CourseSource
from elearn.content.problems import Problem
from elearn.content.quiz import Quiz

#: One jam pelajaran (JP), the Indonesian civil-service lesson hour.
MINUTES_PER_JP = 45
#: Study reading of technical Indonesian, tables and worked examples included.
READING_WORDS_PER_MINUTE = 120
QUIZ_MINUTES_PER_QUESTION = Fraction(3, 2)
EXAM_MINUTES_PER_QUESTION = 2
#: Claimed hours may exceed the estimate by at most this share (15 %).
OVERCLAIM_TOLERANCE = Fraction(15, 100)


@dataclass(frozen=True)
class Estimate:
    """Estimated minutes of a course, by part (exact fractions)."""
    words: int
    reading: Fraction
    quizzes: Fraction
    exam: int
    tasks: int

    @property
    def minutes(self) -> Fraction:
        return self.reading + self.quizzes + self.exam + self.tasks

    @property
    def jp(self) -> Fraction:
        return self.minutes / MINUTES_PER_JP

    @property
    def max_claim(self) -> int:
        """The most whole JP a course may claim without a warning."""
        return int(self.jp * (1 + OVERCLAIM_TOLERANCE))


def count_words(markdown: str) -> int:
    """Words of a Markdown text: whitespace-separated tokens with at least one letter or digit."""
    return sum(1 for token in markdown.split() if any(c.isalnum() for c in token))


def questions_asked(quiz: Quiz) -> int:
    """Questions one attempt asks: the ``draw`` when set, else the whole pool."""
    draw = quiz.settings.get("draw") or 0
    return min(draw, len(quiz.questions)) if draw else len(quiz.questions)


def estimate_course(course: CourseSource, quizzes: Mapping[str, Quiz], exam: Quiz | None) -> Estimate:
    """The estimate of a loaded course; ``quizzes`` are its parsed module quizzes by module slug,
    ``exam`` its parsed final exam (None when it has none)."""
    words = sum(count_words(m.body) for m in course.modules)
    quiz_minutes = sum((QUIZ_MINUTES_PER_QUESTION * questions_asked(q) for q in quizzes.values()), Fraction(0))
    exam_minutes = 0
    if exam is not None:
        exam_minutes = exam.settings.get("time_limit_minutes") or EXAM_MINUTES_PER_QUESTION * questions_asked(exam)
    task_minutes = sum(m.task.minutes for m in course.modules if m.task is not None)
    return Estimate(words=words, reading=Fraction(words, READING_WORDS_PER_MINUTE), quizzes=quiz_minutes,
                    exam=exam_minutes, tasks=task_minutes)


def overclaims(hours: int, estimate: Estimate) -> bool:
    """Whether ``hours`` claimed exceed the estimate by more than the tolerance."""
    return hours > estimate.jp * (1 + OVERCLAIM_TOLERANCE)


def describe(estimate: Estimate) -> str:
    """``7.4 JP estimated (333 min: reading 66, quizzes 72, exam 45, tasks 150)``, rounded for reading."""
    return (f"{float(estimate.jp):.1f} JP estimated ({round(estimate.minutes)} min: "
            f"reading {round(estimate.reading)}, quizzes {round(estimate.quizzes)}, exam {estimate.exam}, "
            f"tasks {estimate.tasks})")


def hours_problem(course: CourseSource, estimate: Estimate, shown: str) -> Problem | None:
    """A warning at the ``hours`` line of ``shown`` (the course.md path) when the claim is too high."""
    if not overclaims(course.hours, estimate):
        return None
    claim = (f"{course.hours} JP claimed exceeds the estimate of {float(estimate.jp):.1f} JP "
             f"({round(estimate.minutes)} min) by more than {int(OVERCLAIM_TOLERANCE * 100)} %")
    practice = "add assessed practice (tasks) where the hours are earned"
    advice = (f"{practice}, or claim at most {estimate.max_claim} JP" if estimate.max_claim
              else f"the content does not earn 1 JP yet: {practice}")
    return Problem(shown, course.hours_line, f"hours: {claim}; {advice}", "warning")
