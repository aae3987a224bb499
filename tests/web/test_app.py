"""The application shell: configuration, security headers, health, errors, language."""
from __future__ import annotations

import re

import pytest

from elearn import create_app
from elearn.config import DEV_SECRET_KEY


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"APP_ENV": "production", "SECRET_KEY": DEV_SECRET_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_secret_key():
    app = create_app({"APP_ENV": "production", "SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_default_database_is_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"APP_ENV": "development", "SQLALCHEMY_DATABASE_URI": None})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/elearn.sqlite")


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_postgres_url_gets_psycopg_driver():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgres://u@h/db"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unreachable(tmp_path):
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_security_headers_forbid_inline_script_and_framing(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "kata-sandi-yang-panjang"})
    cookie = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")][0]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_forms_require_csrf_token(database_url):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": database_url})
    response = app.test_client().post("/login", data={"email": "a@b.c", "password": "whatever1"})
    assert response.status_code == 400
    assert "Formulir sudah kedaluwarsa" in response.get_data(as_text=True)


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_pages_load_no_external_resources(client):
    """Nothing from another site; scripts only as our own external files (the CSP forbids inline ones)."""
    import re

    html = client.get("/").get_data(as_text=True)
    assert "http://" not in html.replace("http://localhost", "")
    assert "https://" not in html
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the offline and outbox scripts are expected on every page"
    for attributes, body in scripts:
        assert re.search(r'\ssrc="/static/js/[\w.-]+\.js"', attributes) and body.strip() == "", attributes


def test_interface_is_indonesian_by_default_and_switches_to_english(client):
    assert "Katalog kursus" in client.get("/").get_data(as_text=True)
    response = client.post("/lang", data={"lang": "en", "next": "/courses/"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/")
    html = client.get("/courses/").get_data(as_text=True)
    assert "Course catalogue" in html
    assert '<html lang="en">' in html


def test_language_switch_refuses_foreign_redirect(client):
    response = client.post("/lang", data={"lang": "id", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_language_choice_is_remembered_on_the_account(client, make_user, login, db):
    user = make_user()
    login(user)
    client.post("/lang", data={"lang": "en"})
    db.session.refresh(user)
    assert user.locale == "en"


def test_trusted_proxy_address_scheme_and_host_are_believed(database_url):
    from flask import request

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "TRUSTED_PROXIES": 1})

    @app.get("/_seen")
    def seen():
        return {"addr": request.remote_addr, "scheme": request.scheme, "host": request.host}

    headers = {"X-Forwarded-For": "forged, 203.0.113.7", "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "elearn.example.org"}
    assert app.test_client().get("/_seen", headers=headers).json == {
        "addr": "203.0.113.7", "scheme": "https", "host": "elearn.example.org"}


def test_without_trusted_proxies_forwarded_headers_change_nothing(database_url):
    from flask import request

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})

    @app.get("/_seen")
    def seen():
        return {"addr": request.remote_addr, "scheme": request.scheme}

    response = app.test_client().get("/_seen", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert response.json == {"addr": "127.0.0.1", "scheme": "http"}
