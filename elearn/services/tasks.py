"""Practice tasks (tugas praktik): learners hand in, mentors and course trainers review.

Rules
- A module's task comes from its ``NN-<module>.task.md`` (elearn.content.task), synced as ModuleTask.
- An enrolled learner (not left) hands in a text (Markdown without raw HTML, through the one
  sanitizer: elearn.content.render.render_user_markdown) and optionally an http(s) link. While a
  hand-in waits for review, or once one was accepted, there is nothing to hand in; after "needs
  revision" the learner hands in again: a new submission, numbered, so the history stays.
- Who reviews (elearn.access.can_review_task): an admin, the course staff, or a current
  mentor of the learner — never the learner. A review is *accepted* or *revision* (see the scoring
  rule below); the first review of a hand-in wins (a conditional UPDATE), a second one is refused.
- With the text come the files the task accepts (services.task_files: its ``max_files`` capped by the
  TASK_MAX_FILES setting, its ``allowed`` kinds decided by content, at most TASK_FILE_MAX_BYTES each),
  stored in the database (TaskFile); a refused file refuses the hand-in and nothing is stored. A stored
  file is only ever downloaded: ``Content-Disposition: attachment``, ``application/octet-stream`` and
  nosniff (the route), by the learner and whoever may review the task.
- A review scores the hand-in with the task's rubric: whole points from 0 to each criterion's maximum for
  every criterion, and a comment per criterion (optional) besides the overall one. The total and
  whether it reaches the task's ``pass_points`` is rubric_result, the one place for it. The reviewer
  decides: *accepted* is refused below the pass mark (``below_pass``); *revision* needs a comment
  (overall or on a criterion). The scores are stored per criterion (TaskScore, with the criterion's
  wording and maximum as they were) and the pass mark on the submission, so every hand-in of the
  history shows its own review. They are the learner's: shown to the learner and to whoever may review.
- Whether an accepted task is needed for the course to complete is the one completion rule
  (services.completion.required_tasks_pending); accepting calls refresh_course_completion.

Events: ``task.submitted``, ``task.reviewed``. The learner is notified of every review
(services.notifications kind ``task_reviewed``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from elearn.content.render import render_user_markdown
from elearn.models import Course, Enrollment, Module, ModuleTask, TaskFile, TaskScore, TaskSubmission, User
from elearn.models._types import utcnow
from elearn.services.completion import refresh_course_completion
from elearn.services.dates import local_date
from elearn.services.events import note
from elearn.services.links import is_web_link
from elearn.services.notifications import notify, register
from elearn.services.task_files import FileRefused, check_files, effective_max_files

register("task_reviewed", _l("Tinjauan tugas praktik saya"),
         lambda p: (_("Tugas diterima: %(task)s", task=p["task"]) if p["state"] == "accepted"
                    else _("Tugas perlu revisi: %(task)s", task=p["task"])),
         lambda p: (_("Tugas praktik Anda \"%(task)s\" (%(course)s) diterima.", task=p["task"], course=p["course"])
                    if p["state"] == "accepted" else
                    _("Tugas praktik Anda \"%(task)s\" (%(course)s) dikembalikan untuk direvisi. Baca komentar "
                      "peninjau lalu kirim lagi.", task=p["task"], course=p["course"])), audience="learner")

SUBMITTED = "task.submitted"
REVIEWED = "task.reviewed"
STATES = ("submitted", "accepted", "revision")
TEXT_MAX = 20000
COMMENT_MAX = 5000


class TaskError(Exception):
    """A refused task action; ``code``: not_enrolled, pending, accepted, empty, too_long, bad_link,
    not_found, already_reviewed, bad_decision, comment_required, too_many_files, file_too_large,
    empty_file, file_type, bad_scores, points_missing, points_range, criterion_too_long, below_pass.
    ``detail``: the file name (file codes), the criterion's position (points_*, criterion_too_long) or
    the review's total (below_pass)."""

    def __init__(self, code: str, detail: str | int | None = None):
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class TaskPage:
    id: int
    course_id: int
    course_slug: str
    course_title: str
    module_slug: str
    module_title: str
    title: str
    minutes: int
    required: bool
    rubric: list
    pass_points: int
    html: str
    max_files: int
    allowed: list

    @property
    def total_points(self) -> int:
        return sum(c["points"] for c in self.rubric)


