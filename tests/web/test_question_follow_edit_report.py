"""Module questions, the parts around the thread: following (the asker follows; followers who may still
read are told of new and accepted answers, never the answer's author), editing within the window, reports
(once per person and post; staff hide or dismiss, audited), no links from new accounts, no questions on a
locked module."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.models import (AuditEvent, Course, Enrollment, MentorPair, ModuleAnswer, ModuleQuestion, Notification,
                           PostReport, QuestionFollow, User)
from elearn.models._types import utcnow
from elearn.services.dates import local_today


@pytest.fixture
def world(db, make_user, write_course, sync):
    people = {"learner": make_user(name="Lina Learner"), "classmate": make_user(name="Kiki Classmate"),
              "mentor": make_user(name="Sri Senior"), "stranger": make_user(name="Sam Stranger"),
              "trainer": make_user("trainer", email="tia@example.org", name="Tia Trainer"),
              "other_trainer": make_user("trainer", email="toni@example.org", name="Toni Trainer")}
    folder = write_course("kursus-f", modules=2, title="Kursus Ikuti", extra_front="trainers: [tia@example.org]")
    (folder / "02-modul-2.md").write_text("---\ntitle: Modul 2\nminutes: 20\nrequires: [modul-1]\n---\nIsi.\n",
                                          encoding="utf-8")
    report = sync()
    assert not report.failed, report.problems
    db.session.add(MentorPair(mentor_id=people["mentor"].id, mentee_id=people["learner"].id,
                              start_on=local_today(utcnow(), "Asia/Makassar")))
    for user in people.values():  # accounts older than a day may post links
        user.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    return people


def enroll(db, user):
    from elearn.services.enrollment import enroll as do_enroll

    do_enroll(db.session, user.id, db.session.scalar(select(Course).where(Course.slug == "kursus-f")))
    db.session.commit()


def relogin(client, login, user):
    client.post("/logout")
    login(user)


def ask(client, text="Bagaimana cara menyiangi koleksi?", module="modul-1"):
    return client.post(f"/courses/kursus-f/{module}/questions", data={"text": text}, follow_redirects=True)


def latest(db, model, **where):
    db.session.expire_all()
    return db.session.scalar(select(model).filter_by(**where).order_by(model.id.desc()))


def notices(db, user, kind):
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
                              .order_by(Notification.id)).all()


@pytest.fixture
def asked(db, client, login, world):
    """The learner asked on modul-1; the classmate is enrolled too. Returns the question."""
    enroll(db, world["learner"])
    enroll(db, world["classmate"])
    login(world["learner"])
    ask(client)
    return latest(db, ModuleQuestion, user_id=world["learner"].id)


def test_followers_are_told_of_new_and_accepted_answers_but_never_the_answers_author(db, client, login, world,
                                                                                       asked):
    learner, classmate, mentor, trainer = (world[k] for k in ("learner", "classmate", "mentor", "trainer"))
    url = f"/questions/{asked.id}"
    assert "Berhenti mengikuti" in client.get(url).get_data(as_text=True)  # the asker follows from the start
    for follower in (classmate, mentor):
        relogin(client, login, follower)
        assert "Ikuti pertanyaan ini" in client.get(url).get_data(as_text=True)
        assert client.post(f"{url}/follow", data={"follow": "1"}).status_code == 302
        client.post(f"{url}/follow", data={"follow": "1"})  # twice: still one follow
    assert len(db.session.scalars(select(QuestionFollow).where(QuestionFollow.question_id == asked.id)).all()) == 3

    client.post(url, data={"text": "Pakai metode CREW."})  # the mentor answers
    answer = latest(db, ModuleAnswer, question_id=asked.id)
    assert len(notices(db, learner, "question_answered")) == 1
    assert [n.params.get("accepted") for n in notices(db, classmate, "question_followed")] == [None]
    assert notices(db, mentor, "question_followed") == [] and notices(db, mentor, "question_answered") == []

    relogin(client, login, learner)
    assert client.post(f"{url}/answers/{answer.id}/accept").status_code == 302
    client.post(f"{url}/answers/{answer.id}/accept")  # again: told once
    assert [n.params.get("accepted") for n in notices(db, classmate, "question_followed")] == [None, True]
    assert notices(db, mentor, "question_followed") == []  # the accepted answer's author
    assert len(notices(db, learner, "question_answered")) == 1 and notices(db, learner, "question_followed") == []
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Pertanyaan Anda dijawab" in page

    relogin(client, login, classmate)
    assert client.post(f"{url}/follow", data={"follow": "0"}).status_code == 302
    assert "Ikuti pertanyaan ini" in client.get(url).get_data(as_text=True)
    relogin(client, login, trainer)
    client.post(url, data={"text": "Lihat juga modul 2."})
    assert len(notices(db, classmate, "question_followed")) == 2  # unfollowed: nothing new
    assert len(notices(db, learner, "question_answered")) == 2
    assert len(notices(db, mentor, "question_followed")) == 1  # the mentor follows and did not write this one


def test_who_cannot_read_a_question_neither_follows_it_nor_is_told(db, client, login, world, asked):
    classmate, stranger = world["classmate"], world["stranger"]
    url = f"/questions/{asked.id}"
    relogin(client, login, stranger)
    assert client.post(f"{url}/follow", data={"follow": "1"}).status_code == 404
    relogin(client, login, classmate)
    client.post(f"{url}/follow", data={"follow": "1"})
    # the classmate leaves the course: still a follower row, but no longer a reader
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == classmate.id))
    enrollment.left_at = utcnow()
    db.session.commit()
    assert client.get(url).status_code == 404
    relogin(client, login, world["trainer"])
    client.post(url, data={"text": "Jawaban pelatih"})
    assert notices(db, classmate, "question_followed") == []
    assert len(notices(db, world["learner"], "question_answered")) == 1


def test_the_author_edits_within_the_window_and_nobody_else(db, client, login, world, asked, app):
    url = f"/questions/{asked.id}"
    page = client.get(url).get_data(as_text=True)
    assert f"{url}/edit" in page and "diedit" not in page
    assert "menyiangi koleksi" in client.get(f"{url}/edit").get_data(as_text=True)  # the form holds the text
    response = client.post(f"{url}/edit", data={"text": "Bagaimana cara **menyiangi** koleksi anak?"})
    assert response.status_code == 302
    edited = latest(db, ModuleQuestion, id=asked.id)
    assert "<strong>menyiangi</strong>" in edited.html and edited.edited_at is not None
    assert "diedit" in client.get(url).get_data(as_text=True)
    assert "diedit" in client.get("/courses/kursus-f/modul-1/").get_data(as_text=True)
    # the same checks as a new post: empty is a form error, nothing stored is lost
    response = client.post(f"{url}/edit", data={"text": "   "})
    assert response.status_code == 200 and 'class="error' in response.get_data(as_text=True)
    assert latest(db, ModuleQuestion, id=asked.id).text == "Bagaimana cara **menyiangi** koleksi anak?"

    for other in ("classmate", "trainer", "mentor"):
        relogin(client, login, world[other])
        assert f"{url}/edit" not in client.get(url).get_data(as_text=True)
        assert client.get(f"{url}/edit").status_code == 403
        assert client.post(f"{url}/edit", data={"text": "dirusak"}).status_code == 403
    client.post(url, data={"text": "Jawaban mentor"})  # the mentor's answer: theirs to edit
    answer = latest(db, ModuleAnswer, question_id=asked.id)
    assert client.post(f"{url}/answers/{answer.id}/edit", data={"text": "Jawaban mentor, dilengkapi"}
                       ).status_code == 302
    assert latest(db, ModuleAnswer, id=answer.id).text == "Jawaban mentor, dilengkapi"
    relogin(client, login, world["learner"])
    assert client.post(f"{url}/answers/{answer.id}/edit", data={"text": "x"}).status_code == 403
    assert client.get(f"{url}/answers/999999/edit").status_code == 404

    # after the window: a clear message, the text unchanged
    app.config["QUESTION_EDIT_MINUTES"] = 15
    question = latest(db, ModuleQuestion, id=asked.id)
    question.asked_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert f"{url}/edit" not in client.get(url).get_data(as_text=True)
    late = client.post(f"{url}/edit", data={"text": "terlambat"}, follow_redirects=True).get_data(as_text=True)
    assert "Waktu untuk menyunting sudah habis (15 menit" in late
    assert "Waktu untuk menyunting sudah habis" in client.get(f"{url}/edit", follow_redirects=True
                                                                 ).get_data(as_text=True)
    assert latest(db, ModuleQuestion, id=asked.id).text == "Bagaimana cara **menyiangi** koleksi anak?"
    app.config["QUESTION_EDIT_MINUTES"] = 30  # the setting decides
    assert client.post(f"{url}/edit", data={"text": "dalam 30 menit"}).status_code == 302
    assert latest(db, ModuleQuestion, id=asked.id).text == "dalam 30 menit"


def test_reports_once_per_person_and_post_handled_by_course_staff(db, client, login, world, asked):
    url = f"/questions/{asked.id}"
    assert client.post(f"{url}/report", data={"reason": "sendiri"}).status_code == 403  # one's own post
    relogin(client, login, world["stranger"])
    assert client.post(f"{url}/report", data={"reason": "spam"}).status_code == 404
    relogin(client, login, world["classmate"])
    assert "Laporkan pertanyaan" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/report", data={"reason": ""}).status_code == 302
    assert latest(db, PostReport) is None  # a reason is required
    assert client.post(f"{url}/report", data={"reason": "Iklan terselubung"}).status_code == 302
    again = client.post(f"{url}/report", data={"reason": "lagi"}, follow_redirects=True).get_data(as_text=True)
    assert "Anda sudah melaporkan tulisan ini" in again
    assert len(db.session.scalars(select(PostReport)).all()) == 1
    report = latest(db, PostReport)
    assert "question.reported" in {e.action for e in db.session.scalars(select(AuditEvent))}

    for outsider in ("classmate", "learner", "mentor", "other_trainer"):
        relogin(client, login, world[outsider])
        assert "Iklan terselubung" not in client.get("/questions/waiting").get_data(as_text=True)
        assert client.post(f"/questions/reports/{report.id}/dismiss").status_code == 403
    assert latest(db, PostReport).resolved_at is None

    relogin(client, login, world["trainer"])
    waiting = client.get("/questions/waiting").get_data(as_text=True)
    assert "Iklan terselubung" in waiting and "Kiki Classmate" in waiting
    assert client.post(f"/questions/reports/{report.id}/dismiss").status_code == 302
    dismissed = latest(db, PostReport)
    assert dismissed.outcome == "dismissed" and dismissed.resolved_by_id == world["trainer"].id
    assert "Iklan terselubung" not in client.get("/questions/waiting").get_data(as_text=True)
    assert client.post(f"/questions/reports/{report.id}/dismiss").status_code == 404  # no longer open
    assert "question.report_dismissed" in {e.action for e in db.session.scalars(select(AuditEvent))}

    # an answer reported by the asker, then hidden by staff: the report is settled as hidden
    client.post(url, data={"text": "Jawaban yang kasar"})
    answer = latest(db, ModuleAnswer, question_id=asked.id)
    relogin(client, login, world["learner"])
    assert client.post(f"{url}/report", data={"reason": "kasar", "answer_id": str(answer.id)}).status_code == 302
    assert client.post(f"{url}/report", data={"reason": "x", "answer_id": "999999"}).status_code == 404
    relogin(client, login, world["trainer"])
    assert "kasar" in client.get("/questions/waiting").get_data(as_text=True)
    client.post(f"{url}/hide", data={"reason": "tidak sopan", "answer_id": str(answer.id)})
    hidden = latest(db, PostReport, answer_id=answer.id)
    assert hidden.outcome == "hidden" and hidden.resolved_at is not None
    assert "Jawaban yang kasar" not in client.get("/questions/waiting").get_data(as_text=True)


def test_new_accounts_post_no_links_but_course_staff_may(db, client, login, world, app):
    learner, mentor = world["learner"], world["mentor"]
    enroll(db, learner)
    for young in (learner, mentor, world["trainer"]):
        db.session.get(User, young.id).created_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    login(learner)
    for text in ("Lihat https://contoh.example/judi", "Lihat [ini](https://contoh.example)", "www.judi.example"):
        refused = ask(client, text).get_data(as_text=True)
        assert "Akun baru belum boleh menyertakan tautan" in refused
    assert latest(db, ModuleQuestion, user_id=learner.id) is None
    ask(client, "Tanpa tautan, bagaimana cara menyiangi?")
    question = latest(db, ModuleQuestion, user_id=learner.id)
    url = f"/questions/{question.id}"
    relogin(client, login, mentor)  # a mentor is not course staff
    response = client.post(url, data={"text": "Baca https://contoh.example/panduan"})
    assert response.status_code == 200 and "Akun baru belum boleh menyertakan tautan" in response.get_data(as_text=True)
    relogin(client, login, world["trainer"])
    assert client.post(url, data={"text": "Baca https://contoh.example/panduan"}).status_code == 302
    assert latest(db, ModuleAnswer, question_id=question.id).text.endswith("panduan")
    # an older account may
    db.session.get(User, learner.id).created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    relogin(client, login, learner)
    ask(client, "Sudah baca https://contoh.example/panduan")
    assert latest(db, ModuleQuestion, user_id=learner.id).text.startswith("Sudah baca")
    # the setting decides how old
    app.config["QUESTION_LINKS_MIN_ACCOUNT_HOURS"] = 48
    assert "Akun baru belum boleh" in ask(client, "Lagi https://contoh.example").get_data(as_text=True)


def test_no_question_on_a_module_still_locked_for_the_learner(db, client, login, world):
    enroll(db, world["learner"])
    login(world["learner"])
    refused = ask(client, "Pertanyaan modul 2", module="modul-2").get_data(as_text=True)
    assert "Modul ini masih terkunci untuk Anda" in refused
    assert latest(db, ModuleQuestion, user_id=world["learner"].id) is None
    client.get("/courses/kursus-f/modul-1/")
    client.post("/courses/kursus-f/modul-1/complete")
    ask(client, "Pertanyaan modul 2", module="modul-2")
    assert latest(db, ModuleQuestion, user_id=world["learner"].id).text == "Pertanyaan modul 2"


def test_the_studio_leads_a_trainer_to_the_unanswered_questions_oldest_first(db, client, login, world, asked):
    later = ModuleQuestion(module_id=asked.module_id, user_id=world["classmate"].id, text="b", html="<p>kedua</p>",
                           asked_at=utcnow() + timedelta(minutes=1))
    db.session.add(later)
    db.session.commit()
    relogin(client, login, world["trainer"])
    assert "/questions/waiting" in client.get("/studio/").get_data(as_text=True)
    waiting = client.get("/questions/waiting").get_data(as_text=True)
    assert waiting.index(f"/questions/{asked.id}\"") < waiting.index(f"/questions/{later.id}\"")
