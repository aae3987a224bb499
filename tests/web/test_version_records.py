"""Learner records point at the course version they were made on: quiz attempts and certificates store
the published version number, /verify shows it, and progress carries over to a new version (by slug)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from elearn.models import Certificate, Module, ModuleProgress, QuizAttempt
from quizhelp import answer_form
from tests.web.test_certificates import EXAM


@pytest.fixture
def versioned(write_course, sync):
    """kursus-uji, version 1: two modules, a quiz on module 1. ``republish()`` publishes version 2
    (module 2's text changed)."""
    folder = write_course(modules=2)
    (folder / "01-modul-1.quiz.md").write_text(EXAM, encoding="utf-8")
    assert not sync().failed

    def republish():
        module = folder / "02-modul-2.md"
        module.write_text(module.read_text(encoding="utf-8") + "\nParagraf baru di versi 2.\n", encoding="utf-8")
        assert not sync().failed

    return republish


def _take_quiz(client, db, right=True) -> QuizAttempt:
    response = client.post("/courses/kursus-uji/quiz/modul-1/start")
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    attempt = db.session.get(QuizAttempt, attempt_id)
    client.post(f"/attempts/{attempt_id}/submit", data=answer_form(attempt, right))
    return attempt


def _certificate(db, user) -> Certificate:
    return db.session.scalar(select(Certificate).where(Certificate.user_id == user.id))


def test_attempts_and_certificates_record_their_version_and_verify_shows_it(client, db, login, make_user,
                                                                             versioned):
    first, second = make_user(name="Peserta Satu"), make_user(name="Peserta Dua")
    login(first)  # version 1: quiz, module 2, certificate
    client.post("/courses/kursus-uji/enroll")
    before = _take_quiz(client, db)
    client.post("/courses/kursus-uji/modul-2/complete")
    client.post("/logout")
    login(second)  # version 1: reads module 2 only
    client.post("/courses/kursus-uji/enroll")
    assert client.post("/courses/kursus-uji/modul-2/complete").status_code == 302

    versioned()  # version 2 goes live

    module_2 = db.session.scalar(select(Module).where(Module.slug == "modul-2"))
    assert "Paragraf baru di versi 2" in client.get("/courses/kursus-uji/modul-2/").text
    progress = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == second.id,
                                                              ModuleProgress.module_id == module_2.id))
    assert progress is not None and progress.completed_at is not None  # carried over to version 2
    after = _take_quiz(client, db)
    db.session.expire_all()
    assert (before.course_version_number, after.course_version_number) == (1, 2)
    old, new = _certificate(db, first), _certificate(db, second)
    assert old is not None and new is not None, "both learners completed the course"
    assert (old.course_version_number, new.course_version_number) == (1, 2)
    client.post("/logout")
    assert "terbitan 1" in client.get(f"/verify/{old.code}").text
    page = client.get(f"/verify/{new.code}").text
    assert "terbitan 2" in page and "terbitan 1" not in page
    assert client.get(f"/verify/{new.code}.json").get_json()["course_version_number"] == 2


def test_a_certificate_from_before_versions_shows_no_version_number(client, db, login, make_user, versioned):
    learner = make_user()
    login(learner)
    client.post("/courses/kursus-uji/enroll")
    _take_quiz(client, db)
    client.post("/courses/kursus-uji/modul-2/complete")
    certificate = _certificate(db, learner)
    certificate.course_version_number = None  # as rows issued before the column existed
    db.session.commit()
    client.post("/logout")
    page = client.get(f"/verify/{certificate.code}").text
    assert "versi 1.0" in page and "terbitan" not in page
