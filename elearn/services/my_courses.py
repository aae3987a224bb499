"""The trainer's "my courses": the courses they are staff of, with what they need to look after them
(draft state, last published version, learners enrolled and completed, ratings and comments, quizzes
for the question statistics), in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, distinct, func, or_, select
from sqlalchemy.orm import Session

from elearn.models import Completion, Course, CourseFeedback, CourseStaff, CourseVersion, Enrollment, Quiz, Role, User
from elearn.services.completion import counts
from elearn.services.course_sync import STUDIO
from elearn.services.pagination import Page, paginate


#: A rating with a comment (blank comments do not count).
_HAS_COMMENT = func.length(func.trim(CourseFeedback.comment)) > 0


@dataclass(frozen=True)
class QuizLink:
    slug: str
    title: str


@dataclass
class MyCourse:
    slug: str
    title: str
    #: the caller's staff role; None for an admin who is not staff of the course
    role: str | None
    #: latest published version: number, date, where from; None: a studio draft never published
    version: int | None
    published_at: datetime | None
    source: str | None
    enrolled: int = 0
    #: learners with a counting completion (services.completion.counts)
    completed: int = 0
    average_rating: float | None = None
    ratings: int = 0
    comments: int = 0
    quizzes: list[QuizLink] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.version is None


def my_courses(session: Session, user: User, course_id: int | None = None) -> list[MyCourse]:
    """The courses ``user`` is staff of (every course for an admin), live or studio drafts never
    published, by title, with their latest version, learners enrolled and completed (counting
    completions, services.completion), ratings and comments, and their quizzes (for the question
    statistics): five queries whatever the count. ``course_id``: only that course."""
    latest = (select(CourseVersion.course_id, func.max(CourseVersion.number).label("number"))
              .group_by(CourseVersion.course_id).subquery())
    mine = (select(CourseStaff.course_id, CourseStaff.role).where(CourseStaff.user_id == user.id).subquery())
    query = (select(Course.id, Course.slug, Course.title, mine.c.role, CourseVersion.number,
                    CourseVersion.created_at, CourseVersion.source)
             .outerjoin(latest, latest.c.course_id == Course.id)
             .outerjoin(CourseVersion, (CourseVersion.course_id == Course.id) & (CourseVersion.number == latest.c.number))
             .outerjoin(mine, mine.c.course_id == Course.id)
             .where(or_(Course.retired_at.is_(None), and_(Course.source_kind == STUDIO, CourseVersion.id.is_(None))))
             .order_by(Course.title, Course.id))
    if user.role != Role.ADMIN.value:
        query = query.where(mine.c.role.is_not(None))
    if course_id is not None:
        query = query.where(Course.id == course_id)
    courses = {row[0]: MyCourse(*row[1:]) for row in session.execute(query)}
    if not courses:
        return []
    ids = list(courses)
    for found_id, n in session.execute(select(Enrollment.course_id, func.count(distinct(Enrollment.user_id)))
                                        .where(Enrollment.course_id.in_(ids)).group_by(Enrollment.course_id)):
        courses[found_id].enrolled = n
    for found_id, n in session.execute(select(Completion.course_id, func.count(distinct(Completion.user_id)))
                                        .where(Completion.course_id.in_(ids), counts())
                                        .group_by(Completion.course_id)):
        courses[found_id].completed = n
    for found_id, average, ratings, comments in session.execute(
            select(CourseFeedback.course_id, func.avg(CourseFeedback.rating), func.count(),
                   func.sum(case((_HAS_COMMENT, 1), else_=0)))
            .where(CourseFeedback.course_id.in_(ids)).group_by(CourseFeedback.course_id)):
        found = courses[found_id]
        found.average_rating, found.ratings, found.comments = round(float(average), 1), ratings, int(comments or 0)
    for found_id, slug, title in session.execute(
            select(Quiz.course_id, Quiz.slug, Quiz.title)
            .where(Quiz.course_id.in_(ids), Quiz.kind != "pretest", Quiz.retired_at.is_(None))
            .order_by(Quiz.course_id, Quiz.kind == "exam", Quiz.id)):
        courses[found_id].quizzes.append(QuizLink(slug, title))
    return list(courses.values())


def course_figures(session: Session, user: User, course: Course) -> MyCourse | None:
    """The "my courses" row of one course (None when ``user`` does not see it there)."""
    found = my_courses(session, user, course.id)
    return found[0] if found else None


@dataclass(frozen=True)
class FeedbackComment:
    rating: int
    comment: str
    created_at: datetime


def feedback_comments(session: Session, course_id: int, page: int = 1, page_size: int = 30) -> Page:
    """The course's ratings with a comment, newest first, without names (as the course results report
    shows them); one query (elearn.services.pagination)."""
    query = (select(CourseFeedback.rating, CourseFeedback.comment, CourseFeedback.created_at)
             .where(CourseFeedback.course_id == course_id, _HAS_COMMENT)
             .order_by(CourseFeedback.created_at.desc(), CourseFeedback.id.desc()))
    found = paginate(session, query, page, page_size)
    return Page([FeedbackComment(*row) for row in found.items], found.page, found.pages, found.total,
                found.page_size)
