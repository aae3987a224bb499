"""Forms of the course staff page (elearn.studio.staff)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from elearn.forms_common import AppForm, options


def role_choices():
    return options([("owner", _l("Pemilik (mengelola staf)")), ("editor", _l("Penyunting"))])


class AddStaffForm(AppForm):
    email = StringField(_l("Email akun"), validators=[DataRequired(), Length(max=254)],
                        description=_l("Akun aktif dengan peran pelatih; admin juga dapat menambahkan akun peserta "
                                       "(akunnya menjadi akun pelatih)."))
    role = SelectField(_l("Peran di kursus"), choices=role_choices, default="editor")


class StaffRoleForm(AppForm):
    role = SelectField(_l("Peran"), choices=role_choices)


class RemoveStaffForm(AppForm):
    """Only the CSRF token: the person is in the URL."""
