"""Email delivery through a real SMTP server (aiosmtpd, in-process): headers, both parts, the recipient's
language, the signed one-click unsubscribe link, retries after a refused delivery, nothing sent twice."""
from __future__ import annotations

import email
import email.policy
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from elearn.models import Notification, NotificationPreference
from elearn.models._types import utcnow
from elearn.services.notification_mail import deliver_pending, mail_status, parse_mail_url, unsubscribe_token
from elearn.services.notifications import notify


class Inbox:
    """An SMTP handler that keeps every message; ``refuse`` deliveries are answered 451 first."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_URL=f"smtp://127.0.0.1:{port}", MAIL_FROM="BinaPustaka <noreply@binapustaka.test>",
                      PUBLIC_URL="https://binapustaka.test", MAIL_TIMEOUT=5)
    yield inbox
    controller.stop()


def _site(app):
    return app.test_request_context("/", base_url="https://binapustaka.test")


def test_mail_url_forms():
    plain = parse_mail_url("smtp://user%40x:p%3Ass@mail.example.org:587?starttls=1")
    assert (plain.hostname, plain.port, plain.username, plain.password, plain.start_tls, plain.use_tls) == (
        "mail.example.org", 587, "user@x", "p:ss", True, False)
    ssl = parse_mail_url("smtps://u:p@mail.example.org")
    assert (ssl.port, ssl.use_tls, ssl.start_tls) == (465, True, False)
    with pytest.raises(ValueError):
        parse_mail_url("http://mail.example.org")


def test_message_has_both_parts_in_the_recipients_language_and_one_click_unsubscribe(app, db, make_user, smtp):
    ani = make_user(email="ani@example.org", name="Ani")
    ani.locale = "en"
    db.session.commit()
    with _site(app):
        notify(db.session, ani.id, "assignment_due_soon", {"course": "Kursus A", "due": "2026-12-31", "days": 1},
               "/courses/kursus-a/", dedup_key="due1:1:2026-12-31")
        db.session.commit()
        report = deliver_pending(db.session)
    assert report.sent == 1 and len(smtp.messages) == 1
    message = smtp.messages[0]
    assert smtp.envelopes[0].rcpt_tos == ["ani@example.org"]
    assert message["Subject"] == "Kursus A: due tomorrow · BinaPustaka"
    assert message["From"] == "BinaPustaka <noreply@binapustaka.test>"
    assert message["Content-Language"] == "en"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("https://binapustaka.test/notifications/unsubscribe/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Complete the course Kursus A by December 31, 2026." in text
    assert "https://binapustaka.test/courses/kursus-a/" in text and unsubscribe in text
    assert 'href="https://binapustaka.test/courses/kursus-a/"' in html and "<img" not in html
    assert db.session.scalar(select(Notification.email_state)) == "sent"

    # the link works once signed (one-click POST, no login, no CSRF form) ...
    client = app.test_client()
    path = unsubscribe.removeprefix("https://binapustaka.test")
    assert client.get(path).status_code == 200  # a page with a button; GET changes nothing
    assert db.session.scalar(select(NotificationPreference.email)) is None
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert db.session.scalar(select(NotificationPreference.email).where(
        NotificationPreference.user_id == ani.id, NotificationPreference.kind == "assignment_due_soon")) is False
    # ... and refuses when tampered
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert client.post(tampered).status_code == 404
    other_kind = "/notifications/unsubscribe/" + unsubscribe_token(ani.id, "no_such_kind")
    assert client.post(other_kind).status_code == 404


def test_indonesian_by_default(app, db, make_user, smtp):
    budi = make_user(name="Budi")
    with _site(app):
        notify(db.session, budi.id, "assignment_overdue", {"course": "Kursus B", "due": "2026-11-01"}, "/courses/b/",
               dedup_key="o")
        db.session.commit()
        deliver_pending(db.session)
    message = smtp.messages[0]
    assert message["Subject"].startswith("Kursus B melewati batas waktu")
    assert "1 November 2026" in message.get_body(("plain",)).get_content()


def test_in_app_only_choice_and_no_mail_url_send_nothing(app, db, make_user, smtp):
    ani, budi = make_user(), make_user()
    db.session.add(NotificationPreference(user_id=ani.id, kind="assignment_new", email=False, updated_at=utcnow()))
    db.session.commit()
    with _site(app):
        notify(db.session, ani.id, "assignment_new", {"course": "A", "due": "2026-12-31"}, "/x", dedup_key="a")
        app.config["MAIL_URL"] = None
        notify(db.session, budi.id, "assignment_new", {"course": "A", "due": "2026-12-31"}, "/x", dedup_key="a")
        db.session.commit()
        assert deliver_pending(db.session).sent == 0
    assert smtp.messages == []
    assert set(db.session.scalars(select(Notification.email_state))) == {"none"}


def test_a_refused_delivery_is_retried_later_and_succeeds(app, db, make_user, smtp):
    ani, budi = make_user(), make_user()
    smtp.refuse = 1
    with _site(app):
        first = notify(db.session, ani.id, "privacy_decided", {})
        notify(db.session, budi.id, "privacy_decided", {})
        db.session.commit()
        now = utcnow()
        report = deliver_pending(db.session, now)
        assert (report.sent, report.retry_later) == (1, 1)  # the refusal does not block the other one
        db.session.refresh(first)
        assert first.email_state == "pending" and first.email_attempts == 1 and "451" in first.email_error
        assert first.read_at is None  # the in-app notification is untouched
        assert deliver_pending(db.session, now + timedelta(minutes=1)).sent == 0  # backoff: not yet
        report = deliver_pending(db.session, now + timedelta(minutes=6))
    assert report.sent == 1 and len(smtp.messages) == 2
    db.session.refresh(first)
    assert first.email_state == "sent" and first.email_error is None
    with _site(app):  # nothing is sent twice
        assert deliver_pending(db.session, now + timedelta(hours=3)).sent == 0
    assert len(smtp.messages) == 2


def test_attempts_are_bounded_and_failures_are_reported(app, db, make_user, smtp):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    ani = make_user()
    smtp.refuse = 5
    with _site(app):
        n = notify(db.session, ani.id, "privacy_decided", {})
        db.session.commit()
        now = utcnow()
        deliver_pending(db.session, now)
        report = deliver_pending(db.session, now + timedelta(hours=1))
    assert report.failed == 1
    db.session.refresh(n)
    assert n.email_state == "failed" and n.email_attempts == 2
    status = mail_status(db.session)
    assert status.by_state["failed"] == 1 and status.failed[0][0] == n.id


def test_an_unreachable_server_is_a_failure_not_a_crash(app, db, make_user):
    app.config.update(MAIL_URL=f"smtp://127.0.0.1:{_free_port()}", MAIL_TIMEOUT=2)
    ani = make_user()
    with _site(app):
        n = notify(db.session, ani.id, "privacy_decided", {})
        db.session.commit()
        report = deliver_pending(db.session)
    assert report.retry_later == 1
    db.session.refresh(n)
    assert n.email_state == "pending" and n.email_error


def test_notify_run_sends_and_status_reports(app, db, make_user, smtp):
    ani = make_user()
    notify(db.session, ani.id, "privacy_decided", {})
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notify", "run"])
    assert result.exit_code == 0, result.output
    assert "emails sent: 1" in result.output and len(smtp.messages) == 1
    # without a link of its own a notification leads to the notification centre, at PUBLIC_URL
    assert "https://binapustaka.test/notifications/" in smtp.messages[0].get_body(("plain",)).get_content()
    result = runner.invoke(args=["notify", "status"])
    assert "sent\t1" in result.output
