"""Form pieces shared by several blueprints."""
from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice

from elearn.services.users import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem

PASSWORD_MESSAGES = {
    "too_short": _l("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD_LENGTH),
    "too_long": _l("Kata sandi maksimal %(n)s karakter.", n=MAX_PASSWORD_LENGTH),
    "too_common": _l("Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."),
}


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options (WTForms 3.3 deprecates plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def megabytes(size: int) -> str:
    """A byte count as megabytes in the reader's language (2 or 2,5 in Indonesian, 0.005 in English)."""
    return format_decimal(size / 1_000_000, format="#,##0.###")


def acceptable_password(form, field) -> None:
    """WTForms validator applying the one password rule (services.users.password_problem)."""
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(PASSWORD_MESSAGES[problem])


def language_choices():
    return options([("", _l("Ikuti pilihan situs")), ("id", "Bahasa Indonesia"), ("en", "English")])


# WTForms' own messages ("This field is required.", …) have no Indonesian catalog upstream; they
# are mapped here to our msgids, which the id and en catalogs translate like every other string.
WTFORMS_MESSAGES = {
    "This field is required.": _l("Kolom ini wajib diisi."),
    "Invalid input.": _l("Isian tidak valid."),
    "Invalid email address.": _l("Alamat email tidak valid."),
    "Not a valid choice.": _l("Pilihan tidak valid."),
    "Invalid Choice: could not coerce.": _l("Pilihan tidak valid."),
    "'%(value)s' is not a valid choice for this field.": _l("'%(value)s' bukan pilihan yang valid untuk kolom ini."),
    "'%(value)s' are not valid choices for this field.": _l("'%(value)s' bukan pilihan yang valid untuk kolom ini."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Ada pilihan yang tidak valid."),
    "Not a valid date value.": _l("Tanggal tidak valid (gunakan format TTTT-BB-HH)."),
    "Not a valid integer value.": _l("Isi dengan bilangan bulat."),
    "Number must be at least %(min)s.": _l("Angka paling kecil %(min)s."),
    "Number must be at most %(max)s.": _l("Angka paling besar %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Angka harus antara %(min)s dan %(max)s."),
    "Field must be at least %(min)d character long.": _l("Isian minimal %(min)d karakter."),
    "Field cannot be longer than %(max)d character.": _l("Isian maksimal %(max)d karakter."),
    "Field must be exactly %(max)d character long.": _l("Isian harus tepat %(max)d karakter."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Isian harus %(min)d sampai %(max)d karakter."),
    "Field must be equal to %(other_name)s.": _l("Isian harus sama dengan %(other_name)s."),
}


class FormTranslations:
    """Translations object for WTForms (Meta.get_translations): built-in messages through our catalogs."""

    def gettext(self, string):
        message = WTFORMS_MESSAGES.get(string)
        return str(message) if message is not None else string

    def ngettext(self, singular, plural, n):
        message = WTFORMS_MESSAGES.get(singular)
        if message is not None:
            return str(message)
        return singular if n == 1 else plural


FORM_TRANSLATIONS = FormTranslations()


class AppForm(FlaskForm):
    """Base of every form of the site: CSRF from Flask-WTF, messages in the reader's language."""

    class Meta:
        def get_translations(self, form):
            return FORM_TRANSLATIONS


#: services.users.AccountError / AccountProblem codes and user-import file errors, in the reader's language.
ACCOUNT_MESSAGES = {
    "invalid_email": _l("Alamat email tidak valid: %(email)s"),
    "unknown_role": _l("Peran tidak dikenal: %(role)s (pilih learner, trainer, supervisor, atau admin)"),
    "name_required": _l("Nama wajib diisi."),
    "name_too_long": _l("Nama terlalu panjang (maksimal 200 karakter)."),
    "email_taken": _l("Email ini sudah dipakai akun lain."),
    "password_too_short": PASSWORD_MESSAGES["too_short"],
    "password_too_long": PASSWORD_MESSAGES["too_long"],
    "password_too_common": PASSWORD_MESSAGES["too_common"],
    "wrong_password": _l("Kata sandi saat ini salah."),
    "self_change": _l("Anda tidak dapat menonaktifkan akun sendiri atau mengubah peran sendiri."),
    "unknown_unit": _l("Unit tidak dikenal: %(unit)s"),
    "unit_name_taken": _l("Nama unit sudah dipakai."),
    "unknown_parent_unit": _l("Unit induk tidak dikenal."),
    "unit_cycle": _l("Unit tidak dapat berada di dalam dirinya sendiri."),
    "not_supervisor": _l("Hanya akun pembina (supervisor) yang dapat membina unit."),
    "duplicate_in_file": _l("Email yang sama sudah muncul di baris sebelumnya."),
    "anonymised": _l("Akun ini sudah dianonimkan atas permintaan pemiliknya dan tidak dapat diubah atau dibuka lagi."),
    "not_utf8": _l("berkas bukan teks UTF-8 (simpan sebagai CSV UTF-8)"),
    "missing_columns": _l("baris 1: kolom %(missing)s tidak ada (kolom yang dikenal: %(expected)s)"),
    "too_many_rows": _l("baris %(line)s: terlalu banyak baris (maksimal %(max)s per berkas); baris sesudahnya tidak dibaca"),
}


def account_message(code: str, params: dict | None = None) -> str:
    """The reader's-language sentence for an account problem code (see ACCOUNT_MESSAGES)."""
    message = ACCOUNT_MESSAGES.get(code)
    if message is None:
        return code
    params = {k: v for k, v in (params or {}).items()}
    return str(message) % params if params and "%(" in str(message) else str(message)
