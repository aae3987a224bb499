"""`flask privacy prune` removes exactly what the retention settings say; `privacy inventory` lists every
column holding personal data with counts."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from elearn.models import AuditEvent, DataExport, LoginThrottle, PasswordReset, User
from elearn.models._types import utcnow
from elearn.services.privacy.registry import POLICIES


def _event(db, action: str, days_ago: float, ip: str | None = "10.0.0.9", **detail) -> int:
    event = AuditEvent(action=action, at=utcnow() - timedelta(days=days_ago), ip=ip, detail=detail)
    db.session.add(event)
    db.session.flush()
    return event.id


def test_prune_removes_exactly_what_the_settings_say(app, db, make_user):
    app.config.update(PRIVACY_AUDIT_IP_DAYS=30, PRIVACY_LOGIN_EVENT_DAYS=90, PRIVACY_INACTIVE_MONTHS=6)
    now = utcnow()
    ids = {
        "old login": _event(db, "login.success", 91),
        "old failure": _event(db, "login.failure", 120, email="x@example.org"),
        "old logout": _event(db, "logout", 200),
        "recent login with old ip": _event(db, "login.success", 31),
        "recent login": _event(db, "login.success", 29),
        "old change": _event(db, "user.updated", 400),
        "fresh change": _event(db, "user.updated", 1),
    }
    never_used = make_user(name="Tidak Pernah Masuk")
    used = make_user(name="Pernah Masuk")
    fresh = make_user(name="Baru Dibuat")
    for user, months in ((never_used, 7), (used, 7), (fresh, 5)):
        user.created_at = now - timedelta(days=31 * months)
    used.last_login_at = now - timedelta(days=300)
    resets = {
        "expired": PasswordReset(user_id=used.id, token_hash="a" * 64, created_at=now - timedelta(days=2),
                                 expires_at=now - timedelta(seconds=1)),
        "used": PasswordReset(user_id=used.id, token_hash="b" * 64, created_at=now, expires_at=now + timedelta(hours=5),
                              used_at=now),
        "live": PasswordReset(user_id=used.id, token_hash="c" * 64, created_at=now, expires_at=now + timedelta(hours=5)),
    }
    exports = {"expired": DataExport(user_id=used.id, state="ready", expires_at=now - timedelta(minutes=1), content=b"x"),
               "live": DataExport(user_id=used.id, state="ready", expires_at=now + timedelta(hours=1), content=b"x"),
               "pending": DataExport(user_id=used.id, state="pending")}
    db.session.add_all(list(resets.values()) + list(exports.values()))
    app.config["LOGIN_FAILURE_MEMORY_SECONDS"] = 3600
    db.session.add_all([LoginThrottle(email="lama@example.org", failures=3, last_failure_at=now - timedelta(hours=2)),
                        LoginThrottle(email="baru@example.org", failures=3, last_failure_at=now - timedelta(minutes=5))])
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["privacy", "prune"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    left = {name: db.session.get(AuditEvent, event_id) for name, event_id in ids.items()}
    assert left["old login"] is None and left["old failure"] is None and left["old logout"] is None
    assert left["recent login with old ip"].ip is None and left["recent login"].ip == "10.0.0.9"
    assert left["old change"].ip is None and left["old change"].detail == {}  # the event stays, the address goes
    assert left["fresh change"].ip == "10.0.0.9"
    assert [r.token_hash[0] for r in db.session.scalars(select(PasswordReset))] == ["c"]
    assert {e.state for e in db.session.scalars(select(DataExport))} == {"ready", "pending"}
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 2
    flagged = {u.name for u in db.session.scalars(select(User).where(User.inactive_flagged_at.is_not(None)))}
    assert flagged == {"Tidak Pernah Masuk"}
    assert db.session.get(User, never_used.id).active  # flagged, not deleted or disabled
    assert "login events deleted (older than 90 days): 3" in result.output
    assert "audit IP addresses removed (older than 30 days): 2" in result.output
    assert "password links deleted (expired or used): 2" in result.output
    assert "'my data' archives deleted (expired): 1" in result.output
    assert "failed-login counts deleted (older than 3600 s): 1" in result.output
    assert list(db.session.scalars(select(LoginThrottle.email))) == ["baru@example.org"]
    assert f"accounts flagged as never used for 6 months: 1 (ids {never_used.id})" in result.output
    again = app.test_cli_runner().invoke(args=["privacy", "prune"])
    assert "accounts flagged as never used for 6 months: 0" in again.output  # flagged once


def test_flagged_accounts_are_listed_for_admins(app, client, db, make_user, login):
    never_used = make_user(name="Akun Lama Tak Terpakai")
    never_used.created_at = utcnow() - timedelta(days=800)
    db.session.commit()
    app.test_cli_runner().invoke(args=["privacy", "prune"])
    admin = make_user("admin")
    login(admin)
    page = client.get("/admin/privacy").get_data(as_text=True)
    assert "Akun Lama Tak Terpakai" in page.split("tidak pernah dipakai", 1)[1]


def test_inventory_lists_every_personal_column_with_counts(app, db, make_user):
    user = make_user(name="Ani Pustakawan")
    user.nip = "199001012015012001"
    make_user(name="Tanpa NIP")
    db.session.add(AuditEvent(action="login.success", subject_id=user.id, ip="10.1.2.3", detail={}))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "inventory"])
    assert result.exit_code == 0, result.output
    lines = {line.split("\t")[0]: line.split("\t") for line in result.output.splitlines()[1:] if "\t" in line}
    expected = {f"{p.table}.{c}" for p in POLICIES for c in p.personal()}
    assert set(lines) == expected
    assert lines["users.name"][2:4] == ["2", "2"] and lines["users.nip"][2:4] == ["1", "1"]
    assert lines["audit_events.ip"][2] == "1"
    assert lines["courses.authors"][3] == "-"
    assert "Ani Pustakawan" not in result.output and "199001012015012001" not in result.output


def test_retention_settings_must_be_whole_numbers(monkeypatch):
    import pytest

    from elearn.config import _int

    monkeypatch.setenv("PRIVACY_AUDIT_IP_DAYS", "setengah tahun")
    with pytest.raises(RuntimeError, match="PRIVACY_AUDIT_IP_DAYS must be a whole number"):
        _int("PRIVACY_AUDIT_IP_DAYS", 180, 1)
    monkeypatch.setenv("PRIVACY_AUDIT_IP_DAYS", "0")
    with pytest.raises(RuntimeError, match="at least 1"):
        _int("PRIVACY_AUDIT_IP_DAYS", 180, 1)
