"""Who may use which route, and whose records they may open. Every role check goes through here.

Roles decide *which pages*: learners learn; trainers and admins may preview modules, and see the
statistics of and author in the studio the courses they are staff of; supervisors and admins open the supervision pages.
Whose *records* a supervisor may open is the scope rule of ``elearn.services.scope``; the helpers
below combine the two so that routes never repeat either. A mentor may *view* (never manage) the
records of their current mentees, by the same scope module.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Course, Role
from elearn.models._types import utcnow
from elearn.services.course_staff import OWNER, staff_role, staffed_course_ids
from elearn.services.dates import local_today
from elearn.services.questions import Readers, readers_among
from elearn.services.scope import Scope, is_current_mentor, person_in_scope, scope_for

#: Roles that may read every module without enrolling (to author and review content).
PREVIEW_ROLES = (Role.TRAINER.value, Role.ADMIN.value)
#: Roles that may open the supervision pages (reports, assignments, action plans).
SUPERVISING_ROLES = (Role.SUPERVISOR.value, Role.ADMIN.value)


def role_required(*roles: Role):
    """Login required, and the user's role must be one of ``roles`` (403 otherwise)."""
    wanted = tuple(r.value for r in roles)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in wanted:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def may_supervise(user) -> bool:
    return bool(user.is_authenticated) and user.role in SUPERVISING_ROLES


def supervision_scope() -> Scope:
    """The current user's scope for a supervision page; 403 for roles that may not supervise."""
    if not may_supervise(current_user):
        abort(403)
    return scope_for(db.session, current_user)


def supervisor_required(view):
    """Login required and a supervising role; the view receives ``scope`` as a keyword argument."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        return view(*args, scope=supervision_scope(), **kwargs)

    return wrapped


def can_manage_person(session, viewer, person_id: int) -> bool:
    """May ``viewer`` open and act on this person's records (transcript, certificates, plans)?
    Admins, and supervisors whose scope holds the person."""
    return may_supervise(viewer) and person_in_scope(session, scope_for(session, viewer), person_id)


def today():
    """The local day (TIME_ZONE) of this request: the day mentor pairs are current on."""
    return local_today(utcnow(), current_app.config["TIME_ZONE"])


def is_mentor_of(session, viewer, person_id: int) -> bool:
    """Whether ``viewer`` is a current mentor of the person (services.scope.is_current_mentor)."""
    return bool(viewer.is_authenticated) and viewer.id != person_id and \
        is_current_mentor(session, viewer.id, person_id, today())


def can_view_person(session, viewer, person_id: int) -> bool:
    """The person themself, someone who may manage their records, or a current mentor of theirs."""
    return viewer.is_authenticated and (viewer.id == person_id or can_manage_person(session, viewer, person_id)
                                        or is_mentor_of(session, viewer, person_id))


def can_preview(user) -> bool:
    return user.is_authenticated and user.role in PREVIEW_ROLES


#: Roles that may open the trainer studio (which courses in it: ``is_course_staff``).
STUDIO_ROLES = (Role.TRAINER.value, Role.ADMIN.value)


def can_use_studio(user) -> bool:
    return user.is_authenticated and user.role in STUDIO_ROLES


def is_course_staff(user, course) -> bool:
    """The one "is course staff" rule: admins, and trainer accounts with a staff row in the course (owner
    or editor; elearn.services.course_staff). Staff author the course in the studio (its drafts and
    their previews included), see its results and question statistics, answer its module questions and
    review its practice tasks."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN.value:
        return True
    return user.role == Role.TRAINER.value and staff_role(db.session, user.id, course.id) is not None


def may_manage_staff(user, course) -> bool:
    """Who adds, re-roles and removes a course's staff: admins and the course's owners (not editors)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN.value:
        return True
    return user.role == Role.TRAINER.value and staff_role(db.session, user.id, course.id) == OWNER


def can_see_course_results(user, course) -> bool:
    """Course staff (``is_course_staff``) see its question statistics."""
    return is_course_staff(user, course)


def reviewable_course_ids(session, user) -> list[int] | None:
    """The courses whose practice tasks ``user`` reviews as course staff: None (every course) for an
    admin, else the live courses they are staff of (see is_course_staff)."""
    if user.role == Role.ADMIN.value:
        return None
    if user.role != Role.TRAINER.value:
        return []
    return list(session.scalars(select(Course.id).where(Course.retired_at.is_(None),
                                                        Course.id.in_(staffed_course_ids(session, user.id)))))


def can_review_task(session, viewer, learner_id: int, course) -> bool:
    """May ``viewer`` review this learner's hand-ins of a task of ``course``? An admin, the staff of the
    course, or a current mentor of the learner; never the learner themself."""
    return viewer.is_authenticated and viewer.id != learner_id and (
        is_course_staff(viewer, course) or is_mentor_of(session, viewer, learner_id))


def can_answer_question(session, viewer, asker_id: int, course) -> bool:
    """May ``viewer`` answer a module question of ``asker_id`` in ``course``? An admin, the staff of the
    course, or a current mentor of the asker; never the asker (services.questions)."""
    return viewer.is_authenticated and viewer.id != asker_id and (
        is_course_staff(viewer, course) or is_mentor_of(session, viewer, asker_id))


def question_readers() -> Readers:
    """The plain values services.questions needs to decide who reads a course's questions today."""
    return Readers(PREVIEW_ROLES, today())


def can_read_questions(session, viewer, course, asker_id: int | None = None) -> bool:
    """May ``viewer`` read the questions of a module of ``course``: a previewing role, a learner enrolled
    in the course (not left), or (for one question) a current mentor of its asker
    (services.questions.readers_among, which also decides which followers are told of answers)."""
    if not viewer.is_authenticated:
        return False
    if can_preview(viewer):
        return True
    return viewer.id in readers_among(session, course.id, asker_id, [viewer.id], question_readers())


def can_read_innovation(session, viewer, innovation) -> bool:
    """The author; everyone signed in once published; a supervisor or admin whose scope holds the author
    (services.innovations)."""
    return viewer.is_authenticated and (
        innovation.user_id == viewer.id or innovation.published_at is not None
        or can_manage_person(session, viewer, innovation.user_id))
