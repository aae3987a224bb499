"""Defect 13.12: a password change or an admin reset ends every other session and remember-me cookie."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

NEW = "sandi-baru-yang-panjang"


@pytest.fixture
def browser_of(app):
    """browser_of(user, remember=False): a separate test client logged in as ``user`` (another device)."""

    def open_session(user, remember: bool = False, password: str = PASSWORD):
        other = app.test_client()
        data = {"email": user.email, "password": password}
        if remember:
            data["remember"] = "y"
        assert other.post("/login", data=data).status_code == 302
        return other

    return open_session


def _remember_only(app, client):
    """The client keeps its remember-me cookie and loses its session cookie (the browser was closed)."""
    client.delete_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return client


def _logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_password_change_ends_other_sessions_and_keeps_the_current_one(app, client, make_user, login, browser_of):
    user = make_user()
    login(user)
    second = browser_of(user)
    remembered = _remember_only(app, browser_of(user, remember=True))
    assert _logged_in(second) and _logged_in(remembered)
    response = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert _logged_in(client)
    assert not _logged_in(second)
    assert not _logged_in(_remember_only(app, remembered))


def test_password_change_keeps_the_changers_remember_me(app, make_user, browser_of):
    user = make_user()
    me = browser_of(user, remember=True)
    assert me.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW}).status_code == 302
    assert _logged_in(_remember_only(app, me))


def test_admin_reset_link_ends_every_session_of_that_account(app, client, make_user, login, browser_of):
    user = make_user()
    first, remembered = browser_of(user), _remember_only(app, browser_of(user, remember=True))
    login(make_user("admin"))
    assert client.post(f"/admin/users/{user.id}/reset-link").status_code == 200
    assert not _logged_in(first)
    assert not _logged_in(remembered)


def test_setting_a_password_through_a_link_ends_other_sessions(app, db, make_user, browser_of):
    from elearn.services.password_reset import issue_reset_token

    user = make_user()
    before = browser_of(user)
    token = issue_reset_token(db.session, user.id, actor_id=None)
    db.session.commit()
    assert not _logged_in(before)  # issuing already ended it
    again = browser_of(user)
    assert app.test_client().post(f"/reset/{token}", data={"new": NEW, "confirm": NEW}).status_code == 302
    assert not _logged_in(again)
    assert _logged_in(browser_of(user, password=NEW))


def test_other_users_sessions_are_untouched(client, make_user, login, browser_of):
    user, neighbour = make_user(), make_user()
    theirs = browser_of(neighbour)
    login(user)
    client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert _logged_in(theirs)
