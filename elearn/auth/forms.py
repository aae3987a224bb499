from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from elearn.forms_common import AppForm


class LoginForm(AppForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Isi alamat email.")),
                                                 Email(_l("Alamat email tidak valid.")), Length(max=254)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Isi kata sandi.")), Length(max=128)])
    remember = BooleanField(_l("Ingat saya di perangkat ini"))
    next = HiddenField()


class LogoutForm(AppForm):
    pass
