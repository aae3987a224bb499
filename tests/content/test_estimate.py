"""Honest lesson hours: the estimate of a course's minutes and JP, and the warning when the
claimed hours exceed it by more than 15 %. Small synthetic courses with exact figures."""
from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from elearn.content.course import load_course
from elearn.content.course_check import check_courses, render_and_check
from elearn.content.estimate import count_words, describe, estimate_course, hours_problem

COURSE = """\
---
title: Kursus Uji
summary: Ringkasan kursus dengan banyak kata yang tidak dihitung sebagai bacaan modul.
language: id
version: "1.0"
hours: {hours}
level: dasar
---
Ikhtisar ini juga tidak dihitung: hanya isi modul yang dibaca.
"""


def question(n: int, module: str = "") -> str:
    attrs = f" {{module={module}}}" if module else ""
    return f"## Soal {n}{attrs}\n\n- [x] Benar\n- [ ] Salah\n\n"


def task(minutes: int, required: bool = True) -> str:
    return (f"---\ntitle: Tugas\nminutes: {minutes}\nrequired: {'true' if required else 'false'}\nrubric:\n"
            "  - criterion: Lengkap\n    points: 10\n---\nKerjakan tugas ini.\n")


def build(root: Path, hours: int = 3, files: dict[str, str] | None = None) -> Path:
    """A course of two modules: 240 + 360 words of body (600 words = 5 minutes of reading)."""
    folder = root / "kursus"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.md").write_text(COURSE.format(hours=hours), encoding="utf-8")
    front = "---\ntitle: Judul modul yang panjang sekali\nminutes: 30\nobjectives: [tujuan tidak dihitung]\n---\n"
    (folder / "01-satu.md").write_text(front + "kata " * 240, encoding="utf-8")
    (folder / "02-dua.md").write_text(front + "| Kolom | Isi |\n|---|---|\n| " + "kata " * 358 + "|\n",
                                      encoding="utf-8")
    for name, text in (files or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


FULL = {
    "01-satu.quiz.md": "".join(question(n) for n in range(4)),                      # 4 asked: 6 min
    "02-dua.quiz.md": "---\ndraw: 4\n---\n" + "".join(question(n) for n in range(10)),  # draw 4: 6 min
    "exam.quiz.md": "".join(question(n) for n in range(5)),                          # 5 × 2 = 10 min
    "01-satu.task.md": task(60),
    "02-dua.task.md": task(45, required=False),
    "pretest.quiz.md": "".join(question(n, m) for n, m in enumerate(["satu", "satu", "dua", "dua"])),
}


def estimate_of(root: Path):
    course, problems = load_course(root / "kursus", root=root)
    assert [str(p) for p in problems] == []
    checked = render_and_check(course, root)
    assert [str(p) for p in checked.problems] == []
    return course, estimate_course(course, checked.quizzes, checked.exam)


def test_words_are_tokens_with_a_letter_or_digit():
    text = ("| Kolom | Isi |\n|---|:-:|\n::: callout Catatan\n- butir satu-dua\n"
            "[dua kata](https://contoh.go.id/a) 1.000 — **tebal**\n:::")
    assert count_words(text) == 10  # Kolom Isi callout Catatan butir satu-dua [dua kata](…) 1.000 **tebal**


def test_estimate_of_a_full_course_by_part(tmp_path):
    build(tmp_path, files=FULL)
    _course, estimate = estimate_of(tmp_path)
    assert estimate.words == 600
    assert estimate.reading == 5                    # 600 words / 120 wpm
    assert estimate.quizzes == 12                   # (4 + 4 drawn) × 1.5 min
    assert estimate.exam == 10                      # 5 questions × 2 min, no time limit
    assert estimate.tasks == 105                    # 60 + 45 (an optional task counts too); pre-test not counted
    assert estimate.minutes == 132
    assert estimate.jp == Fraction(132, 45)
    assert describe(estimate) == "2.9 JP estimated (132 min: reading 5, quizzes 12, exam 10, tasks 105)"


def test_exam_time_limit_replaces_the_per_question_minutes(tmp_path):
    files = dict(FULL, **{"exam.quiz.md": "---\ntime_limit_minutes: 30\ndraw: 2\n---\n"
                                          + "".join(question(n) for n in range(5))})
    build(tmp_path, files=files)
    assert estimate_of(tmp_path)[1].exam == 30


def test_exam_draw_counts_the_questions_asked(tmp_path):
    files = dict(FULL, **{"exam.quiz.md": "---\ndraw: 3\n---\n" + "".join(question(n) for n in range(5))})
    build(tmp_path, files=files)
    assert estimate_of(tmp_path)[1].exam == 6


def test_a_course_of_reading_only(tmp_path):
    build(tmp_path)
    estimate = estimate_of(tmp_path)[1]
    assert (estimate.reading, estimate.quizzes, estimate.exam, estimate.tasks) == (5, 0, 0, 0)
    assert describe(estimate) == "0.1 JP estimated (5 min: reading 5, quizzes 0, exam 0, tasks 0)"


def test_fractional_minutes_are_kept_exact(tmp_path):
    build(tmp_path, files={"01-satu.quiz.md": "".join(question(n) for n in range(3))})
    estimate = estimate_of(tmp_path)[1]
    assert estimate.quizzes == Fraction(9, 2)
    assert estimate.minutes == Fraction(19, 2)


@pytest.mark.parametrize("hours, warned", [(2, False), (3, False), (4, True)])
def test_claims_above_115_percent_of_the_estimate_are_warned(tmp_path, hours, warned):
    build(tmp_path, hours=hours, files=FULL)  # 2.93 JP estimated: up to 3.37 JP may be claimed
    course, estimate = estimate_of(tmp_path)
    problem = hours_problem(course, estimate, "courses/kursus/course.md")
    assert (problem is not None) == warned
    if warned:
        assert str(problem) == (
            "courses/kursus/course.md:6: warning: hours: 4 JP claimed exceeds the estimate of 2.9 JP (132 min) by "
            "more than 15 %; add assessed practice (tasks) where the hours are earned, or claim at most 3 JP")


def test_the_boundary_claim_is_not_warned(tmp_path):
    # 900 minutes = 20 JP exactly; 1.15 × 20 = 23 JP is the most that may be claimed
    files = {"01-satu.task.md": task(480), "02-dua.task.md": task(420)}
    folder = build(tmp_path, hours=23, files=files)
    for name in ("01-satu.md", "02-dua.md"):
        (folder / name).write_text("---\ntitle: Tanpa bacaan\nminutes: 5\n---\n", encoding="utf-8")
    course, estimate = estimate_of(tmp_path)
    assert estimate.minutes == 900 and estimate.max_claim == 23
    assert hours_problem(course, estimate, "x") is None
    course.hours = 24
    assert hours_problem(course, estimate, "x") is not None


def test_a_course_that_earns_less_than_one_jp_is_told_so(tmp_path):
    build(tmp_path, hours=1)
    course, estimate = estimate_of(tmp_path)
    assert hours_problem(course, estimate, "c.md").message == (
        "hours: 1 JP claimed exceeds the estimate of 0.1 JP (5 min) by more than 15 %; the content does not earn "
        "1 JP yet: add assessed practice (tasks) where the hours are earned")


def test_check_reports_the_estimate_line_and_the_warning(tmp_path):
    build(tmp_path / "courses", hours=4, files=FULL)
    checked = check_courses(tmp_path / "courses")
    assert [str(e) for e in checked.estimates] == [
        "courses/kursus: 4 JP claimed, 2.9 JP estimated (132 min: reading 5, quizzes 12, exam 10, tasks 105)"]
    assert [str(p) for p in checked.problems] == [
        "courses/kursus/course.md:6: warning: hours: 4 JP claimed exceeds the estimate of 2.9 JP (132 min) by "
        "more than 15 %; add assessed practice (tasks) where the hours are earned, or claim at most 3 JP"]


def test_a_course_with_errors_gets_no_estimate(tmp_path):
    build(tmp_path / "courses", files={"exam.quiz.md": "## Soal tanpa jawaban\n"})
    checked = check_courses(tmp_path / "courses")
    assert checked.estimates == []
    assert [p.severity for p in checked.problems] == ["error"]


def test_the_authoring_guide_shows_the_shipped_course_as_courses_check_prints_it_today():
    """docs/authoring.md quotes `courses check` on a shipped course (Indonesian and English parts);
    the quote must be what the command prints for that course now, not a figure from an older text."""
    root = Path(__file__).resolve().parents[2]
    guide = (root / "docs" / "authoring.md").read_text(encoding="utf-8")
    quoted = re.findall(r"^courses/(layanan-prima): (.+)$", guide, re.M)
    assert len(quoted) == 2, quoted  # the Indonesian section and the English one
    printed = {Path(e.path).name: str(e).split(": ", 1)[1] for e in check_courses(root / "courses").estimates}
    for slug, line in quoted:
        assert line == printed[slug], (line, printed[slug])
