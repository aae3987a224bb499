"""The trainer studio: the courses a trainer authors, their versions, and drafts to check, preview
and publish (an edited Markdown file or an uploaded ZIP). Course staff only (``is_course_staff``)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import STUDIO_ROLES, is_course_staff, role_required
from elearn.extensions import db
from elearn.models import Role
from elearn.services.my_courses import my_courses
from elearn.services.course_versions import (UploadRefused, ZipLimits, check_upload_types, get_version,
                                             list_versions, read_course_zip, version_files, version_zip)
from elearn.services.studio import (EDITABLE, DraftCheck, Published, StudioError, check_draft, diff_versions,
                                    create_course, edited_files, get_studio_course, latest_files,
                                    preview_quiz, publish_draft, quiz_slugs,
                                    rollback_to)
from elearn.studio.forms import ACTIONS, EditForm, NewCourseForm, PreviewQuizForm, RollbackForm, UploadForm

bp = Blueprint("studio", __name__, url_prefix="/studio", template_folder="templates")
studio_roles = role_required(*(Role(value) for value in STUDIO_ROLES))


def _staff_course_or_abort(slug: str):
    """The live course or unpublished studio draft, if the current user is its staff: 404 when there is
    no such course, 403 otherwise."""
    course = get_studio_course(db.session, slug)
    if course is None:
        abort(404)
    if not is_course_staff(current_user, course):
        abort(403)
    return course


def upload_message(code: str) -> str:
    return {
        "not_zip": _("Berkas ini bukan ZIP yang dapat dibaca."),
        "unsafe_path": _("ZIP berisi jalur yang tidak aman (jalur absolut atau '..')."),
        "symlink": _("ZIP berisi tautan simbolik; tautan tidak diterima."),
        "too_many_files": _("ZIP berisi terlalu banyak berkas."),
        "file_too_large": _("Ada berkas yang terlalu besar setelah diekstrak."),
        "too_large": _("Isi ZIP terlalu besar setelah diekstrak."),
        "zip_bomb": _("ZIP ini dimampatkan secara tidak wajar (bom ZIP); ditolak."),
        "duplicate": _("ZIP berisi nama berkas yang sama dua kali."),
        "empty": _("ZIP tidak berisi berkas."),
        "file_type": _("Jenis berkas tidak diterima: hanya berkas Markdown (.md) di folder kursus dan gambar "
                       "PNG/JPEG/WebP/GIF atau PDF di folder assets/ (dikenali dari isinya, bukan namanya)."),
    }[code]


def studio_message(code: str) -> str:
    return {
        "conflict": _("Versi baru sudah diterbitkan orang lain sejak Anda mulai menyunting; draf Anda tidak "
                      "diterbitkan agar perubahan mereka tidak hilang. Teks Anda masih ada di bawah: salin, "
                      "buka versi terbaru, lalu terapkan lagi."),
        "no_version": _("Versi itu tidak ada."),
        "slug_taken": _("Nama folder itu sudah dipakai kursus lain; pilih nama lain."),
        "bad_slug": _("Nama folder atau judul tidak sah."),
        "bad_path": _("Nama berkas harus berupa berkas Markdown di folder kursus, huruf kecil, mis. "
                      "03-katalog.md."),
    }[code]


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
    return _course_page(found, UploadForm(), None, None)


def _course_page(found, form, check: DraftCheck | None, published, status: int = 200):
    number, files = latest_files(db.session, found)
    form.base.data = str(number) if number is not None else ""
    return render_template("studio/course.html", course=found, files=[(path, bool(EDITABLE.match(path))) for path in sorted(files)],
                           quizzes=quiz_slugs(files),
                           versions=list_versions(db.session, found.id), number=number, form=form,
                           check=check, published=published), status


@bp.get("/<slug>/edit")
@studio_roles
def edit(slug: str):
    found = _staff_course_or_abort(slug)
    path = request.args.get("path", "")[:100]
    if not EDITABLE.match(path):
        flash(studio_message("bad_path"), "error")
        return redirect(url_for("studio.course", slug=slug))
    number, files = latest_files(db.session, found)
    form = EditForm(base=str(number) if number is not None else "", path=path)
    form.text.data = files[path].decode("utf-8", errors="replace") if path in files else ""
    return render_template("studio/edit.html", course=found, form=form, path=path, is_new=path not in files,
                           check=None)


@bp.post("/<slug>/edit")
@studio_roles
def edit_post(slug: str):
    found = _staff_course_or_abort(slug)
    form = EditForm()
    action = request.form.get("action", "check")
    path = (form.path.data or "")[:100]
    if not form.validate_on_submit() or action not in ACTIONS:
        return render_template("studio/edit.html", course=found, form=form, path=path, is_new=False, check=None), 400
    number, files = latest_files(db.session, found)
    try:
        draft = edited_files(files, path, form.text.data or "")
        result = _run(found, draft, action, form, preview=path)
    except StudioError as refused:
        db.session.rollback()
        flash(studio_message(refused.code), "error")
        return render_template("studio/edit.html", course=found, form=form, path=path, is_new=path not in files,
                               check=None), 409 if refused.code == "conflict" else 400
    if isinstance(result, Published):
        return _after_publish(found, result)
    return render_template("studio/edit.html", course=found, form=form, path=path, is_new=path not in files,
                           check=result), 200 if result.ok else 422


@bp.post("/<slug>/preview.json")
@studio_roles
def live_preview(slug: str):
    """The editor script's live preview: the draft file rendered as learners will see it, and its
    problems (JSON); the same check and render as the Pratinjau button."""
    found = _staff_course_or_abort(slug)
    form = EditForm()
    if not form.validate_on_submit():
        abort(400)
    path = (form.path.data or "")[:100]
    _number, files = latest_files(db.session, found)
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
    found = _staff_course_or_abort(slug)
    form = UploadForm()
    action = request.form.get("action", "check")
    if not form.validate_on_submit() or action not in ACTIONS:
        return _course_page(found, form, None, None, 400)
    config = current_app.config
    limits = ZipLimits(config["STUDIO_ZIP_MAX_FILES"], config["STUDIO_FILE_MAX_BYTES"],
                       config["STUDIO_ZIP_MAX_TOTAL_BYTES"], config["STUDIO_ZIP_MAX_RATIO"])
    try:
        files = read_course_zip(form.archive.data.read(), limits)
        check_upload_types(files)
        result = _run(found, files, action, form, preview="*")
    except UploadRefused as refused:
        form.archive.errors = [upload_message(refused.code) + (f" ({refused.path})" if refused.path else "")]
        return _course_page(found, form, None, None, 400)
    except StudioError as refused:
        db.session.rollback()
        flash(studio_message(refused.code), "error")
        return _course_page(found, form, None, None, 409)
    if isinstance(result, Published):
        return _after_publish(found, result)
    return _course_page(found, form, result, None, 200 if result.ok else 422)


def _run(found, files, action: str, form, preview: str):
    """Check, preview or publish the draft ``files``: a DraftCheck, or Published."""
    if action == "publish":
        return publish_draft(db.session, found, files, user_id=current_user.id, note=form.note.data or "",
                             base_number=form.base_number())
    return check_draft(db.session, found, files, preview=preview if action == "preview" else None)


def _after_publish(found, result: Published):
    if result.created:
        db.session.commit()
        flash(_("Versi %(n)s diterbitkan; peserta langsung melihatnya.", n=result.version.number), "success")
    else:
        db.session.rollback()
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
    return _course_page(found, UploadForm(), result, None, 422)


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
    _number, files = latest_files(db.session, found)
    attempt = preview_quiz(db.session, found, files, quiz_slug[:100])
    if attempt is None:
        abort(404)
    if isinstance(attempt, DraftCheck):  # the draft has errors: list them, as the Periksa button does
        return _course_page(found, UploadForm(), attempt, None, 422)
    form = PreviewQuizForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        attempt.grade(request.form)
        return render_template("studio/preview_result.html", course=found, attempt=attempt, rows=attempt.results())
    return render_template("studio/preview_quiz.html", course=found, attempt=attempt, questions=attempt.shown(),
                           form=form)
