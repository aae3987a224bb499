"""Question types through the web: every type on the attempt page without answers, a type added in a
test taken end to end, and attempts stored before the registry still answered and graded."""
from __future__ import annotations

import re
import textwrap

import pytest
from jinja2 import ChoiceLoader, DictLoader
from quizhelp import STORED_BEFORE, answer_form
from throwaway_qtype import TEMPLATE, TEMPLATE_NAME, Ordering

from elearn.content.qtypes import QUESTION_TYPES
from elearn.models import QuizAttempt

EVERY_TYPE = textwrap.dedent("""\
    ---
    pass_mark: 60
    show_answers: after_submit
    ---
    ## Pilihan tunggal

    Standar mana yang memiliki 15 elemen inti?

    - [x] Dublin Core
      > RAHASIA-UMPAN-BALIK
    - [ ] MARC 21

    > RAHASIA-PENJELASAN

    ## Pilihan ganda {type=multiple scoring=partial}

    - [x] TIFF
    - [x] PDF/A
    - [ ] JPEG

    ## Benar salah

    - [ ] Benar
    - [x] Salah

    ## Isian {type=short}

    - [x] RAHASIA-ISIAN

    ## Angka {type=numeric}

    - [x] 31337

    ## Jodohkan {type=matching}

    - TIFF -> master arsip
    - JPEG -> salinan akses
    """)


@pytest.fixture
def learner(make_user, login):
    user = make_user()
    login(user)
    return user


@pytest.fixture
def course_with_quiz(write_course, sync, client):
    def make(quiz_text: str) -> None:
        folder = write_course(modules=1)
        (folder / "01-modul-1.quiz.md").write_text(quiz_text, encoding="utf-8")
        report = sync()
        assert not report.failed, report.problems
        client.post("/courses/kursus-uji/enroll")

    return make


def _start(client) -> int:
    response = client.post("/courses/kursus-uji/quiz/modul-1/start")
    assert response.status_code == 302, response.data[:300]
    return int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))


def test_every_type_is_on_the_attempt_page_and_in_its_json_without_answers(client, db, learner, course_with_quiz):
    course_with_quiz(EVERY_TYPE)
    attempt_id = _start(client)
    html = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    assert 'type="radio"' in html and 'type="checkbox"' in html and 'inputmode="decimal"' in html
    assert 'name="q-isian"' in html and 'name="q-jodohkan-1"' in html and "Pilih semua jawaban yang benar." in html
    body = client.get(f"/attempts/{attempt_id}.json").get_json()
    assert [q["type"] for q in body["questions"]] == ["single", "multiple", "truefalse", "short", "numeric", "matching"]
    assert all({"options", "lefts", "rights"} <= set(q) for q in body["questions"])  # the keys clients know
    raw = client.get(f"/attempts/{attempt_id}.json").get_data(as_text=True)
    for text in (html, raw):
        for secret in ("RAHASIA", "31337", "correct", "feedback", "explanation", '"answers"', '"pairs"'):
            assert secret not in text, secret


def test_every_type_answered_right_through_the_form_scores_100(client, db, learner, course_with_quiz):
    course_with_quiz(EVERY_TYPE)
    attempt_id = _start(client)
    client.post(f"/attempts/{attempt_id}/submit", data=answer_form(db.session.get(QuizAttempt, attempt_id)))
    html = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Nilai: 100%" in html and "RAHASIA-PENJELASAN" in html and "RAHASIA-UMPAN-BALIK" in html


def test_a_type_added_in_a_test_is_taken_end_to_end(app, client, db, learner, course_with_quiz, monkeypatch):
    monkeypatch.setitem(QUESTION_TYPES, "ordering", Ordering())
    app.jinja_env.loader = ChoiceLoader([DictLoader({TEMPLATE_NAME: TEMPLATE}), app.jinja_env.loader])
    course_with_quiz(textwrap.dedent("""\
        ## Alur pengolahan {type=ordering}

        Urutkan langkah pengolahan buku baru.

        - [x] Terima dan periksa buku
        - [x] Katalogisasi
        - [x] Beri label dan stempel
        """))
    first = _start(client)
    page = client.get(f"/attempts/{first}/").get_data(as_text=True)
    assert 'name="q-alur-pengolahan-2"' in page and "Katalogisasi" in page
    client.post(f"/attempts/{first}/submit", data=answer_form(db.session.get(QuizAttempt, first), right=False))
    second = _start(client)
    client.post(f"/attempts/{second}/submit", data=answer_form(db.session.get(QuizAttempt, second)))
    result = client.get(f"/attempts/{second}/result").get_data(as_text=True)
    assert "Nilai: 100%" in result
    assert "Terima dan periksa buku → Katalogisasi → Beri label dan stempel" in result  # describe + correct answer
    assert db.session.get(QuizAttempt, first).score == 0.0


def test_an_attempt_stored_before_the_registry_is_shown_submitted_and_graded(client, db, learner, course_with_quiz):
    course_with_quiz("## Satu\n\n- [x] a\n- [ ] b\n")
    attempt_id = _start(client)
    attempt = db.session.get(QuizAttempt, attempt_id)
    attempt.questions = STORED_BEFORE
    db.session.commit()
    page = client.get(f"/attempts/{attempt_id}/").get_data(as_text=True)
    assert 'name="q-m[]"' in page and 'name="q-j-1"' in page and 'name="q-n"' in page
    form = {"q-s": "1", "q-m[]": ["0", "1"], "q-t": "0", "q-k": "opac", "q-n": "3,1", "q-j-0": "0", "q-j-1": "1"}
    client.post(f"/attempts/{attempt_id}/submit", data=form)
    db.session.refresh(attempt)
    assert attempt.marks == {"s": 1.0, "m": 1.0, "t": 1.0, "k": 1.0, "n": 1.0, "j": 1.0} and attempt.score == 100.0
    result = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "TIFF → master; JPEG → akses" in result and "<p>Ya.</p>" in result
