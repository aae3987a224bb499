"""The placement pre-test: ``pretest.quiz.md``, the ordinary quiz format plus its own rules.

Every question names the module it tests as a question attribute, ``## Title {module=metadata}``.
A learner who answers all of a module's questions right may skip that module (it counts as
complete; the final exam is never skipped). So:

- every question has ``module=`` naming a module of the course;
- ``max_attempts`` is 1 (the default here; any other value is an error);
- no ``draw``: every question is asked;
- a module tested by a single question gets a warning (one lucky answer would place a learner
  out of it); a module with no question simply cannot be skipped.

``module=`` belongs to the pre-test only: on an ordinary quiz it is an error.
"""
from __future__ import annotations

from collections import Counter

from elearn.content.frontmatter import split_front_matter
from elearn.content.problems import Problem
from elearn.content.quiz import Quiz, parse_quiz

PRETEST_FILE = "pretest.quiz.md"
PRETEST_MAX_ATTEMPTS = 1
#: Fewer questions than this for a module earns a warning.
MIN_QUESTIONS_PER_MODULE = 2


def parse_pretest(text: str, path: str, module_slugs) -> tuple[Quiz | None, list[Problem]]:
    """Parse a pre-test; the Quiz (with ``max_attempts`` 1) is None when there are errors.

    ``module_slugs`` are the slugs of the course's modules."""
    quiz, problems = parse_quiz(text, path)
    meta = split_front_matter(text, path)[0]
    attempts = meta.get("max_attempts")
    if "max_attempts" in meta and _count(attempts) and attempts != PRETEST_MAX_ATTEMPTS:
        problems.append(Problem(path, meta.line("max_attempts"),
                                f"a pre-test is taken once: max_attempts must be {PRETEST_MAX_ATTEMPTS} "
                                "(or left out)"))
    if meta.get("draw") not in (None, 0):
        problems.append(Problem(path, meta.line("draw"), "a pre-test asks every question: remove draw"))
    if quiz is None:
        return None, problems
    known = set(module_slugs)
    counts: Counter[str] = Counter()
    first_line: dict[str, int] = {}
    for question in quiz.questions:
        if not question.module:
            problems.append(Problem(path, question.line, "a pre-test question names the module it tests: "
                                                         "add {module=<module-slug>} to its heading"))
        elif question.module not in known:
            problems.append(Problem(path, question.line, f"module={question.module}: the course has no module "
                                                         f"'{question.module}'"))
        else:
            counts[question.module] += 1
            first_line.setdefault(question.module, question.line)
    for slug, count in sorted(counts.items()):
        if count < MIN_QUESTIONS_PER_MODULE:
            problems.append(Problem(path, first_line[slug],
                                    f"only {count} question tests module '{slug}': one lucky answer would let a "
                                    f"learner skip it; write at least {MIN_QUESTIONS_PER_MODULE}", "warning"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    quiz.settings["max_attempts"] = PRETEST_MAX_ATTEMPTS
    return quiz, problems


def stray_module_attributes(quiz: Quiz) -> list[Problem]:
    """Errors for ``module=`` on the questions of an ordinary quiz or exam."""
    return [Problem(quiz.path, q.line, f"module= only belongs in {PRETEST_FILE} (this question says "
                                       f"module={q.module})")
            for q in quiz.questions if q.module]


def _count(value) -> bool:
    """A value parse_quiz accepts as a count (it reports anything else itself)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
