"""The trainer studio: the courses a trainer authors, their versions, and the stored draft (edit a
Markdown file, upload a ZIP; check, preview, publish). Course staff only (``is_course_staff``). The
draft's file operations, check, preview, publish and discard pages are in ``draft_routes``."""
from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import is_course_staff
from elearn.extensions import db
from elearn.services.my_courses import my_courses
from elearn.services.course_versions import (UploadRefused, ZipLimits, check_upload_types, get_version,
                                             read_course_zip, version_files, version_zip)
from elearn.services.drafts import (DraftConflict, new_course as create_course, publish_stored_draft,
                                    replace_all, save_file, working_copy)
from elearn.services.studio import (EDITABLE, DraftCheck, Published, StudioError, check_draft, diff_versions,
                                    edited_files, preview_quiz, rollback_to)
from elearn.studio import draft_routes  # noqa: F401  (registers the draft pages on bp)
from elearn.studio import gift_routes  # noqa: F401  (registers the GIFT upload on bp)
from elearn.studio.common import bp, staff_course_or_abort as _staff_course_or_abort, studio_message, \
    studio_roles, upload_message
from elearn.studio.draft_routes import course_page as _course_page
from elearn.studio.forms import ACTIONS, EditForm, NewCourseForm, PreviewQuizForm, RollbackForm, UploadForm

@bp.get("/")
@studio_roles
def index():
    return render_template("studio/index.html", courses=my_courses(db.session, current_user))


@bp.route("/new", methods=["GET", "POST"])
@studio_roles
def new_course():
    """Start a course from the template; the creator becomes its trainer. It stays hidden from learners
    until its first publish."""
    form = NewCourseForm()
    if not form.validate_on_submit():
        return render_template("studio/new.html", form=form), 400 if request.method == "POST" else 200
    try:
        created = create_course(db.session, current_user, form.slug.data, form.title.data)
    except StudioError as refused:
        db.session.rollback()
        form.slug.errors = [studio_message(refused.code)]
        return render_template("studio/new.html", form=form), 400
    db.session.commit()
    flash(_("Kursus dibuat dari templat. Ini masih draf: peserta belum melihatnya sampai Anda menerbitkannya."),
          "success")
    return redirect(url_for("studio.course", slug=created.slug))


@bp.get("/<slug>/")
@studio_roles
def course(slug: str):
    found = _staff_course_or_abort(slug)
    return _course_page(found, UploadForm())


def _editor(found, form, path: str, copy, check=None, conflict: DraftConflict | None = None, status: int = 200):
    return render_template("studio/edit.html", course=found, form=form, path=path, is_new=path not in copy.files,
                           check=check, conflict=conflict, line=request.args.get("line", 0, type=int)), status


@bp.get("/<slug>/edit")
@studio_roles
def edit(slug: str):
    found = _staff_course_or_abort(slug)
    path = request.args.get("path", "")[:100]
    if not EDITABLE.match(path):
        flash(studio_message("bad_path"), "error")
        return redirect(url_for("studio.course", slug=slug))
    copy = working_copy(db.session, found)
    form = EditForm(path=path, sha=copy.sha(path))
    form.text.data = copy.files[path].decode("utf-8", errors="replace") if path in copy.files else ""
    return _editor(found, form, path, copy)


@bp.post("/<slug>/edit")
@studio_roles
def edit_post(slug: str):
    """Store the text in the draft (refused when someone else saved the file since the editor opened it),
    then check, preview or publish the draft."""
    found = _staff_course_or_abort(slug)
    form = EditForm()
    action = request.form.get("action", "save")
    path = (form.path.data or "")[:100]
    if not form.validate_on_submit() or action not in ACTIONS:
        return _editor(found, form, path, working_copy(db.session, found), status=400)
    try:
        save_file(db.session, found, current_user.id, path, form.text.data or "", form.sha.data or "")
    except DraftConflict as conflict:
        db.session.rollback()
        form.sha.data = conflict.stored_sha  # saving again is a deliberate choice of this text
        flash(studio_message(conflict.code), "error")
        return _editor(found, form, path, working_copy(db.session, found), conflict=conflict, status=409)
    except StudioError as refused:
        db.session.rollback()
        flash(studio_message(refused.code), "error")
        return _editor(found, form, path, working_copy(db.session, found), status=400)
    db.session.commit()
    copy = working_copy(db.session, found)
    form.sha.data = copy.sha(path)
    if action == "save":
        flash(_("Tersimpan di draf. Peserta belum melihatnya sampai draf diterbitkan."), "success")
        return redirect(url_for("studio.edit", slug=slug, path=path))
    try:
        result = _run(found, copy.files, action, form, preview=path)
    except StudioError as refused:
        db.session.rollback()
        flash(studio_message(refused.code), "error")
        return _editor(found, form, path, copy, status=409)
    if isinstance(result, Published):
        return _after_publish(found, result)
    return _editor(found, form, path, copy, check=result, status=200 if result.ok else 422)


