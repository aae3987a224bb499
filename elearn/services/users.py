"""Accounts: creating them, checking passwords, loading the logged-in user."""
from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from elearn.models import Role, User
from elearn.models._types import utcnow

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A hash to verify against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash("binapustaka-timing-equaliser")

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
# The most common passwords (and local favourites); refused whatever their length.
COMMON_PASSWORDS = frozenset(
    """password password1 password123 12345678 123456789 1234567890 qwerty123 qwertyuiop 11111111
    iloveyou admin123 welcome1 abc12345 passw0rd sunshine football 00000000 87654321 88888888
    12341234 11223344 asdfghjkl zaq12wsx 1q2w3e4r perpustakaan pustakawan bismillah indonesia
    bontang123 rahasia123 katasandi sayangku""".split()
)


class AccountError(ValueError):
    """A user mistake in account data; the message is shown to the user."""


@dataclass(frozen=True)
class NewUser:
    id: int
    email: str
    role: str


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, or None (ASVS 6.2: ≥8 chars, long ones allowed, no common ones)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"at most {MAX_PASSWORD_LENGTH} characters"
    if password.lower() in COMMON_PASSWORDS:
        return "too common"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(session: Session, email: str, name: str, password: str, role: str = Role.LEARNER.value) -> NewUser:
    """Create an account; raises AccountError for a taken email, bad role or weak password."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"invalid email address: {email!r}")
    if role not in {r.value for r in Role}:
        raise AccountError(f"unknown role {role!r} (learner, trainer, supervisor, admin)")
    if not (name or "").strip():
        raise AccountError("name is required")
    problem = password_problem(password)
    if problem:
        raise AccountError(f"password: {problem}")
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise AccountError(f"an account with email {email} already exists")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return NewUser(user.id, user.email, user.role)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Rehashes outdated hashes and stamps the login."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def get_active_user(session: Session, user_id: str | int) -> User | None:
    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    user = session.get(User, uid)
    return user if user is not None and user.active else None
