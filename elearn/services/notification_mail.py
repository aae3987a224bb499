"""Email delivery of notifications (only when MAIL_URL is set).

Rules:
- ``MAIL_URL`` is ``smtp://user:pass@host:587?starttls=1`` (STARTTLS) or ``smtps://user:pass@host:465``
  (TLS from the start); ``MAIL_FROM`` is the sender. Messages go out through aiosmtplib with a timeout
  (MAIL_TIMEOUT seconds), so a dead server cannot hold the run.
- Each message is multipart plain text + HTML, in the recipient's language (their chosen interface
  language, else the site default), with the site's name, the link to the notification's page, a link
  to the preferences page and a signed one-click unsubscribe link for that kind (``List-Unsubscribe`` and
  ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, RFC 8058). No images, no tracking.
- Delivery is *claimed* first (pending → sending, a conditional UPDATE, committed) so two hosts never
  send the same message; then sent after that commit; then the outcome is committed. A failure puts
  the message back to pending with a growing delay (MAIL_RETRY_MINUTES × 4^(attempt−1)); after
  MAIL_MAX_ATTEMPTS it is "failed" (``notify status`` lists it). A claim whose run died is taken back
  after MAIL_CLAIM_MINUTES. The in-app notification is never touched by any of this.
- Because each message's outcome is committed on its own, this service commits (it is called by the
  CLI only, outside any request).
"""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib
from flask import current_app, has_app_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from elearn.models import Notification, User
from elearn.models._types import utcnow
from elearn.services.notifications import KINDS, render

UNSUBSCRIBE_SALT = "notifications-unsubscribe"


@dataclass(frozen=True)
class MailSettings:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool



def _run(coroutine):
    """Run the SMTP conversation to its end from synchronous code. When this thread already runs an event
    loop (an async server, or a browser driver in the same process), ``asyncio.run`` refuses; the
    conversation then gets its own thread and loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

def parse_mail_url(url: str) -> MailSettings:
    """MAIL_URL → settings; raises ValueError for anything else than smtp:// or smtps://."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("MAIL_URL must look like smtp://user:pass@host:587?starttls=1 or smtps://user:pass@host:465")
    query = parse_qs(parts.query)
    starttls = (query.get("starttls") or ["0"])[0].lower() in ("1", "true", "yes", "on")
    ssl = parts.scheme == "smtps"
    return MailSettings(parts.hostname, parts.port or (465 if ssl else (587 if starttls else 25)),
                        unquote(parts.username) if parts.username else None,
                        unquote(parts.password) if parts.password else None, ssl, starttls and not ssl)


# --- unsubscribe links ---------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(person, kind) of a genuine token, None for a tampered or foreign one."""
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or kind not in KINDS:
        return None
    return user_id, kind


# --- composing -----------------------------------------------------------------------------------

def compose(notification: Notification, to_address: str, to_name: str, locale: str) -> EmailMessage:
    """The message for one notification, in ``locale``; needs a request context whose base URL is the
    site's public address (url_for(..., _external=True))."""
    shown = render(notification, locale)
    site = current_app.config["SITE_NAME"]
    base = url_for("site.home", _external=True).rstrip("/")
    link = base + shown.link if shown.link.startswith("/") else url_for("notifications.index", _external=True)
    unsubscribe = url_for("notifications.unsubscribe", token=unsubscribe_token(notification.user_id,
                                                                                notification.kind), _external=True)
    preferences = url_for("notifications.preferences", _external=True)
    with force_locale(locale):
        kind_label = str(KINDS[notification.kind].label) if notification.kind in KINDS else notification.kind
        text = "\n\n".join(part for part in (
            shown.title, shown.body, _("Buka: %(link)s", link=link),
            "-- \n" + _("Anda menerima email ini dari %(site)s karena jenis pemberitahuan ini: %(kind)s.",
                        site=site, kind=kind_label),
            _("Berhenti menerima email jenis ini: %(link)s", link=unsubscribe),
            _("Atur pemberitahuan: %(link)s", link=preferences)) if part)
        html = render_template("notifications/email.html", shown=shown, link=link, site=site, kind_label=kind_label,
                               unsubscribe=unsubscribe, preferences=preferences, locale=locale)
    message = EmailMessage()
    message["Subject"] = f"{shown.title} · {site}"
    message["From"] = current_app.config.get("MAIL_FROM") or formataddr((site, "noreply@localhost"))
    message["To"] = formataddr((to_name, to_address))
    message["Message-ID"] = make_msgid(domain=(urlsplit(base).hostname or "localhost"))
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = locale  # after the body: set_content drops Content-* headers
    return message