_TASK_COLUMNS = (ModuleTask.id, Course.id, Course.slug, Course.title, Module.slug, Module.title, ModuleTask.title,
                 ModuleTask.minutes, ModuleTask.required, ModuleTask.rubric, ModuleTask.pass_points, ModuleTask.html,
                 ModuleTask.max_files, ModuleTask.allowed)


def get_task(session: Session, course_slug: str, module_slug: str) -> TaskPage | None:
    """The live task of a live module of a live course, or None."""
    row = session.execute(
        select(*_TASK_COLUMNS)
        .join(Module, Module.id == ModuleTask.module_id).join(Course, Course.id == Module.course_id)
        .where(Course.slug == course_slug, Module.slug == module_slug, Course.retired_at.is_(None),
               Module.retired_at.is_(None), ModuleTask.retired_at.is_(None))).first()
    return TaskPage(*row) if row else None


def task_of_submission(session: Session, submission_id: int) -> tuple[TaskSubmission, TaskPage] | None:
    submission = session.get(TaskSubmission, submission_id)
    if submission is None:
        return None
    row = session.execute(
        select(*_TASK_COLUMNS)
        .join(Module, Module.id == ModuleTask.module_id).join(Course, Course.id == Module.course_id)
        .where(ModuleTask.id == submission.task_id)).one()
    return submission, TaskPage(*row)


def history(session: Session, task_id: int, user_id: int) -> list[TaskSubmission]:
    """The person's hand-ins of the task, newest first."""
    return list(session.scalars(select(TaskSubmission).where(
        TaskSubmission.task_id == task_id, TaskSubmission.user_id == user_id).order_by(TaskSubmission.number.desc())))


def files_of(session: Session, submission_ids: list[int]) -> dict[int, list]:
    """{submission id: [(file id, name, kind, size), …]} without the contents; one query."""
    found: dict[int, list] = {}
    for row in session.execute(select(TaskFile.submission_id, TaskFile.id, TaskFile.name, TaskFile.kind,
                                      TaskFile.size).where(TaskFile.submission_id.in_(submission_ids or [-1]))
                               .order_by(TaskFile.id)):
        found.setdefault(row[0], []).append(tuple(row[1:]))
    return found


@dataclass(frozen=True)
class RubricResult:
    """A review's total against the task's pass mark."""
    total: int
    max_total: int
    pass_points: int

    @property
    def passed(self) -> bool:
        return self.total >= self.pass_points


def rubric_result(points: list[int], max_points: list[int], pass_points: int) -> RubricResult:
    """The one place a review's total and its pass are decided: the sum of the criteria's points against
    ``pass_points`` (the task's pass mark, a total of points)."""
    return RubricResult(sum(points), sum(max_points), pass_points)


@dataclass(frozen=True)
class CriterionScore:
    criterion: str
    max_points: int
    points: int
    comment: str


@dataclass(frozen=True)
class ReviewScores:
    """The scores one review gave a hand-in, criterion by criterion, and their result."""
    criteria: list[CriterionScore]
    result: RubricResult


def scores_of(session: Session, entries: list[TaskSubmission]) -> dict[int, ReviewScores]:
    """{submission id: its review's scores} for the hand-ins that were reviewed with scores; one query.
    The caller shows them only to the learner and to whoever may review (elearn.access.can_review_task)."""
    pass_marks = {e.id: e.pass_points for e in entries if e.pass_points is not None}
    rows: dict[int, list[CriterionScore]] = {}
    for row in session.execute(select(TaskScore.submission_id, TaskScore.criterion, TaskScore.max_points,
                                      TaskScore.points, TaskScore.comment)
                               .where(TaskScore.submission_id.in_(list(pass_marks) or [-1]))
                               .order_by(TaskScore.submission_id, TaskScore.position)):
        rows.setdefault(row[0], []).append(CriterionScore(*row[1:]))
    return {sid: ReviewScores(criteria, rubric_result([c.points for c in criteria], [c.max_points for c in criteria],
                                                      pass_marks[sid]))
            for sid, criteria in rows.items()}


