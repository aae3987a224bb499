"""Form pieces shared by several blueprints."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError

from elearn.services.users import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem

PASSWORD_MESSAGES = {
    "too_short": _l("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD_LENGTH),
    "too_long": _l("Kata sandi maksimal %(n)s karakter.", n=MAX_PASSWORD_LENGTH),
    "too_common": _l("Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."),
}


def acceptable_password(form, field) -> None:
    """WTForms validator applying the one password rule (services.users.password_problem)."""
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(PASSWORD_MESSAGES[problem])


def language_choices():
    return [("", _l("Ikuti pilihan situs")), ("id", "Bahasa Indonesia"), ("en", "English")]
