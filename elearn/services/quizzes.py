"""Quiz attempts: the rules (attempts, cooldown, time limit), starting, submitting, results.

Rules enforced here and nowhere else, for every entry point (pages, JSON, exports):
- only the owner of an attempt may see or submit it;
- an attempt is graded exactly once: the submit is a conditional UPDATE … WHERE state='open',
  so double clicks, two tabs and replayed POSTs get the stored result, never a second grading;
- starting is idempotent: an open attempt is reused; concurrent starts collide on the unique
  (quiz, user, number) constraint and the loser returns the winner's attempt;
- draft answers: while an attempt is open, ``save_draft`` stores the learner's answers without
  submitting (the "Simpan jawaban" button, or the page's script in the background). A save is a
  full snapshot of the form, so repeating it changes nothing; it is a conditional UPDATE … WHERE
  state='open' AND the deadline and grace have not passed, so a save that arrives after the
  attempt was graded or closed changes nothing and says so (code "closed" or "expired"). While the
  attempt is open, ``responses`` holds these drafts; they are only ever shown to their owner;
- time limit: a submission up to QUIZ_GRACE_SECONDS after the deadline is graded normally. After
  the deadline and grace, the attempt is graded with the drafts saved in time, never with what
  arrives later: a late submission's answers are ignored, and an attempt the learner abandoned is
  graded with its drafts, not 0 (``close_expired``: state "expired", late=True; it can pass). An
  open attempt past its deadline and grace counts as expired, with that score, at once on every
  page; the row is closed by the learner's next action (start, save or submit), never by a page
  view. ``grade_responses`` is the one function that turns answers into marks, score and pass;
- the final exam is the course's last step: it can be started once every live module is complete
  (services.progress);
- the score and the pass of a quiz follow its grading rule (services.scoring, the one place).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import set_committed_value

from elearn.content.grading import grade
from elearn.content.qtypes import get_type
from elearn.models import Course, Quiz, QuizAttempt
from elearn.services import events
from elearn.services.completion import refresh_course_completion
from elearn.services.completion_queue import queue_completion_check
from elearn.services.course_versions import latest_number_query
from elearn.services.enrollment import enrollment_and_modules_complete, enrollment_of, get_enrollment
from elearn.services.placement import place_out
from elearn.services.progress import complete_module
from elearn.services.scoring import outcome
from elearn.services.upsert import built_for

DEFAULT_GRACE_SECONDS = 30


class QuizError(Exception):
    """A rule refused the action; ``code``: not_enrolled, no_attempts_left, cooldown, exam_locked, not_found."""

    def __init__(self, code: str, until: datetime | None = None):
        super().__init__(code)
        self.code = code
        self.until = until


@dataclass
class QuizStatus:
    attempts_used: int
    attempts_left: int | None  # None: unlimited
    score: float | None  # by the quiz's grading rule (best or last)
    passed: bool
    open_attempt_id: int | None
    can_start: bool
    blocked_reason: str | None = None  # not_enrolled, no_attempts_left, cooldown, exam_locked
    next_attempt_at: datetime | None = None
    history: list = field(default_factory=list)  # submitted attempts, newest first
    #: every attempt ever made, earlier cycles included (numbers attempts uniquely)
    total_attempts: int = 0


def _rules(quiz: Quiz) -> dict:
    return dict(quiz.settings or {})


def get_quiz(session: Session, quiz_id: int) -> Quiz | None:
    quiz = session.get(Quiz, quiz_id)
    return quiz if quiz is not None and quiz.retired_at is None else None


# The statements an exam hour runs for every learner are built once (with bind parameters): building a
# statement and its cache key on each request cost more than some of the queries themselves.
_LIVE_COURSE_QUIZ = (select(Course, Quiz).join(Quiz, Quiz.course_id == Course.id)
                     .where(Course.slug == bindparam("course_slug"), Course.retired_at.is_(None),
                            Quiz.slug == bindparam("quiz_slug"), Quiz.retired_at.is_(None)))
_ATTEMPTS_OF = (select(QuizAttempt).where(QuizAttempt.quiz_id == bindparam("quiz_id"),
                                          QuizAttempt.user_id == bindparam("user_id"))
                .order_by(QuizAttempt.number.desc()))
_OWNED_ATTEMPT_PAGE = (select(QuizAttempt, Quiz, Course).join(Quiz, Quiz.id == QuizAttempt.quiz_id)
                       .join(Course, Course.id == Quiz.course_id)
                       .where(QuizAttempt.id == bindparam("attempt_id"), QuizAttempt.user_id == bindparam("user_id"))
                       # the attempt carries its own questions: the quiz's whole pool is read only if asked for
                       .options(defer(Quiz.questions)))


_attempts = QuizAttempt.__table__
# grading closes the attempt only if still open (a table statement: the ORM's synchronisation of the
# session is not needed, the caller sets the values it wrote)
_CLOSE_OPEN = (update(_attempts).where(_attempts.c.id == bindparam("attempt_id"), _attempts.c.state == "open")
               .values({name: bindparam(f"new_{name}") for name in
                        ("state", "submitted_at", "responses", "marks", "score", "passed", "late")}))


def get_live_course_quiz(session: Session, course_slug: str, quiz_slug: str) -> tuple[Course, Quiz] | None:
    """A live course and its live quiz ``quiz_slug``, by their slugs, in one query (the quiz pages and the
    exam start, read by a whole exam hour at once); None if either is missing or retired."""
    row = session.execute(_LIVE_COURSE_QUIZ, {"course_slug": course_slug, "quiz_slug": quiz_slug}).first()
    return tuple(row) if row is not None else None


def get_module_quiz(session: Session, module_id: int) -> Quiz | None:
    return session.scalar(select(Quiz).where(Quiz.module_id == module_id, Quiz.retired_at.is_(None)))


def get_exam(session: Session, course_id: int) -> Quiz | None:
    return session.scalar(select(Quiz).where(Quiz.course_id == course_id, Quiz.kind == "exam",
                                             Quiz.retired_at.is_(None)))


def _expired(attempt: QuizAttempt, now: datetime, grace: int) -> bool:
    """An open attempt whose deadline and grace have passed."""
    return (attempt.state == "open" and attempt.deadline_at is not None
            and attempt.deadline_at < now - timedelta(seconds=grace))


def grade_responses(attempt: QuizAttempt, responses: dict | None) -> tuple[dict, float, bool]:
    """Marks per question key, the score in percent and the pass of ``responses`` to ``attempt``
    under the rules it started with: the one grading of an attempt (submitted or expired)."""
    responses = responses or {}
    marks = {q["key"]: grade(q, responses.get(q["key"])) for q in attempt.questions}
    score = round(100 * sum(marks.values()) / len(marks), 2) if marks else 0.0
    return marks, score, score >= (attempt.rules or {}).get("pass_mark", 70)


def close_expired(session: Session, user_id: int, attempts: list[QuizAttempt], now: datetime, grace: int) -> None:
    """Close those of the learner's ``attempts`` that are open past their deadline and grace, graded with
    the drafts saved in time (state "expired", late)."""
    for attempt in [a for a in attempts if _expired(a, now, grace)]:
        _close(session, user_id, attempt, attempt.responses, now, late=True)


def get_quiz_status(session: Session, user_id: int, quiz: Quiz, now: datetime,
                    grace: int = DEFAULT_GRACE_SECONDS) -> QuizStatus:
    """Where the learner stands with this quiz, and whether (and when) they may start an attempt.

    Reads only: an attempt past its deadline counts as expired without being written."""
    return _status(session, user_id, quiz, _attempts_of(session, user_id, quiz), now, grace)


def _attempts_of(session: Session, user_id: int, quiz: Quiz) -> list[QuizAttempt]:
    """Every attempt of the learner at the quiz, newest first."""
    return list(session.scalars(_ATTEMPTS_OF, {"quiz_id": quiz.id, "user_id": user_id}))


def _status(session: Session, user_id: int, quiz: Quiz, every: list[QuizAttempt], now: datetime,
            grace: int) -> QuizStatus:
    rules = _rules(quiz)
    if quiz.kind == "exam":  # the exam also needs every module done: both in one query
        enrollment, modules_done = enrollment_and_modules_complete(session, user_id, quiz.course_id)
    else:
        enrollment, modules_done = get_enrollment(session, user_id, quiz.course_id), True
    # After a renewal only the current cycle's attempts count (limits, passing, score).
    since = enrollment.cycle_started_at if enrollment is not None else None
    attempts = [a for a in every if since is None or a.started_at >= since]
    done = [a for a in attempts if a.state != "open" or _expired(a, now, grace)]
    open_attempt = next((a for a in attempts if a.state == "open" and not _expired(a, now, grace)), None)
    result = outcome([(a.number, *_score_and_pass(a)) for a in done], rules.get("grading"))
    max_attempts = rules.get("max_attempts", 0)
    left = None if not max_attempts else max(0, max_attempts - len(attempts))
    status = QuizStatus(len(attempts), left, result.score, result.passed,
                        open_attempt.id if open_attempt else None, can_start=True,
                        history=[a for a in done if a.state != "open"], total_attempts=len(every))
    if open_attempt is not None:
        return status
    if enrollment is None:
        status.can_start, status.blocked_reason = False, "not_enrolled"
    elif not modules_done:
        status.can_start, status.blocked_reason = False, "exam_locked"
    elif left == 0:
        status.can_start, status.blocked_reason = False, "no_attempts_left"
    elif done and rules.get("cooldown_minutes"):
        last_closed = done[0].submitted_at or (done[0].deadline_at + timedelta(seconds=grace))
        opens = last_closed + timedelta(minutes=rules["cooldown_minutes"])
        if opens > now:
            status.can_start, status.blocked_reason, status.next_attempt_at = False, "cooldown", opens
    return status


def _score_and_pass(attempt: QuizAttempt) -> tuple[float, bool]:
    """A closed attempt's stored result; an open one past its deadline counts with its drafts."""
    if attempt.state == "open":
        _marks, score, passed = grade_responses(attempt, attempt.responses)
        return score, passed
    return attempt.score, attempt.passed


