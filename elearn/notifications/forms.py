from __future__ import annotations

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField
from wtforms.validators import InputRequired

from elearn.forms_common import AppForm, options
from elearn.services.notifications import DIGEST


class MarkForm(AppForm):
    """Mark read / open: a button; ``next`` is where to go back to."""

    next = HiddenField()


def preferences_form(kinds, current: dict[str, bool], formdata=None, *, digest_day: int | None = None,
                     site_digest_day: int = 0) -> AppForm:
    """One choice per kind the person can receive: in the app only, or in the app and by email; with the
    weekly digest among them, the day it is made."""

    class PreferencesForm(AppForm):
        pass

    for kind in kinds:
        setattr(PreferencesForm, f"kind_{kind.name}", RadioField(
            kind.label, choices=options([("app", _l("Hanya di aplikasi")),
                                         ("email", _l("Di aplikasi dan lewat email"))]),
            validators=[InputRequired()]))
    data = {f"kind_{name}": "email" if email else "app" for name, email in current.items()}
    if any(kind.name == DIGEST for kind in kinds):
        days = get_day_names("wide", locale=str(get_locale() or "id"))
        PreferencesForm.digest_day = SelectField(_l("Hari ringkasan mingguan"), coerce=int,
                                                 choices=options([(d, days[d]) for d in range(7)]))
        data["digest_day"] = site_digest_day if digest_day is None else digest_day
    return PreferencesForm(formdata=formdata, data=data)
