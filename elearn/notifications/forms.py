from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField
from wtforms.validators import InputRequired

from elearn.forms_common import AppForm, options


class MarkForm(AppForm):
    """Mark read / open: a button; ``next`` is where to go back to."""

    next = HiddenField()


def preferences_form(kinds, current: dict[str, bool], formdata=None) -> AppForm:
    """One choice per kind the person can receive: in the app only, or in the app and by email."""

    class PreferencesForm(AppForm):
        pass

    for kind in kinds:
        setattr(PreferencesForm, f"kind_{kind.name}", RadioField(
            kind.label, choices=options([("app", _l("Hanya di aplikasi")), ("email", _l("Di aplikasi dan lewat email"))]),
            validators=[InputRequired()]))
    data = {f"kind_{name}": "email" if email else "app" for name, email in current.items()}
    return PreferencesForm(formdata=formdata, data=data)
