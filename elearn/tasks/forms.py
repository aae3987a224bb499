"""Forms of the practice-task pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from elearn.forms_common import AppForm, options
from elearn.services.links import LINK_MAX
from elearn.services.tasks import COMMENT_MAX, TEXT_MAX


class SubmissionForm(AppForm):
    text = TextAreaField(_l("Jawaban Anda (Markdown)"), validators=[DataRequired(), Length(max=TEXT_MAX)])
    link = StringField(_l("Tautan ke hasil kerja (boleh kosong)"), validators=[Optional(), Length(max=LINK_MAX)])
    files = MultipleFileField(_l("Berkas (PDF, DOCX/XLSX/ODT, gambar; boleh kosong)"))


class ReviewForm(AppForm):
    decision = RadioField(_l("Keputusan"), validators=[InputRequired()])
    comment = TextAreaField(_l("Komentar untuk peserta"), validators=[Optional(), Length(max=COMMENT_MAX)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = options([("accepted", _l("Diterima")), ("revision", _l("Perlu revisi"))])
