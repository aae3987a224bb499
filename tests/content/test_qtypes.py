"""Question types are one registry: each type owns its parsing, snapshot, form, grading, words and
template, and a new type is one module plus one template."""
from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path

import pytest
from quizhelp import STORED_BEFORE
from throwaway_qtype import Ordering

from elearn.content import quiz as quiz_format
from elearn.content.gift import export_gift
from elearn.content.qtypes import QUESTION_TYPES, get_type
from elearn.content.quiz import parse_quiz
from elearn.content.quiz_render import snapshot_quiz

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = {"single", "multiple", "truefalse", "short", "numeric", "matching"}

EVERY_TYPE = textwrap.dedent("""\
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


def _drawn(text: str, seed: int = 7) -> list[dict]:
    """Parse, snapshot and draw a quiz the way sync and start_attempt do (pure part only)."""
    quiz, problems = parse_quiz(text, "k.quiz.md")
    assert quiz is not None, problems
    _settings, pool, _intro = snapshot_quiz(quiz)
    rng = random.Random(seed)
    for q in pool:
        get_type(q["type"]).prepare(q, rng, {"shuffle_options": True})
    return pool


def test_the_built_in_types_are_registered_each_with_its_template():
    assert BUILT_IN <= set(QUESTION_TYPES)
    for name in BUILT_IN:
        qtype = get_type(name)
        assert qtype.name == name
        assert (ROOT / "elearn" / "quiz" / "templates" / qtype.template).is_file(), qtype.template


def test_the_registry_finds_the_type_modules_by_itself():
    """A new type is a new module: the package imports every module it holds and names none of them."""
    init = (ROOT / "elearn/content/qtypes/__init__.py").read_text(encoding="utf-8")
    code = init.split('"""', 2)[2]  # what follows the docstring
    for name in BUILT_IN:
        assert name not in code
    assert {type(t).__module__.rsplit(".", 1)[1] for t in QUESTION_TYPES.values()} >= BUILT_IN


def test_the_attempt_template_names_no_type():
    attempt = (ROOT / "elearn/quiz/templates/quiz/attempt.html").read_text(encoding="utf-8")
    assert "{% include q.template %}" in attempt
    for name in BUILT_IN:
        assert f"'{name}'" not in attempt


def test_what_an_open_attempt_shows_of_every_type_holds_no_answer():
    for q in _drawn(EVERY_TYPE):
        shown = json.dumps(get_type(q["type"]).shown(q))
        for secret in ("RAHASIA", "31337", "correct", "feedback", "answers", "pairs", "explanation", "master arsip"):
            if secret == "master arsip" and q["type"] == "matching":
                continue  # the right-hand texts are what the learner chooses from; the pairing is not shown
            assert secret not in shown, (q["type"], secret)


def test_every_type_grades_its_own_example_answers():
    for q in _drawn(EVERY_TYPE):
        qtype = get_type(q["type"])
        assert qtype.grade(q, qtype.read_form(q, qtype.example_form(q, right=True))) == 1.0, q["type"]
        assert qtype.grade(q, qtype.read_form(q, qtype.example_form(q, right=False))) < 1.0, q["type"]


@pytest.mark.parametrize("form,expected", [
    ({"q-s": ["1"], "q-m[]": ["0", "1"], "q-t": ["0"], "q-k": ["opac"], "q-n": ["3,1"], "q-j-0": ["0"],
      "q-j-1": ["1"]},
     {"s": 1.0, "m": 1.0, "t": 1.0, "k": 1.0, "n": 1.0, "j": 1.0}),
    ({"q-s": ["0"], "q-m[]": ["0", "2"], "q-t": ["1"], "q-k": ["katalog"], "q-n": ["4"], "q-j-0": ["1"]},
     {"s": 0.0, "m": 0.0, "t": 0.0, "k": 0.0, "n": 0.0, "j": 0.0}),
])
def test_snapshots_stored_before_the_registry_still_show_read_and_grade(form, expected):
    marks = {}
    for q in STORED_BEFORE:
        qtype = get_type(q["type"])
        json.dumps(qtype.shown(q))  # still shown
        marks[q["key"]] = qtype.grade(q, qtype.read_form(q, form))
    assert marks == expected


def test_snapshots_stored_before_the_registry_still_describe_and_explain():
    form = {"q-s": ["1"], "q-m[]": ["0", "2"], "q-k": ["opac"], "q-n": ["3"], "q-j-0": ["1"], "q-j-1": ["0"]}
    words = {}
    for q in STORED_BEFORE:
        qtype = get_type(q["type"])
        response = qtype.read_form(q, form)
        words[q["key"]] = (qtype.describe(q, response), qtype.correct_answer(q), qtype.feedback(q, response))
    assert words == {
        "s": ("b", "b", ["<p>Ya.</p>"]),
        "m": ("a; c", "a; b", []),
        "t": ("", "Benar", []),
        "k": ("opac", "OPAC", []),
        "n": ("3", "2.5 – 3.5", []),
        "j": ("TIFF → akses; JPEG → master", "TIFF → master; JPEG → akses", []),
    }


ORDERING_QUIZ = textwrap.dedent("""\
    ## Alur pengolahan {type=ordering}

    Urutkan langkah pengolahan buku baru.

    - [x] Terima dan periksa buku
    - [x] Katalogisasi
    - [x] Beri label dan stempel
    """)


def test_a_new_type_registered_in_a_test_goes_through_parse_snapshot_form_grade_describe(monkeypatch):
    monkeypatch.setitem(QUESTION_TYPES, "ordering", Ordering())
    [q] = _drawn(ORDERING_QUIZ, seed=3)
    qtype = get_type("ordering")
    assert q["type"] == "ordering" and [s["text"] for s in q["steps"]][0] == "Terima dan periksa buku"
    assert "order" not in json.dumps(qtype.shown(q)) and len(qtype.shown(q)["steps"]) == 3
    right = qtype.read_form(q, qtype.example_form(q, right=True))
    assert qtype.grade(q, right) == 1.0
    assert qtype.describe(q, right) == "Terima dan periksa buku → Katalogisasi → Beri label dan stempel"
    assert qtype.grade(q, qtype.read_form(q, qtype.example_form(q, right=False))) == 0.0


def test_a_new_type_is_checked_by_its_own_rules(monkeypatch):
    monkeypatch.setitem(QUESTION_TYPES, "ordering", Ordering())
    _quiz, problems = parse_quiz("## Urutan {type=ordering}\n\n- [x] satu\n- [ ] dua\n", "k.quiz.md")
    assert [(p.line, p.message) for p in problems] == [
        (1, "an ordering question lists at least 2 steps, each '- [x]', in the right order")]


def test_unknown_types_are_refused_until_registered():
    _quiz, problems = parse_quiz(ORDERING_QUIZ, "k.quiz.md")
    assert "unknown question type 'ordering'" in problems[0].message


def test_gift_export_reports_a_type_without_gift_form(monkeypatch):
    monkeypatch.setitem(QUESTION_TYPES, "ordering", Ordering())
    quiz, _ = parse_quiz(ORDERING_QUIZ + "\n## Satu\n\n- [x] a\n- [ ] b\n", "k.quiz.md")
    gift, notes = export_gift(quiz)
    assert "Alur pengolahan" not in gift and "::Satu::" in gift
    assert [n.message for n in notes] == ["'Alur pengolahan': ordering questions have no GIFT form; left out"]


def test_question_attributes_are_one_allowlist(monkeypatch):
    text = "## Satu {level=dasar}\n\n- [x] a\n- [ ] b\n"
    quiz, problems = parse_quiz(text, "k.quiz.md")
    assert [p.message for p in problems] == ["unknown question attribute 'level'"]
    assert "level" not in quiz.questions[0].attributes
    monkeypatch.setitem(quiz_format.QUESTION_ATTRIBUTES, "level", "")  # what a new attribute takes
    quiz, problems = parse_quiz(text, "k.quiz.md")
    assert problems == [] and quiz.questions[0].attributes["level"] == "dasar"
    assert parse_quiz("## Dua\n\n- [x] a\n- [ ] b\n", "k.quiz.md")[0].questions[0].attributes["level"] == ""
