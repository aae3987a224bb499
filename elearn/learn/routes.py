"""Catalogue, course overview, enrollment, module pages, progress and course assets."""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, jsonify, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.access import can_preview
from elearn.extensions import db
from elearn.learn.forms import ActionForm
from elearn.questions.forms import QuestionForm
from elearn.services.catalog import (CatalogueFilters, get_asset, get_course, get_glossary, get_live_module_id,
                                    list_live_modules, search_catalogue)
from elearn.services.course_download import FORMATS, course_book, course_file
from elearn.services.enrollment import EnrollmentBlocked, EnrollmentError, enroll, get_enrollment, leave
from elearn.services.learning import get_course_view
from elearn.services.module_page import view_module
from elearn.services.offline import get_offline_bundle, offline_revision
from elearn.services.progress import ProgressError, get_course_progress, mark_module_complete
from elearn.services.questions import questions_of_module
from elearn.transactions import read_mostly

bp = Blueprint("learn", __name__, url_prefix="/courses", template_folder="templates")


def _course_or_404(slug: str):
    course = get_course(db.session, slug)
    if course is None:
        abort(404)
    return course


@bp.get("/")
def catalogue():
    args = request.args
    filters = CatalogueFilters(query=args.get("q", "")[:100], topic=args.get("topic", "")[:100],
                               level=args.get("level", "")[:20], language=args.get("language", "")[:5])
    return render_template("learn/catalogue.html", catalogue=search_catalogue(db.session, filters), filters=filters)


@bp.get("/<slug>/")
def course(slug: str):
    found = _course_or_404(slug)
    modules = list_live_modules(db.session, found.id)
    user_id = current_user.id if current_user.is_authenticated else None
    return render_template("learn/course.html", course=found, modules=modules,
                           view=get_course_view(db.session, user_id, found), form=ActionForm(),
                           total_minutes=sum(m.minutes for m in modules), offline_revision=offline_revision(found),
                           staff=can_preview(current_user))


@bp.get("/<slug>/glossary/")
def glossary(slug: str):
    """The course's glossary: public, like the course page."""
    page = get_glossary(db.session, slug)
    if page is None:
        abort(404)
    return render_template("learn/glossary.html", page=page)


@bp.post("/<slug>/enroll")
@login_required
def enroll_in(slug: str):
    found = _course_or_404(slug)
    if ActionForm().validate_on_submit():
        try:
            enroll(db.session, current_user.id, found)
        except EnrollmentBlocked as blocked:
            db.session.rollback()
            flash(_("Anda belum dapat mendaftar. Selesaikan dulu kursus prasyarat: %(courses)s.",
                    courses=", ".join(m.title for m in blocked.missing)), "error")
            return redirect(url_for("learn.course", slug=slug))
        db.session.commit()
        flash(_("Anda terdaftar di kursus ini. Selamat belajar!"), "success")
    return redirect(url_for("learn.course", slug=slug))


@bp.route("/<slug>/leave", methods=["GET", "POST"])
@login_required
def leave_course(slug: str):
    """GET asks for confirmation (works without JavaScript); POST leaves."""
    found = _course_or_404(slug)
    enrollment = get_enrollment(db.session, current_user.id, found.id)
    if enrollment is None:
        return redirect(url_for("learn.course", slug=slug))
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            leave(db.session, current_user.id, found.id)
        except EnrollmentError as refused:
            db.session.rollback()
            if refused.code == "completed":
                flash(_("Kursus yang sudah selesai tidak dapat ditinggalkan: penyelesaian Anda tetap tercatat."),
                      "error")
            return redirect(url_for("learn.course", slug=slug))
        db.session.commit()
        flash(_("Anda keluar dari kursus ini. Kemajuan Anda tetap tersimpan jika Anda kembali."), "info")
        return redirect(url_for("learn.course", slug=slug))
    if enrollment.completed_at is not None:
        flash(_("Kursus yang sudah selesai tidak dapat ditinggalkan: penyelesaian Anda tetap tercatat."), "error")
        return redirect(url_for("learn.course", slug=slug))
    return render_template("learn/leave.html", course=found, form=form)


@bp.get("/<slug>/continue")
@login_required
def continue_course(slug: str):
    found = _course_or_404(slug)
    enrollment = get_enrollment(db.session, current_user.id, found.id)
    if enrollment is None:
        return redirect(url_for("learn.course", slug=slug))
    progress = get_course_progress(db.session, current_user.id, found.id, enrollment)
    if progress.continue_slug is None:
        return redirect(url_for("learn.course", slug=slug))
    return redirect(url_for("learn.module", slug=slug, module_slug=progress.continue_slug))


@bp.get("/<slug>/<module_slug>/")
@read_mostly
@login_required
def module(slug: str, module_slug: str):
    # "Simpan untuk dibaca offline" fetches every module: storing a page is not reading it.
    stored_only = request.headers.get("X-Offline-Save") == "1"
    view = view_module(db.session, current_user.id, can_preview(current_user), slug, module_slug,
                       record=not stored_only)
    if view is None:
        abort(404)
    if view.access == "enroll_first":
        flash(_("Daftar ke kursus ini terlebih dahulu untuk membuka modulnya."), "info")
        return redirect(url_for("learn.course", slug=slug))
    if view.access == "locked":
        return render_template("learn/locked.html", view=view), 403
    if view.recorded:
        db.session.commit()
    questions = questions_of_module(db.session, view.page.id, request.args.get("page", 1, type=int))
    return render_template("learn/module.html", view=view, page=view.page, questions=questions,
                           question_form=QuestionForm(formdata=None))


