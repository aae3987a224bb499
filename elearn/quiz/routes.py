"""Quizzes and exams: overview with the rules, attempts, results, trainer statistics."""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, jsonify, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.access import can_see_course_results
from elearn.extensions import db, limiter
from elearn.learn.forms import ActionForm
from elearn.models._types import utcnow
from elearn.services.placement import mastered_titles
from elearn.services.quiz_views import open_attempt_json, open_attempt_view, question_stats, result_view
from elearn.services.quizzes import (QuizError, get_live_course_quiz, get_owned_attempt, get_owned_attempt_page,
                                     get_quiz_status, save_draft, start_attempt, submit_attempt)
from elearn.transactions import read_mostly

bp = Blueprint("quiz", __name__, template_folder="templates")


def _grace() -> int:
    return current_app.config["QUIZ_GRACE_SECONDS"]


def _quiz_or_404(slug: str, quiz_slug: str):
    found = get_live_course_quiz(db.session, slug, quiz_slug)
    if found is None:
        abort(404)
    return found


def _owned_or_404(attempt_id: int):
    """The signed-in learner's attempt or 404. Callers keep what it returns while the service works on
    the attempt: the session holds its rows weakly, and a dropped one is read again by the service."""
    attempt = get_owned_attempt(db.session, attempt_id, current_user.id)
    if attempt is None:
        abort(404)  # someone else's attempt is "not found", not "forbidden": ids reveal nothing
    return attempt


def _owned_page_or_404(attempt_id: int):
    """(attempt, quiz, course) of the signed-in learner's attempt, or 404 as _owned_or_404."""
    found = get_owned_attempt_page(db.session, attempt_id, current_user.id)
    if found is None:
        abort(404)
    return found


@bp.get("/courses/<slug>/quiz/<quiz_slug>/")
@read_mostly
@login_required
def overview(slug: str, quiz_slug: str):
    course, quiz = _quiz_or_404(slug, quiz_slug)
    status = get_quiz_status(db.session, current_user.id, quiz, utcnow(), _grace())
    return render_template("quiz/overview.html", course=course, quiz=quiz, status=status, form=ActionForm(),
                           rules=quiz.settings, pool=len(quiz.questions),
                           can_see_stats=can_see_course_results(current_user, course))


@bp.post("/courses/<slug>/quiz/<quiz_slug>/start")
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_QUIZ_START"], key_func=lambda: f"start:{current_user.get_id()}")
def start(slug: str, quiz_slug: str):
    _course, quiz = _quiz_or_404(slug, quiz_slug)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("quiz.overview", slug=slug, quiz_slug=quiz_slug))
    try:
        attempt = start_attempt(db.session, current_user.id, quiz, utcnow(), grace=_grace())
    except QuizError as refused:
        db.session.rollback()
        messages = {
            "not_enrolled": _("Daftar ke kursus ini terlebih dahulu."),
            "no_attempts_left": _("Kesempatan mengerjakan kuis ini sudah habis."),
            "cooldown": _("Percobaan berikutnya dapat dimulai setelah masa jeda selesai."),
            "exam_locked": _("Ujian akhir dapat dimulai setelah semua modul selesai."),
        }
        flash(messages.get(refused.code, messages["no_attempts_left"]), "error")
        return redirect(url_for("quiz.overview", slug=slug, quiz_slug=quiz_slug))
    attempt_id = attempt.id  # read before the commit expires the row: no reload to answer
    db.session.commit()
    return redirect(url_for("quiz.attempt", attempt_id=attempt_id))


@bp.get("/attempts/<id:attempt_id>/")
@read_mostly
@login_required
def attempt(attempt_id: int):
    found, quiz, course = _owned_page_or_404(attempt_id)
    if found.state != "open":
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    response = make_response(render_template(
        "quiz/attempt.html", attempt=found, quiz=quiz, course=course,
        questions=open_attempt_view(found), form=ActionForm()))
    # "Back" after submitting must ask the server again (and land on the result), not show a stale form.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/attempts/<id:attempt_id>.json")
@read_mostly
@login_required
def attempt_json(attempt_id: int):
    found = _owned_or_404(attempt_id)
    if found.state != "open":
        return jsonify({"id": found.id, "state": found.state, "score": found.score, "passed": found.passed,
                        "result_url": url_for("quiz.result", attempt_id=found.id)})
    return jsonify(open_attempt_json(found))