def _draw(quiz: Quiz, rng: random.Random) -> list[dict]:
    """The questions of a new attempt: drawn, ordered and with options shuffled per the rules."""
    rules = _rules(quiz)
    pool = [dict(q) for q in quiz.questions]
    draw = rules.get("draw") or 0
    if draw and draw < len(pool):
        chosen = sorted(rng.sample(range(len(pool)), draw))
        pool = [pool[i] for i in chosen]
    if rules.get("shuffle_questions"):
        rng.shuffle(pool)
    for q in pool:
        get_type(q["type"]).prepare(q, rng, rules)  # option order, matching choices: the type's own
    return pool


def _new_attempt(insert):
    """The INSERT of a new open attempt (built once per database kind, see upsert.built_for); the course's
    version number is read by the INSERT itself (no round trip of its own)."""
    given = ("quiz_id", "user_id", "number", "quiz_version", "started_at", "deadline_at", "questions", "rules")
    return (insert(QuizAttempt)
            .values({**{name: bindparam(f"new_{name}") for name in given}, "state": "open", "submitted_at": None,
                     "late": False, "responses": {}, "marks": {}, "score": None, "passed": None,
                     "course_version_number": latest_number_query(bindparam("new_course_id")).scalar_subquery()})
            .on_conflict_do_nothing(index_elements=["quiz_id", "user_id", "number"])
            .returning(QuizAttempt)
            .execution_options(dml_strategy="orm"))  # the parameters are values, not rows of a bulk insert


