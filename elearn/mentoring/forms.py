"""Forms of the mentoring pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from elearn.forms_common import AppForm
from elearn.services.mentoring import MINUTES_RANGE, TEXT_MAX, TOPIC_MAX


class PairForm(AppForm):
    mentor = SelectField(_l("Mentor"), coerce=int, validators=[InputRequired()])
    mentees = SelectMultipleField(_l("Mentee (orang yang Anda bina)"), coerce=int, validators=[DataRequired()])
    start_on = DateField(_l("Mulai"), validators=[DataRequired()])
    end_on = DateField(_l("Berakhir (boleh kosong)"), validators=[Optional()])


class SessionForm(AppForm):
    held_on = DateField(_l("Tanggal sesi"), validators=[DataRequired()])
    minutes = IntegerField(_l("Durasi (menit)"), validators=[InputRequired(), NumberRange(*MINUTES_RANGE)])
    topic = StringField(_l("Topik"), validators=[DataRequired(), Length(max=TOPIC_MAX)])
    notes = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=TEXT_MAX)])
    next_step = TextAreaField(_l("Langkah berikutnya yang disepakati"), validators=[Optional(), Length(max=TEXT_MAX)])
