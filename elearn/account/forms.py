from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from elearn.forms_common import AppForm, acceptable_password, language_choices


class ProfileForm(AppForm):
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Isi nama lengkap.")), Length(max=200)])
    nip = StringField(_l("NIP (opsional)"), validators=[Optional(), Length(max=30)])
    unit_id = SelectField(_l("Unit perpustakaan"), coerce=int, validators=[Optional()])
    locale = SelectField(_l("Bahasa antarmuka"), choices=language_choices())


class PasswordChangeForm(AppForm):
    current = PasswordField(_l("Kata sandi saat ini"), validators=[DataRequired(_l("Isi kata sandi saat ini."))])
    new = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Isi kata sandi baru.")), acceptable_password])
    confirm = PasswordField(_l("Ulangi kata sandi baru"),
                            validators=[EqualTo("new", _l("Kedua kata sandi baru tidak sama."))])


class ForgotForm(AppForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Isi alamat email Anda.")), Length(max=254),
                                                Email(_l("Alamat email tidak valid."), check_deliverability=False)])


class PasswordSetForm(AppForm):
    new = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Isi kata sandi baru.")), acceptable_password])
    confirm = PasswordField(_l("Ulangi kata sandi baru"),
                            validators=[EqualTo("new", _l("Kedua kata sandi baru tidak sama."))])


class RegisterForm(AppForm):
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Isi nama lengkap.")), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Isi alamat email.")),
                                                 Email(_l("Alamat email tidak valid.")), Length(max=254)])
    nip = StringField(_l("NIP (opsional)"), validators=[Optional(), Length(max=30)])
    new = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Isi kata sandi.")), acceptable_password])
    confirm = PasswordField(_l("Ulangi kata sandi"), validators=[EqualTo("new", _l("Kedua kata sandi tidak sama."))])
