"""The studio's GIFT upload: a Moodle GIFT file becomes a module's quiz or the final exam of the course's
stored draft, converted as ``flask quiz import-gift`` does. The page shows what came of it (the
converter's warnings as the file's own ``file:line``); the quiz is then checked and previewed with the
rest of the draft. Course staff only (``staff_course_or_abort``)."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from elearn.extensions import db
from elearn.forms_common import megabytes
from elearn.services.draft_gift import GiftRefused, gift_source_name, upload_gift_quiz
from elearn.services.studio import StudioError
from elearn.studio.common import bp, staff_course_or_abort, studio_message, studio_roles
from elearn.studio.draft_routes import course_page
from elearn.studio.forms import GiftForm, UploadForm


def _refusal(code: str, limit: int) -> str:
    return {
        "too_large": _("Berkas GIFT terlalu besar; batasnya %(limit)s MB. Tidak ada yang disimpan.",
                       limit=megabytes(limit)),
        "not_text": _("Berkas ini bukan teks UTF-8 (mungkin berkas biner atau berenkode lain); simpan ulang "
                      "sebagai UTF-8 lalu unggah lagi. Tidak ada yang disimpan."),
        "quiz_exists": _("Kuis itu sudah ada di draf. Centang \"Ganti kuis yang ada\" untuk menggantinya; "
                         "tidak ada yang diubah."),
    }.get(code) or studio_message(code)


@bp.post("/<slug>/files/gift")
@studio_roles
def new_gift_quiz(slug: str):
    """Convert the uploaded GIFT file and store it in the draft as the chosen quiz."""
    found = staff_course_or_abort(slug)
    form = GiftForm()
    if not form.validate_on_submit():
        return course_page(found, UploadForm(), status=400, gift_form=form)
    limit = current_app.config["STUDIO_FILE_MAX_BYTES"]
    upload = form.gift.data
    try:
        done = upload_gift_quiz(db.session, found, current_user.id, upload.filename or "", upload.read(limit + 1),
                                form.gift_target.data or "", title=form.gift_title.data or "",
                                replace=form.gift_replace.data, max_bytes=limit)
    except GiftRefused as refused:
        db.session.rollback()
        form.gift.errors = [_("Berkas GIFT tidak dapat diubah menjadi kuis; tidak ada yang disimpan. "
                              "Perbaiki baris yang disebut di bawah lalu unggah lagi.")]
        report = {"source": gift_source_name(upload.filename or ""), "problems": refused.problems}
        return course_page(found, UploadForm(), status=422, gift_form=form, gift_report=report)
    except StudioError as refused:
        db.session.rollback()
        form.gift.errors = [_refusal(refused.code, limit)]
        return course_page(found, UploadForm(), status=400, gift_form=form)
    db.session.commit()
    report = {"source": gift_source_name(upload.filename or ""), "problems": done.warnings, "path": done.path,
              "questions": done.questions, "skipped": done.skipped, "replaced": done.replaced}
    return course_page(found, UploadForm(), gift_form=GiftForm(formdata=None), gift_report=report)
