"""Practice task files (NN-<module>.task.md): the format, every rule with its file:line, and how
the loader attaches a task to its module."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from elearn.content.course import load_course
from elearn.content.course_check import check_catalog, render_and_check
from elearn.content.task import DEFAULT_ALLOWED, default_pass_points, parse_task

PATH = "courses/k/01-satu.task.md"
GOOD = textwrap.dedent("""\
    ---
    title: Rencana digitalisasi satu koleksi lokal
    minutes: 90
    required: false
    max_files: 2
    allowed: [pdf, image]
    rubric:
      - criterion: Tujuan dan ruang lingkup jelas
        points: 4
        description: Menyebut koleksi, alasan, dan batasnya.
      - criterion: Anggaran masuk akal
        points: 6
    pass_points: 8
    ---
    ## Yang dikerjakan

    Susun rencana untuk **satu** koleksi lokal.
    """)


def task_text(**changes: str | None) -> str:
    """GOOD with front-matter lines replaced (key=value text) or removed (key=None)."""
    lines = GOOD.split("\n")
    for key, value in changes.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        if value is None:
            del lines[index]
        else:
            lines[index] = f"{key}: {value}"
    return "\n".join(lines)


def messages(text: str) -> list[str]:
    return [str(p) for p in parse_task(text, PATH)[1]]


def test_a_complete_task_is_read_with_every_field():
    task, problems = parse_task(GOOD, PATH)
    assert problems == []
    assert task.title == "Rencana digitalisasi satu koleksi lokal"
    assert (task.minutes, task.required, task.max_files, task.allowed) == (90, False, 2, ("pdf", "image"))
    assert [(c.criterion, c.points, c.description, c.line) for c in task.rubric] == [
        ("Tujuan dan ruang lingkup jelas", 4, "Menyebut koleksi, alasan, dan batasnya.", 8),
        ("Anggaran masuk akal", 6, "", 11)]
    assert (task.total_points, task.pass_points) == (10, 8)
    assert task.body.startswith("## Yang dikerjakan") and task.body_line == 15


def test_optional_keys_take_their_defaults():
    task, problems = parse_task(task_text(required=None, max_files=None, allowed=None, pass_points=None), PATH)
    assert problems == []
    assert (task.required, task.max_files, task.allowed) == (True, 3, DEFAULT_ALLOWED)
    assert task.pass_points == 7  # ceil(70 % of 10)


@pytest.mark.parametrize("total, expected", [(10, 7), (13, 10), (1, 1), (100, 70), (3, 3)])
def test_default_pass_points_is_70_percent_rounded_up(total, expected):
    assert default_pass_points(total) == expected


def test_missing_required_keys_are_errors():
    text = task_text(title=None, minutes=None)
    assert f"{PATH}:1: error: missing front-matter key 'title'" in messages(text)
    assert f"{PATH}:1: error: missing front-matter key 'minutes'" in messages(text)
    no_rubric = GOOD.split("rubric:")[0] + "pass_points: 8\n---\nIsi.\n"
    assert f"{PATH}:1: error: missing front-matter key 'rubric'" in messages(no_rubric)
    assert parse_task(text, PATH)[0] is None


def test_unknown_key_is_a_warning_at_its_line():
    text = GOOD.replace("pass_points: 8\n", "pass_points: 8\nwarna: merah\n")
    assert messages(text) == [f"{PATH}:14: warning: unknown front-matter key 'warna'"]
    assert parse_task(text, PATH)[0] is not None


@pytest.mark.parametrize("value", ["14", "481", "lama", "1.5", "true"])
def test_minutes_must_be_a_whole_number_from_15_to_480(value):
    assert messages(task_text(minutes=value)) == [
        f"{PATH}:3: error: minutes must be a whole number from 15 to 480 (honest working time)"]


@pytest.mark.parametrize("value", ["15", "480"])
def test_minutes_bounds_are_allowed(value):
    assert messages(task_text(minutes=value)) == []


def test_title_must_be_text_and_required_a_boolean():
    assert f"{PATH}:2: error: title must be text" in messages(task_text(title="[a, b]"))
    assert messages(task_text(required="ya")) == [f"{PATH}:4: error: required must be true or false"]


@pytest.mark.parametrize("value", ["-1", "11", "tiga"])
def test_max_files_must_be_0_to_10(value):
    assert messages(task_text(max_files=value)) == [
        f"{PATH}:5: error: max_files must be a whole number from 0 to 10 (0 = text answer only)"]


def test_allowed_types_are_checked_item_by_item():
    text = GOOD.replace("allowed: [pdf, image]", "allowed:\n  - pdf\n  - exe\n  - PDF")
    assert messages(text) == [f"{PATH}:8: error: allowed: unknown file type 'exe' "
                              "(use: pdf, docx, xlsx, odt, ods, image)",
                              f"{PATH}:9: warning: allowed lists 'pdf' twice"]


def test_allowed_must_be_a_list_and_not_empty_when_files_are_allowed():
    assert messages(task_text(allowed="{pdf: 1}")) == [
        f"{PATH}:6: error: allowed must be a list of file types (pdf, docx, xlsx, odt, ods, image)"]
    assert messages(task_text(allowed="[]")) == [
        f"{PATH}:6: error: allowed is empty: list the file types a learner may hand in, or set max_files: 0 "
        "for a text answer only"]


def test_text_only_task_needs_no_allowed_and_warns_when_it_has_one():
    assert messages(task_text(max_files="0", allowed=None)) == []
    assert messages(task_text(max_files="0")) == [
        f"{PATH}:6: warning: allowed has no effect when max_files is 0 (text answer only)"]


def test_rubric_items_are_checked_at_their_lines():
    text = GOOD.replace("""  - criterion: Anggaran masuk akal
    points: 6
