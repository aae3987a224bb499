from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired

from elearn.forms_common import AppForm


class LanguageForm(AppForm):
    lang = StringField(validators=[DataRequired(), AnyOf(["id", "en"])])
    next = HiddenField()