def can_submit(entries: list[TaskSubmission]) -> bool:
    """Nothing waits for review and nothing was accepted (``entries``: the history, newest first)."""
    return not entries or entries[0].state == "revision"


def _clean_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    if not is_web_link(link):
        raise TaskError("bad_link")
    return link


def submit_task(session: Session, user_id: int, task: TaskPage, text: str, link: str = "",
                files: list[tuple[str, bytes]] = (), max_files: int = 3,
                max_bytes: int = 5 * 1024 * 1024) -> TaskSubmission:
    """Hand in the task (see the module rules); ``files``: (name, content) pairs, the content read by the
    caller up to max_bytes + 1; ``max_files`` and ``max_bytes``: the site's settings."""
    enrolled = session.scalar(select(Enrollment.id).where(
        Enrollment.user_id == user_id, Enrollment.course_id == task.course_id, Enrollment.left_at.is_(None)))
    if enrolled is None:
        raise TaskError("not_enrolled")
    entries = history(session, task.id, user_id)
    if entries and entries[0].state == "submitted":
        raise TaskError("pending")
    if entries and entries[0].state == "accepted":
        raise TaskError("accepted")
    text = (text or "").strip()
    if not text:
        raise TaskError("empty")
    if len(text) > TEXT_MAX:
        raise TaskError("too_long")
    try:
        checked = check_files(list(files), task.allowed, effective_max_files(task.max_files, max_files), max_bytes)
    except FileRefused as refused:
        raise TaskError(refused.code, refused.name) from None
    submission = TaskSubmission(task_id=task.id, user_id=user_id, number=(entries[0].number + 1) if entries else 1,
                                text=text, html=render_user_markdown(text), link=_clean_link(link),
                                state="submitted", submitted_at=utcnow())
    session.add(submission)
    session.flush()  # the unique (task, user, number) refuses a concurrent double hand-in
    session.add_all([TaskFile(submission_id=submission.id, user_id=user_id, name=name, kind=kind, size=len(content),
                              content=content, created_at=utcnow())
                     for name, kind, content in checked])
    session.flush()
    note(session, SUBMITTED)
    return submission


def _checked_scores(rubric: list, scores: list[tuple[int | None, str]]) -> list[tuple[int, str]]:
    """``scores``: (points or None, comment) per criterion of ``rubric``, in order; TaskError otherwise."""
    if len(scores) != len(rubric):
        raise TaskError("bad_scores")
    checked = []
    for position, (criterion, (points, comment)) in enumerate(zip(rubric, scores)):
        if points is None:
            raise TaskError("points_missing", position)
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= criterion["points"]:
            raise TaskError("points_range", position)
        comment = (comment or "").strip()
        if len(comment) > COMMENT_MAX:
            raise TaskError("criterion_too_long", position)
        checked.append((points, comment))
    return checked


