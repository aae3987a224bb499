"""Interface language: the user's preference, else the session's choice, else the site default (id)."""
from __future__ import annotations

from flask import Flask, current_app, session
from flask_login import current_user

from flask_babel import get_locale

from elearn.extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIME_ZONE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    @app.context_processor
    def locale_helpers():
        return {"current_locale": lambda: str(get_locale())}
