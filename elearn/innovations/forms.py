"""Forms of the innovation showcase."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from elearn.forms_common import AppForm
from elearn.services.innovations import ALT_MAX, RESULT_MAX, TEXT_MAX, TITLE_MAX, UNIT_MAX
from elearn.services.links import LINK_MAX


class InnovationForm(AppForm):
    title = StringField(_l("Judul inovasi"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Cerita inovasi (Markdown): apa yang diubah, untuk siapa, hasilnya"),
                                validators=[DataRequired(), Length(max=TEXT_MAX)])
    course = SelectField(_l("Kursus asal inovasi"), coerce=int, validators=[DataRequired()])
    action_plan = SelectField(_l("Dari rencana aksi yang terlaksana (boleh kosong)"), coerce=int,
                              validators=[Optional()])
    result_value = StringField(_l("Hasil terukur: angka (boleh kosong)"), validators=[Optional(), Length(max=20)],
                               description=_l("Misalnya 45, 1.200 atau 12,5."))
    result_unit = StringField(_l("Satuan"), validators=[Optional(), Length(max=UNIT_MAX)],
                              description=_l("Misalnya pengunjung, peminjam, atau %."))
    result_text = StringField(_l("Hasil terukur: keterangan"), validators=[Optional(), Length(max=RESULT_MAX)],
                              description=_l("Misalnya: pengunjung kelas literasi Sabtu dalam sebulan."))
    photo = FileField(_l("Foto (PNG, JPEG atau WebP; boleh kosong)"))
    photo_alt = StringField(_l("Keterangan foto untuk pembaca layar"), validators=[Optional(), Length(max=ALT_MAX)],
                            description=_l("Wajib bila ada foto: apa yang terlihat di foto."))
    link = StringField(_l("Tautan (berita, dokumen; boleh kosong)"),
                       validators=[Optional(), Length(max=LINK_MAX)])
    publish = BooleanField(_l("Tampilkan di galeri inovasi untuk semua pengguna"))


class EditInnovationForm(InnovationForm):
    publish = None
    remove_photo = BooleanField(_l("Hapus foto"))


class ShowcaseFilterForm(AppForm):
    """GET filters of the showcase."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Unit penulis (termasuk sub-unit)"), coerce=int, validators=[Optional()])
    course = SelectField(_l("Topik (kursus asal)"), coerce=int, validators=[Optional()])