def review_submission(session: Session, reviewer_id: int, submission: TaskSubmission, decision: str,
                      comment: str, scores: list[tuple[int | None, str]]) -> bool:
    """Score a hand-in with its task's rubric and accept it or return it for revision (see the module
    rules); ``scores``: (points, comment) per criterion in the rubric's order. True when accepting it
    completed the course. The caller checks that the reviewer may (elearn.access.can_review_task)."""
    if decision not in ("accepted", "revision"):
        raise TaskError("bad_decision")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise TaskError("too_long")
    task = session.get(ModuleTask, submission.task_id)
    checked = _checked_scores(task.rubric, scores)
    if decision == "revision" and not comment and not any(c for _p, c in checked):
        raise TaskError("comment_required")
    result = rubric_result([p for p, _c in checked], [c["points"] for c in task.rubric], task.pass_points)
    if decision == "accepted" and not result.passed:
        raise TaskError("below_pass", result.total)
    changed = session.execute(update(TaskSubmission).where(
        TaskSubmission.id == submission.id, TaskSubmission.state == "submitted").values(
        state=decision, reviewer_id=reviewer_id, reviewed_at=utcnow(), comment=comment,
        pass_points=task.pass_points)).rowcount
    if not changed:
        raise TaskError("already_reviewed")
    session.add_all([TaskScore(submission_id=submission.id, user_id=submission.user_id, position=position,
                               criterion=criterion["criterion"][:300], max_points=criterion["points"], points=points,
                               comment=criterion_comment)
                     for position, (criterion, (points, criterion_comment)) in enumerate(zip(task.rubric, checked))])
    session.flush()
    session.refresh(submission)
    note(session, REVIEWED)
    course_id, course_slug, course_title, module_slug, task_title = session.execute(
        select(Course.id, Course.slug, Course.title, Module.slug, ModuleTask.title)
        .join(Module, Module.course_id == Course.id).join(ModuleTask, ModuleTask.module_id == Module.id)
        .where(ModuleTask.id == submission.task_id)).one()
    notify(session, submission.user_id, "task_reviewed", {"task": task_title, "course": course_title,
                                                          "state": decision},
           f"/courses/{course_slug}/{module_slug}/task/", dedup_key=f"task_review:{submission.id}")
    if decision != "accepted":
        return False
    enrollment = session.scalar(select(Enrollment).where(
        Enrollment.user_id == submission.user_id, Enrollment.course_id == course_id, Enrollment.left_at.is_(None)))
    return enrollment is not None and refresh_course_completion(session, submission.user_id, enrollment)


@dataclass(frozen=True)
class Waiting:
    """A hand-in waiting for review."""
    submission_id: int
    learner_id: int
    learner: str
    course_title: str
    task_title: str
    number: int
    submitted_at: datetime


def waiting_for_review(session: Session, learners, course_ids, limit: int = 200) -> list[Waiting]:
    """Hand-ins waiting for review, oldest first, of ``learners`` (a SELECT or list of ids, or None: anyone)
    in ``course_ids`` (None: any course); two sources are joined by the caller."""
    query = (select(TaskSubmission.id, User.id, User.name, Course.title, ModuleTask.title, TaskSubmission.number,
                    TaskSubmission.submitted_at)
             .join(User, User.id == TaskSubmission.user_id).join(ModuleTask, ModuleTask.id == TaskSubmission.task_id)
             .join(Module, Module.id == ModuleTask.module_id).join(Course, Course.id == Module.course_id)
             .where(TaskSubmission.state == "submitted")
             .order_by(TaskSubmission.submitted_at, TaskSubmission.id).limit(limit))
    if learners is not None:
        query = query.where(TaskSubmission.user_id.in_(learners))
    if course_ids is not None:
        query = query.where(Course.id.in_(list(course_ids) or [-1]))
    return [Waiting(*row) for row in session.execute(query)]



def task_counts_by_month(session: Session, people, start: datetime, end: datetime,
                         time_zone: str) -> dict[int, tuple[int, int]]:
    """{local month: (hand-ins made, hand-ins accepted)} by ``people`` (a SELECT of ids) between ``start``
    and ``end``: a hand-in counts in the month it was made, an acceptance in the month it was given."""
    found: dict[int, list[int]] = {}
    for submitted_at, state, reviewed_at in session.execute(
            select(TaskSubmission.submitted_at, TaskSubmission.state, TaskSubmission.reviewed_at)
            .where(TaskSubmission.user_id.in_(people),
                   or_((TaskSubmission.submitted_at >= start) & (TaskSubmission.submitted_at < end),
                       (TaskSubmission.reviewed_at >= start) & (TaskSubmission.reviewed_at < end)))):
        if start <= submitted_at < end:
            found.setdefault(local_date(submitted_at, time_zone).month, [0, 0])[0] += 1
        if state == "accepted" and reviewed_at is not None and start <= reviewed_at < end:
            found.setdefault(local_date(reviewed_at, time_zone).month, [0, 0])[1] += 1
    return {month: (made, accepted) for month, (made, accepted) in found.items()}
