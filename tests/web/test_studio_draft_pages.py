"""The studio's stored-draft pages without JavaScript: saving, two trainers on one file, the draft across
logins, publish and discard, file operations, and who may use which route."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from elearn.models import CourseDraft, CourseVersion
from tests.conftest import PASSWORD

TWO = "---\ntitle: Modul Dua Baru\nminutes: 12\n---\n## Bagian baru\n\nTeks **baru**.\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def studio(db, write_course, sync, make_user):
    trainer_a = make_user("trainer", email="a@pelatih.id")
    trainer_b = make_user("trainer", email="b@pelatih.id")
    write_course("kursus-a", extra_front=f"trainers: [{trainer_a.email}]")
    write_course("kursus-b", extra_front=f"trainers: [{trainer_b.email}]")
    assert not sync().failed
    return {"a": trainer_a, "b": trainer_b, "learner": make_user(), "admin": make_user("admin")}


def _started(client, path="02-modul-2.md", slug="kursus-a") -> str:
    page = client.get(f"/studio/{slug}/edit?path={path}")
    assert page.status_code == 200
    return re.search(r'name="sha" type="hidden" value="([0-9a-f]*)"', page.text)[1]


def _save(client, text, sha, path="02-modul-2.md"):
    return client.post("/studio/kursus-a/edit", data={"path": path, "sha": sha, "text": text, "action": "save"})


def test_save_stores_the_draft_not_a_version_and_survives_logout(client, login, studio, db):
    login(studio["a"])
    saved = _save(client, TWO, _started(client))
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/edit?path=02-modul-2.md")
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2
    assert "Modul 2" in client.get("/courses/kursus-a/modul-2/").text  # learners still read version 1
    client.post("/logout")
    login(studio["a"])
    assert "Teks **baru**." in client.get("/studio/kursus-a/edit?path=02-modul-2.md").text
    page = client.get("/studio/kursus-a/")
    assert "Draf belum diterbitkan: 1 perubahan" in page.text and "<code>02-modul-2.md</code>" in page.text
    changes = client.get("/studio/kursus-a/draft/diff")
    assert "Perubahan draf sejak versi 1" in changes.text
    assert '<span class="add">+title: Modul Dua Baru</span>' in changes.text


def test_two_trainers_saving_one_file_get_a_conflict_with_both_texts(client, login, studio, db, app):
    login(studio["a"])
    started = _started(client)
    other = app.test_client()
    assert other.post("/login", data={"email": studio["admin"].email, "password": PASSWORD}).status_code == 302
    assert other.post("/studio/kursus-a/edit", data={"path": "02-modul-2.md", "sha": started, "text": TWO,
                                                     "action": "save"}).status_code == 302
    mine = TWO.replace("Teks", "Tulisan saya")
    conflict = _save(client, mine, started)
    assert conflict.status_code == 409
    assert "Tulisan saya" in conflict.text  # mine, still in the textarea
    assert "Teks **baru**." in conflict.text.split('<textarea')[0]  # theirs, shown above
    assert db.session.scalar(select(func.count()).select_from(CourseDraft)) == 1
    stored = client.get("/studio/kursus-a/edit?path=02-modul-2.md").text
    assert "Tulisan saya" not in stored  # never overwritten silently


def test_publish_from_the_course_page_deletes_the_draft(client, login, studio, db):
    login(studio["a"])
    _save(client, TWO, _started(client))
    published = client.post("/studio/kursus-a/publish", data={"note": "dari draf"})
    assert published.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CourseDraft)) == 0
    assert "Modul Dua Baru" in client.get("/courses/kursus-a/modul-2/").text
    page = client.get("/studio/kursus-a/")
    assert "Draf belum diterbitkan" not in page.text and "dari draf" in page.text


def test_publish_is_refused_while_the_draft_has_errors(client, login, studio, db):
    login(studio["a"])
    _save(client, "---\ntitle: X\nminutes: lama\n---\n", _started(client))
    refused = client.post("/studio/kursus-a/publish", data={"note": ""})
    assert refused.status_code == 422 and "<code>02-modul-2.md:3</code>" in refused.text
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2
    assert db.session.scalar(select(func.count()).select_from(CourseDraft)) == 1
    checked = client.get("/studio/kursus-a/check")
    assert checked.status_code == 422 and "line=3" in checked.text


def test_discard_asks_first_then_deletes_the_draft(client, login, studio, db):
    login(studio["a"])
    _save(client, TWO, _started(client))
    ask = client.get("/studio/kursus-a/discard")
    assert ask.status_code == 200 and "Buang draf?" in ask.text and "02-modul-2.md" in ask.text
    assert db.session.scalar(select(func.count()).select_from(CourseDraft)) == 1
    assert client.post("/studio/kursus-a/discard").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CourseDraft)) == 0
    assert "Isi modul 2." in client.get("/studio/kursus-a/edit?path=02-modul-2.md").text


def test_add_module_and_quiz_then_preview_every_page(client, login, studio, db):
    login(studio["a"])
    added = client.post("/studio/kursus-a/files/module", data={"slug": "katalog-daring", "title": "Katalog Daring"})
    assert added.status_code == 302 and added.headers["Location"].endswith("path=04-katalog-daring.md")
    quiz = client.post("/studio/kursus-a/files/quiz", data={"path": "04-katalog-daring.md"})
    assert quiz.status_code == 302 and quiz.headers["Location"].endswith("path=04-katalog-daring.quiz.md")
    preview = client.get("/studio/kursus-a/preview")
    assert preview.status_code == 200 and "<h1>Katalog Daring</h1>" in preview.text
    assert client.get("/studio/kursus-a/preview/quiz/katalog-daring").status_code == 200
    bad = client.post("/studio/kursus-a/files/module", data={"slug": "Bukan Nama", "title": ""})
    assert bad.status_code == 400 and "huruf kecil" in bad.text


def test_rename_delete_and_reorder_without_javascript(client, login, studio, db):
    login(studio["a"])
    form = client.get("/studio/kursus-a/files/rename?path=02-modul-2.md")
    assert form.status_code == 200 and 'value="02-modul-2.md"' in form.text
    clash = client.post("/studio/kursus-a/files/rename", data={"path": "02-modul-2.md", "new": "03-modul-3.md"})
    assert clash.status_code == 400 and "Naik/Turun" in clash.text
    assert client.post("/studio/kursus-a/files/rename", data={"path": "02-modul-2.md", "new": "02-dua.md"}
                       ).status_code == 302
    assert client.post("/studio/kursus-a/files/move", data={"path": "03-modul-3.md", "direction": "up"}
                       ).status_code == 302
    page = client.get("/studio/kursus-a/")
    assert "02-modul-3.md" in page.text and "03-dua.md" in page.text
    ask = client.get("/studio/kursus-a/files/delete?path=03-dua.md")
    assert ask.status_code == 200 and "Hapus 03-dua.md?" in ask.text
    assert client.post("/studio/kursus-a/files/delete", data={"path": "03-dua.md"}).status_code == 302
    assert "03-dua.md" not in client.get("/studio/kursus-a/").text
    asset = client.post("/studio/kursus-a/files/asset", data={"asset": (io.BytesIO(PNG), "peta.png")},
                        content_type="multipart/form-data")
    assert asset.status_code == 302 and "assets/peta.png" in client.get("/studio/kursus-a/").text
    fake = client.post("/studio/kursus-a/files/asset", data={"asset": (io.BytesIO(b"<html>"), "x.png")},
                       content_type="multipart/form-data")
    assert fake.status_code == 400 and "Jenis berkas tidak diterima" in fake.text
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == 2  # nothing published


DRAFT_ROUTES = [
    ("get", "/studio/kursus-a/check", None), ("get", "/studio/kursus-a/preview", None),
    ("post", "/studio/kursus-a/publish", {"note": "x"}), ("get", "/studio/kursus-a/discard", None),
    ("post", "/studio/kursus-a/discard", {}), ("get", "/studio/kursus-a/draft/diff", None),
    ("post", "/studio/kursus-a/files/module", {"slug": "baru", "title": "Baru"}),
    ("post", "/studio/kursus-a/files/quiz", {"path": "02-modul-2.md"}),
    ("post", "/studio/kursus-a/files/asset", {"asset": (io.BytesIO(PNG), "peta.png")}),
    ("get", "/studio/kursus-a/files/rename?path=02-modul-2.md", None),
    ("post", "/studio/kursus-a/files/rename", {"path": "02-modul-2.md", "new": "02-x.md"}),
    ("get", "/studio/kursus-a/files/delete?path=02-modul-2.md", None),
    ("post", "/studio/kursus-a/files/delete", {"path": "02-modul-2.md"}),
    ("post", "/studio/kursus-a/files/move", {"path": "02-modul-2.md", "direction": "up"}),
    ("post", "/studio/kursus-a/edit", {"path": "02-modul-2.md", "sha": "", "text": "x", "action": "save"}),
]


@pytest.mark.parametrize("who, status", [("b", 403), ("learner", 403)])
@pytest.mark.parametrize("method, url, data", DRAFT_ROUTES, ids=lambda v: v if isinstance(v, str) else None)
def test_draft_routes_are_refused_to_others(client, login, studio, db, who, status, method, url, data):
    login(studio[who])
    if method == "get":
        response = client.get(url)
    else:
        data = dict(data)
        if "asset" in data:
            data["asset"] = (io.BytesIO(PNG), "peta.png")
        response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == status
    assert db.session.scalar(select(func.count()).select_from(CourseDraft)) == 0


@pytest.mark.parametrize("method, url, data", DRAFT_ROUTES, ids=lambda v: v if isinstance(v, str) else None)
def test_draft_routes_of_an_unknown_course_are_404(client, login, studio, method, url, data):
    login(studio["a"])
    url = url.replace("kursus-a", "tidak-ada")
    response = client.get(url) if method == "get" else client.post(url, data={})
    assert response.status_code == 404


def test_a_draft_overtaken_by_a_rollback_says_so_and_cannot_be_published(client, login, studio, db):
    login(studio["a"])
    started = _started(client)
    client.post("/studio/kursus-a/edit", data={"path": "02-modul-2.md", "sha": started, "text": TWO,
                                               "action": "publish"})
    _save(client, TWO.replace("Teks", "Lagi"), _started(client))  # a draft from version 2
    assert client.post("/studio/kursus-a/versions/1/rollback", data={"base": "2"}).status_code == 302  # v3
    page = client.get("/studio/kursus-a/")
    assert "dimulai dari versi 2" in page.text and "tidak dapat diterbitkan" in page.text
    assert 'name="base" value="3"' in page.text  # the history's rollback forms name the live version
    refused = client.post("/studio/kursus-a/publish", data={"note": ""})
    assert refused.status_code == 409
    assert db.session.scalar(select(func.max(CourseVersion.number))) == 3  # kursus-b has version 1 only