def _progress_messages(refused: ProgressError) -> str:
    return {
        "not_enrolled": _("Daftar ke kursus ini terlebih dahulu untuk mencatat kemajuan."),
        "locked": _("Modul ini masih terkunci. Selesaikan dulu: %(modules)s.", modules=", ".join(refused.missing)),
        "by_quiz": _("Modul ini selesai otomatis ketika kuisnya lulus."),
    }[refused.code]


@bp.post("/<slug>/<module_slug>/complete")
@login_required
def complete(slug: str, module_slug: str):
    view_args = dict(slug=slug, module_slug=module_slug)
    found = _course_or_404(slug)
    module_id = get_live_module_id(db.session, found.id, module_slug)
    if module_id is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("learn.module", **view_args))
    enrollment = get_enrollment(db.session, current_user.id, found.id)
    try:
        course_done = mark_module_complete(db.session, current_user.id, enrollment, module_id)
    except ProgressError as refused:
        db.session.rollback()
        flash(_progress_messages(refused), "error")
        return redirect(url_for("learn.module", **view_args))
    db.session.commit()
    if course_done:
        flash(_("Selamat! Anda telah menyelesaikan kursus %(title)s.", title=found.title), "success")
        return redirect(url_for("learn.course", slug=slug))
    flash(_("Modul ditandai selesai."), "success")
    progress = get_course_progress(db.session, current_user.id, found.id, enrollment)
    next_open = next((m for m in progress.modules if not m.completed and not m.locked), None)
    if next_open is not None:
        return redirect(url_for("learn.module", slug=slug, module_slug=next_open.slug))
    return redirect(url_for("learn.course", slug=slug))


@bp.post("/<slug>/<module_slug>/complete.json")
@login_required
def complete_json(slug: str, module_slug: str):
    """"Tandai selesai" replayed by the page's script after the phone was offline: idempotent (a
    module already complete stays complete, counted once); a refusal comes back as a code and the
    learner's message (a module retired by a new course version is "not_found")."""
    found = get_course(db.session, slug)
    module_id = get_live_module_id(db.session, found.id, module_slug) if found is not None else None
    if module_id is None:
        return jsonify({"code": "not_found", "message": _("Modul ini tidak ada lagi di versi kursus yang "
                                                          "sekarang; kemajuannya tidak dicatat.")}), 404
    if not ActionForm().validate_on_submit():
        return jsonify({"code": "csrf", "message": _("Sesi halaman ini habis; muat ulang halaman.")}), 400
    enrollment = get_enrollment(db.session, current_user.id, found.id)
    try:
        course_done = mark_module_complete(db.session, current_user.id, enrollment, module_id)
    except ProgressError as refused:
        db.session.rollback()
        return jsonify({"code": refused.code, "message": _progress_messages(refused)}), 409
    db.session.commit()
    return jsonify({"code": "completed", "course_completed": course_done, "message": _("Modul ditandai selesai.")})


@bp.get("/<slug>/offline.json")
@login_required
def offline_bundle(slug: str):
    """What "Simpan untuk dibaca offline" stores: the page URLs, asset URLs, total size and version."""
    found = _course_or_404(slug)
    bundle = get_offline_bundle(db.session, current_user.id, found)
    if bundle is None:
        abort(403)
    pages = [url_for("learn.course", slug=slug)]
    pages += [url_for("learn.module", slug=slug, module_slug=m) for m in bundle.modules]
    if found.glossary_title:
        pages.append(url_for("learn.glossary", slug=slug))
    response = jsonify({"course": slug, "version": bundle.revision, "size": bundle.size, "pages": pages,
                        "assets": [url_for("learn.asset", slug=slug, path=a) for a in bundle.assets]})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<slug>/course.<fmt>")
@login_required
def download(slug: str, fmt: str):
    """The whole course as one EPUB or PDF, for enrolled learners and staff (403 for anyone else)."""
    found = _course_or_404(slug)
    if fmt not in FORMATS:
        abort(404)
    book = course_book(db.session, current_user.id, can_preview(current_user), found,
                       course_url=url_for("learn.course", slug=slug, _external=True),
                       institution=current_app.config["INSTITUTION_NAME"], site_name=current_app.config["SITE_NAME"])
    if book is None:
        abort(403)
    response = make_response(course_file(db.session, book, fmt))
    response.headers["Content-Type"] = FORMATS[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{book.file_name(fmt)}"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<slug>/assets/<path:path>")
@login_required
def asset(slug: str, path: str):
    found = get_asset(db.session, slug, path)
    if found is None:
        abort(404)
    etag = found.sha256
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        response = make_response(found.content)
        response.headers["Content-Type"] = found.mime_type
        if not found.mime_type.startswith("image/"):
            response.headers["Content-Disposition"] = "attachment"
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"private, max-age={current_app.config['ASSET_MAX_AGE']}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
