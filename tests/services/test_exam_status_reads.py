"""The final exam's status reads the enrollment and "every module done" in one query
(``enrollment.enrollment_and_modules_complete``); it must agree with the two rules it stands for,
``get_enrollment`` and ``modules_all_complete``, in every state a learner can be in."""
from __future__ import annotations

from sqlalchemy import select

from elearn.models import Course, Module
from elearn.models._types import utcnow
from elearn.services.completion import modules_all_complete
from elearn.services.enrollment import enroll, enrollment_and_modules_complete, get_enrollment
from elearn.services.progress import mark_module_complete


def _agree(session, user_id: int, course_id: int) -> tuple[bool, bool]:
    enrollment, done = enrollment_and_modules_complete(session, user_id, course_id)
    expected = get_enrollment(session, user_id, course_id)
    assert enrollment is expected  # the same row (or None), from the session's identity map
    assert done == modules_all_complete(session, user_id, course_id)
    return enrollment is not None, done


def test_one_query_agrees_with_the_two_rules(db, write_course, sync, make_user):
    write_course(modules=2)
    sync()
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-uji"))
    first, second = db.session.scalars(select(Module).where(Module.course_id == course.id)
                                       .order_by(Module.position)).all()
    learner = make_user()

    assert _agree(db.session, learner.id, course.id) == (False, False)  # not enrolled, nothing done
    enrollment = enroll(db.session, learner.id, course)
    db.session.commit()
    assert _agree(db.session, learner.id, course.id) == (True, False)
    mark_module_complete(db.session, learner.id, enrollment, first.id)
    db.session.commit()
    assert _agree(db.session, learner.id, course.id) == (True, False)  # one of two
    mark_module_complete(db.session, learner.id, enrollment, second.id)
    db.session.commit()
    assert _agree(db.session, learner.id, course.id) == (True, True)

    second.retired_at = utcnow()  # a retired module no longer counts, done or not
    db.session.commit()
    assert _agree(db.session, learner.id, course.id) == (True, True)

    other = make_user()  # another learner's progress says nothing about this one
    enroll(db.session, other.id, course)
    db.session.commit()
    assert _agree(db.session, other.id, course.id) == (True, False)

    enrollment.left_at = utcnow()  # a course left is not an enrollment
    db.session.commit()
    assert _agree(db.session, learner.id, course.id) == (False, True)


def test_a_course_without_live_modules_is_never_done(db, write_course, sync, make_user):
    write_course(modules=1)
    sync()
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-uji"))
    for module in db.session.scalars(select(Module).where(Module.course_id == course.id)):
        module.retired_at = utcnow()
    learner = make_user()
    enroll(db.session, learner.id, course)
    db.session.commit()
    assert _agree(db.session, learner.id, course.id) == (True, False)
