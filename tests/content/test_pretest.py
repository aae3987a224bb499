"""The placement pre-test (pretest.quiz.md): the quiz format plus module= on every question,
one attempt, no draw; module= anywhere else is an error."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from elearn.content.course import load_course
from elearn.content.course_check import check_catalog, render_and_check
from elearn.content.pretest import parse_pretest
from elearn.content.quiz import parse_quiz

PATH = "courses/k/pretest.quiz.md"
MODULES = ("satu", "dua")
GOOD = textwrap.dedent("""\
    ---
    title: Tes penempatan
    ---
    ## Pertama {module=satu}

    - [x] Ya
    - [ ] Tidak

    ## Kedua {type=multiple scoring=partial module=satu}

    - [x] A
    - [x] B
    - [ ] C

    ## Ketiga {module=dua}

    - [x] Benar
    - [ ] Salah

    ## Keempat {module=dua}

    - [x] Benar
    - [ ] Salah
    """)


def messages(text: str) -> list[str]:
    return [str(p) for p in parse_pretest(text, PATH, MODULES)[1]]


def test_module_attribute_is_read_with_the_others():
    quiz, problems = parse_pretest(GOOD, PATH, MODULES)
    assert problems == []
    assert [(q.module, q.type, q.scoring) for q in quiz.questions] == [
        ("satu", "single", "all"), ("satu", "multiple", "partial"), ("dua", "truefalse", "all"),
        ("dua", "truefalse", "all")]


def test_a_pretest_is_taken_once_by_default():
    quiz, _ = parse_pretest(GOOD, PATH, MODULES)
    assert quiz.settings["max_attempts"] == 1
    explicit = GOOD.replace("title: Tes penempatan", "max_attempts: 1")
    assert parse_pretest(explicit, PATH, MODULES)[0].settings["max_attempts"] == 1


@pytest.mark.parametrize("value", ["0", "2"])
def test_any_other_max_attempts_is_an_error(value):
    text = GOOD.replace("title: Tes penempatan", f"max_attempts: {value}")
    assert messages(text) == [f"{PATH}:2: error: a pre-test is taken once: max_attempts must be 1 (or left out)"]
    assert parse_pretest(text, PATH, MODULES)[0] is None


def test_draw_is_an_error():
    text = GOOD.replace("title: Tes penempatan", "title: Tes\ndraw: 2")
    assert messages(text) == [f"{PATH}:3: error: a pre-test asks every question: remove draw"]


def test_every_question_names_a_module_of_the_course():
    text = GOOD.replace("## Ketiga {module=dua}", "## Ketiga").replace("## Keempat {module=dua}",
                                                                         "## Keempat {module=tiga}")
    assert messages(text) == [
        f"{PATH}:15: error: a pre-test question names the module it tests: add {{module=<module-slug>}} to its heading",
        f"{PATH}:20: error: module=tiga: the course has no module 'tiga'"]


def test_a_module_with_one_question_is_a_warning_and_none_is_fine():
    text = GOOD.replace("## Keempat {module=dua}", "## Keempat {module=satu}")
    quiz, problems = parse_pretest(text, PATH, ("satu", "dua", "tiga"))
    assert [str(p) for p in problems] == [
        f"{PATH}:15: warning: only 1 question tests module 'dua': one lucky answer would let a learner skip it; "
        "write at least 2"]
    assert quiz is not None


def test_ordinary_quiz_problems_are_reported_too():
    text = GOOD.replace("- [x] Ya\n", "")
    assert f"{PATH}:4: error: no correct answer: mark at least one option '- [x]'" in messages(text)


def test_module_is_no_longer_an_unknown_attribute_for_the_quiz_parser():
    quiz, problems = parse_quiz(GOOD, "x.quiz.md")
    assert problems == [] and quiz.questions[0].module == "satu"


# --- in a course folder -----------------------------------------------------------------------

COURSE = """\
---
title: Kursus Uji
summary: Ringkasan.
language: id
version: "1.0"
hours: 1
level: dasar
---
Ikhtisar.
"""


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "courses"
    folder = root / "kursus"
    folder.mkdir(parents=True)
    (folder / "course.md").write_text(COURSE, encoding="utf-8")
    (folder / "01-satu.md").write_text("---\ntitle: Satu\nminutes: 10\n---\nIsi satu.\n", encoding="utf-8")
    (folder / "02-dua.md").write_text("---\ntitle: Dua\nminutes: 10\n---\nIsi dua.\n", encoding="utf-8")
    (folder / "exam.quiz.md").write_text("## Ujian\n\nPilih A.\n\n- [x] A\n- [ ] B\n", encoding="utf-8")
    return root


def not_hours(problems) -> list[str]:
    return [str(p) for p in problems if not p.message.startswith("hours: ")]


def test_the_loader_recognises_the_pretest_and_the_checker_parses_it(root):
    path = root / "kursus" / "pretest.quiz.md"
    path.write_text(GOOD, encoding="utf-8")
    course, problems = load_course(root / "kursus", root=root)
    assert problems == [] and course.pretest_path == str(path)
    checked = render_and_check(course, root)
    assert checked.problems == []
    assert [q.module for q in checked.pretest.questions] == ["satu", "satu", "dua", "dua"]
    assert not_hours(check_catalog(root)) == []


def test_pretest_problems_name_the_pretest_file(root):
    (root / "kursus" / "pretest.quiz.md").write_text(GOOD.replace("module=dua}", "module=empat}"), encoding="utf-8")
    assert not_hours(check_catalog(root)) == [
        "courses/kursus/pretest.quiz.md:15: error: module=empat: the course has no module 'empat'",
        "courses/kursus/pretest.quiz.md:20: error: module=empat: the course has no module 'empat'"]


def test_module_attribute_on_an_ordinary_quiz_or_exam_is_an_error(root):
    quiz = "## Soal {module=satu}\n\n- [x] Benar\n- [ ] Salah\n"
    (root / "kursus" / "01-satu.quiz.md").write_text(quiz, encoding="utf-8")
    (root / "kursus" / "exam.quiz.md").write_text("---\ndraw: 1\n---\n" + quiz, encoding="utf-8")
    assert not_hours(check_catalog(root)) == [
        "courses/kursus/01-satu.quiz.md:1: error: module= only belongs in pretest.quiz.md (this question says "
        "module=satu)",
        "courses/kursus/exam.quiz.md:4: error: module= only belongs in pretest.quiz.md (this question says "
        "module=satu)"]


def test_a_pretest_edit_changes_the_source_hash(root):
    path = root / "kursus" / "pretest.quiz.md"
    path.write_text(GOOD, encoding="utf-8")
    before = load_course(root / "kursus", root=root)[0].source_hash()
    path.write_text(GOOD.replace("Pertama", "Satu"), encoding="utf-8")
    assert load_course(root / "kursus", root=root)[0].source_hash() != before


def test_a_module_cannot_be_called_pretest_exam_or_glossary(root):
    for n, slug in enumerate(("pretest", "exam", "glossary"), start=3):
        (root / "kursus" / f"0{n}-{slug}.md").write_text("---\ntitle: X\nminutes: 5\n---\nIsi.\n", encoding="utf-8")
    assert not_hours(check_catalog(root)) == [
        f"courses/kursus/0{n}-{slug}.md:0: error: module slug '{slug}' is reserved (used by the course's own "
        "pages and quizzes); rename the file"
        for n, slug in ((3, "pretest"), (4, "exam"), (5, "glossary"))]


def test_a_pretest_needs_a_final_exam(root):
    """Placing out never skips the exam: without one, the pre-test alone could complete the course."""
    (root / "kursus" / "exam.quiz.md").unlink()
    (root / "kursus" / "pretest.quiz.md").write_text(GOOD, encoding="utf-8")
    course, _problems = load_course(root / "kursus", root=root)
    messages = [p.message for p in render_and_check(course, root).problems]
    assert any(m.startswith("a pre-test needs a final exam") for m in messages)