def compose_reset_link(to_address: str, to_name: str, link: str, hours: int, locale: str) -> EmailMessage:
    """The email carrying a password link the person asked for (sent at once, never queued: the link
    is a secret and is not stored)."""
    site = current_app.config["SITE_NAME"]
    with force_locale(locale):
        title = _("Atur ulang kata sandi Anda")
        lines = [_("Seseorang (semoga Anda) meminta tautan untuk mengatur ulang kata sandi akun %(site)s Anda.",
                   site=site),
                 _("Tautan ini berlaku %(hours)d jam dan hanya dapat dipakai sekali:", hours=hours)]
        ignore = _("Jika Anda tidak memintanya, abaikan email ini: kata sandi Anda tidak berubah.")
        html = render_template("notifications/email_reset.html", title=title, lines=lines, link=link, ignore=ignore,
                               site=site, locale=locale)
    message = EmailMessage()
    message["Subject"] = f"{title} · {site}"
    message["From"] = current_app.config.get("MAIL_FROM") or formataddr((site, "noreply@localhost"))
    message["To"] = formataddr((to_name, to_address))
    message["Message-ID"] = make_msgid(domain=(urlsplit(link).hostname or "localhost"))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n\n".join([title, *lines, link, ignore]))
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = locale
    return message


def send_now(messages: list[EmailMessage]) -> list[str | None]:
    """Send right away (outside any transaction); one result per message (None: sent)."""
    settings = parse_mail_url(current_app.config["MAIL_URL"])
    return _run(_send_all(settings, messages, _setting("MAIL_TIMEOUT", 20)))


def send_in_background(app, message: EmailMessage) -> threading.Thread:
    """Send one message from a thread of its own (a request must not wait for, or reveal by its timing,
    an SMTP exchange); a failure is logged without the address."""

    def run() -> None:
        with app.app_context():
            error = send_now([message])[0]
            if error is not None:
                app.logger.warning("password link email not delivered: %s", error)

    thread = threading.Thread(target=run, name="mail", daemon=True)
    thread.start()
    return thread


_OUTBOX = "elearn_mail_after_commit"


def send_after_commit(session: Session, message: EmailMessage) -> None:
    """Send ``message`` (in the background) once the session's transaction commits; never if it rolls back.
    For a message whose recipient's address is gone after the commit (an approved deletion)."""
    session.info.setdefault(_OUTBOX, []).append(message)


@event.listens_for(Session, "after_commit")
def _send_outbox(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return
    messages = session.info.pop(_OUTBOX, ())
    if messages and has_app_context() and current_app.config.get("MAIL_URL"):
        app = current_app._get_current_object()
        for message in messages:
            send_in_background(app, message)


@event.listens_for(Session, "after_soft_rollback")
def _drop_outbox(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_OUTBOX, None)


# --- delivery ------------------------------------------------------------------------------------

@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    retry_later: int = 0
    skipped: int = 0


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name) or default)


def backoff(attempts: int) -> timedelta:
    """Delay before attempt ``attempts + 1``: MAIL_RETRY_MINUTES × 4^(attempts−1)."""
    return timedelta(minutes=_setting("MAIL_RETRY_MINUTES", 5) * 4 ** max(0, attempts - 1))


