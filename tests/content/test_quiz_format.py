"""The quiz file format: every question type, the rules, and precise errors."""
from __future__ import annotations

import textwrap

import pytest

from elearn.content.quiz import parse_numeric_answer, parse_quiz

GOOD = textwrap.dedent("""\
    ---
    title: Kuis Metadata
    pass_mark: 60
    max_attempts: 3
    cooldown_minutes: 10
    time_limit_minutes: 15
    shuffle_questions: true
    shuffle_options: true
    draw: 5
    grading: last
    show_answers: after_pass
    ---
    Jawab semua soal.

    ## Standar metadata

    Standar mana yang memiliki **15 elemen** inti?

    - [x] Dublin Core
      > Benar.
    - [ ] MARC 21
      > MARC 21 jauh lebih rinci.
    - [ ] ISBN

    > Dublin Core (ISO 15836) dirancang sederhana.

    ## Format arsip {type=multiple scoring=partial}

    Format mana yang cocok untuk arsip jangka panjang?

    - [x] TIFF
    - [x] PDF/A
    - [ ] JPEG dengan kompresi tinggi

    ## Cadangan di luar lokasi

    - [x] Benar
    - [ ] Salah

    ## Singkatan {type=short}

    Apa singkatan dari Online Public Access Catalog?

    - [x] OPAC
    - [x] O.P.A.C.

    ## Kode {type=short exact=true}

    Tulis kode bahasa Indonesia menurut ISO 639-1.

    - [x] id

    ## Aturan 3-2-1 {type=numeric}

    Berapa salinan data minimal?

    - [x] 3

    ## Suhu {type=numeric}

    - [x] 18 +- 2
    - [x] 30..32

    ## Pasangkan {type=matching}

    - TIFF -> master arsip
    - JPEG -> salinan akses
    - PDF/A -> dokumen arsip
    """)


def test_parses_every_question_type_and_rule():
    quiz, problems = parse_quiz(GOOD, "kuis.quiz.md")
    assert [p for p in problems if p.severity == "error"] == []
    assert quiz.settings["pass_mark"] == 60 and quiz.settings["grading"] == "last"
    assert quiz.settings["show_answers"] == "after_pass" and quiz.settings["draw"] == 5
    types = [q.type for q in quiz.questions]
    assert types == ["single", "multiple", "truefalse", "short", "short", "numeric", "numeric", "matching"]
    first = quiz.questions[0]
    assert first.key == "standar-metadata" and "15 elemen" in first.prompt
    assert [o.correct for o in first.options] == [True, False, False]
    assert first.options[1].feedback == "MARC 21 jauh lebih rinci."
    assert first.explanation.startswith("Dublin Core (ISO 15836)")
    assert quiz.questions[1].scoring == "partial"
    assert quiz.questions[3].answers == ["OPAC", "O.P.A.C."]
    assert quiz.questions[4].exact is True
    assert quiz.questions[6].answers == [(16.0, 20.0), (30.0, 32.0)]
    assert quiz.questions[7].pairs[0] == ("TIFF", "master arsip")
    assert quiz.intro == "Jawab semua soal."


@pytest.mark.parametrize("text,expected", [
    ("42", (42.0, 42.0)), ("3,5", (3.5, 3.5)), ("3.14 +- 0.01", (3.13, 3.15)), ("10..20", (10.0, 20.0)),
    ("-1 ± 1", (-2.0, 0.0)), ("abc", None), ("20..10", None),
])
def test_numeric_answers(text, expected):
    result = parse_numeric_answer(text)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def _errors(text):
    quiz, problems = parse_quiz(textwrap.dedent(text), "k.quiz.md")
    return quiz, [(p.line, p.message) for p in problems if p.severity == "error"], problems


def test_no_correct_answer_is_an_error_at_the_heading_line():
    quiz, errors, _ = _errors("""\
        ---
        pass_mark: 70
        ---
        ## Soal tanpa kunci

        - [ ] a
        - [ ] b
        """)
    assert quiz is None
    assert errors == [(4, "no correct answer: mark at least one option '- [x]'")]


def test_unknown_question_type():
    _quiz, errors, _ = _errors("""\
        ## Esai {type=essay}

        Jelaskan.
        """)
    assert errors[0][0] == 1 and "unknown question type 'essay'" in errors[0][1]


def test_pool_smaller_than_draw():
    _quiz, errors, _ = _errors("""\
        ---
        draw: 5
        ---
        ## Satu

        - [x] a
        - [ ] b
        """)
    assert errors == [(2, "draw: 5 but the pool has only 1 question(s)")]


def test_bad_settings_report_their_lines():
    _quiz, errors, problems = _errors("""\
        ---
        pass_mark: 150
        grading: average
        shuffle_options: kadang
        max_attempts: -1
        colour: red
        ---
        ## Satu

        - [x] a
        - [ ] b
        """)
    assert (2, "pass_mark is a percentage: 0 to 100") in errors
    assert (3, "grading must be one of: best, last") in errors
    assert (4, "shuffle_options must be true or false") in errors
    assert (5, "max_attempts must be a whole number ≥ 0") in errors
    assert any(p.line == 6 and p.severity == "warning" and "colour" in p.message for p in problems)


def test_contradictory_settings_warn():
    _quiz, _errors_, problems = _errors("""\
        ---
        max_attempts: 1
        cooldown_minutes: 30
        ---
        ## Satu

        - [x] a
        - [ ] b
        """)
    assert any(p.line == 3 and "no effect" in p.message for p in problems)


def test_single_choice_with_two_marks_must_declare_multiple():
    quiz, errors, _ = _errors("""\
        ## Dua kunci {type=single}

        - [x] a
        - [x] b
        """)
    assert errors == [(1, "a single-choice question has exactly one '[x]' (use {type=multiple} for several)")]


def test_matching_needs_two_pairs_and_numeric_needs_numbers():
    _quiz, errors, _ = _errors("""\
        ## Pasangan {type=matching}

        - a -> b

        ## Angka {type=numeric}

        - [x] tiga
        """)
    assert (1, "a matching question needs at least 2 pairs '- left -> right'") in errors
    assert (7, "not a number, 'value +- tolerance' or 'low..high': 'tiga'") in errors


def test_true_false_must_be_benar_salah():
    _quiz, errors, _ = _errors("""\
        ## BS {type=truefalse}

        - [x] Ya
        - [ ] Tidak
        """)
    assert errors and errors[0][0] == 1 and "Benar" in errors[0][1]


def test_text_after_answers_is_reported_with_its_line():
    _quiz, errors, _ = _errors("""\
        ## Soal

        - [x] a
        - [ ] b

        Teks nyasar.
        """)
    assert errors == [(6, "unexpected text after the answers: put the question text before the answers and "
                          "the explanation in a '> ' blockquote")]


def test_list_in_prompt_code_block_is_not_an_answer():
    quiz, errors, _ = _errors("""\
        ## Kode

        ```
        - [x] bukan jawaban
        ```

        - [x] a
        - [ ] b
        """)
    assert errors == []
    assert len(quiz.questions[0].options) == 2


def test_duplicate_headings_get_distinct_keys():
    quiz, errors, _ = _errors("""\
        ## Soal

        - [x] a
        - [ ] b

        ## Soal

        - [x] c
        - [ ] d
        """)
    assert [q.key for q in quiz.questions] == ["soal", "soal-2"]


def test_empty_quiz_is_an_error():
    _quiz, errors, _ = _errors("""\
        ---
        pass_mark: 70
        ---
        Tidak ada soal.
        """)
    assert errors and "no questions" in errors[0][1]
