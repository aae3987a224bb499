"""Courses readable offline, server side: the service worker route, the offline page, what a saved
course holds (enrolled learners only), "Tandai selesai" replayed idempotently, logout clearing it all."""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.models import CourseAsset, ModuleProgress


def _course(write_course, sync, modules=3, requires_last=False):
    folder = write_course(modules=modules)
    (folder / "assets").mkdir()
    (folder / "assets" / "gambar.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 1000)
    if requires_last:
        last = folder / f"{modules:02d}-modul-{modules}.md"
        last.write_text(last.read_text(encoding="utf-8").replace("minutes:", "requires: [modul-1]\nminutes:", 1),
                        encoding="utf-8")
    report = sync()
    assert not report.failed, report.problems
    return folder


def test_service_worker_is_served_from_the_root_with_its_headers(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b"addEventListener(\"fetch\"" in response.data


def test_offline_page_is_public_and_says_so(client):
    html = client.get("/offline").get_data(as_text=True)
    assert "Tidak ada sambungan" in html and "/static/css/site.css" in html


def test_pages_load_the_scripts_and_hand_them_their_words(client, make_user, login):
    html = client.get("/").get_data(as_text=True)
    assert 'src="/static/js/offline.js"' in html and 'data-signed-in=""' in html
    user = make_user()
    login(user)
    html = client.get("/").get_data(as_text=True)
    assert f'data-user="{user.id}"' in html  # the outbox sends a learner's actions only in their session
    assert 'data-signed-in="1"' in html and 'data-msg-offline="Anda sedang offline' in html
    assert "<script>" not in html  # CSP: no inline script


def test_saved_course_lists_readable_modules_assets_size_and_version(client, write_course, sync, make_user,
                                                                    login, db):
    _course(write_course, sync, requires_last=True)
    login(make_user())
    assert client.get("/courses/kursus-uji/offline.json").status_code == 403  # not enrolled
    client.post("/courses/kursus-uji/enroll")
    bundle = client.get("/courses/kursus-uji/offline.json").get_json()
    assert bundle["pages"] == ["/courses/kursus-uji/", "/courses/kursus-uji/modul-1/", "/courses/kursus-uji/modul-2/"]
    assert bundle["assets"] == ["/courses/kursus-uji/assets/gambar.png"]  # modul-3 is locked: not yet
    asset_bytes = db.session.scalar(select(func.sum(func.length(CourseAsset.content))))
    assert bundle["size"] > asset_bytes and bundle["version"].startswith("1.0-")
    html = client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert f'data-version="{bundle["version"]}"' in html
    assert "Simpan untuk dibaca offline" in html and 'data-offline-bundle="/courses/kursus-uji/offline.json"' in html


def test_saved_course_refused_to_visitors_and_unknown_courses(client, write_course, sync):
    _course(write_course, sync)
    assert client.get("/courses/kursus-uji/offline.json").status_code == 302  # to the login page
    html = client.get("/courses/kursus-uji/").get_data(as_text=True)
    assert "Simpan untuk dibaca offline" not in html


def test_storing_a_module_for_offline_is_not_reading_it(client, write_course, sync, make_user, login, db):
    _course(write_course, sync)
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    response = client.get("/courses/kursus-uji/modul-2/", headers={"X-Offline-Save": "1"})
    assert response.status_code == 200 and "Isi modul 2." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 0
    client.get("/courses/kursus-uji/modul-2/")
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 1


def test_complete_replayed_from_the_phone_counts_once(client, write_course, sync, make_user, login, db):
    _course(write_course, sync)
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    for _ in range(3):  # the outbox may send the same action again after a dropped answer
        reply = client.post("/courses/kursus-uji/modul-1/complete.json")
        assert reply.status_code == 200 and reply.get_json()["code"] == "completed"
    rows = db.session.scalars(select(ModuleProgress)).all()
    assert len(rows) == 1 and rows[0].completed_at is not None
    html = client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    assert "Modul ini sudah selesai." in html


def test_complete_replayed_for_a_retired_or_locked_module_is_refused_with_a_reason(
        client, write_course, sync, make_user, login):
    folder = _course(write_course, sync, requires_last=True)
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    locked = client.post("/courses/kursus-uji/modul-3/complete.json")
    assert locked.status_code == 409 and locked.get_json()["code"] == "locked"
    (folder / "02-modul-2.md").unlink()  # a new version retires module 2
    sync()
    gone = client.post("/courses/kursus-uji/modul-2/complete.json")
    assert gone.status_code == 404 and gone.get_json()["code"] == "not_found"
    assert "tidak ada lagi" in gone.get_json()["message"]


def test_complete_json_needs_enrollment(client, write_course, sync, make_user, login):
    _course(write_course, sync)
    login(make_user())
    reply = client.post("/courses/kursus-uji/modul-1/complete.json")
    assert reply.status_code == 409 and reply.get_json()["code"] == "not_enrolled"


def test_logout_tells_the_browser_to_delete_saved_pages(client, make_user, login):
    login(make_user())
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_attempt_pages_and_accounts_are_never_kept(client, make_user, login):
    """The worker keeps only /courses/ pages without no-store; the attempt page says no-store."""
    from pathlib import Path

    import elearn

    worker = (Path(elearn.__file__).parent / "static" / "js" / "sw.js").read_text(encoding="utf-8")
    assert 'control.indexOf("no-store") === -1' in worker and "^\\/courses\\/" in worker


def test_site_is_installable_with_a_manifest_and_icons(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    response = client.get("/manifest.webmanifest")
    assert response.headers["Content-Type"] == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
