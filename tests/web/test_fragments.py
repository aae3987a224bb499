"""Rendered fragments (layout header/footer, module text and pager) are reused only while everything
that shapes them is the same: role, language, the course's synced content."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import PASSWORD


def _nav(html: str) -> str:
    return html[html.index("<nav aria-label"):html.index("</nav>")]


def test_header_follows_each_users_role_and_language_in_one_process(app, write_course, sync, make_user, login):
    write_course()
    sync()
    learner, supervisor, admin = make_user(), make_user("supervisor"), make_user("admin")
    anonymous = app.test_client()
    assert "Masuk" in _nav(anonymous.get("/courses/").get_data(as_text=True))
    seen = {}
    for user in (learner, supervisor, admin, learner):
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        html = client.get("/courses/").get_data(as_text=True)
        seen[user.role] = html
        assert ("Laporan" in _nav(html)) == (user.role in ("supervisor", "admin")), user.role
        assert ("/admin/" in _nav(html)) == (user.role == "admin"), user.role
        assert "Masuk" not in _nav(html) and "Keluar" in html
    # per-session values stay outside the cached header: every session has its own CSRF token
    tokens = {re.search(r'name="csrf_token" value="([^"]+)"', html).group(1) for html in seen.values()}
    assert len(tokens) == len(seen)
    english = app.test_client()
    english.post("/login", data={"email": supervisor.email, "password": PASSWORD})
    english.post("/lang", data={"lang": "en"})
    html = english.get("/courses/").get_data(as_text=True)
    assert "Reports" in _nav(html) and "Laporan" not in _nav(html) and "Log out" in html
    assert "Verify a certificate" in html[html.index("<footer"):]
    assert "Katalog kursus" in _nav(anonymous.get("/courses/").get_data(as_text=True))


def test_module_page_shows_resynced_text_titles_and_links(client, write_course, sync, make_user, login):
    folder = write_course(modules=3)
    sync()
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    before = client.get("/courses/kursus-uji/modul-2/").get_data(as_text=True)
    assert "Isi modul 2." in before and "Modul 3 →" in before and "Modul 2 dari 3" in before
    (folder / "02-modul-2.md").write_text("---\ntitle: Modul 2\nminutes: 20\n---\nIsi yang diperbarui.\n",
                                          encoding="utf-8")
    (folder / "03-modul-3.md").write_text("---\ntitle: Modul Tiga Baru\nminutes: 30\n---\nIsi 3.\n",
                                          encoding="utf-8")
    (folder / "04-modul-4.md").write_text("---\ntitle: Modul 4\nminutes: 5\n---\nIsi 4.\n", encoding="utf-8")
    sync()
    after = client.get("/courses/kursus-uji/modul-2/").get_data(as_text=True)
    assert "Isi yang diperbarui." in after and "Isi modul 2." not in after
    assert "Modul Tiga Baru →" in after and "Modul 2 dari 4" in after
    assert "Tujuan 2" not in after  # the objectives went with the old text


def test_module_text_is_shared_but_progress_and_preview_note_are_not(app, write_course, sync, make_user):
    write_course()
    sync()
    trainer_client, learner_client = app.test_client(), app.test_client()
    trainer, learner = make_user("trainer"), make_user()
    trainer_client.post("/login", data={"email": trainer.email, "password": PASSWORD})
    learner_client.post("/login", data={"email": learner.email, "password": PASSWORD})
    preview = trainer_client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    assert "Pratinjau" in preview and "Isi modul 1." in preview
    learner_client.post("/courses/kursus-uji/enroll")
    read = learner_client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    assert "Pratinjau" not in read and "Isi modul 1." in read and "Tandai selesai" in read
    learner_client.post("/courses/kursus-uji/modul-1/complete")
    done = learner_client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)
    assert "Modul ini sudah selesai." in done and "Tandai selesai" not in done and 'value="16"' in done
    assert "Pratinjau" in trainer_client.get("/courses/kursus-uji/modul-1/").get_data(as_text=True)


def test_the_user_menu_is_shared_but_its_holes_are_each_requests_own(app, write_course, sync, make_user):
    write_course()
    sync()
    # a name with markup and with the characters that mark a hole: escaped, and never read as a hole
    tricky = make_user(name='<b onmouseover="x()">Ani</b> \x1ecsrf\x1f & Co')
    plain = make_user(name="Budi Santoso")
    pages = {}
    for user in (tricky, plain, tricky):
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        pages[user.name] = (client, client.get("/courses/?page=1&q=a").get_data(as_text=True))
    client, html = pages[tricky.name]
    menu = html[html.index('<details class="user-menu">'):]
    assert '&lt;b onmouseover=&#34;x()&#34;&gt;Ani&lt;/b&gt;' in menu and "<b " not in menu
    assert "Ani&lt;/b&gt; \x1ecsrf\x1f &amp; Co</span>" in menu  # the name as typed, not a token
    # the language form comes back to this page, query string included, escaped in the attribute
    assert 'name="next" value="/courses/?page=1&amp;q=a"' in menu
    # the CSRF token in the menu is the session's own: logging out with it works
    token = re.search(r'name="csrf_token" value="([^"]+)"', menu).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/certificates/").status_code == 302  # signed out
    assert "Budi Santoso" in pages["Budi Santoso"][1] and "Ani" not in pages["Budi Santoso"][1]


def test_the_bell_count_is_part_of_the_shared_menus_key(app, db, write_course, sync, make_user):
    from elearn.services.notifications import notify

    write_course()
    sync()
    reader = make_user(name="Rina")
    client = app.test_client()
    client.post("/login", data={"email": reader.email, "password": PASSWORD})
    assert 'class="badge"' not in client.get("/courses/").get_data(as_text=True)
    notify(db.session, reader.id, "assignment_new", {"course": "Kursus Uji", "due": "2099-12-31"}, dedup_key="t")
    db.session.commit()
    assert '<span class="badge">1</span>' in client.get("/courses/").get_data(as_text=True)


def test_the_questions_pager_is_shared_only_when_the_page_number_is_the_only_argument(
        client, db, write_course, sync, make_user, login):
    from elearn.models import Module, ModuleQuestion
    from elearn.models._types import utcnow

    write_course(modules=1)
    sync()
    asker = make_user()
    login(asker)
    client.post("/courses/kursus-uji/enroll")
    module_id = db.session.scalar(select(Module.id).where(Module.slug == "modul-1"))
    db.session.add_all([ModuleQuestion(module_id=module_id, user_id=asker.id, text=f"T{n}", html=f"<p>T{n}</p>",
                                       asked_at=utcnow()) for n in range(25)])  # 3 pages of 10
    db.session.commit()

    def pager(path: str) -> str:
        html = client.get(path).get_data(as_text=True)
        return html[html.index('<nav class="pager" aria-label="Halaman">'):].split("</nav>")[0]

    assert "halaman 2 dari 3" in pager("/courses/kursus-uji/modul-1/?page=2")
    assert 'href="/courses/kursus-uji/modul-1/?page=1"' in pager("/courses/kursus-uji/modul-1/?page=2")
    with_other = pager("/courses/kursus-uji/modul-1/?page=2&urut=lama")
    assert "urut=lama" in with_other and "page=3" in with_other
    assert "urut" not in pager("/courses/kursus-uji/modul-1/?page=2")  # the shared copy has no foreign argument
    assert "halaman 3 dari 3" in pager("/courses/kursus-uji/modul-1/?page=3")
