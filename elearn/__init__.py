"""BinaPustaka: self-paced continuing education for librarians."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from elearn.config import DEV_SECRET_KEY, config_for, normalise_database_url


def create_app(config: dict | str | None = None) -> Flask:
    """Build the application.

    ``config`` is a mode name ("development", "production", "testing") or a mapping of
    overrides applied on top of the mode chosen by ``APP_ENV``.
    """
    app = Flask(__name__, instance_relative_config=True)
    overrides = config if isinstance(config, dict) else {}
    mode = config if isinstance(config, str) else overrides.get("APP_ENV")
    if overrides.get("TESTING") and not mode:
        mode = "testing"
    app.config.from_object(config_for(mode))
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _check_secret_key(app)
    _check_retired_keys(app)
    _check_mail_url(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "elearn.sqlite")
    _normalise_database_url(app)
    _trust_proxies(app)
    _init_extensions(app)
    from elearn.urls import IdConverter

    app.url_map.converters["id"] = IdConverter
    _register_blueprints(app)

    from elearn import cli, errors, fragments, i18n, observability

    i18n.init_app(app)
    fragments.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    observability.init_app(app)
    return app


def _check_secret_key(app: Flask) -> None:
    if app.config["ENV_NAME"] == "production" and app.config["SECRET_KEY"] in (None, "", DEV_SECRET_KEY):
        raise RuntimeError(
            "SECRET_KEY is not set. In production BinaPustaka refuses to start with the development key: "
            "set SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_hex(32))')."
        )


def _check_retired_keys(app: Flask) -> None:
    from elearn.services.credentials import retired_public_keys

    try:
        retired_public_keys(app.config.get("RETIRED_SIGNING_KEYS"))
    except ValueError as exc:
        raise RuntimeError(str(exc)) from None


def _check_mail_url(app: Flask) -> None:
    """A malformed MAIL_URL stops the start (it would otherwise fail at every delivery)."""
    if app.config.get("MAIL_URL"):
        from elearn.services.notification_mail import parse_mail_url

        try:
            parse_mail_url(app.config["MAIL_URL"])
        except ValueError as exc:
            raise RuntimeError(str(exc)) from None


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, take the client's address, scheme and host from X-Forwarded-For,
    X-Forwarded-Proto and X-Forwarded-Host (exactly that many hops; the shipped nginx overwrites all
    three); with 0 those headers are ignored (anyone can send them)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _normalise_database_url(app: Flask) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.pop("pool_pre_ping", None)
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", 15)
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg:"):
        # the ping costs a round trip per request: elearn.transactions pings only a connection that
        # rested long or whose socket says the server closed it
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        app.config.setdefault("DB_PING_WHEN_NEEDED", bool(options.pop("pool_pre_ping", False)))
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _init_extensions(app: Flask) -> None:
    from elearn import models  # noqa: F401  (registers the tables for Alembic)
    from elearn import transactions
    from elearn.extensions import csrf, db, limiter, login_manager, migrate, talisman

    db.init_app(app)
    transactions.init_app(app, db)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        strict_transport_security=app.config["FORCE_HTTPS"],
        frame_options="DENY",
        referrer_policy="same-origin",
        content_security_policy={
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self'",
            "img-src": "'self'",
            "object-src": "'none'",
            "base-uri": "'none'",
            "form-action": "'self'",
            "frame-ancestors": "'none'",
        },
    )

    @login_manager.user_loader
    def load_user(user_id: str):
        from elearn.services.users import get_active_user

        return get_active_user(db.session, user_id)


def _register_blueprints(app: Flask) -> None:
    from elearn.account.routes import bp as account_bp
    from elearn.admin.routes import bp as admin_bp
    from elearn.auth.routes import bp as auth_bp
    from elearn.certificates.routes import bp as certificates_bp
    from elearn.external.routes import bp as external_bp
    from elearn.innovations.routes import bp as innovations_bp
    from elearn.learn.routes import bp as learn_bp
    from elearn.mentoring.routes import bp as mentoring_bp
    from elearn.notifications.routes import bp as notifications_bp
    from elearn.privacy.routes import bp as privacy_bp
    from elearn.questions.routes import bp as questions_bp
    from elearn.quiz.routes import bp as quiz_bp
    from elearn.reports.routes import bp as reports_bp
    from elearn.site.routes import bp as site_bp
    from elearn.studio.routes import bp as studio_bp
    from elearn.studio.staff import bp as studio_staff_bp
    from elearn.tasks.routes import bp as tasks_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(mentoring_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(questions_bp)
    app.register_blueprint(innovations_bp)
    app.register_blueprint(external_bp)
    app.register_blueprint(studio_bp)
    app.register_blueprint(studio_staff_bp)
    app.register_blueprint(notifications_bp)
