from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from elearn.forms_common import AppForm, options


class ReportFilterForm(AppForm):
    """GET filters shared by every report and its exports."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Unit"), coerce=int, validators=[Optional()])
    course = SelectField(_l("Kursus"), coerce=int, validators=[Optional()])
    date_from = DateField(_l("Dari tanggal"), validators=[Optional()])
    date_to = DateField(_l("Sampai tanggal"), validators=[Optional()])
    year = IntegerField(_l("Tahun"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    #: exports mask the NIP unless this is ticked (and the choice is recorded in the audit log)
    nip = BooleanField(_l("NIP lengkap di unduhan (dicatat di log audit)"))
    #: only these people (comma-separated ids, e.g. from a supervisor's digest); still within the viewer's scope
    people = StringField(_l("Orang tertentu"), validators=[Optional(), Regexp(r"^\d{1,10}(,\d{1,10}){0,499}$")])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data:
            self.date_to.errors = list(self.date_to.errors) + [_l("Tanggal akhir sebelum tanggal awal.")]
            ok = False
        return ok


class AssignmentForm(AppForm):
    course = SelectField(_l("Kursus"), coerce=int, validators=[InputRequired()])
    unit = SelectField(_l("Seluruh unit (termasuk sub-unit dan anggota baru)"), coerce=int, validators=[Optional()])
    people = SelectMultipleField(_l("Atau orang tertentu"), coerce=int, validators=[Optional()])
    due_on = DateField(_l("Batas waktu"), validators=[DataRequired()])
    recurrence = SelectField(_l("Berulang"), coerce=int, choices=[], validators=[Optional()])
    note = StringField(_l("Catatan untuk peserta"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recurrence.choices = options([(0, _l("Tidak berulang")), (6, _l("Setiap 6 bulan")),
                                           (12, _l("Setiap tahun")), (24, _l("Setiap 2 tahun"))])


class FeedbackForm(AppForm):
    rating = RadioField(_l("Penilaian Anda"), coerce=int, choices=options((n, str(n)) for n in (5, 4, 3, 2, 1)),
                        validators=[InputRequired(message=_l("Pilih nilai 1 sampai 5."))])
    comment = TextAreaField(_l("Komentar (opsional)"), validators=[Optional(), Length(max=2000)])


class ActionPlanForm(AppForm):
    kind = SelectField(_l("Jenis inovasi"), choices=[], validators=[DataRequired()])
    title = StringField(_l("Judul"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Apa yang akan Anda lakukan, untuk siapa, dan bagaimana?"),
                                validators=[DataRequired(), Length(max=5000)])
    planned_on = DateField(_l("Rencana pelaksanaan"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options(plan_kind_labels().items())


class ReviewForm(AppForm):
    comment = TextAreaField(_l("Tanggapan"), validators=[Optional(), Length(max=2000)])
    carried_out = SelectField(_l("Status"), coerce=int, choices=[], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.carried_out.choices = options([(0, _l("Belum terlaksana")), (1, _l("Sudah terlaksana"))])


def plan_kind_labels() -> dict:
    return {
        "literacy_class": _l("Kelas literasi"),
        "book_discussion": _l("Diskusi buku"),
        "exhibition": _l("Pameran"),
        "digital_service": _l("Layanan digital"),
        "outreach": _l("Layanan keliling / penjangkauan"),
        "other": _l("Lainnya"),
    }
