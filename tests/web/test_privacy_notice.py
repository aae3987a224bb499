"""The privacy notice: in Indonesian and English, linked from every page's footer, shown after login until
the person acknowledges its current version, shown again when it changes."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.models import AuditEvent, User

BANNER = 'aria-labelledby="privacy-banner-title"'


@pytest.mark.parametrize("path", ["/", "/courses/", "/login", "/verify", "/privacy", "/no-such-page"])
def test_every_page_links_the_notice_from_its_footer(client, path):
    html = client.get(path).get_data(as_text=True)
    assert '<a href="/privacy">Pemberitahuan privasi</a>' in html[html.index("<footer"):]


def test_the_notice_names_the_controller_contact_and_retention_from_settings(app, client):
    app.config.update(PRIVACY_CONTROLLER_NAME="Dinas Perpustakaan Kota Contoh", PRIVACY_CONTACT="dpo@contoh.go.id",
                      PRIVACY_AUDIT_IP_DAYS=90)
    html = client.get("/privacy").get_data(as_text=True)
    assert "Dinas Perpustakaan Kota Contoh adalah pengendali data pribadi" in html
    assert "dpo@contoh.go.id" in html and "dihapus setelah 90 hari" in html
    assert "3 × 24 jam" in html and "Data saya" in html
    client.post("/lang", data={"lang": "en"})
    english = client.get("/privacy").get_data(as_text=True)
    assert "Privacy notice" in english and "is the personal data controller" in english
    assert "removed after 90 days" in english


def test_without_a_contact_setting_the_notice_points_to_the_admins(app, client):
    app.config["PRIVACY_CONTACT"] = ""
    assert "hubungi admin BinaPustaka di instansi Anda" in client.get("/privacy").get_data(as_text=True)


def test_the_notice_is_shown_after_login_until_acknowledged(client, db, make_user, login):
    user = make_user()
    login(user)
    home = client.get("/").get_data(as_text=True)
    assert BANNER in home and "/privacy/acknowledge" in home
    assert BANNER in client.get("/courses/").get_data(as_text=True)
    response = client.post("/privacy/acknowledge", data={"next": "/courses/"})
    assert response.headers["Location"] == "/courses/"
    assert BANNER not in client.get("/").get_data(as_text=True)
    db.session.expire_all()
    acknowledged = db.session.get(User, user.id)
    assert acknowledged.privacy_notice_version and acknowledged.privacy_notice_at
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.notice_acknowledged"))
    assert event.detail["version"] == acknowledged.privacy_notice_version
    client.post("/logout")
    login(user)
    assert BANNER not in client.get("/").get_data(as_text=True)  # once


def test_a_changed_notice_is_shown_again(app, client, make_user, login):
    login(make_user())
    client.post("/privacy/acknowledge", data={"next": "/"})
    assert BANNER not in client.get("/").get_data(as_text=True)
    app.config["PRIVACY_CONTACT"] = "pdp@bontangkota.go.id"
    assert BANNER in client.get("/").get_data(as_text=True)


def test_acknowledging_goes_back_only_to_local_pages(client, make_user, login):
    login(make_user())
    assert client.post("/privacy/acknowledge", data={"next": "//evil.example/x"}).headers["Location"] == "/"


def test_visitors_see_no_banner(client):
    assert BANNER not in client.get("/").get_data(as_text=True)


def test_a_page_answering_a_post_sends_the_acknowledgement_home(client, make_user, login):
    login(make_user())
    html = client.post("/account/data/deletion", data={"reason": ""}).get_data(as_text=True)
    banner = html[html.index(BANNER):]
    assert '<input type="hidden" name="next" value="/">' in banner
    html = client.get("/account/data?tab=1").get_data(as_text=True)
    assert '<input type="hidden" name="next" value="/account/data?tab=1">' in html[html.index(BANNER):]
