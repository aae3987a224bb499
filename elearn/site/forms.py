from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired

from elearn.forms_common import AppForm


class LanguageForm(AppForm):
    lang = StringField(validators=[DataRequired(), AnyOf(["id", "en"])])
    next = HiddenField()


class DesignSampleForm(AppForm):
    """A form shown with its errors on the /_design page (never submitted)."""

    name = StringField(_l("Nama lengkap"), validators=[DataRequired()],
                       description=_l("Seperti tertulis pada SK pengangkatan."))
    unit = StringField(_l("Unit kerja"), validators=[DataRequired()])
    agree = BooleanField(_l("Saya sudah membaca pemberitahuan privasi"))
