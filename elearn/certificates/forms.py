from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from elearn.forms_common import AppForm, options
from elearn.models import REVOCATION_REASONS


def reason_labels() -> dict[str, str]:
    return {
        "issued_in_error": _l("Diterbitkan karena kesalahan"),
        "misconduct": _l("Pelanggaran (kecurangan)"),
        "identity": _l("Identitas peserta tidak benar"),
        "superseded": _l("Digantikan sertifikat lain"),
        "other": _l("Alasan lain"),
    }


class RevokeForm(AppForm):
    reason = SelectField(_l("Alasan"), choices=[], validators=[DataRequired()])
    note = TextAreaField(_l("Catatan (hanya untuk log audit)"), validators=[Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = reason_labels()
        self.reason.choices = options((r, labels[r]) for r in REVOCATION_REASONS)


class VerifyForm(AppForm):
    class Meta:
        csrf = False  # a public GET search box

    code = StringField(_l("Kode verifikasi"), validators=[DataRequired(), Length(max=80)])
