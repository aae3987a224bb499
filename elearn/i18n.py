"""Interface language: the user's preference, else the session's choice, else the site default (id)."""
from __future__ import annotations

from functools import cache

from babel import Locale
from flask import Flask, current_app, g, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

from elearn.extensions import babel


@cache
def _locale(code: str) -> Locale:
    """Parsed once per language (Flask-Babel parses the selector's answer unless it is a Locale)."""
    return Locale.parse(code)


def select_locale() -> Locale:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return _locale(current_user.locale)
    chosen = session.get("lang")
    if chosen in languages:
        return _locale(chosen)
    return _locale(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    return current_app.config["TIME_ZONE"]


def request_translations():
    """The request's translations, looked up once (Flask-Babel resolves domain, context and locale
    on every call; a page has dozens of strings)."""
    try:
        return g._elearn_translations
    except AttributeError:
        translations = g._elearn_translations = get_translations()
        return translations


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )

    @app.context_processor
    def locale_helpers():
        return {"current_locale": lambda: str(get_locale())}
