"""People behind one address, brute force on one account, and the address behind a proxy.

These tests run with rate limiting on and the shipped default limits unless a test names one.
"""
from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn import create_app
from elearn.models import AuditEvent, User
from elearn.services.login_throttle import ThrottleRules
from tests.conftest import PASSWORD

ROOM = "192.0.2.10"  # the training room's one public address


@pytest.fixture
def limited_app(database_url, app):
    """make(**settings): the site with rate limiting on (Flask-Limiter), on the suite's database."""

    def make(**settings):
        return create_app({"TESTING": True, "RATELIMIT_ENABLED": True, "SQLALCHEMY_DATABASE_URI": database_url,
                           **settings})

    return make


def _client(app, address: str = ROOM):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _login(client, email: str, password: str, **headers) -> int:
    return client.post("/login", data={"email": email, "password": password}, headers=headers).status_code


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_forty_people_on_one_address_set_passwords_and_log_in_while_brute_force_is_stopped(limited_app, db,
                                                                                         make_user):
    site = limited_app()
    started = time.monotonic()
    admin, victim = make_user("admin"), make_user(email="korban@example.org")
    office = _client(site)
    assert _login(office, admin.email, PASSWORD) == 302
    rows = "".join(f"Peserta {n},peserta{n}@example.org\n" for n in range(40))
    report = office.post("/admin/users/import", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(("name,email\n" + rows).encode()), "kelas.csv")})
    links = re.findall(r'readonly value="http://localhost(/reset/[^"]+)"', report.get_data(as_text=True))
    assert len(links) == 40

    attacker = _client(site)
    attempts = [_login(attacker, victim.email, f"tebakan-{n:04d}") for n in range(30)]
    assert attempts[:6] == [200] * 6 and set(attempts[6:]) == {429}
    assert _login(attacker, victim.email, PASSWORD) == 429  # the right password is not even checked now

    for n, link in enumerate(links):
        person = _client(site)
        new_password = f"sandi-peserta-{n:02d}-baru"
        assert person.get(link).status_code == 200
        assert person.post(link, data={"new": new_password, "confirm": new_password}).status_code == 302, n
        assert _login(person, f"peserta{n}@example.org", "salah-ketik-sekali") == 200  # a typo first
        assert _login(person, f"peserta{n}@example.org", new_password) == 302, n
    assert time.monotonic() - started < 300
    assert len(_events(db, "login.success")) == 41
    blocked = _events(db, "login.blocked")
    assert len(blocked) == 25 and {e.detail["reason"] for e in blocked} == {"account"}
    assert all(e.ip == ROOM and e.subject_id == victim.id for e in blocked)


def test_successful_logins_do_not_count_against_the_address(limited_app, make_user):
    site = limited_app(RATELIMIT_LOGIN="3 per minute")
    users = [make_user() for _ in range(6)]
    for user in users:
        assert _login(_client(site), user.email, PASSWORD) == 302
    anyone = _client(site)
    assert [_login(anyone, "siapa@example.org", "salah-salah-salah") for _ in range(4)] == [200, 200, 200, 429]


def test_address_limit_breach_is_audited(limited_app, db):
    site = limited_app(RATELIMIT_LOGIN="2 per minute")
    client = _client(site)
    for _ in range(3):
        _login(client, "siapa@example.org", "salah-salah-salah")
    blocked = _events(db, "login.blocked")
    assert [(e.detail["reason"], e.detail["email"], e.ip) for e in blocked] == [
        ("address", "siapa@example.org", ROOM)]


def test_admin_reset_unlocks_a_blocked_account(limited_app, client, db, make_user, login):
    site = limited_app()
    victim = make_user()
    attacker = _client(site)
    for n in range(7):
        _login(attacker, victim.email, f"tebakan-{n}")
    assert _login(_client(site), victim.email, PASSWORD) == 429
    login(make_user("admin"))
    page = client.post(f"/admin/users/{victim.id}/reset-link").get_data(as_text=True)
    link = re.search(r'readonly value="http://localhost(/reset/[^"]+)"', page).group(1)
    owner = _client(site)
    assert owner.post(link, data={"new": "sandi-baru-milik-sendiri", "confirm": "sandi-baru-milik-sendiri"}
                      ).status_code == 302
    assert _login(owner, victim.email, "sandi-baru-milik-sendiri") == 302


