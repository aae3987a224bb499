"""Catalogue, course overview, module pages and assets."""
from __future__ import annotations


def test_catalogue_lists_live_courses_and_searches(client, write_course, sync):
    write_course("katalogisasi", title="Katalogisasi Dasar")
    write_course("literasi", title="Literasi Informasi")
    sync()
    html = client.get("/courses/").get_data(as_text=True)
    assert "Katalogisasi Dasar" in html and "Literasi Informasi" in html
    html = client.get("/courses/?q=literasi").get_data(as_text=True)
    assert "Literasi Informasi" in html and "Katalogisasi Dasar" not in html
    html = client.get("/courses/?q=tidak-ada-apa-apa").get_data(as_text=True)
    assert "Tidak ada kursus yang cocok" in html


def test_course_overview_shows_hours_level_and_modules(client, write_course, sync):
    write_course(modules=2)
    sync()
    html = client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert "4 JP" in html
    assert "Dasar" in html
    assert "Modul 1" in html and "Modul 2" in html
    assert "Tujuan 2" in html
    assert "30 menit" in html  # 10 + 20 minutes in total


def test_unknown_course_is_404(client):
    assert client.get("/courses/tidak-ada/").status_code == 404


def test_module_page_requires_login(client, write_course, sync):
    write_course()
    sync()
    response = client.get("/courses/kursus-uji/modul-1/")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_module_page_shows_content_toc_and_neighbours(client, write_course, sync, make_user, login):
    write_course(modules=3)
    sync()
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    html = client.get("/courses/kursus-uji/modul-2/").get_data(as_text=True)
    assert "Isi modul 2." in html
    assert 'href="#c-bagian-2"' in html  # table of contents, prefixed ids
    assert 'rel="prev" href="/courses/kursus-uji/modul-1/"' in html
    assert 'rel="next" href="/courses/kursus-uji/modul-3/"' in html
    assert "Modul 2 dari 3" in html


def test_retired_module_is_gone_from_pages(client, write_course, sync, make_user, login):
    folder = write_course(modules=3)
    sync()
    (folder / "03-modul-3.md").unlink()
    sync()
    login(make_user())
    assert client.get("/courses/kursus-uji/modul-3/").status_code == 404
    assert "Modul 3" not in client.get("/courses/kursus-uji/").get_data(as_text=True)


def test_assets_are_served_with_type_and_cache_headers(client, write_course, sync, make_user, login):
    folder = write_course()
    (folder / "assets").mkdir()
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 32
    (folder / "assets" / "gambar.png").write_bytes(png)
    sync()
    assert client.get("/courses/kursus-uji/assets/gambar.png").status_code == 302  # login first
    login(make_user())
    response = client.get("/courses/kursus-uji/assets/gambar.png")
    assert response.status_code == 200
    assert response.data == png
    assert response.headers["Content-Type"] == "image/png"
    assert "max-age=" in response.headers["Cache-Control"]
    again = client.get("/courses/kursus-uji/assets/gambar.png", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_asset_path_traversal_is_refused(client, write_course, sync, make_user, login, tmp_path):
    folder = write_course()
    (folder / "assets").mkdir()
    (folder / "assets" / "a.txt").write_text("ok")
    (tmp_path / "secret.txt").write_text("rahasia")
    sync()
    login(make_user())
    for path in ("../course.md", "..%2fcourse.md", "%2e%2e/%2e%2e/secret.txt", "./a.txt", "a.txt/../../course.md",
                 "/etc/passwd", "..\\course.md"):
        response = client.get(f"/courses/kursus-uji/assets/{path}", follow_redirects=True)
        assert response.status_code == 404, path
        assert b"rahasia" not in response.data and b"title:" not in response.data


def test_non_image_assets_are_downloads(client, write_course, sync, make_user, login):
    folder = write_course()
    (folder / "assets").mkdir()
    (folder / "assets" / "lembar-kerja.html").write_text("<script>alert(1)</script>")
    sync()
    login(make_user())
    response = client.get("/courses/kursus-uji/assets/lembar-kerja.html")
    assert response.headers["Content-Disposition"] == "attachment"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
