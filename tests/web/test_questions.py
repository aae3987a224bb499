"""Questions per module: a learner asks on the module page, course staff and the learner's mentors answer,
the asker accepts, staff hide posts (hidden everywhere); who may read, answer, accept and hide; learner
text that cannot script; the waiting lists; the asker is notified."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.models import AuditEvent, Course, MentorPair, Module, ModuleAnswer, ModuleQuestion, Notification
from elearn.models._types import utcnow
from elearn.services.dates import local_today


def today():
    return local_today(utcnow(), "Asia/Makassar")


@pytest.fixture
def world(db, make_user, write_course, sync):
    people = {"learner": make_user(name="Lina Learner"), "classmate": make_user(name="Kiki Classmate"),
              "mentor": make_user(name="Sri Senior"), "stranger": make_user(name="Sam Stranger"),
              "trainer": make_user("trainer", email="tia@example.org", name="Tia Trainer"),
              "other_trainer": make_user("trainer", email="toni@example.org", name="Toni Trainer"),
              "admin": make_user("admin", name="Ada Admin")}
    write_course("kursus-q", modules=2, title="Kursus Tanya", extra_front="trainers: [tia@example.org]")
    report = sync()
    assert not report.failed, report.problems
    db.session.add(MentorPair(mentor_id=people["mentor"].id, mentee_id=people["learner"].id, start_on=today()))
    db.session.commit()
    return people


def enroll(db, user, slug="kursus-q"):
    from elearn.services.enrollment import enroll as do_enroll

    do_enroll(db.session, user.id, db.session.scalar(select(Course).where(Course.slug == slug)))
    db.session.commit()


def relogin(client, login, user):
    client.post("/logout")
    login(user)


def ask(client, text="Bagaimana cara **menyiangi** koleksi?"):
    return client.post("/courses/kursus-q/modul-1/questions", data={"text": text})


def question_of(db, user):
    db.session.expire_all()
    return db.session.scalar(select(ModuleQuestion).where(ModuleQuestion.user_id == user.id)
                             .order_by(ModuleQuestion.id.desc()))


def test_ask_answer_accept_and_notify(db, client, login, world):
    enroll(db, world["learner"])
    login(world["learner"])
    page = client.get("/courses/kursus-q/modul-1/").get_data(as_text=True)
    assert 'id="tanya"' in page and "Belum ada pertanyaan" in page
    response = ask(client)
    question = question_of(db, world["learner"])
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/questions/{question.id}")
    assert "<strong>menyiangi</strong>" in question.html
    assert "menyiangi" in client.get("/courses/kursus-q/modul-1/").get_data(as_text=True)
    # the asker cannot answer their own question
    assert client.post(f"/questions/{question.id}", data={"text": "sendiri"}).status_code == 403

    relogin(client, login, world["mentor"])
    assert f"/questions/{question.id}" in client.get("/mentoring/").get_data(as_text=True)
    assert f"/questions/{question.id}" in client.get("/questions/waiting").get_data(as_text=True)
    assert client.post(f"/questions/{question.id}", data={"text": "Pakai metode CREW."}).status_code == 302
    relogin(client, login, world["trainer"])
    assert f"/questions/{question.id}" not in client.get("/questions/waiting").get_data(as_text=True)  # answered
    assert client.post(f"/questions/{question.id}", data={"text": "Lihat juga modul 2."}).status_code == 302
    answers = list(db.session.scalars(select(ModuleAnswer).where(ModuleAnswer.question_id == question.id)
                                      .order_by(ModuleAnswer.id)))
    assert len(answers) == 2
    notices = db.session.scalars(select(Notification).where(Notification.user_id == world["learner"].id,
                                                            Notification.kind == "question_answered")).all()
    assert len(notices) == 2

    # only the asker accepts, one answer at a time
    assert client.post(f"/questions/{question.id}/answers/{answers[0].id}/accept").status_code == 403
    relogin(client, login, world["learner"])
    assert client.post(f"/questions/{question.id}/answers/{answers[0].id}/accept").status_code == 302
    assert client.post(f"/questions/{question.id}/answers/{answers[1].id}/accept").status_code == 302
    db.session.expire_all()
    assert [a.accepted_at is not None for a in db.session.scalars(
        select(ModuleAnswer).where(ModuleAnswer.question_id == question.id).order_by(ModuleAnswer.id))] == [False,
                                                                                                          True]
    assert client.post(f"/questions/{question.id}/answers/999999/accept").status_code == 404
    assert "terjawab" in client.get("/courses/kursus-q/modul-1/").get_data(as_text=True)


def test_who_may_read_and_answer(db, client, login, world):
    enroll(db, world["learner"])
    enroll(db, world["classmate"])
    login(world["learner"])
    ask(client)
    question = question_of(db, world["learner"])
    url = f"/questions/{question.id}"
    # a classmate reads (names visible to signed-in users) but does not answer
    relogin(client, login, world["classmate"])
    page = client.get(url)
    assert page.status_code == 200 and "Lina Learner" in page.get_data(as_text=True)
    assert 'name="text"' not in page.get_data(as_text=True)
    assert client.post(url, data={"text": "x"}).status_code == 403
    # someone not enrolled, not mentor, not staff: nothing
    relogin(client, login, world["stranger"])
    assert client.get(url).status_code == 404
    assert client.post(url, data={"text": "x"}).status_code == 404
    assert ask(client).status_code == 302 and question_of(db, world["stranger"]) is None  # not enrolled
    # a trainer of another course reads (preview) but neither answers nor hides
    relogin(client, login, world["other_trainer"])
    assert client.get(url).status_code == 200
    assert client.post(url, data={"text": "x"}).status_code == 403
    assert client.post(f"{url}/hide", data={"reason": "spam"}).status_code == 403
    assert f"/questions/{question.id}" not in client.get("/questions/waiting").get_data(as_text=True)
    # an admin answers
    relogin(client, login, world["admin"])
    assert client.post(url, data={"text": "Jawaban admin"}).status_code == 302
    assert client.get("/questions/424242").status_code == 404
    client.post("/logout")
    assert client.get(url).status_code in (302, 401)


def test_hidden_posts_are_hidden_everywhere_and_audited(db, client, login, world):
    enroll(db, world["learner"])
    login(world["learner"])
    ask(client, "Pertanyaan yang sopan")
    keep = question_of(db, world["learner"])
    ask(client, "Iklan judi online")
    spam = question_of(db, world["learner"])
    relogin(client, login, world["trainer"])
    client.post(f"/questions/{keep.id}", data={"text": "Jawaban baik"})
    client.post(f"/questions/{keep.id}", data={"text": "Jawaban kasar"})
    rude = db.session.scalar(select(ModuleAnswer).where(ModuleAnswer.text == "Jawaban kasar"))
    assert client.post(f"/questions/{spam.id}/hide", data={"reason": ""}).status_code == 302
    assert question_of(db, world["learner"]).hidden_at is None  # a reason is required
    assert client.post(f"/questions/{spam.id}/hide", data={"reason": "spam"}).status_code == 302
    assert client.post(f"/questions/{keep.id}/hide", data={"reason": "kasar", "answer_id": str(rude.id)}
                       ).status_code == 302
    events = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"question.hidden", "answer.hidden"} <= events
    for who in ("trainer", "learner", "mentor", "admin"):
        relogin(client, login, world[who])
        assert client.get(f"/questions/{spam.id}").status_code == 404
        if who != "mentor":  # not enrolled: the module page sends them to enrol
            module = client.get("/courses/kursus-q/modul-1/").get_data(as_text=True)
            assert "judi" not in module and "Pertanyaan yang sopan" in module
        thread = client.get(f"/questions/{keep.id}").get_data(as_text=True)
        assert "Jawaban baik" in thread and "Jawaban kasar" not in thread
        assert f"/questions/{spam.id}\"" not in client.get("/questions/waiting").get_data(as_text=True)
        assert f"/questions/{spam.id}\"" not in client.get("/mentoring/").get_data(as_text=True)
    # the asker cannot accept a hidden answer
    relogin(client, login, world["learner"])
    assert client.post(f"/questions/{keep.id}/answers/{rude.id}/accept").status_code == 404


def test_learner_text_cannot_script(db, client, login, world):
    enroll(db, world["learner"])
    login(world["learner"])
    evil = '<script>alert(1)</script> <img src=x onerror=alert(2)> [klik](javascript:alert(3))'
    ask(client, evil)
    question = question_of(db, world["learner"])
    relogin(client, login, world["trainer"])
    client.post(f"/questions/{question.id}", data={"text": evil})
    for url in ("/courses/kursus-q/modul-1/", f"/questions/{question.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "javascript:" not in html
    answer = db.session.scalar(select(ModuleAnswer).where(ModuleAnswer.question_id == question.id))
    assert "<script" not in question.html and "<script" not in answer.html


def test_empty_and_too_long_are_form_errors(db, client, login, world):
    enroll(db, world["learner"])
    login(world["learner"])
    assert ask(client, "   ").status_code == 302
    assert ask(client, "x" * 6000).status_code == 302
    assert question_of(db, world["learner"]) is None
    ask(client)
    question = question_of(db, world["learner"])
    relogin(client, login, world["trainer"])
    response = client.post(f"/questions/{question.id}", data={"text": "y" * 6000})
    assert response.status_code == 200 and 'class="error' in response.get_data(as_text=True)


def test_module_page_questions_are_paginated(db, client, login, world):
    enroll(db, world["learner"])
    module_id = db.session.scalar(select(Module.id).where(Module.slug == "modul-1"))
    db.session.add_all([ModuleQuestion(module_id=module_id, user_id=world["learner"].id, text=f"q{n}",
                                       html=f"<p>pertanyaan-nomor-{n}</p>") for n in range(25)])
    db.session.commit()
    login(world["learner"])
    first = client.get("/courses/kursus-q/modul-1/").get_data(as_text=True)
    assert first.count("pertanyaan-nomor-") == 10 and "halaman 1 dari 3" in first
    last = client.get("/courses/kursus-q/modul-1/?page=3").get_data(as_text=True)
    assert last.count("pertanyaan-nomor-") == 5
    assert client.get("/courses/kursus-q/modul-1/?page=99").status_code == 200


def test_programme_metrics_count_questions_and_the_median_time_to_a_first_answer(db, client, login, world):
    from datetime import timedelta

    from tabular import csv_rows

    enroll(db, world["learner"])
    module_id = db.session.scalar(select(Module.id).where(Module.slug == "modul-1"))
    now = utcnow()
    asked = [ModuleQuestion(module_id=module_id, user_id=world["learner"].id, text="q", html="<p>q</p>",
                            asked_at=now - timedelta(hours=10)) for _n in range(4)]
    asked[3].hidden_at = now  # hidden: counted nowhere
    db.session.add_all(asked)
    db.session.flush()
    trainer = world["trainer"].id
    db.session.add_all([
        ModuleAnswer(question_id=asked[0].id, user_id=trainer, text="a", html="", answered_at=now - timedelta(hours=8)),
        ModuleAnswer(question_id=asked[0].id, user_id=trainer, text="b", html="", answered_at=now - timedelta(hours=1)),
        ModuleAnswer(question_id=asked[1].id, user_id=trainer, text="c", html="", answered_at=now - timedelta(hours=6)),
        # a hidden answer is no answer
        ModuleAnswer(question_id=asked[2].id, user_id=trainer, text="d", html="", answered_at=now - timedelta(hours=9),
                     hidden_at=now),
        ModuleAnswer(question_id=asked[3].id, user_id=trainer, text="e", html="", answered_at=now - timedelta(hours=9)),
    ])
    db.session.commit()
    login(world["admin"])
    html = client.get("/reports/programme").get_data(as_text=True)
    assert "<dt>Pertanyaan modul diajukan</dt><dd>3</dd>" in html
    assert "<dt>Pertanyaan modul terjawab</dt><dd>2</dd>" in html
    assert "<dt>Median waktu hingga jawaban pertama</dt><dd>3 jam</dd>" in html  # median of 2 h and 4 h
    assert "Pertanyaan modul diajukan per bulan" in html  # the chart
    rows = csv_rows(client.get("/reports/programme?format=csv").data)
    asked_at = rows[0].index("Pertanyaan diajukan")
    assert rows[0][asked_at:asked_at + 3] == ["Pertanyaan diajukan", "Pertanyaan terjawab",
                                              "Median jam hingga jawaban pertama"]
    assert sum(int(r[asked_at]) for r in rows[1:]) == 3 and sum(int(r[asked_at + 1]) for r in rows[1:]) == 2
    assert [r[asked_at + 2] for r in rows[1:] if r[asked_at + 2]] == ["3.0"]
    assert client.get("/reports/programme?format=xlsx").status_code == 200


def test_posts_per_hour_are_limited(db, client, login, world, app):
    app.config["QUESTION_POSTS_PER_HOUR"] = 2
    enroll(db, world["learner"])
    login(world["learner"])
    ask(client, "satu")
    ask(client, "dua")
    refused = client.post("/courses/kursus-q/modul-1/questions", data={"text": "tiga"}, follow_redirects=True)
    assert "terlalu banyak mengirim" in refused.get_data(as_text=True)
    assert db.session.scalar(select(ModuleQuestion).where(ModuleQuestion.text == "tiga")) is None
    question = question_of(db, world["learner"])
    relogin(client, login, world["trainer"])
    client.post(f"/questions/{question.id}", data={"text": "a"})
    client.post(f"/questions/{question.id}", data={"text": "b"})
    response = client.post(f"/questions/{question.id}", data={"text": "c"})
    assert response.status_code == 200 and "terlalu banyak mengirim" in response.get_data(as_text=True)


def test_an_editor_added_in_the_studio_answers_and_hides_and_staff_of_nothing_cannot(db, client, login, world):
    """Issue 14: answering and hiding follow the course's staff rows (is_course_staff)."""
    from elearn.services.course_staff import add_staff

    enroll(db, world["learner"])
    login(world["learner"])
    ask(client)
    question = question_of(db, world["learner"])
    url = f"/questions/{question.id}"
    relogin(client, login, world["other_trainer"])
    assert client.post(url, data={"text": "x"}).status_code == 403
    add_staff(db.session, db.session.scalar(select(Course).where(Course.slug == "kursus-q")),
              world["other_trainer"].email, "editor", world["admin"])
    db.session.commit()
    assert client.post(url, data={"text": "Jawaban penyunting"}).status_code == 302
    assert client.post(f"{url}/hide", data={"reason": "spam"}).status_code in (302, 303)