def _draft_messages() -> dict:
    return {
        "saved": _("Jawaban tersimpan. Anda dapat melanjutkan kapan saja sebelum batas waktu."),
        "closed": _("Percobaan ini sudah dikirim; jawaban tidak diubah."),
        "expired": _("Batas waktu sudah lewat; jawaban tidak diubah. Percobaan dinilai dengan jawaban yang "
                     "tersimpan sebelum batas waktu."),
    }


@bp.post("/attempts/<id:attempt_id>/save")
@login_required
def save(attempt_id: int):
    """The "Simpan jawaban" button: store the drafts without submitting, back to the attempt."""
    owned = _owned_or_404(attempt_id)  # noqa: F841 (kept for the service, see _owned_or_404)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("quiz.attempt", attempt_id=attempt_id))
    form = {key: request.form.getlist(key) for key in request.form}
    saved = save_draft(db.session, current_user.id, attempt_id, form, utcnow(), _grace())
    db.session.commit()
    flash(_draft_messages()[saved.code], "success" if saved.saved else "error")
    return redirect(url_for("quiz.attempt", attempt_id=attempt_id))


@bp.post("/attempts/<id:attempt_id>/save.json")
@login_required
def save_json(attempt_id: int):
    """The page's script saving in the background (and replaying saves queued offline): the same
    form fields and CSRF token as the page's form, a JSON answer with the outcome's code."""
    owned = _owned_or_404(attempt_id)  # noqa: F841 (kept for the service, see _owned_or_404)
    if not ActionForm().validate_on_submit():
        return jsonify({"code": "csrf", "message": _("Sesi halaman ini habis; muat ulang halaman.")}), 400
    form = {key: request.form.getlist(key) for key in request.form}
    saved = save_draft(db.session, current_user.id, attempt_id, form, utcnow(), _grace())
    state = saved.attempt.state  # read before the commit expires the row: no reload to answer
    db.session.commit()
    return jsonify({"code": saved.code, "message": _draft_messages()[saved.code], "state": state,
                    "result_url": None if saved.saved else url_for("quiz.result", attempt_id=attempt_id)})


@bp.post("/attempts/<id:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    # with its quiz (and course): the service's reads of both are then found in the session, not queried
    owned = _owned_page_or_404(attempt_id)  # noqa: F841 (kept for the service, see _owned_or_404)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("quiz.attempt", attempt_id=attempt_id))
    form = {key: request.form.getlist(key) for key in request.form}
    result = submit_attempt(db.session, current_user.id, attempt_id, form, utcnow(), _grace(),
                            defer_completion=current_app.config["COMPLETION_QUEUE"])
    expired = result.expired  # read before the commit expires the row: no reload to answer
    db.session.commit()
    if result.graded_now and expired:
        flash(_("Jawaban dikirim setelah batas waktu, sehingga yang dinilai adalah jawaban yang tersimpan "
                "sebelum batas waktu."), "error")
    if not result.graded_now:
        flash(_("Percobaan ini sudah dikirim sebelumnya; jawaban yang dikirim ulang tidak dihitung. "
                "Inilah hasil yang tercatat."), "info")
    if result.placed_out:
        flash(_("Tes penempatan menunjukkan Anda sudah menguasai: %(modules)s. Modul itu dihitung selesai.",
                modules=", ".join(result.placed_out)), "success")
    if result.course_completed:
        flash(_("Selamat! Anda telah menyelesaikan kursus ini."), "success")
    if result.completion_queued:
        flash(_("Anda lulus ujian akhir. Penyelesaian kursus dan sertifikat Anda sedang dicatat dan akan muncul "
                "di Sertifikat saya dalam beberapa saat."), "success")
    return redirect(url_for("quiz.result", attempt_id=attempt_id))


@bp.get("/attempts/<id:attempt_id>/result")
@read_mostly
@login_required
def result(attempt_id: int):
    found, quiz, course = _owned_page_or_404(attempt_id)
    if found.state == "open":
        return redirect(url_for("quiz.attempt", attempt_id=attempt_id))
    status = get_quiz_status(db.session, current_user.id, quiz, utcnow(), _grace())
    mastered = mastered_titles(db.session, found) if quiz.kind == "pretest" else []
    return render_template("quiz/result.html", attempt=found, quiz=quiz, course=course, status=status, mastered=mastered,
                           rows=result_view(found, status.passed), form=ActionForm())


@bp.get("/courses/<slug>/quiz/<quiz_slug>/stats")
@login_required
def stats(slug: str, quiz_slug: str):
    course, quiz = _quiz_or_404(slug, quiz_slug)
    if not can_see_course_results(current_user, course):
        abort(403)
    return render_template("quiz/stats.html", course=course, quiz=quiz, stats=question_stats(db.session, quiz.id))