""", """  - criterion: Anggaran masuk akal
    points: 0
  - points: 3
  - criterion: [a]
    points: 2
    bobot: 1
  - Cuma teks
""")
    assert messages(text) == [
        f"{PATH}:12: error: rubric item 2: points must be a whole number from 1 to 100",
        f"{PATH}:13: error: rubric item 3: missing 'criterion'",
        f"{PATH}:16: warning: rubric item 4: unknown key 'bobot'",
        f"{PATH}:14: error: rubric item 4: criterion must be text",
        f"{PATH}:17: error: rubric item 5 must be 'criterion: …' with 'points: …' under it",
    ]


def test_rubric_item_without_points_and_a_repeated_criterion():
    text = GOOD.replace("criterion: Anggaran masuk akal\n    points: 6",
                        "criterion: tujuan dan ruang lingkup jelas\n    points: 6\n"
                        "  - criterion: Tanpa poin")
    assert messages(text) == [
        f"{PATH}:11: warning: rubric item 2 repeats the criterion of item 1: 'tujuan dan ruang lingkup jelas'",
        f"{PATH}:13: error: rubric item 3: missing 'points'",
    ]


def test_rubric_needs_1_to_10_criteria():
    items = "".join(f"  - criterion: Kriteria {n}\n    points: 1\n" for n in range(11))
    text = GOOD.split("rubric:")[0] + "rubric:\n" + items + "---\nIsi.\n"
    assert messages(text.replace("pass_points: 8\n", "")) == [f"{PATH}:7: error: rubric has 11 criteria; write 1 to 10"]
    assert messages(task_text(rubric="[]").split("  - criterion")[0] + "---\nIsi.\n") == [
        f"{PATH}:7: error: rubric has 0 criteria; write 1 to 10"]
    assert messages(task_text(rubric="dua kriteria").split("  - criterion")[0] + "---\nIsi.\n") == [
        f"{PATH}:7: error: rubric must be a list of criteria ('- criterion: …' with 'points: …' under it)"]


@pytest.mark.parametrize("value", ["0", "11", "delapan"])
def test_pass_points_must_lie_between_1_and_the_total(value):
    assert messages(task_text(pass_points=value)) == [
        f"{PATH}:13: error: pass_points must be a whole number from 1 to the rubric's total (10)"]


def test_pass_points_equal_to_the_total_is_allowed():
    assert messages(task_text(pass_points="10")) == []


def test_empty_instructions_are_an_error():
    text = GOOD.split("---\n## Yang")[0] + "---\n\n   \n"
    assert messages(text) == [f"{PATH}:15: error: the task has no instructions: write them below the front matter"]


def test_yaml_errors_are_reported_at_their_line():
    assert messages(task_text(minutes="[90")) == [
        f"{PATH}:4: error: front matter is not valid YAML: expected ',' or ']', but got ':'"]


# --- the task in its course folder ------------------------------------------------------------

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
    return root


def put(root: Path, name: str, text: str = GOOD) -> Path:
    path = root / "kursus" / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(root: Path) -> list[str]:
    return [str(p) for p in check_catalog(root) if p.severity == "error"]


def test_the_task_is_attached_to_its_module(root):
    path = put(root, "02-dua.task.md")
    course, problems = load_course(root / "kursus", root=root)
    assert [str(p) for p in problems] == []
    assert course.modules[0].task is None
    task = course.modules[1].task
    assert task.title == "Rencana digitalisasi satu koleksi lokal"
    assert (task.path, task.path_shown) == (str(path), "courses/kursus/02-dua.task.md")


def test_task_problems_name_the_task_file(root):
    put(root, "01-satu.task.md", task_text(minutes="5"))
    assert errors(root) == ["courses/kursus/01-satu.task.md:3: error: minutes must be a whole number "
                            "from 15 to 480 (honest working time)"]
    assert load_course(root / "kursus", root=root)[0] is None


def test_task_for_a_missing_module_is_an_error(root):
    put(root, "03-tiga.task.md")
    assert errors(root) == ["courses/kursus/03-tiga.task.md:0: error: task for unknown module 'tiga'"]


def test_a_module_has_one_task_named_with_its_number(root):
    put(root, "01-satu.task.md")
    put(root, "02-satu.task.md")
    assert errors(root) == [
        "courses/kursus/02-satu.task.md:0: error: task file number 02 does not match its module 01-satu.md: "
        "name it 01-satu.task.md",
        "courses/kursus/02-satu.task.md:0: error: module 'satu' already has a task (01-satu.task.md); "
        "a module has one task"]


def test_a_badly_named_task_file_is_an_error(root):
    put(root, "1-satu.task.md")
    assert errors(root) == ["courses/kursus/1-satu.task.md:0: error: task file name must be "
                            "NN-<module-slug>.task.md"]


def test_task_instructions_are_rendered_sanitized_and_link_checked(root):
    put(root, "01-satu.task.md", GOOD + "\nLihat [modul dua](02-dua.md), [contoh](assets/contoh.pdf)"
                                        " dan <script>alert(1)</script>.\n")
    problems = [str(p) for p in check_catalog(root)]
    assert problems == ["courses/kursus/01-satu.task.md:19: error: link to a missing asset 'assets/contoh.pdf'"]
    (root / "kursus" / "assets").mkdir()
    (root / "kursus" / "assets" / "contoh.pdf").write_bytes(b"%PDF-1.4")
    course, _ = load_course(root / "kursus", root=root)
    html = render_and_check(course, root).rendered.tasks["satu"].html
    assert '<a href="../dua/">modul dua</a>' in html and '<a href="../assets/contoh.pdf">' in html
    assert "<script" not in html and "<h2" in html


def test_a_task_edit_changes_the_source_hash(root):
    put(root, "01-satu.task.md")
    before = load_course(root / "kursus", root=root)[0].source_hash()
    put(root, "01-satu.task.md", task_text(minutes="120"))
    assert load_course(root / "kursus", root=root)[0].source_hash() != before


def test_the_well_numbered_file_is_the_task_when_there_are_two(root):
    put(root, "01-dua.task.md")
    put(root, "02-dua.task.md")
    assert errors(root) == [
        "courses/kursus/01-dua.task.md:0: error: task file number 01 does not match its module 02-dua.md: "
        "name it 02-dua.task.md",
        "courses/kursus/01-dua.task.md:0: error: module 'dua' already has a task (02-dua.task.md); "
        "a module has one task"]


def test_every_mistake_of_one_file_is_reported_at_its_own_line():
    text = task_text(max_files="-1", allowed="[pdf, exe]", pass_points="99").replace(
        "points: 6", "points: dua")
    assert messages(text) == [
        f"{PATH}:5: error: max_files must be a whole number from 0 to 10 (0 = text answer only)",
        f"{PATH}:6: error: allowed: unknown file type 'exe' (use: pdf, docx, xlsx, odt, ods, image)",
        f"{PATH}:12: error: rubric item 2: points must be a whole number from 1 to 100",
    ]  # pass_points is judged against the total only once every criterion has its points
    assert messages(task_text(max_files="-1", pass_points="99")) == [
        f"{PATH}:5: error: max_files must be a whole number from 0 to 10 (0 = text answer only)",
        f"{PATH}:13: error: pass_points must be a whole number from 1 to the rubric's total (10)",
    ]


def test_a_task_asking_for_more_files_than_the_site_accepts_is_a_warning_at_its_line():
    from elearn.content.task import site_limit_problems

    task, _problems = parse_task(GOOD, PATH)  # max_files: 2 on line 5
    assert site_limit_problems(task, 2) == []
    assert [str(p) for p in site_limit_problems(task, 1)] == [
        f"{PATH}:5: warning: max_files is 2 but this site accepts at most 1 files per hand-in (TASK_MAX_FILES): "
        "learners may attach only 1"]
    default, _problems = parse_task(task_text(max_files=None), PATH)  # the default, 3
    assert [p.line for p in site_limit_problems(default, 2)] == [1]
