"""Course folders: validation with exact file:line, catalog checks, hashes."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from elearn.content.course import load_catalog, load_course
from elearn.content.course_check import check_catalog

COURSE = """\
---
title: Kursus Uji
summary: Ringkasan.
language: id
version: "1.0"
hours: 4
level: dasar
---
Ikhtisar.
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "courses"
    folder = root / "kursus"
    write(folder, "course.md", COURSE)
    write(folder, "01-satu.md", "---\ntitle: Satu\nminutes: 10\n---\nIsi satu.\n")
    write(folder, "02-dua.md", "---\ntitle: Dua\nminutes: 20\nrequires: [satu]\n---\nIsi dua.\n")
    return root


def messages(problems):
    return [str(p) for p in problems]


def test_valid_folder_has_no_problems(root):
    # 1 JP claimed is earned by a 45-minute exam (see test_estimate.py for the method)
    write(root / "kursus", "course.md", COURSE.replace("hours: 4", "hours: 1"))
    write(root / "kursus", "exam.quiz.md", "---\ntime_limit_minutes: 45\n---\n## S\n\n- [x] Benar\n- [ ] Salah\n")
    assert check_catalog(root) == []
    courses, _ = load_catalog(root)
    assert [m.slug for m in courses[0].modules] == ["satu", "dua"]
    assert courses[0].modules[1].requires == ["satu"]


def test_yaml_syntax_error_reports_its_file_line(root):
    write(root / "kursus", "01-satu.md", "---\ntitle: Satu\nminutes: [10\n---\nIsi.\n")
    problems = messages(check_catalog(root))
    assert any(p.startswith("courses/kursus/01-satu.md:3: error: front matter is not valid YAML") for p in problems), problems
    assert not any("requires unknown module 'satu'" in p for p in problems)  # no knock-on error


def test_unknown_key_is_a_warning_at_its_line(root):
    write(root / "kursus", "01-satu.md", "---\ntitle: Satu\nminutes: 10\nwarna: merah\n---\nIsi.\n")
    assert "courses/kursus/01-satu.md:4: warning: unknown front-matter key 'warna'" in messages(check_catalog(root))


def test_bad_minutes_and_missing_title(root):
    write(root / "kursus", "01-satu.md", "---\nminutes: lama\n---\nIsi.\n")
    problems = messages(check_catalog(root))
    assert "courses/kursus/01-satu.md:1: error: missing front-matter key 'title'" in problems
    assert "courses/kursus/01-satu.md:2: error: minutes must be a whole number greater than 0" in problems


def test_bad_course_fields(root):
    write(root / "kursus", "course.md", COURSE.replace("language: id", "language: jv").replace("hours: 4", "hours: 0"))
    problems = messages(check_catalog(root))
    assert "courses/kursus/course.md:4: error: language must be 'id' or 'en'" in problems
    assert "courses/kursus/course.md:6: error: hours must be a whole number greater than 0" in problems


def test_broken_links_are_reported_at_their_line(root):
    write(root / "kursus", "01-satu.md", "---\ntitle: Satu\nminutes: 10\n---\nBaris lima.\n\nLihat [x](03-tiga.md)\n"
                                         "dan ![g](assets/tidak-ada.png).\n")
    problems = messages(check_catalog(root))
    assert "courses/kursus/01-satu.md:7: error: link to a missing module file '03-tiga.md'" in problems
    assert "courses/kursus/01-satu.md:8: error: link to a missing asset 'assets/tidak-ada.png'" in problems


def test_unclosed_fenced_div_line(root):
    write(root / "kursus", "01-satu.md", "---\ntitle: Satu\nminutes: 10\n---\nIsi.\n\n::: callout\nkotak\n")
    assert "courses/kursus/01-satu.md:7: error: fenced div is never closed (add a ':::' line)" in messages(
        check_catalog(root))


def test_requires_unknown_module_and_cycles(root):
    write(root / "kursus", "01-satu.md", "---\ntitle: Satu\nminutes: 10\nrequires: [dua]\n---\nIsi.\n")
    write(root / "kursus", "03-tiga.md", "---\ntitle: Tiga\nminutes: 5\nrequires: [empat]\n---\nIsi.\n")
    problems = messages(check_catalog(root))
    assert "courses/kursus/03-tiga.md:4: error: requires unknown module 'empat'" in problems
    assert any("module requirements form a cycle: dua → satu → dua" in p or
               "module requirements form a cycle: satu → dua → satu" in p for p in problems), problems


