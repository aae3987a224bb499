"""Accounts: creating them, checking passwords, loading the logged-in user."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY
from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.orm import Session

from elearn.models import Notification, PrivacyRequest, Role, User
from elearn.models._types import utcnow
from elearn.models.users import parse_session_token, session_token
from elearn.services.audit import record_event
from elearn.services.notifications import UNREAD_CAP

#: (time cost, memory KiB, parallelism) → (hasher, a hash to verify against when the email is unknown,
#: so timing does not reveal which emails exist)
_HASHERS: dict[tuple[int, int, int], tuple[PasswordHasher, str]] = {}


def _argon2() -> tuple[PasswordHasher, str]:
    """argon2id with the app's ARGON2_* settings (production: argon2-cffi's RFC 9106 low-memory profile)."""
    params = (RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost, RFC_9106_LOW_MEMORY.parallelism)
    if has_app_context():
        config = current_app.config
        params = (config.get("ARGON2_TIME_COST", params[0]), config.get("ARGON2_MEMORY_COST", params[1]),
                  config.get("ARGON2_PARALLELISM", params[2]))
    found = _HASHERS.get(params)
    if found is None:
        hasher = PasswordHasher(time_cost=params[0], memory_cost=params[1], parallelism=params[2])
        found = _HASHERS[params] = (hasher, hasher.hash("binapustaka-timing-equaliser"))
    return found

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
# The most common passwords (and local favourites); refused whatever their length.
COMMON_PASSWORDS = frozenset(
    """password password1 password123 12345678 123456789 1234567890 qwerty123 qwertyuiop 11111111
    iloveyou admin123 welcome1 abc12345 passw0rd sunshine football 00000000 87654321 88888888
    12341234 11223344 asdfghjkl zaq12wsx 1q2w3e4r perpustakaan pustakawan bismillah indonesia
    bontang123 rahasia123 katasandi sayangku""".split()
)


#: Every reason account data is refused, by code, with an English sentence for logs and the CLI.
#: The web pages translate the code (elearn.forms_common.account_message); never match on the text.
ACCOUNT_MESSAGES = {
    "invalid_email": "invalid email address: {email!r}",
    "unknown_role": "unknown role {role!r} (learner, trainer, supervisor, admin)",
    "name_required": "name is required",
    "name_too_long": "name is too long (at most 200 characters)",
    "email_taken": "an account with email {email} already exists",
    "password_too_short": "password: at least {min} characters",
    "password_too_long": "password: at most {max} characters",
    "password_too_common": "password: too common",
    "wrong_password": "current password is wrong",
    "self_change": "you cannot disable your own account or change your own role",
    "unknown_unit": "unknown unit {unit!r}",
    "unit_name_taken": "a unit with this name already exists",
    "unknown_parent_unit": "unknown parent unit",
    "unit_cycle": "a unit cannot be inside itself",
    "not_supervisor": "only supervisor accounts can supervise a unit",
    "duplicate_in_file": "the same email appears earlier in the file",
    "anonymised": "the account was anonymised at the person's request and cannot be changed or reopened",
}


class AccountError(ValueError):
    """A user mistake in account data: ``code`` (a key of ACCOUNT_MESSAGES) and its ``params``."""

    def __init__(self, code: str, **params):
        super().__init__(ACCOUNT_MESSAGES[code].format(**params))
        self.code = code
        self.params = params


@dataclass(frozen=True)
class AccountProblem:
    """Why account fields are refused, as data: a code of ACCOUNT_MESSAGES and its parameters."""

    code: str
    params: dict

    def __str__(self) -> str:
        return ACCOUNT_MESSAGES[self.code].format(**self.params)


@dataclass(frozen=True)
class NewUser:
    id: int
    email: str
    role: str


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def password_problem(password: str) -> str | None:
    """Why a password is refused: "too_short", "too_long", "too_common" (forms translate the code;
    AccountError carries it as "password_<code>"), or None (ASVS 6.2: ≥8 chars, long ones allowed,
    no common ones)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long"
    if password.lower() in COMMON_PASSWORDS:
        return "too_common"
    return None


def hash_password(password: str) -> str:
    return _argon2()[0].hash(password)


UNUSABLE_PASSWORD_PREFIX = "!"