def start_attempt(session: Session, user_id: int, quiz: Quiz, now: datetime, *, rng: random.Random | None = None,
                  grace: int = DEFAULT_GRACE_SECONDS) -> QuizAttempt:
    """The learner's open attempt, or a new one if the rules allow; raises QuizError otherwise.

    Open attempts past their deadline are closed first, from the same read of the learner's attempts
    that decides the status."""
    every = _attempts_of(session, user_id, quiz)
    close_expired(session, user_id, every, now, grace)
    status = _status(session, user_id, quiz, every, now, grace)
    if status.open_attempt_id is not None:
        return next(a for a in every if a.id == status.open_attempt_id)
    if not status.can_start:
        raise QuizError(status.blocked_reason, status.next_attempt_at)
    rules = _rules(quiz)
    limit = rules.get("time_limit_minutes") or 0
    params = {"quiz_id": quiz.id, "user_id": user_id, "number": status.total_attempts + 1,
              "quiz_version": quiz.version, "course_id": quiz.course_id, "started_at": now,
              "deadline_at": now + timedelta(minutes=limit) if limit else None,
              "questions": _draw(quiz, rng or random.SystemRandom()), "rules": rules}
    # One statement, no savepoint: a concurrent start that took this number first makes it insert nothing
    # (the unique quiz, user, number), and its attempt is the one to use.
    attempt = session.scalar(built_for(session, _new_attempt), {f"new_{k}": v for k, v in params.items()})
    if attempt is None:
        existing = session.scalar(select(QuizAttempt).where(
            QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user_id, QuizAttempt.state == "open"))
        if existing is None:
            raise QuizError("no_attempts_left")
        return existing
    events.note(session, events.QUIZ_STARTED)
    return attempt