def test_unknown_and_known_emails_are_throttled_alike(limited_app):
    site = limited_app()
    client = _client(site)
    codes = [_login(client, "tidak-ada@example.org", "salah-salah-salah") for _ in range(7)]
    assert codes == [200] * 6 + [429]


def test_delay_grows_per_failure_up_to_the_ceiling():
    rules = ThrottleRules(free_failures=5, delay_seconds=30, max_delay_seconds=3600)
    assert [rules.delay_after(n) for n in range(1, 6)] == [None] * 5
    assert [rules.delay_after(n).total_seconds() for n in (6, 7, 8, 9)] == [30, 60, 120, 240]
    assert rules.delay_after(40) == timedelta(hours=1)


def test_failures_are_forgotten_after_their_memory_and_after_a_success(db, make_user):
    from elearn.models._types import utcnow
    from elearn.services.login_throttle import blocked_until, forget_failures, record_failure

    rules = ThrottleRules(free_failures=1, delay_seconds=30, max_delay_seconds=60, memory_seconds=600)
    now = utcnow()
    assert record_failure(db.session, "a@example.org", rules, now) is None
    assert record_failure(db.session, "A@example.org ", rules, now) == now + timedelta(seconds=30)
    assert blocked_until(db.session, "a@example.org", now) is not None
    later = now + timedelta(seconds=601)
    assert record_failure(db.session, "a@example.org", rules, later) is None  # counting starts again
    forget_failures(db.session, "a@example.org")
    assert blocked_until(db.session, "a@example.org", later) is None


@pytest.mark.parametrize("limit_name", ["RATELIMIT_LOGIN", "RATELIMIT_RESET", "RATELIMIT_REGISTER",
                                        "RATELIMIT_PASSWORD_CHANGE", "RATELIMIT_VERIFY", "RATELIMIT_QUIZ_START"])
def test_every_limit_is_a_setting(limit_name):
    import os

    from elearn.config import Config

    assert getattr(Config, limit_name)
    assert limit_name in open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md")).read()


def test_register_limit_is_a_setting(limited_app):
    site = limited_app(SELF_REGISTRATION=True, RATELIMIT_REGISTER="2 per hour")
    client = _client(site)
    codes = [client.post("/register", data={"email": f"r{n}@example.org", "name": "R", "new": "x",
                                            "confirm": "x"}).status_code for n in range(3)]
    assert codes == [200, 200, 429]


# --- behind a proxy -------------------------------------------------------------------------------

PROXY = "10.0.0.5"


def test_behind_one_trusted_proxy_the_client_address_is_audited_and_limited(limited_app, db):
    site = limited_app(TRUSTED_PROXIES=1, RATELIMIT_LOGIN="2 per minute")
    via_proxy = _client(site, PROXY)
    first, second = {"X-Forwarded-For": "203.0.113.7"}, {"X-Forwarded-For": "203.0.113.8"}
    codes = [_login(via_proxy, f"a{n}@example.org", "salah-salah-salah", **first) for n in range(3)]
    assert codes == [200, 200, 429]
    assert _login(via_proxy, "b@example.org", "salah-salah-salah", **second) == 200  # another client
    failures = _events(db, "login.failure")
    assert [e.ip for e in failures] == ["203.0.113.7", "203.0.113.7", "203.0.113.8"]


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(limited_app, db):
    site = limited_app(TRUSTED_PROXIES=0, RATELIMIT_LOGIN="2 per minute")
    client = _client(site, PROXY)
    codes = [_login(client, f"a{n}@example.org", "salah-salah-salah", **{"X-Forwarded-For": f"198.51.100.{n}"})
             for n in range(3)]
    assert codes == [200, 200, 429]
    assert {e.ip for e in _events(db, "login.failure")} == {PROXY}
    assert {e.ip for e in _events(db, "login.blocked")} == {PROXY}


@pytest.mark.parametrize(("hops", "scheme"), [(1, "https"), (0, "http")])
def test_forwarded_scheme_is_trusted_only_from_trusted_proxies(limited_app, hops, scheme):
    site = limited_app(TRUSTED_PROXIES=hops)
    document = _client(site, PROXY).get("/.well-known/binapustaka-keys.json",
                                        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert f'"{scheme}://localhost/' in document.get_data(as_text=True)
