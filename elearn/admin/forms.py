from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from elearn.forms_common import AppForm, megabytes, options

ROLE_CHOICES = options([("learner", _l("Pustakawan (peserta)")), ("trainer", _l("Pelatih")),
                        ("supervisor", _l("Supervisor")), ("admin", _l("Admin"))])


class UserForm(AppForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Isi alamat email.")),
                                                 Email(_l("Alamat email tidak valid.")), Length(max=254)])
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Isi nama lengkap.")), Length(max=200)])
    role = SelectField(_l("Peran"), choices=ROLE_CHOICES)
    nip = StringField(_l("NIP (opsional)"), validators=[Optional(), Length(max=30)])
    unit_id = SelectField(_l("Unit perpustakaan"), coerce=int, validators=[Optional()])
    active = BooleanField(_l("Akun aktif"), default=True)


class ImportForm(AppForm):
    file = FileField(_l("Berkas CSV"), validators=[FileRequired(_l("Pilih berkas CSV.")),
                                                   FileAllowed(["csv", "txt"], _l("Berkas harus berformat CSV."))])

    def validate_file(self, field) -> None:
        """Refuse a file over USER_IMPORT_MAX_BYTES whole: importing a prefix would cut a row in two."""
        stream = field.data.stream
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        limit = current_app.config["USER_IMPORT_MAX_BYTES"]
        if size > limit:
            raise ValidationError(_("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB per impor. "
                                    "Bagi menjadi beberapa berkas.", size=megabytes(size), limit=megabytes(limit)))


class UnitForm(AppForm):
    name = StringField(_l("Nama unit"), validators=[DataRequired(_l("Isi nama unit.")), Length(max=200)])
    parent_id = SelectField(_l("Induk"), coerce=int, validators=[Optional()])
    supervisors = SelectMultipleField(_l("Pembina (kepala unit/mentor): melihat unit ini dan sub-unitnya"),
                                      coerce=int, validators=[Optional()])
