"""Notifications: one entry point, ``notify``, and a registry of kinds.

Rules:
- A notification is one message to one person. Its words are not stored: a *kind* (registered here)
  builds the title and the text from the stored ``params`` when it is shown, in the reader's language
  (the web page's, or the recipient's preferred language in an email). A feature that wants to tell
  someone something registers its kind once (``register``) and calls ``notify`` (one line).
- ``dedup_key`` names what a notice is about and for which period (``assignment:12:2026-12-31``).
  (person, kind, dedup_key) is unique in the database, so a notice is created at most once, whoever
  calls and however often, and two concurrent runs cannot both create it (the loser's insert fails
  inside a savepoint and ``notify`` returns None). Without a key a message is always created.
- Email: a notification is also sent by email when MAIL_URL is set and the person wants that kind by
  email (their choice, else the kind's default); the choice is read when the notification is made.
  Delivery happens later and never removes the in-app message (services.notification_mail).
- A person sees, reads and marks only their own notifications.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.models import Notification, NotificationPreference
from elearn.models._types import utcnow
from elearn.services.pagination import Page, paginate

#: The bell shows at most this many ("99+").
UNREAD_CAP = 99


@dataclass(frozen=True)
class Kind:
    """What a kind of notification says. ``title``/``body`` take the stored params and return text in the
    current language; ``label`` names the kind on the preferences page; ``email_default``: sent by email
    unless the person chose otherwise; ``audience``: "everyone", "learner" or "supervisor" (which kinds
    the preferences page offers)."""

    name: str
    label: object
    title: Callable[[dict], str]
    body: Callable[[dict], str]
    email_default: bool = True
    audience: str = "everyone"


KINDS: dict[str, Kind] = {}


def register(name: str, label, title: Callable[[dict], str], body: Callable[[dict], str], *,
             email_default: bool = True, audience: str = "everyone") -> Kind:
    """Add a kind of notification (once, at import time of the feature that sends it)."""
    kind = Kind(name, label, title, body, email_default, audience)
    KINDS[name] = kind
    return kind


def day(value: str | None) -> str:
    """A stored ISO date shown in the current language (params hold ISO dates, never formatted ones)."""
    return format_date(date.fromisoformat(value), "long") if value else ""


# --- the kinds this module knows (features add theirs with register) ------------------------------

register("assignment_new", _l("Kursus yang ditugaskan kepada saya"),
         lambda p: _("Kursus baru ditugaskan: %(course)s", course=p["course"]),
         lambda p: _("Anda ditugaskan menyelesaikan kursus %(course)s paling lambat %(due)s.",
                     course=p["course"], due=day(p["due"])), audience="learner")
register("assignment_due_soon", _l("Batas waktu kursus sudah dekat"),
         lambda p: ngettext("%(course)s: batas waktu besok", "%(course)s: batas waktu %(num)d hari lagi",
                            p["days"], course=p["course"]),
         lambda p: _("Selesaikan kursus %(course)s paling lambat %(due)s.", course=p["course"], due=day(p["due"])),
         audience="learner")
register("assignment_overdue", _l("Kursus yang melewati batas waktu"),
         lambda p: _("%(course)s melewati batas waktu", course=p["course"]),
         lambda p: _("Kursus %(course)s seharusnya selesai pada %(due)s dan belum selesai. Pengingat ini "
                     "dikirim setiap minggu sampai kursus selesai.", course=p["course"], due=day(p["due"])),
         audience="learner")
register("certificate_expiring", _l("Sertifikat yang akan kedaluwarsa"),
         lambda p: ngettext("Sertifikat %(course)s kedaluwarsa dalam %(num)d hari",
                            "Sertifikat %(course)s kedaluwarsa dalam %(num)d hari", p["days"], course=p["course"]),
         lambda p: _("Sertifikat Anda untuk %(course)s berlaku sampai %(until)s. Perbarui dengan mengikuti "
                     "kursus ini lagi.", course=p["course"], until=day(p["until"])), audience="learner")
register("certificate_expired", _l("Sertifikat yang sudah kedaluwarsa"),
         lambda p: _("Sertifikat %(course)s sudah kedaluwarsa", course=p["course"]),
         lambda p: _("Sertifikat Anda untuk %(course)s kedaluwarsa pada %(until)s. Buka sertifikat untuk "
                     "memperbaruinya.", course=p["course"], until=day(p["until"])), audience="learner")
register("supervisor_digest", _l("Ringkasan mingguan unit saya"),
         lambda p: _("Ringkasan mingguan: %(overdue)d terlambat, %(expiring)d sertifikat akan kedaluwarsa",
                     overdue=p["overdue"], expiring=p["expiring"]),
         lambda p: "\n".join(
             [_("%(course)s: %(num)d orang melewati batas waktu", course=c, num=n) for c, n in p["courses"]]
             + ([ngettext("%(num)d sertifikat kedaluwarsa dalam 60 hari", "%(num)d sertifikat kedaluwarsa dalam "
                          "60 hari", p["expiring"])] if p["expiring"] else [])),
         audience="supervisor")
register("privacy_decided", _l("Keputusan atas permintaan privasi saya"),
         lambda p: _("Permintaan privasi Anda sudah diputuskan"),
         lambda p: _("Admin telah memutuskan permintaan privasi Anda. Keputusan dan alasannya ada di Data saya."))


# --- creating ------------------------------------------------------------------------------------

def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_URL"))


def email_choices(session: Session, user_ids, kind: str) -> dict[int, bool]:
    """{person: wants this kind by email} for the people who chose; the others follow the default."""
    query = select(NotificationPreference.user_id, NotificationPreference.email).where(
        NotificationPreference.kind == kind)
    if user_ids is not None:
        query = query.where(NotificationPreference.user_id.in_(list(user_ids)))
    return dict(session.execute(query).all())


def wants_email(session: Session, user_id: int, kind: str) -> bool:
    return email_choices(session, [user_id], kind).get(user_id, KINDS[kind].email_default)


def notify(session: Session, user_id: int, kind: str, params: dict | None = None, link: str = "", *,
           dedup_key: str | None = None, email: bool | None = None, now: datetime | None = None
           ) -> Notification | None:
    """Tell ``user_id`` something of a registered ``kind``. Returns the new notification, or None when the
    same (person, kind, dedup_key) already exists (nothing is created twice). ``email``: whether to send
    it by email too (None: the person's choice; ignored without MAIL_URL)."""
    if kind not in KINDS:
        raise KeyError(f"unknown notification kind {kind!r}")
    if email is None:
        email = mail_enabled() and wants_email(session, user_id, kind)
    now = now or utcnow()
    notification = Notification(user_id=user_id, kind=kind, params=dict(params or {}), link=link[:500],
                                dedup_key=dedup_key, created_at=now,
                                email_state="pending" if email and mail_enabled() else "none",
                                email_attempts=0, email_next_at=now if email else None)
    if dedup_key is None:
        session.add(notification)
        session.flush()
        return notification
    try:
        with session.begin_nested():
            session.add(notification)
    except IntegrityError:
        return None
    return notification


@dataclass(frozen=True)
class Pending:
    """One notice for ``notify_many``."""

    user_id: int
    kind: str
    params: dict
    link: str
    dedup_key: str
    email: bool


def notify_many(session: Session, notices: list[Pending], now: datetime | None = None) -> list[Pending]:
    """Create many deduplicated notices at once; returns those created. One multi-row INSERT when none
    exists yet (the usual case: callers skip known keys with ``existing_keys``); if another run created
    some meanwhile, the INSERT fails as a whole inside its savepoint and each notice is tried alone."""
    if not notices:
        return []
    now = now or utcnow()
    mail = mail_enabled()
    rows = [{"user_id": n.user_id, "kind": n.kind, "params": dict(n.params), "link": n.link[:500],
             "dedup_key": n.dedup_key, "created_at": now, "email_state": "pending" if n.email and mail else "none",
             "email_attempts": 0, "email_next_at": now if n.email and mail else None} for n in notices]
    try:
        with session.begin_nested():
            session.execute(insert(Notification), rows)
        return list(notices)
    except IntegrityError:
        return [n for n in notices if notify(session, n.user_id, n.kind, n.params, n.link, dedup_key=n.dedup_key,
                                             email=n.email, now=now) is not None]


def existing_keys(session: Session, kinds: list[str], user_ids=None) -> set[tuple[int, str, str]]:
    """(person, kind, dedup_key) already created for these kinds: lets a bulk run skip them in one query."""
    query = select(Notification.user_id, Notification.kind, Notification.dedup_key).where(
        Notification.kind.in_(kinds), Notification.dedup_key.is_not(None))
    if user_ids is not None:
        query = query.where(Notification.user_id.in_(user_ids))
    return {tuple(r) for r in session.execute(query)}


# --- reading -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shown:
    """A notification as a page or an email shows it."""

    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read: bool


def render(notification: Notification, locale: str | None = None) -> Shown:
    """Title and text in ``locale`` (default: the current request's language)."""
    kind = KINDS.get(notification.kind)
    locale = locale or str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    with force_locale(locale):
        if kind is None:  # a kind that was removed from the code: still listed, plainly
            title, body = notification.kind, ""
        else:
            try:
                title, body = str(kind.title(notification.params)), str(kind.body(notification.params))
            except (KeyError, TypeError, ValueError):  # params of an older shape
                title, body = str(kind.label), ""
    return Shown(notification.id, notification.kind, title, body, notification.link, notification.created_at,
                 notification.read_at is not None)


def list_for(session: Session, user_id: int, page: int, page_size: int) -> Page:
    """The person's notifications, newest first, one page of ``Shown``."""
    query = (select(Notification).where(Notification.user_id == user_id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    found = paginate(session, query, page, page_size, scalars=True)
    return Page([render(n) for n in found.items], found.page, found.pages, found.total, found.page_size)


def unread_count(session: Session, user_id: int) -> int:
    """How many of the person's notifications are unread, at most UNREAD_CAP + 1."""
    inner = (select(Notification.id).where(Notification.user_id == user_id, Notification.read_at.is_(None))
             .limit(UNREAD_CAP + 1).subquery())
    return session.scalar(select(func.count()).select_from(inner)) or 0


def get_own(session: Session, user_id: int, notification_id: int) -> Notification | None:
    """The notification if it is the person's, else None (somebody else's looks like a missing one)."""
    return session.scalar(select(Notification).where(Notification.id == notification_id,
                                                     Notification.user_id == user_id))


def mark_read(session: Session, user_id: int, notification_id: int, now: datetime | None = None) -> bool:
    """Mark one of the person's notifications read; False when it is not theirs (or does not exist)."""
    found = get_own(session, user_id, notification_id)
    if found is None:
        return False
    if found.read_at is None:
        found.read_at = now or utcnow()
        session.flush()
    return True


def mark_all_read(session: Session, user_id: int, now: datetime | None = None) -> int:
    """Mark every unread notification of the person read; returns how many."""
    result = session.execute(update(Notification).where(Notification.user_id == user_id,
                                                        Notification.read_at.is_(None))
                             .values(read_at=now or utcnow()))
    return result.rowcount or 0


# --- preferences ---------------------------------------------------------------------------------

def kinds_for(role: str) -> list[Kind]:
    """The kinds a person of this role can receive (what their preferences page offers)."""
    audiences = {"everyone", "learner"} | ({"supervisor"} if role in ("supervisor", "admin") else set())
    return [k for k in KINDS.values() if k.audience in audiences]


def preferences_of(session: Session, user_id: int, role: str) -> dict[str, bool]:
    """{kind: by email?} for every kind the person can receive, their choice or the default."""
    chosen = dict(session.execute(select(NotificationPreference.kind, NotificationPreference.email)
                                  .where(NotificationPreference.user_id == user_id)).all())
    return {k.name: chosen.get(k.name, k.email_default) for k in kinds_for(role)}


def set_preference(session: Session, user_id: int, kind: str, email: bool, now: datetime | None = None) -> None:
    """Choose email or in-app only for one kind (unknown kinds are refused with KeyError)."""
    if kind not in KINDS:
        raise KeyError(kind)
    row = session.get(NotificationPreference, (user_id, kind))
    if row is None:
        session.add(NotificationPreference(user_id=user_id, kind=kind, email=email, updated_at=now or utcnow()))
    elif row.email != email:
        row.email, row.updated_at = email, now or utcnow()
    # a message not yet sent follows the new choice
    if not email:
        session.execute(update(Notification).where(Notification.user_id == user_id, Notification.kind == kind,
                                                   Notification.email_state == "pending")
                        .values(email_state="none"))
    session.flush()
