"""The course glossary (glossary.md): loaded, rendered and sanitized like the overview, its terms
checked (present, each once, alphabetical), and linkable as glossary.md."""
from __future__ import annotations

from pathlib import Path

import pytest

from elearn.content.course import load_course
from elearn.content.course_check import check_catalog, render_and_check
from elearn.content.glossary import glossary_terms, sort_key

COURSE = """\
---
title: Kursus Uji
summary: Ringkasan.
language: id
version: "1.0"
hours: 1
level: dasar
---
Ikhtisar; lihat [glosarium](glossary.md).
"""
GLOSSARY = """\
---
title: Glosarium
---
Istilah yang dipakai di kursus ini.

Basis data
:   Kumpulan data terstruktur yang disimpan dan dikelola bersama.

*Daring*
:   Dalam jaringan (*online*); lawannya luring.

Éntri
:   Satu cantuman katalog. Lihat [modul satu](01-satu.md).

Metadata
:   Data tentang data.
"""


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "courses"
    folder = root / "kursus"
    folder.mkdir(parents=True)
    (folder / "course.md").write_text(COURSE, encoding="utf-8")
    (folder / "01-satu.md").write_text("---\ntitle: Satu\nminutes: 10\n---\nIsi; [istilah](glossary.md).\n",
                                       encoding="utf-8")
    (folder / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check_catalog(root) if not p.message.startswith("hours: ")]


def write_glossary(root: Path, text: str) -> None:
    (root / "kursus" / "glossary.md").write_text(text, encoding="utf-8")


def test_glossary_is_loaded_rendered_and_its_terms_found(root):
    course, problems = load_course(root / "kursus", root=root)
    assert problems == []
    assert course.glossary.title == "Glosarium"
    assert course.glossary.path_shown == "courses/kursus/glossary.md" and course.glossary.body_line == 4
    checked = render_and_check(course, root)
    assert checked.problems == []
    html = checked.rendered.glossary.html
    assert "<dl>" in html and "<dt>Basis data</dt>" in html
    assert glossary_terms(checked.rendered.glossary) == ["Basis data", "Daring", "Éntri", "Metadata"]
    assert '<a href="../satu/">modul satu</a>' in html  # the glossary page sits at a module page's depth


def test_links_to_glossary_md_lead_to_the_glossary_page(root):
    course, _ = load_course(root / "kursus", root=root)
    rendered = render_and_check(course, root).rendered
    assert '<a href="glossary/">glosarium</a>' in rendered.overview.html
    assert '<a href="../glossary/">istilah</a>' in rendered.modules["satu"].html


def test_link_to_glossary_md_without_a_glossary_is_an_error(root):
    (root / "kursus" / "glossary.md").unlink()
    assert problems_of(root) == [
        "courses/kursus/course.md:9: error: link to glossary.md, but the course has none",
        "courses/kursus/01-satu.md:5: error: link to glossary.md, but the course has none"]


def test_glossary_html_is_sanitized(root):
    write_glossary(root, GLOSSARY + "\nXSS\n:   <script>alert(1)</script><img src=x onerror=alert(1)>"
                                    "[klik](javascript:alert(1))\n")
    course, _ = load_course(root / "kursus", root=root)
    html = render_and_check(course, root).rendered.glossary.html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_missing_title_unknown_key_and_empty_body(root):
    write_glossary(root, "---\nwarna: biru\n---\n\n")
    assert problems_of(root) == [
        "courses/kursus/glossary.md:1: error: missing front-matter key 'title'",
        "courses/kursus/glossary.md:2: warning: unknown front-matter key 'warna'",
        "courses/kursus/glossary.md:4: error: the glossary is empty: write its terms below the front matter"]
    assert load_course(root / "kursus", root=root)[0] is None


def test_title_must_be_text(root):
    write_glossary(root, GLOSSARY.replace("title: Glosarium", "title: [a, b]"))
    assert problems_of(root) == ["courses/kursus/glossary.md:2: error: title must be text"]


def test_a_glossary_without_terms_is_an_error(root):
    write_glossary(root, "---\ntitle: Glosarium\n---\nBelum ada istilah.\n")
    assert problems_of(root) == [
        "courses/kursus/glossary.md:4: error: the glossary has no terms: write each term on its own line, its "
        "definition on the next line after ':   '"]


def test_a_term_twice_and_a_term_out_of_order_are_warnings_at_their_lines(root):
    write_glossary(root, GLOSSARY + "\nArsip\n:   Rekaman kegiatan.\n\nbasis data\n:   Lagi.\n")
    assert problems_of(root) == [
        "courses/kursus/glossary.md:18: warning: the term 'Arsip' is out of alphabetical order: it stands after "
        "'Metadata'",
        "courses/kursus/glossary.md:21: warning: the term 'basis data' is defined twice (first on line 6)"]


def test_alphabetical_order_ignores_case_and_accents():
    assert sort_key("Éntri") == "entri" and sort_key("Basis Data") == "basis data"
    assert sorted(["metadata", "Éntri", "Daring"], key=sort_key) == ["Daring", "Éntri", "metadata"]


def test_a_glossary_edit_changes_the_source_hash(root):
    before = load_course(root / "kursus", root=root)[0].source_hash()
    write_glossary(root, GLOSSARY.replace("Data tentang data.", "Data yang menerangkan data lain."))
    assert load_course(root / "kursus", root=root)[0].source_hash() != before


def test_glossary_md_is_not_taken_for_a_module(root):
    course, problems = load_course(root / "kursus", root=root)
    assert [m.slug for m in course.modules] == ["satu"] and problems == []
