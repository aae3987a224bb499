from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from elearn.forms_common import AppForm, options


class AcknowledgeForm(AppForm):
    next = HiddenField()


class DeletionRequestForm(AppForm):
    reason = TextAreaField(_l("Alasan Anda"), validators=[DataRequired(_l("Tuliskan alasan Anda.")),
                                                           Length(max=2000)])
    confirm = BooleanField(_l("Saya mengerti: jika disetujui, nama, email, NIP, dan tulisan saya dihapus untuk "
                              "selamanya, akun saya tidak dapat dipakai lagi, dan sertifikat saya ditarik."),
                           validators=[DataRequired(_l("Centang kotak ini untuk melanjutkan."))])


class ReissueRequestForm(AppForm):
    reason = TextAreaField(_l("Catatan untuk admin (opsional)"), validators=[Optional(), Length(max=2000)])


class DecisionForm(AppForm):
    decision = RadioField(_l("Keputusan"), choices=[], validators=[InputRequired(_l("Pilih setujui atau tolak."))])
    reason = TextAreaField(_l("Alasan (wajib jika menolak; ditampilkan kepada pemohon)"),
                           validators=[Optional(), Length(max=2000)])
    confirm = BooleanField(_l("Saya mengerti bahwa penghapusan (anonimisasi) tidak dapat dibatalkan."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = options([("approve", _l("Setujui")), ("refuse", _l("Tolak"))])
