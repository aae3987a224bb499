from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from elearn.content.course import EXAM_FILE
from elearn.forms_common import AppForm, megabytes, options
from elearn.services.draft_gift import gift_targets

#: The buttons of the editor and the ZIP upload: each stores the text (or the ZIP) in the draft first;
#: then check the draft, preview it or publish it ("save" only stores).
ACTIONS = ("save", "check", "preview", "publish")


class DraftForm(AppForm):
    """Fields shared by the editor and the upload: the change note for a publish."""
    note = StringField(_l("Catatan perubahan (untuk riwayat versi)"), validators=[Optional(), Length(max=500)])


class RollbackForm(AppForm):
    """Publish an earlier version again; ``base``: the latest version the page showed."""
    base = HiddenField()

    def base_number(self) -> int | None:
        return int(self.base.data) if (self.base.data or "").isdigit() else None


class EditForm(DraftForm):
    path = HiddenField()
    #: SHA-256 of the file the editor started from ("" for a new file): a save over someone else's is refused
    sha = HiddenField()
    text = TextAreaField(_l("Isi berkas (Markdown)"), validators=[Length(max=2_000_000)])


class UploadForm(DraftForm):
    archive = FileField(_l("Berkas ZIP kursus"), validators=[FileRequired(_l("Pilih berkas ZIP."))])

    def validate_archive(self, field) -> None:
        """Refuse a ZIP over STUDIO_ZIP_MAX_BYTES whole, before reading it."""
        stream = field.data.stream
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        limit = current_app.config["STUDIO_ZIP_MAX_BYTES"]
        if size > limit:
            raise ValidationError(_("Berkas ZIP terlalu besar (%(size)s MB); batasnya %(limit)s MB.",
                                    size=megabytes(size), limit=megabytes(limit)))


class NewCourseForm(AppForm):
    """A new course from the template: its folder name (slug, for good) and its title."""
    slug = StringField(_l("Nama folder kursus (slug)"),
                       validators=[DataRequired(), Length(max=100),
                                   Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                          message=_l("Gunakan huruf kecil, angka, dan tanda hubung, mis. "
                                                     "layanan-referensi."))])
    title = StringField(_l("Judul kursus"), validators=[DataRequired(), Length(max=300)])


class PublishForm(AppForm):
    """Publish the stored draft, with the note for the version history."""
    note = StringField(_l("Catatan perubahan (untuk riwayat versi)"), validators=[Optional(), Length(max=500)])


class ConfirmForm(AppForm):
    """A confirmed action on the draft (discard, delete a file, move a module, add a quiz): CSRF, and the
    file it is about."""
    path = HiddenField(validators=[Length(max=500)])
    direction = HiddenField()


class AddModuleForm(AppForm):
    slug = StringField(_l("Nama berkas modul (tanpa nomor), mis. katalog-daring"),
                       validators=[DataRequired(), Length(max=80),
                                   Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                          message=_l("Gunakan huruf kecil, angka, dan tanda hubung, mis. "
                                                     "katalog-daring."))])
    title = StringField(_l("Judul modul"), validators=[Optional(), Length(max=200)])


class AssetForm(AppForm):
    asset = FileField(_l("Gambar (PNG, JPEG, WebP, GIF) atau PDF"),
                      validators=[FileRequired(_l("Pilih berkas."))])


class GiftForm(AppForm):
    """A Moodle GIFT file as a quiz of the draft. The targets (each module's quiz, the exam) are the
    draft's; the service refuses any other."""
    gift = FileField(_l("Berkas GIFT (.gift atau .txt, teks UTF-8)"), validators=[FileRequired(_l("Pilih berkas."))])
    gift_target = SelectField(_l("Jadikan kuis untuk"), validate_choice=False)
    gift_title = StringField(_l("Judul kuis (boleh kosong)"), validators=[Optional(), Length(max=200)])
    gift_replace = BooleanField(_l("Ganti kuis yang ada"))


def gift_target_choices(files):
    """The GIFT form's targets for the draft ``files``: each module's quiz, then the final exam; a quiz the
    draft already holds is marked, since uploading over it needs "Ganti kuis yang ada"."""
    choices = []
    for path in gift_targets(files):
        label = (_("Ujian akhir (%(path)s)", path=path) if path == EXAM_FILE
                 else _("Kuis modul %(module)s (%(path)s)", module=path[:-len(".quiz.md")] + ".md", path=path))
        choices.append((path, label + (" · " + _("sudah ada") if path in files else "")))
    return options(choices)


class RenameForm(AppForm):
    path = HiddenField(validators=[DataRequired(), Length(max=500)])
    new = StringField(_l("Nama baru"), validators=[DataRequired(), Length(max=200)])


class PreviewQuizForm(AppForm):
    """Submit a preview attempt (CSRF only; the answers are the question fields)."""
