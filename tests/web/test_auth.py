"""Logging in and out."""
from __future__ import annotations

from tests.conftest import PASSWORD


def test_login_with_right_password_logs_in(client, make_user):
    user = make_user(name="Siti Aminah")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD},
                           follow_redirects=True)
    assert "Siti Aminah" in response.get_data(as_text=True)


def test_login_with_wrong_password_shows_form_error(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "salah-sekali"})
    assert response.status_code == 200
    assert "Email atau kata sandi salah" in response.get_data(as_text=True)


def test_login_with_unknown_email_gives_same_message(client):
    response = client.post("/login", data={"email": "nobody@example.org", "password": "salah-sekali"})
    assert "Email atau kata sandi salah" in response.get_data(as_text=True)


def test_disabled_account_cannot_log_in(client, make_user):
    user = make_user(active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Email atau kata sandi salah" in response.get_data(as_text=True)


def test_disabling_an_account_ends_its_session(client, make_user, login, db, write_course, sync):
    write_course()
    sync()
    user = make_user()
    login(user)
    client.post("/courses/kursus-uji/enroll")
    assert client.get("/courses/kursus-uji/modul-1/").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/courses/kursus-uji/modul-1/").status_code == 302


def test_login_redirects_only_to_local_next(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": "/courses/"})
    assert response.headers["Location"] == "/courses/"


def test_logout_requires_post_and_ends_session(client, make_user, login, write_course, sync):
    write_course()
    sync()
    login(make_user())
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    response = client.get("/courses/kursus-uji/modul-1/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_is_rate_limited(database_url, make_user):
    from elearn import create_app

    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute",
                      "SQLALCHEMY_DATABASE_URI": database_url})
    client = app.test_client()
    codes = [client.post("/login", data={"email": "x@example.org", "password": "salah-sekali"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_password_hash_is_argon2(make_user):
    assert make_user().password_hash.startswith("$argon2id$")