def _claim(session: Session, notification_id: int, now: datetime) -> bool:
    result = session.execute(update(Notification).where(
        Notification.id == notification_id, Notification.email_state == "pending")
        .values(email_state="sending", email_next_at=now + timedelta(minutes=_setting("MAIL_CLAIM_MINUTES", 15))))
    session.commit()
    return result.rowcount == 1


def deliver_pending(session: Session, now: datetime | None = None, limit: int = 500) -> DeliveryReport:
    """Send the pending emails that are due (at most ``limit``), one commit per message. Commits."""
    report = DeliveryReport()
    if not current_app.config.get("MAIL_URL"):
        return report
    settings = parse_mail_url(current_app.config["MAIL_URL"])
    now = now or utcnow()
    # claims of a run that died go back to the queue
    session.execute(update(Notification).where(Notification.email_state == "sending", Notification.email_next_at < now)
                    .values(email_state="pending"))
    session.commit()
    due = session.scalars(select(Notification.id).where(
        Notification.email_state == "pending",
        (Notification.email_next_at.is_(None)) | (Notification.email_next_at <= now))
        .order_by(Notification.id).limit(limit)).all()
    if not due:
        return report
    default_locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    max_attempts = _setting("MAIL_MAX_ATTEMPTS", 5)
    outbox: list[tuple[int, EmailMessage]] = []
    for notification_id in due:
        if not _claim(session, notification_id, now):
            continue
        notification = session.get(Notification, notification_id)
        person = session.get(User, notification.user_id)
        if person is None or not person.active or person.anonymised_at is not None:
            notification.email_state, notification.email_error = "none", "no_recipient"
            report.skipped += 1
            session.commit()
            continue
        outbox.append((notification_id, compose(notification, person.email, person.name,
                                                person.locale or default_locale)))
    results = _run(_send_all(settings, [m for _i, m in outbox], _setting("MAIL_TIMEOUT", 20)))
    for (notification_id, _message), error in zip(outbox, results):
        notification = session.get(Notification, notification_id)
        notification.email_attempts += 1
        if error is None:
            notification.email_state, notification.email_sent_at = "sent", utcnow()
            notification.email_next_at, notification.email_error = None, None
            report.sent += 1
        else:
            notification.email_error = error[:200]
            if notification.email_attempts >= max_attempts:
                notification.email_state, notification.email_next_at = "failed", None
                report.failed += 1
            else:
                notification.email_state = "pending"
                notification.email_next_at = now + backoff(notification.email_attempts)
                report.retry_later += 1
        session.commit()
    return report


def _describe(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"


async def _send_all(settings: MailSettings, messages: list[EmailMessage], timeout: float) -> list[str | None]:
    """Send over one connection, reconnecting after a failure; one result per message (None: sent)."""
    results: list[str | None] = []
    client: aiosmtplib.SMTP | None = None
    for message in messages:
        try:
            if client is None or not client.is_connected:
                client = aiosmtplib.SMTP(hostname=settings.hostname, port=settings.port, use_tls=settings.use_tls,
                                         start_tls=settings.start_tls, timeout=timeout)
                await client.connect()
                if settings.username:
                    await client.login(settings.username, settings.password or "")
            await client.send_message(message)
            results.append(None)
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
            results.append(_describe(exc))
            if client is not None and client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError):
                    client.close()
            client = None
    if client is not None and client.is_connected:
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError):
            client.close()
    return results


@dataclass(frozen=True)
class MailStatus:
    by_state: dict[str, int]
    failed: list[tuple[int, str, str | None, int]]


def mail_status(session: Session, limit: int = 20) -> MailStatus:
    """Counts of emails per state and the latest failures (id, kind, error, attempts): ``notify status``."""
    by_state = dict(session.execute(select(Notification.email_state, func.count())
                                    .group_by(Notification.email_state)).all())
    failed = [tuple(r) for r in session.execute(
        select(Notification.id, Notification.kind, Notification.email_error, Notification.email_attempts)
        .where(Notification.email_state.in_(("failed", "pending")), Notification.email_attempts > 0)
        .order_by(Notification.id.desc()).limit(limit))]
    return MailStatus(by_state, failed)
