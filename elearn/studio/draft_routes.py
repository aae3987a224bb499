"""The studio's pages of a course's stored draft: the course page (files, changes, history), and the
draft's check, preview, publish and discard, and its file operations (add a module or quiz, upload an
asset, rename, delete, reorder). Every page works without JavaScript: each change is a POST form, and
destructive ones ask on a page of their own first. Course staff only (``staff_course_or_abort``)."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.content.course import MODULE_FILE
from elearn.extensions import db
from elearn.services.course_versions import UploadRefused, latest_number, list_versions
from elearn.services.draft_files import (add_module, add_quiz, delete_file, deleted_with, modules, move_module,
                                         rename_file, upload_asset)
from elearn.services.drafts import discard_draft, draft_changes, is_stale, publish_stored_draft, working_copy
from elearn.services.studio import EDITABLE, DraftCheck, StudioError, check_draft, quiz_slugs
from elearn.studio.common import bp, staff_course_or_abort, studio_message, studio_roles, upload_message
from elearn.studio.forms import (AddModuleForm, AssetForm, ConfirmForm, GiftForm, PublishForm, RenameForm, UploadForm,
                                 gift_target_choices)


def course_page(found, form, check: DraftCheck | None = None, status: int = 200, *, module_form=None,
                asset_form=None, publish_form=None, gift_form=None, gift_report=None):
    """The course's studio page: the draft's (or latest version's) files with their operations, what the
    draft changes, the draft's buttons, the ZIP and GIFT uploads (``gift_report``: what the last GIFT
    upload did) and the version history."""
    copy = working_copy(db.session, found)
    gift_form = gift_form or GiftForm(formdata=None)
    gift_form.gift_target.choices = gift_target_choices(copy.files)
    if gift_form.gift_target.data is None:  # a fresh form proposes the first module without a quiz
        gift_form.gift_target.data = next((c.value for c in gift_form.gift_target.choices
                                           if c.value not in copy.files), None)
    order = [path for _n, _s, path in modules(copy.files)]
    files = [(path, bool(EDITABLE.match(path)), path in order or path.startswith("assets/"))
             for path in sorted(copy.files)]
    return render_template(
        "studio/course.html", course=found, files=files, modules=order, quizzes=quiz_slugs(copy.files),
        without_quiz=[p for p in order if p[:-3] + ".quiz.md" not in copy.files],
        draft=copy.draft, changes=draft_changes(db.session, found, copy), stale=is_stale(db.session, found, copy),
        versions=list_versions(db.session, found.id), number=latest_number(db.session, found.id),
        base=copy.base_number, form=form,
        module_form=module_form or AddModuleForm(formdata=None), asset_form=asset_form or AssetForm(formdata=None),
        publish_form=publish_form or PublishForm(formdata=None), confirm=ConfirmForm(formdata=None),
        gift_form=gift_form, gift_report=gift_report, check=check), status


def _back(found):
    return redirect(url_for("studio.course", slug=found.slug))


@bp.get("/<slug>/check")
@studio_roles
def check(slug: str):
    """The draft checked as ``courses check`` does: problems as file:line, linking into the editor."""
    found = staff_course_or_abort(slug)
    result = check_draft(db.session, found, working_copy(db.session, found).files)
    return course_page(found, UploadForm(), result, 200 if result.ok else 422)


@bp.get("/<slug>/preview")
@studio_roles
def preview(slug: str):
    """Every page of the draft (overview and modules) as learners will read it."""
    found = staff_course_or_abort(slug)
    result = check_draft(db.session, found, working_copy(db.session, found).files, preview="*")
    return course_page(found, UploadForm(), result, 200 if result.ok else 422)


@bp.post("/<slug>/publish")
@studio_roles
def publish(slug: str):
    """Publish the stored draft as the next version (refused while it has errors) and delete it."""
    found = staff_course_or_abort(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        return course_page(found, UploadForm(), status=400, publish_form=form)
    try:
        result = publish_stored_draft(db.session, found, current_user.id, form.note.data or "")
    except StudioError as refused:
        db.session.rollback()
        flash(studio_message(refused.code), "error")
        return course_page(found, UploadForm(), status=409, publish_form=form)
    if isinstance(result, DraftCheck):
        db.session.rollback()
        return course_page(found, UploadForm(), result, 422, publish_form=form)
    db.session.commit()
    if result.created:
        flash(_("Versi %(n)s diterbitkan; peserta langsung melihatnya.", n=result.version.number), "success")
    else:
        flash(_("Tidak ada perubahan: draf sama dengan versi %(n)s.", n=result.version.number), "info")
    return _back(found)


def _confirm(found, title: str, message: str, action: str, button: str, paths=(), path: str = ""):
    form = ConfirmForm(formdata=None, path=path)
    return render_template("studio/confirm.html", course=found, title=title, message=message, action=action,
                           button=button, paths=paths, form=form)


@bp.route("/<slug>/discard", methods=["GET", "POST"])
@studio_roles
def discard(slug: str):
    """"Buang draf": asks first (GET), then deletes the draft (POST)."""
    found = staff_course_or_abort(slug)
    copy = working_copy(db.session, found)
    if request.method == "GET":
        if copy.draft is None:
            return _back(found)
        return _confirm(found, _("Buang draf?"),
                        _("Semua perubahan draf ini hilang dan tidak dapat dikembalikan. Versi yang sudah terbit "
                          "tidak berubah."),
                        url_for("studio.discard", slug=slug), _("Buang draf"),
                        [d.path for d in draft_changes(db.session, found, copy)])
    if not ConfirmForm().validate_on_submit():
        return _back(found)
    if discard_draft(db.session, found, current_user.id):
        db.session.commit()
        flash(_("Draf dibuang."), "success")
    return _back(found)


def _file_action(found, run, done: str):
    """Run a file operation on the draft; commit and say ``done``, or roll back and say why not."""
    try:
        result = run()
    except StudioError as refused:
        db.session.rollback()
        flash(studio_message(refused.code), "error")
        return None
    db.session.commit()
    flash(done, "success")
    return result


@bp.post("/<slug>/files/module")
@studio_roles
def new_module(slug: str):
    found = staff_course_or_abort(slug)
    form = AddModuleForm()
    if not form.validate_on_submit():
        return course_page(found, UploadForm(), status=400, module_form=form)
    path = _file_action(found, lambda: add_module(db.session, found, current_user.id, form.slug.data,
                                                  form.title.data or ""), _("Modul ditambahkan ke draf."))
    if path is None:
        return _back(found)
    return redirect(url_for("studio.edit", slug=slug, path=path))


@bp.post("/<slug>/files/quiz")
@studio_roles
def new_quiz(slug: str):
    found = staff_course_or_abort(slug)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _back(found)
    path = _file_action(found, lambda: add_quiz(db.session, found, current_user.id, form.path.data or ""),
                        _("Kuis ditambahkan ke draf."))
    if path is None:
        return _back(found)
    return redirect(url_for("studio.edit", slug=slug, path=path))


@bp.post("/<slug>/files/asset")
@studio_roles
def new_asset(slug: str):
    found = staff_course_or_abort(slug)
    form = AssetForm()
    if not form.validate_on_submit():
        return course_page(found, UploadForm(), status=400, asset_form=form)
    upload = form.asset.data
    try:
        path = upload_asset(db.session, found, current_user.id, upload.filename or "", upload.read(),
                            current_app.config["STUDIO_FILE_MAX_BYTES"])
    except UploadRefused as refused:
        db.session.rollback()
        form.asset.errors = [upload_message(refused.code)]
        return course_page(found, UploadForm(), status=400, asset_form=form)
    except StudioError as refused:
        db.session.rollback()
        form.asset.errors = [studio_message(refused.code)]
        return course_page(found, UploadForm(), status=400, asset_form=form)
    db.session.commit()
    flash(_("Aset %(path)s diunggah ke draf; tautkan dari modul sebagai ![keterangan](%(path)s).", path=path),
          "success")
    return _back(found)


@bp.route("/<slug>/files/rename", methods=["GET", "POST"])
@studio_roles
def rename(slug: str):
    found = staff_course_or_abort(slug)
    form = RenameForm() if request.method == "POST" else RenameForm(formdata=None, path=request.args.get("path", "")[:500])
    if request.method == "GET":
        form.new.data = form.path.data
    elif form.validate_on_submit():
        try:
            rename_file(db.session, found, current_user.id, form.path.data, form.new.data)
        except StudioError as refused:
            db.session.rollback()
            form.new.errors = [studio_message(refused.code)]
        else:
            db.session.commit()
            flash(_("Berkas diganti nama; tautan di modul ikut diganti."), "success")
            return _back(found)
    if form.path.data not in working_copy(db.session, found).files:
        flash(studio_message("no_file"), "error")
        return _back(found)
    status = 200 if request.method == "GET" else 400
    return render_template("studio/rename.html", course=found, form=form, path=form.path.data,
                           is_module=bool(MODULE_FILE.match(form.path.data))), status


@bp.route("/<slug>/files/delete", methods=["GET", "POST"])
@studio_roles
def delete(slug: str):
    """Delete a file of the draft: asks first (GET), naming every file that goes with it, then deletes."""
    found = staff_course_or_abort(slug)
    if request.method == "GET":
        path = request.args.get("path", "")[:500]
        files = working_copy(db.session, found).files
        if path not in files or path == "course.md":
            flash(studio_message("no_file" if path != "course.md" else "fixed_name"), "error")
            return _back(found)
        return _confirm(found, _("Hapus %(path)s?", path=path),
                        _("Berkas berikut dihapus dari draf (versi yang sudah terbit tidak berubah):"),
                        url_for("studio.delete", slug=slug), _("Hapus"), deleted_with(files, path), path)
    form = ConfirmForm()
    if form.validate_on_submit():
        _file_action(found, lambda: delete_file(db.session, found, current_user.id, form.path.data or ""),
                     _("Berkas dihapus dari draf."))
    return _back(found)


@bp.post("/<slug>/files/move")
@studio_roles
def move(slug: str):
    """Move a module up or down (forms with one button each: no JavaScript needed)."""
    found = staff_course_or_abort(slug)
    form = ConfirmForm()
    if form.validate_on_submit() and form.direction.data in ("up", "down"):
        _file_action(found, lambda: move_module(db.session, found, current_user.id, form.path.data or "",
                                                form.direction.data == "up"),
                     _("Urutan modul diubah; nomor berkas disesuaikan."))
    return _back(found)


@bp.get("/<slug>/draft/diff")
@studio_roles
def draft_diff(slug: str):
    """What the draft changes against the version it started from."""
    found = staff_course_or_abort(slug)
    copy = working_copy(db.session, found)
    return render_template("studio/diff.html", course=found, old=copy.base_number, new=None,
                           diffs=draft_changes(db.session, found, copy))