def get_owned_attempt(session: Session, attempt_id: int, user_id: int) -> QuizAttempt | None:
    """The attempt if it belongs to ``user_id``; None otherwise (callers answer 404, not 403)."""
    attempt = session.get(QuizAttempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user_id else None


def get_owned_attempt_page(session: Session, attempt_id: int, user_id: int
                           ) -> tuple[QuizAttempt, Quiz, Course] | None:
    """The attempt with its quiz and course, in one query, if it belongs to ``user_id`` (the same rule
    as get_owned_attempt); None otherwise. For the attempt and result pages, read by a whole exam
    hour at once."""
    row = session.execute(_OWNED_ATTEMPT_PAGE, {"attempt_id": attempt_id, "user_id": user_id}).first()
    return tuple(row) if row is not None else None


def parse_responses(questions: list[dict], form: dict) -> dict:
    """Turn submitted form fields (``q-<key>``, ``q-<key>-…``) into responses by question key;
    each question's type reads its own fields."""
    return {q["key"]: get_type(q["type"]).read_form(q, form) for q in questions}


@dataclass
class SubmitResult:
    attempt: QuizAttempt
    graded_now: bool  # False when this was a repeat of an earlier submit
    course_completed: bool = False
    #: a passed final exam whose course completion was queued for the worker (COMPLETION_QUEUE)
    completion_queued: bool = False
    #: a pre-test: titles of the modules it placed the learner out of
    placed_out: list[str] = field(default_factory=list)

    @property
    def expired(self) -> bool:
        """Closed after the deadline and grace: graded with the drafts saved in time."""
        return self.attempt.state == "expired"


def submit_attempt(session: Session, user_id: int, attempt_id: int, form: dict, now: datetime,
                   grace: int = DEFAULT_GRACE_SECONDS, *, defer_completion: bool = False) -> SubmitResult:
    """Grade and close the attempt exactly once; a repeat returns the stored result. After the
    deadline and grace the form is ignored and the drafts saved in time are graded instead.
    ``defer_completion``: a passed final exam queues its course completion for ``flask completion run``
    (services.completion_queue) instead of recording it and issuing the certificate now.

    Raises QuizError("not_found") for another learner's or an unknown attempt.
    """
    attempt = get_owned_attempt(session, attempt_id, user_id)
    if attempt is None:
        raise QuizError("not_found")
    if attempt.state != "open":
        return SubmitResult(attempt, graded_now=False)
    if _expired(attempt, now, grace):
        return _close(session, user_id, attempt, attempt.responses, now, late=True)
    return _close(session, user_id, attempt, parse_responses(attempt.questions, form), now, late=False,
                  defer_completion=defer_completion)


def _close(session: Session, user_id: int, attempt: QuizAttempt, responses: dict, now: datetime, *,
           late: bool, defer_completion: bool = False) -> SubmitResult:
    """Grade ``responses`` and close the open attempt, once: a conditional UPDATE … WHERE state='open'
    (a concurrent close wins, and this returns its stored result). Late: state "expired"."""
    marks, score, passed = grade_responses(attempt, responses)
    values = {"state": "expired" if late else "submitted", "submitted_at": now, "responses": responses,
              "marks": marks, "score": score, "passed": passed, "late": late}
    closed = session.execute(_CLOSE_OPEN, {"attempt_id": attempt.id, **{f"new_{k}": v for k, v in values.items()}}
                             ).rowcount
    if closed != 1:  # another request graded it between our read and our update
        session.refresh(attempt)
        return SubmitResult(attempt, graded_now=False)
    for name, value in values.items():  # written as graded here: no second read of the row
        set_committed_value(attempt, name, value)
    events.note(session, events.QUIZ_SUBMITTED)
    quiz = session.get(Quiz, attempt.quiz_id)
    result = SubmitResult(attempt, graded_now=True)
    if quiz.kind == "pretest":
        result.placed_out, result.course_completed = place_out(session, user_id, attempt)
    elif passed:
        result.course_completed, result.completion_queued = _on_pass(session, user_id, quiz, defer_completion)
    session.flush()
    return result


def _on_pass(session: Session, user_id: int, quiz: Quiz, defer_completion: bool) -> tuple[bool, bool]:
    """A passed module quiz completes its module; a passed exam may complete the course, now or (deferred)
    through the completion queue. Returns (course completed now, completion queued)."""
    enrollment = enrollment_of(session, user_id, quiz.course_id)
    if enrollment is None:
        return False, False
    if quiz.module_id is not None:
        return complete_module(session, user_id, enrollment, quiz.module_id), False
    if defer_completion:
        return False, queue_completion_check(session, enrollment)
    return refresh_course_completion(session, user_id, enrollment), False


@dataclass
class DraftResult:
    #: "saved"; "closed": the attempt was already graded, nothing changed; "expired": the deadline and
    #: grace had passed, nothing changed and the attempt is now closed with its earlier drafts
    code: str
    attempt: QuizAttempt

    @property
    def saved(self) -> bool:
        return self.code == "saved"


def save_draft(session: Session, user_id: int, attempt_id: int, form: dict, now: datetime,
               grace: int = DEFAULT_GRACE_SECONDS) -> DraftResult:
    """Store the answers in ``form`` as the open attempt's drafts, without submitting.

    Idempotent (the whole form replaces the drafts) and race-safe: the write is conditional on the
    attempt being open and in time, so a save after a submit or after the deadline changes nothing.
    Raises QuizError("not_found") for another learner's or an unknown attempt.
    """
    attempt = get_owned_attempt(session, attempt_id, user_id)
    if attempt is None:
        raise QuizError("not_found")
    if attempt.state != "open":
        return DraftResult("closed", attempt)
    if _expired(attempt, now, grace):
        _close(session, user_id, attempt, attempt.responses, now, late=True)
        return DraftResult("expired", attempt)
    in_time = or_(QuizAttempt.deadline_at.is_(None), QuizAttempt.deadline_at >= now - timedelta(seconds=grace))
    responses = parse_responses(attempt.questions, form)
    written = session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.state == "open", in_time)
        .values(responses=responses)).rowcount
    if written != 1:  # closed by a concurrent submit between our read and our write
        session.refresh(attempt)
        return DraftResult("closed" if attempt.state == "submitted" else "expired", attempt)
    # written as we read it: no second read of the row (a save is the most frequent write of an exam)
    set_committed_value(attempt, "responses", responses)
    return DraftResult("saved", attempt)