def email_is_valid(email: str) -> bool:
    """Syntax only (email-validator, no DNS look-up: the site may run without internet)."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def account_problem(email: str, name: str, role: str) -> AccountProblem | None:
    """Why these account fields are not acceptable, or None."""
    if len(email) > 254 or not email_is_valid(email):
        return AccountProblem("invalid_email", {"email": email})
    if role not in {r.value for r in Role}:
        return AccountProblem("unknown_role", {"role": role})
    if not (name or "").strip():
        return AccountProblem("name_required", {})
    if len(name) > 200:
        return AccountProblem("name_too_long", {})
    return None


def _password_error(problem: str) -> AccountError:
    return AccountError("password_" + problem, min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)


def email_taken(session: Session, email: str, *, except_id: int | None = None) -> bool:
    stmt = select(func.count()).select_from(User).where(User.email == normalise_email(email))
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)
    return bool(session.scalar(stmt))


def create_user(session: Session, email: str, name: str, password: str | None, role: str = Role.LEARNER.value,
                *, nip: str | None = None, unit_id: int | None = None, actor_id: int | None = None) -> NewUser:
    """Create an account; raises AccountError for a taken email, bad role or weak password.

    ``password=None`` creates the account without a usable password: the person sets one
    through a one-time link (see services.password_reset).
    """
    email = normalise_email(email)
    problem = account_problem(email, name, role)
    if problem:
        raise AccountError(problem.code, **problem.params)
    if password is not None:
        password_error = password_problem(password)
        if password_error:
            raise _password_error(password_error)
    if email_taken(session, email):
        raise AccountError("email_taken", email=email)
    password_hash = hash_password(password) if password is not None else UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(16)
    user = User(email=email, name=name.strip(), password_hash=password_hash, role=role,
                nip=(nip or "").strip() or None, unit_id=unit_id)
    session.add(user)
    session.flush()
    record_event(session, "user.created", actor_id=actor_id, subject_id=user.id, role=role)
    return NewUser(user.id, user.email, user.role)


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; raises AccountError with the reason.

    Every session and remember-me cookie of the account ends (end_sessions); the caller logs the
    person who changed it in again."""
    try:
        _argon2()[0].verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise AccountError("wrong_password") from None
    set_password(session, user, new)
    record_event(session, "password.changed", actor_id=user.id, subject_id=user.id)


def set_password(session: Session, user: User, new: str) -> None:
    """Hash and store ``new`` (raises AccountError when it is not acceptable); ends every session."""
    problem = password_problem(new)
    if problem:
        raise _password_error(problem)
    user.password_hash = hash_password(new)
    session.flush()
    end_sessions(session, user.id)


def end_sessions(session: Session, user_id: int) -> None:
    """Every session and remember-me cookie of the account stops working: their id carries the old epoch."""
    session.execute(update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1),
                    execution_options={"synchronize_session": "fetch"})


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Rehashes outdated hashes and stamps the login."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    hasher, dummy_hash = _argon2()
    if user is None:
        try:
            hasher.verify(dummy_hash, password)
        except VerificationError:
            pass
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


@dataclass(frozen=True)
class SessionUser(UserMixin):
    """The logged-in person as every request sees them (``current_user``): a read-only row, loaded
    with one narrow Core query. Code that changes the account loads the ``User`` model by id."""

    id: int
    email: str
    name: str
    role: str
    active: bool
    locale: str | None
    unit_id: int | None
    nip: str | None
    session_epoch: int
    #: the privacy notice version the person acknowledged (elearn.services.privacy.notice)
    privacy_notice_version: str | None = None
    #: an admin decided one of the person's privacy requests and they have not dismissed the message
    privacy_message: bool = False
    #: unread notifications (services.notifications), at most UNREAD_CAP + 1 ("99+")
    unread_notifications: int = 0

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return session_token(self.id, self.session_epoch)

    def has_role(self, *roles) -> bool:
        wanted = {r.value if hasattr(r, "value") else r for r in roles}
        return self.role in wanted


_u = User.__table__
_r = PrivacyRequest.__table__
_n = Notification.__table__
_UNREAD = (select(func.count()).select_from(
    select(_n.c.id).where(_n.c.user_id == _u.c.id, _n.c.read_at.is_(None)).limit(UNREAD_CAP + 1)
    .correlate(_u).subquery()).scalar_subquery())
_UNSEEN_DECISION = exists().where(_r.c.user_id == _u.c.id, _r.c.decided_at.is_not(None), _r.c.seen_at.is_(None))
# one query per request: the unseen-decision flag and the unread count ride along as correlated subqueries
_SESSION_USER = select(_u.c.id, _u.c.email, _u.c.name, _u.c.role, _u.c.active, _u.c.locale, _u.c.unit_id,
                       _u.c.nip, _u.c.session_epoch, _u.c.privacy_notice_version,
                       _UNSEEN_DECISION.label("privacy_message"), _UNREAD.label("unread")).where(_u.c.id == bindparam("uid"))


def get_active_user(session: Session, token: str) -> SessionUser | None:
    """The user for a session or remember-me cookie (a session_token), if the account still exists,
    is active, and its sessions have not been ended since (the epoch matches)."""
    parsed = parse_session_token(token)
    if parsed is None:
        return None
    row = session.connection().execute(_SESSION_USER, {"uid": parsed[0]}).first()
    if row is None or not row.active or row.session_epoch != parsed[1]:
        return None
    return SessionUser(*row[:-2], bool(row[-2]), int(row[-1] or 0))


def preferred_locale(session: Session, user_id: int) -> str | None:
    """The interface language the person chose ("id", "en"), or None."""
    return session.scalar(select(User.locale).where(User.id == user_id))


def set_preferred_locale(session: Session, user_id: int, locale: str) -> None:
    session.execute(update(User).where(User.id == user_id).values(locale=locale))


def find_user_id(session: Session, email: str) -> int | None:
    return session.scalar(select(User.id).where(User.email == normalise_email(email)))
