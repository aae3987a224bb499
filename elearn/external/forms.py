"""Forms of the external-training pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from elearn.forms_common import AppForm, options
from elearn.services.external_training import HOURS_RANGE, TEXT_MAX


def kind_labels() -> dict:
    return {"workshop": _l("Lokakarya (workshop)"), "seminar": _l("Seminar"), "webinar": _l("Webinar"),
            "magang": _l("Magang"), "pelatihan": _l("Pelatihan oleh Perpusnas atau lembaga lain")}


class ExternalTrainingForm(AppForm):
    kind = SelectField(_l("Jenis"), validators=[InputRequired()])
    title = StringField(_l("Judul kegiatan"), validators=[DataRequired(), Length(max=300)])
    organiser = StringField(_l("Penyelenggara"), validators=[DataRequired(), Length(max=200)])
    start_on = DateField(_l("Tanggal mulai"), validators=[DataRequired()])
    end_on = DateField(_l("Tanggal selesai"), validators=[DataRequired()])
    hours = IntegerField(_l("JP (jam pelajaran) pada sertifikat"),
                         validators=[InputRequired(), NumberRange(*HOURS_RANGE)])
    evidence_link = StringField(_l("Tautan ke sertifikat atau bukti"), validators=[DataRequired(), Length(max=500)])
    evidence_note = TextAreaField(_l("Catatan (boleh kosong)"), validators=[Optional(), Length(max=TEXT_MAX)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options(kind_labels().items())


class DecisionForm(AppForm):
    decision = RadioField(_l("Keputusan"), validators=[InputRequired()])
    reason = TextAreaField(_l("Alasan (wajib bila ditolak)"), validators=[Optional(), Length(max=TEXT_MAX)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = options([("approve", _l("Setujui")), ("reject", _l("Tolak"))])
