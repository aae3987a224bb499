"""Forms of the module questions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from elearn.forms_common import AppForm
from elearn.services.questions import REASON_MAX, TEXT_MAX


class QuestionForm(AppForm):
    text = TextAreaField(_l("Pertanyaan Anda (Markdown)"), validators=[DataRequired(), Length(max=TEXT_MAX)])


class AnswerForm(AppForm):
    text = TextAreaField(_l("Jawaban (Markdown)"), validators=[DataRequired(), Length(max=TEXT_MAX)])


class HideForm(AppForm):
    answer_id = HiddenField(validators=[Optional()])
    reason = StringField(_l("Alasan menyembunyikan"), validators=[DataRequired(), Length(max=REASON_MAX)])


class EditForm(AppForm):
    text = TextAreaField(_l("Teks (Markdown)"), validators=[DataRequired(), Length(max=TEXT_MAX)])


class ReportForm(AppForm):
    answer_id = HiddenField(validators=[Optional()])
    reason = StringField(_l("Alasan melaporkan"), validators=[DataRequired(), Length(max=REASON_MAX)])


class FollowForm(AppForm):
    """Follow (``follow`` = "1") or unfollow ("0") a question."""
    follow = HiddenField(validators=[Optional()])
