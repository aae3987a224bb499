"""Settings read from the environment, one class per mode.

Anything an operator would change is a setting with a default here; code reads
``current_app.config`` and never an environment variable directly.
"""
from __future__ import annotations

import os
from pathlib import Path

from argon2.profiles import RFC_9106_LOW_MEMORY

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"


def _int(name: str, default: int, minimum: int = 0) -> int:
    """A whole-number setting; a clear message instead of a traceback when it is not one."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise RuntimeError(f"{name} must be at least {minimum}, not {number}")
    return number


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Defaults shared by every mode (development)."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    #: None means "SQLite file in the instance folder", resolved in create_app.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    #: hide_parameters: SQL parameters (answers, e-mail addresses) never reach a log line or an error message
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    COURSES_DIR = os.environ.get("COURSES_DIR", str(PROJECT_DIR / "courses"))
    SITE_NAME = os.environ.get("SITE_NAME", "BinaPustaka")
    #: A city's own logo (a path on this site, e.g. /static/img/city.svg; the CSP allows only our own
    #: images); unset: the BinaPustaka mark.
    SITE_LOGO_URL = os.environ.get("SITE_LOGO_URL", "")
    INSTITUTION_NAME = os.environ.get("INSTITUTION_NAME", "Dinas Perpustakaan dan Kearsipan Kota Bontang")
    INSTITUTION_CITY = os.environ.get("INSTITUTION_CITY", "Bontang")
    #: Defaults for certificates; a course's front matter may name its own signatory.
    SIGNATORY_NAME = os.environ.get("SIGNATORY_NAME", "")
    SIGNATORY_TITLE = os.environ.get("SIGNATORY_TITLE", "Kepala Dinas Perpustakaan dan Kearsipan Kota Bontang")
    #: The site's public address for links printed on certificates and in credentials
    #: (e.g. https://binapustaka.bontangkota.go.id); unset: taken from the request.
    PUBLIC_URL = os.environ.get("PUBLIC_URL")
    #: Ed25519 key (PEM text) that signs credentials; unset: SIGNING_KEY_FILE, generated on first use.
    SIGNING_KEY = os.environ.get("SIGNING_KEY")
    SIGNING_KEY_FILE = os.environ.get("SIGNING_KEY_FILE")
    #: public keys (multibase z6Mk…, space- or comma-separated) of earlier signing keys: what they signed still verifies
    RETIRED_SIGNING_KEYS = os.environ.get("RETIRED_SIGNING_KEYS", "")
    RATELIMIT_VERIFY = os.environ.get("RATELIMIT_VERIFY", "30 per minute")
    #: Lesson hours (JP) each librarian should complete per year (the JP report's target line).
    ANNUAL_JP_TARGET = int(os.environ.get("ANNUAL_JP_TARGET", 20))
    #: An assigned course due within this many days is tagged "due soon" on the learner's dashboard.
    DUE_SOON_DAYS = int(os.environ.get("DUE_SOON_DAYS", 14))
    TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Makassar")
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "id")
    BABEL_DEFAULT_TIMEZONE = TIME_ZONE
    LANGUAGES = ("id", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_SECONDS", 8 * 3600))
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead; phones leave tabs open for hours
    FORCE_HTTPS = _bool("FORCE_HTTPS", False)
    #: proxies in front of the app (nginx: 1); their X-Forwarded-For/-Proto/-Host are believed, nobody else's
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    #: Failed logins per address (successes do not count); high enough for a training room behind one
    #: address. Each account has its own, much lower, growing delay (LOGIN_* below).
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "120 per minute; 1000 per hour")
    #: Failed logins of one account before a delay, the first delay (doubled per further failure),
    #: the longest delay, and how long failures are remembered (services.login_throttle).
    LOGIN_FREE_FAILURES = int(os.environ.get("LOGIN_FREE_FAILURES", 5))
    LOGIN_DELAY_SECONDS = int(os.environ.get("LOGIN_DELAY_SECONDS", 30))
    LOGIN_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_MAX_DELAY_SECONDS", 3600))
    LOGIN_FAILURE_MEMORY_SECONDS = int(os.environ.get("LOGIN_FAILURE_MEMORY_SECONDS", 86400))
    #: Passwords set through one-time links, self-registrations (per address), password changes (per account).
    RATELIMIT_RESET = os.environ.get("RATELIMIT_RESET", "300 per hour")
    RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "100 per hour")
    RATELIMIT_PASSWORD_CHANGE = os.environ.get("RATELIMIT_PASSWORD_CHANGE", "10 per hour")
    #: Proxies in front of the app that set X-Forwarded-For/-Proto (0: none; never trust those headers).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    #: argon2id cost (production defaults: argon2-cffi's RFC 9106 low-memory profile); changing them
    #: upgrades each stored hash at its next login.
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", RFC_9106_LOW_MEMORY.time_cost))
    ARGON2_MEMORY_COST = int(os.environ.get("ARGON2_MEMORY_COST", RFC_9106_LOW_MEMORY.memory_cost))
    ARGON2_PARALLELISM = int(os.environ.get("ARGON2_PARALLELISM", RFC_9106_LOW_MEMORY.parallelism))
    SELF_REGISTRATION = _bool("SELF_REGISTRATION", False)
    PASSWORD_RESET_HOURS = int(os.environ.get("PASSWORD_RESET_HOURS", 24))
    QUIZ_GRACE_SECONDS = int(os.environ.get("QUIZ_GRACE_SECONDS", 30))
    #: On: a passed final exam only queues its course completion and certificate, which
    #: `flask completion run --loop` (a low-priority worker, deploy/systemd) records seconds later, so
    #: the submits of an exam hour stay light. Off (default; no worker needed): recorded at submit.
    COMPLETION_QUEUE = _bool("COMPLETION_QUEUE", False)
    RATELIMIT_QUIZ_START = os.environ.get("RATELIMIT_QUIZ_START", "20 per minute")
    #: Largest request body accepted (bytes); anything larger is refused whole with a 413 page.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024))
    #: Largest CSV file an account import accepts (bytes); larger files are refused, never read in part.
    USER_IMPORT_MAX_BYTES = int(os.environ.get("USER_IMPORT_MAX_BYTES", 2_000_000))
    #: Practice-task hand-ins: files per hand-in, and the largest file (bytes, also bounded by MAX_CONTENT_LENGTH).
    TASK_MAX_FILES = int(os.environ.get("TASK_MAX_FILES", 3))
    TASK_FILE_MAX_BYTES = int(os.environ.get("TASK_FILE_MAX_BYTES", 5 * 1024 * 1024))
    #: Largest innovation photo accepted as uploaded (bytes, also bounded by MAX_CONTENT_LENGTH); it is stored
    #: at most 1600 px wide, usually far smaller.
    INNOVATION_PHOTO_MAX_BYTES = int(os.environ.get("INNOVATION_PHOTO_MAX_BYTES", 8_000_000))
    #: Module questions and answers one person may post in an hour (spam).
    QUESTION_POSTS_PER_HOUR = int(os.environ.get("QUESTION_POSTS_PER_HOUR", 20))
    #: Minutes during which the author may still edit their module question or answer.
    QUESTION_EDIT_MINUTES = int(os.environ.get("QUESTION_EDIT_MINUTES", 15))
    #: Accounts younger than this many hours may not put links in module questions and answers (spam);
    #: course staff are exempt. 0 allows links for everyone.
    QUESTION_LINKS_MIN_ACCOUNT_HOURS = int(os.environ.get("QUESTION_LINKS_MIN_ACCOUNT_HOURS", 24))
    ASSET_MAX_AGE = int(os.environ.get("ASSET_MAX_AGE", 86400))
    #: Trainer studio uploads: a course ZIP (bytes, also bounded by MAX_CONTENT_LENGTH), the files in it,
    #: one file and all files uncompressed (bytes), and the compression ratio above which it is a zip bomb.
    STUDIO_ZIP_MAX_BYTES = int(os.environ.get("STUDIO_ZIP_MAX_BYTES", 16 * 1024 * 1024))
    STUDIO_ZIP_MAX_FILES = int(os.environ.get("STUDIO_ZIP_MAX_FILES", 500))
    STUDIO_FILE_MAX_BYTES = int(os.environ.get("STUDIO_FILE_MAX_BYTES", 10 * 1024 * 1024))
    STUDIO_ZIP_MAX_TOTAL_BYTES = int(os.environ.get("STUDIO_ZIP_MAX_TOTAL_BYTES", 50 * 1024 * 1024))
    STUDIO_ZIP_MAX_RATIO = int(os.environ.get("STUDIO_ZIP_MAX_RATIO", 200))
    #: rendered page fragments kept in memory per worker (layout parts, module texts)
    FRAGMENT_CACHE_SIZE = int(os.environ.get("FRAGMENT_CACHE_SIZE", 1024))
    # attempt-page questions without drafts, per option order and language (elearn/fragments.py)
    QUESTION_FRAGMENT_CACHE_SIZE = int(os.environ.get("QUESTION_FRAGMENT_CACHE_SIZE", 2048))
    #: rows per page: report pages (matrix), the JP report, action plans, admin lists
    REPORT_PAGE_SIZE = int(os.environ.get("REPORT_PAGE_SIZE", 50))
    HOURS_PAGE_SIZE = int(os.environ.get("HOURS_PAGE_SIZE", 100))
    PLANS_PAGE_SIZE = int(os.environ.get("PLANS_PAGE_SIZE", 20))
    ADMIN_PAGE_SIZE = int(os.environ.get("ADMIN_PAGE_SIZE", 50))
    #: people computed at a time while a matrix export streams (memory stays bounded)
    EXPORT_CHUNK_SIZE = int(os.environ.get("EXPORT_CHUNK_SIZE", 500))
    #: where `flask backup create` puts its files when given no name; unset: instance/backups
    BACKUP_DIR = os.environ.get("BACKUP_DIR")
    #: seals the signing key inside each backup; unset: the key is left out and must be kept separately
    BACKUP_PASSPHRASE = os.environ.get("BACKUP_PASSPHRASE") or None
    #: "text" or "json" (one JSON object per line, for log collectors); either way with a request id
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    #: bearer token a Prometheus server sends to read /metrics; unset: /metrics answers 404
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    #: UU PDP: the controller the privacy notice names (empty: INSTITUTION_NAME) and how to reach the
    #: person who handles personal-data questions (an email address, phone or office; shown as written).
    PRIVACY_CONTROLLER_NAME = os.environ.get("PRIVACY_CONTROLLER_NAME", "")
    PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")
    #: retention (flask privacy prune): IP addresses in the audit log, login events, never-used accounts
    PRIVACY_AUDIT_IP_DAYS = _int("PRIVACY_AUDIT_IP_DAYS", 180, 1)
    PRIVACY_LOGIN_EVENT_DAYS = _int("PRIVACY_LOGIN_EVENT_DAYS", 365, 1)
    PRIVACY_INACTIVE_MONTHS = _int("PRIVACY_INACTIVE_MONTHS", 12, 1)
    #: "my data" archives: how long the download works, and up to how many rows one is built in the request
    PRIVACY_EXPORT_HOURS = _int("PRIVACY_EXPORT_HOURS", 72, 1)
    PRIVACY_EXPORT_INLINE_ROWS = _int("PRIVACY_EXPORT_INLINE_ROWS", 5000, 0)
    #: Notifications. Email is optional: unset MAIL_URL keeps everything in the app. With it
    #: (smtp://user:pass@host:587?starttls=1 or smtps://user:pass@host:465) notifications are also emailed;
    #: PUBLIC_URL must then be set too (the links in the messages).
    MAIL_URL = os.environ.get("MAIL_URL") or None
    #: the sender, e.g. "BinaPustaka <noreply@perpustakaan.bontangkota.go.id>"
    MAIL_FROM = os.environ.get("MAIL_FROM", "")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 20, 1)
    #: a failed delivery is retried after MAIL_RETRY_MINUTES × 4^(attempt−1), at most MAIL_MAX_ATTEMPTS times
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 5, 1)
    MAIL_RETRY_MINUTES = _int("MAIL_RETRY_MINUTES", 5, 1)
    #: a delivery claimed by a run that died is taken back after this many minutes
    MAIL_CLAIM_MINUTES = _int("MAIL_CLAIM_MINUTES", 15, 1)
    #: the day supervisors' weekly digest is made (0 = Monday … 6 = Sunday)
    NOTIFY_DIGEST_WEEKDAY = _int("NOTIFY_DIGEST_WEEKDAY", 0, 0)
    NOTIFICATIONS_PAGE_SIZE = _int("NOTIFICATIONS_PAGE_SIZE", 20, 1)
    #: "forgot password" (only with MAIL_URL): requests per client address, and links per account and hour
    RATELIMIT_FORGOT = os.environ.get("RATELIMIT_FORGOT", "10 per hour")
    PASSWORD_FORGOT_PER_ACCOUNT = _int("PASSWORD_FORGOT_PER_ACCOUNT", 3, 1)


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    #: cheap hashes: the suite spent most of its time in argon2 (the rules are the same at any cost)
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1


CONFIGS = {"development": Config, "production": ProductionConfig, "testing": TestConfig}


def normalise_database_url(uri: str) -> str:
    """The URL with a driver SQLAlchemy can use: hosting panels hand out postgres:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri[len(prefix):]
    return uri


def config_for(mode: str | None) -> type[Config]:
    """The config class for ``mode`` (``APP_ENV``), development when unset."""
    mode = (mode or os.environ.get("APP_ENV") or "development").lower()
    if mode not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {mode!r}")
    return CONFIGS[mode]
