"""Forms of the practice-task pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import FieldList, Form, FormField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from elearn.forms_common import FORM_TRANSLATIONS, AppForm, options
from elearn.services.links import LINK_MAX
from elearn.services.tasks import COMMENT_MAX, TEXT_MAX


class SubmissionForm(AppForm):
    text = TextAreaField(_l("Jawaban Anda (Markdown)"), validators=[DataRequired(), Length(max=TEXT_MAX)])
    link = StringField(_l("Tautan ke hasil kerja (boleh kosong)"), validators=[Optional(), Length(max=LINK_MAX)])
    files = MultipleFileField(_l("Berkas (boleh kosong)"))


class CriterionForm(Form):
    """One rubric criterion of a review (a sub-form: the CSRF token is the review form's)."""

    class Meta:
        def get_translations(self, form):
            return FORM_TRANSLATIONS

    points = IntegerField(_l("Poin"), validators=[Optional()])
    comment = TextAreaField(_l("Komentar untuk kriteria ini (boleh kosong)"),
                            validators=[Optional(), Length(max=COMMENT_MAX)], render_kw={"rows": 2})


class ReviewForm(AppForm):
    criteria = FieldList(FormField(CriterionForm))
    decision = RadioField(_l("Keputusan"), validators=[InputRequired()])
    comment = TextAreaField(_l("Komentar keseluruhan untuk peserta"), validators=[Optional(), Length(max=COMMENT_MAX)])

    def __init__(self, rubric: list, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = options([("accepted", _l("Diterima")), ("revision", _l("Perlu revisi"))])
        #: as posted: a form made for a rubric that changed meanwhile has another number of criteria
        self.posted_scores = [(entry.points.data, entry.comment.data or "") for entry in self.criteria]
        while len(self.criteria) > len(rubric):
            self.criteria.pop_entry()
        while len(self.criteria) < len(rubric):
            self.criteria.append_entry()
        for entry, criterion in zip(self.criteria, rubric):
            entry.points.label.text = _l("Poin (0–%(max)s)", max=criterion["points"])
            entry.points.render_kw = {"min": 0, "max": criterion["points"], "inputmode": "numeric"}

    def scores(self) -> list[tuple[int | None, str]]:
        """(points, comment) per criterion as typed, for services.tasks.review_submission."""
        return self.posted_scores
