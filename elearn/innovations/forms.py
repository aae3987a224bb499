"""Forms of the innovation showcase."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from elearn.forms_common import AppForm
from elearn.services.innovations import TEXT_MAX, TITLE_MAX
from elearn.services.links import LINK_MAX


class InnovationForm(AppForm):
    title = StringField(_l("Judul inovasi"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Cerita inovasi (Markdown): apa yang diubah, untuk siapa, hasilnya"),
                                validators=[DataRequired(), Length(max=TEXT_MAX)])
    course = SelectField(_l("Kursus asal inovasi"), coerce=int, validators=[DataRequired()])
    link = StringField(_l("Tautan (foto, berita, dokumen; boleh kosong)"),
                       validators=[Optional(), Length(max=LINK_MAX)])
    publish = BooleanField(_l("Tampilkan di galeri inovasi untuk semua pengguna"))