@bp.post("/<slug>/preview.json")
@studio_roles
def live_preview(slug: str):
    """The editor script's live preview: the draft with this file's text (not stored) rendered as learners
    will see it, and its problems (JSON); the same check and render as the Pratinjau button."""
    found = _staff_course_or_abort(slug)
    form = EditForm()
    if not form.validate_on_submit():
        abort(400)
    path = (form.path.data or "")[:100]
    files = working_copy(db.session, found).files
    try:
        result = check_draft(db.session, found, edited_files(files, path, form.text.data or ""), preview=path)
    except StudioError:
        abort(400)
    mine = [p for p in result.problems if p.path == path]
    others = len(result.problems) - len(mine)
    html = render_template("studio/_live.html", pages=result.pages)
    summary = (_("Tidak ada galat.") if result.ok else _("Draf punya galat; belum dapat diterbitkan."))
    if others:
        summary += " " + _("%(n)s masalah lain di berkas lain (tombol Periksa menampilkan semuanya).", n=others)
    return {"ok": result.ok, "summary": summary, "html": html,
            "problems": [{"path": p.path, "line": p.line, "severity": p.severity, "message": p.message,
                          "severity_label": _("galat") if p.severity == "error" else _("peringatan")} for p in mine]}


@bp.post("/<slug>/upload")
@studio_roles
def upload(slug: str):
    """A course ZIP replaces the draft's files; then check, preview or publish the draft."""
    found = _staff_course_or_abort(slug)
    form = UploadForm()
    action = request.form.get("action", "check")
    if not form.validate_on_submit() or action not in ACTIONS:
        return _course_page(found, form, status=400)
    config = current_app.config
    limits = ZipLimits(config["STUDIO_ZIP_MAX_FILES"], config["STUDIO_FILE_MAX_BYTES"],
                       config["STUDIO_ZIP_MAX_TOTAL_BYTES"], config["STUDIO_ZIP_MAX_RATIO"])
    try:
        files = read_course_zip(form.archive.data.read(), limits)
        check_upload_types(files)
    except UploadRefused as refused:
        form.archive.errors = [upload_message(refused.code) + (f" ({refused.path})" if refused.path else "")]
        return _course_page(found, form, status=400)
    replace_all(db.session, found, current_user.id, files)
    db.session.commit()
    if action == "save":
        flash(_("ZIP disimpan sebagai draf."), "success")
        return redirect(url_for("studio.course", slug=slug))
    try:
        result = _run(found, files, action, form, preview="*")
    except StudioError as refused:
        db.session.rollback()
        flash(studio_message(refused.code), "error")
        return _course_page(found, form, status=409)
    if isinstance(result, Published):
        return _after_publish(found, result)
    return _course_page(found, form, result, 200 if result.ok else 422)


def _run(found, files, action: str, form, preview: str):
    """Check, preview or publish the stored draft (``files``): a DraftCheck, or Published."""
    if action == "publish":
        return publish_stored_draft(db.session, found, current_user.id, form.note.data or "")
    return check_draft(db.session, found, files, preview=preview if action == "preview" else None)


def _after_publish(found, result: Published):
    db.session.commit()  # the draft is gone either way
    if result.created:
        flash(_("Versi %(n)s diterbitkan; peserta langsung melihatnya.", n=result.version.number), "success")
    else:
        flash(_("Tidak ada perubahan: draf sama dengan versi %(n)s.", n=result.version.number), "info")
    return redirect(url_for("studio.course", slug=found.slug))


@bp.get("/<slug>/versions/<int:number>.zip")
@studio_roles
def download(slug: str, number: int):
    found = _staff_course_or_abort(slug)
    version = get_version(db.session, found.id, number)
    if version is None:
        abort(404)
    response = make_response(version_zip(found.slug, version_files(db.session, version)))
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{found.slug}-v{number}.zip"'
    return response


@bp.post("/<slug>/versions/<int:number>/rollback")
@studio_roles
def rollback(slug: str, number: int):
    found = _staff_course_or_abort(slug)
    form = RollbackForm()
    if not form.validate_on_submit():
        return redirect(url_for("studio.course", slug=slug))
    try:
        result = rollback_to(db.session, found, number, user_id=current_user.id, base_number=form.base_number())
    except StudioError as refused:
        db.session.rollback()
        flash(studio_message(refused.code), "error")
        return redirect(url_for("studio.course", slug=slug))
    if isinstance(result, Published):
        return _after_publish(found, result)
    db.session.rollback()  # an old version that no longer passes today's checks (e.g. a prerequisite gone)
    return _course_page(found, UploadForm(), result, 422)


@bp.get("/<slug>/diff")
@studio_roles
def diff(slug: str):
    found = _staff_course_or_abort(slug)
    old, new = request.args.get("from", type=int), request.args.get("to", type=int)
    diffs = diff_versions(db.session, found, old, new) if old and new else None
    if diffs is None:
        abort(404)
    return render_template("studio/diff.html", course=found, old=old, new=new, diffs=diffs)


@bp.route("/<slug>/preview/quiz/<quiz_slug>", methods=["GET", "POST"])
@studio_roles
def preview_quiz_page(slug: str, quiz_slug: str):
    """Take the draft's quiz as a learner would, in preview: graded on the server from the draft's files,
    nothing stored, answers only in the page after submitting."""
    found = _staff_course_or_abort(slug)
    attempt = preview_quiz(db.session, found, working_copy(db.session, found).files, quiz_slug[:100])
    if attempt is None:
        abort(404)
    if isinstance(attempt, DraftCheck):  # the draft has errors: list them, as the Periksa button does
        return _course_page(found, UploadForm(), attempt, 422)
    form = PreviewQuizForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        attempt.grade(request.form)
        return render_template("studio/preview_result.html", course=found, attempt=attempt, rows=attempt.results())
    return render_template("studio/preview_quiz.html", course=found, attempt=attempt, questions=attempt.shown(),
                           form=form)
