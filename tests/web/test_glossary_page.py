"""The course glossary page (/courses/<slug>/glossary/): public like the course page, linked
from the course page and every module page, absent (404, no links) for a course without one."""
from __future__ import annotations

import pytest

GLOSSARY = """\
---
title: Glosarium Layanan
---
Basis data
:   Kumpulan data terstruktur.

Pemustaka
:   Pengguna perpustakaan; lihat [modul 2](02-modul-2.md).
"""


@pytest.fixture
def course_with_glossary(write_course, sync):
    folder = write_course(modules=2)
    (folder / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    sync()
    return folder


def test_glossary_page_is_public_with_its_terms_and_the_course_around_it(client, course_with_glossary):
    response = client.get("/courses/kursus-uji/glossary/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Glosarium Layanan</h1>" in html
    assert "<dt>Basis data</dt>" in html and "Kumpulan data terstruktur." in html
    assert '<a href="/courses/kursus-uji/">Kursus kursus-uji</a> › Glosarium' in html
    assert '<a href="../modul-2/">modul 2</a>' in html  # resolves to /courses/kursus-uji/modul-2/
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_course_page_links_to_the_glossary(client, course_with_glossary):
    html = client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert '<a href="/courses/kursus-uji/glossary/">Glosarium</a>' in html


def test_every_module_page_links_to_the_glossary(client, course_with_glossary, make_user, login):
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    for module in ("modul-1", "modul-2"):
        html = client.get(f"/courses/kursus-uji/{module}/").get_data(as_text=True)
        assert '<p class="pager-extra"><a href="/courses/kursus-uji/glossary/">Glosarium</a></p>' in html


def test_glossary_link_speaks_the_interface_language(client, course_with_glossary):
    client.post("/lang", data={"lang": "en", "next": "/"})
    assert '<a href="/courses/kursus-uji/glossary/">Glossary</a>' in client.get("/courses/kursus-uji/").get_data(
        as_text=True)
    assert "› Glossary</nav>" in client.get("/courses/kursus-uji/glossary/").get_data(as_text=True)


def test_course_without_glossary_has_no_page_and_no_links(client, write_course, sync, make_user, login):
    write_course(modules=2)
    sync()
    assert client.get("/courses/kursus-uji/glossary/").status_code == 404
    assert "/glossary/" not in client.get("/courses/kursus-uji/").get_data(as_text=True)
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    assert "/glossary/" not in client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)


def test_unknown_and_retired_courses_have_no_glossary(client, course_with_glossary, sync, tmp_path):
    assert client.get("/courses/tidak-ada/glossary/").status_code == 404
    (tmp_path / "courses" / "kursus-uji").rename(tmp_path / "kursus-lama")
    sync()
    assert client.get("/courses/kursus-uji/glossary/").status_code == 404


def test_links_follow_a_glossary_added_and_removed_by_a_resync(client, write_course, sync, make_user, login):
    folder = write_course(modules=2)
    sync()
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    assert "/glossary/" not in client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    (folder / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    sync()
    assert "/courses/kursus-uji/glossary/" in client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    (folder / "glossary.md").unlink()
    sync()
    assert "/glossary/" not in client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    assert client.get("/courses/kursus-uji/glossary/").status_code == 404