def test_duplicate_numbers_and_slugs(root):
    write(root / "kursus", "01-lain.md", "---\ntitle: Lain\nminutes: 5\n---\nx\n")
    write(root / "kursus", "05-dua.md", "---\ntitle: Dua lagi\nminutes: 5\n---\nx\n")
    problems = messages(check_catalog(root))
    assert any("module number 01 is also used by" in p for p in problems)
    assert "courses/kursus/05-dua.md:0: error: duplicate module slug 'dua'" in problems


def test_prerequisites_unknown_and_cycles(root):
    write(root / "a", "course.md", COURSE.replace("level: dasar", "level: dasar\nprerequisites: [b]"))
    write(root / "a", "01-x.md", "---\ntitle: X\nminutes: 5\n---\nx\n")
    write(root / "b", "course.md", COURSE.replace("level: dasar", "level: dasar\nprerequisites: [a]"))
    write(root / "b", "01-x.md", "---\ntitle: X\nminutes: 5\n---\nx\n")
    write(root / "c", "course.md", COURSE.replace("level: dasar", "level: dasar\nprerequisites: [tidak-ada]"))
    write(root / "c", "01-x.md", "---\ntitle: X\nminutes: 5\n---\nx\n")
    problems = messages(check_catalog(root))
    assert "courses/c/course.md:1: error: unknown prerequisite course 'tidak-ada'" in problems
    assert "courses/a/course.md:1: error: prerequisites form a cycle: a → b → a" in problems
    courses, _ = load_catalog(root)
    assert [c.slug for c in courses] == ["kursus"]


def test_quiz_files_are_checked_with_their_lines(root):
    write(root / "kursus", "01-satu.quiz.md", "---\npass_mark: 70\n---\n## Soal\n\n- [ ] a\n- [ ] b\n")
    problems = messages(check_catalog(root))
    assert "courses/kursus/01-satu.quiz.md:4: error: no correct answer: mark at least one option '- [x]'" in problems
    write(root / "kursus", "09-hilang.quiz.md", "## Soal\n\n- [x] a\n- [ ] b\n")
    assert "courses/kursus/09-hilang.quiz.md:0: error: quiz for unknown module 'hilang'" in messages(check_catalog(root))


def test_symlinked_asset_escaping_the_course_is_refused(root, tmp_path):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("rahasia")
    (root / "kursus" / "assets").mkdir()
    os.symlink(secret, root / "kursus" / "assets" / "bocor.txt")
    course, problems = load_course(root / "kursus", root=root)
    assert course is None
    assert "courses/kursus/assets/bocor.txt:0: error: asset points outside the course folder (symlink); refused" in \
        messages(problems)


def test_source_hash_changes_with_any_file(root):
    course, _ = load_course(root / "kursus", root=root)
    first = course.source_hash()
    assert load_course(root / "kursus", root=root)[0].source_hash() == first
    write(root / "kursus", "01-satu.quiz.md", "## Soal\n\n- [x] a\n- [ ] b\n")
    second = load_course(root / "kursus", root=root)[0].source_hash()
    assert second != first
    (root / "kursus" / "assets").mkdir()
    (root / "kursus" / "assets" / "a.png").write_bytes(b"x")
    assert load_course(root / "kursus", root=root)[0].source_hash() != second


def test_folder_without_course_md_is_a_warning(root):
    (root / "catatan").mkdir()
    assert "courses/catatan:0: warning: folder without course.md ignored" in messages(check_catalog(root))


SHIPPED = Path(__file__).resolve().parents[2] / "courses"


def test_shipped_courses_pass_the_check_and_earn_their_hours():
    """0 errors and 0 warnings, the JP estimate included: every course earns the hours it claims."""
    problems = check_catalog(SHIPPED)
    assert problems == [], [str(p) for p in problems]


def test_shipped_tasks_fit_the_default_file_limit_and_each_course_has_two_scored_tasks():
    from elearn.config import Config
    from elearn.content.course import load_catalog
    from elearn.content.course_check import check_courses

    assert check_courses(SHIPPED, Config.TASK_MAX_FILES).problems == []
    courses, _problems = load_catalog(SHIPPED)
    for course in courses:
        tasks = [m.task for m in course.modules if m.task is not None]
        assert len(tasks) >= 2 and all(t.rubric and 0 < t.pass_points <= t.total_points for t in tasks), course.slug
