"""Module question pages. Who may read, answer, hide and handle reports: elearn.access (can_read_questions,
can_answer_question, is_course_staff); every rule is in elearn.services.questions and
elearn.services.question_reports."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from elearn.access import (can_answer_question, can_read_questions, is_course_staff, question_readers,
                           reviewable_course_ids, today)
from elearn.extensions import db
from elearn.learn.forms import ActionForm
from elearn.questions.forms import AnswerForm, EditForm, FollowForm, HideForm, QuestionForm, ReportForm
from elearn.services.catalog import get_course, get_live_module_id
from elearn.services.question_reports import dismiss_report, get_open_report, open_reports, report_post
from elearn.services.questions import (PostLimits, QuestionError, accept_answer, answer_question, ask_question,
                                       edit_post, edit_window_open, follow_question, get_thread, hide_post,
                                       is_following, waiting_questions)
from elearn.services.scope import mentee_ids

bp = Blueprint("questions", __name__, template_folder="templates")

MESSAGES = {
    "empty": _l("Tuliskan sesuatu."),
    "too_long": _l("Teks terlalu panjang."),
    "not_enrolled": _l("Daftar ke kursus ini terlebih dahulu."),
    "locked": _l("Modul ini masih terkunci untuk Anda; pertanyaan bisa diajukan setelah modul terbuka."),
    "reason_required": _l("Tuliskan alasannya."),
    "too_many": _l("Anda sudah terlalu banyak mengirim dalam satu jam terakhir. Coba lagi nanti."),
    "no_links": _l("Akun baru belum boleh menyertakan tautan. Hapus tautannya atau coba lagi besok."),
    "too_late": _l("Waktu untuk menyunting sudah habis (%(minutes)s menit setelah dikirim)."),
    "own_post": _l("Anda tidak dapat melaporkan tulisan Anda sendiri."),
    "already_reported": _l("Anda sudah melaporkan tulisan ini."),
}


def _message(code: str) -> str:
    return str(MESSAGES[code]) % {"minutes": current_app.config["QUESTION_EDIT_MINUTES"]} \
        if code == "too_late" else str(MESSAGES[code])


def _limits(course) -> PostLimits:
    """The current user's posting limits on ``course``: course staff may post links from the first day."""
    hours = 0 if is_course_staff(current_user, course) else current_app.config["QUESTION_LINKS_MIN_ACCOUNT_HOURS"]
    return PostLimits(current_app.config["QUESTION_POSTS_PER_HOUR"], timedelta(hours=hours),
                      current_app.config["QUESTION_EDIT_MINUTES"])


@bp.post("/courses/<slug>/<module_slug>/questions")
@login_required
def ask(slug: str, module_slug: str):
    course = get_course(db.session, slug)
    module_id = get_live_module_id(db.session, course.id, module_slug) if course is not None else None
    if module_id is None:
        abort(404)
    back = url_for("learn.module", slug=slug, module_slug=module_slug, _anchor="tanya")
    form = QuestionForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.text.errors) or _("Tuliskan sesuatu."), "error")
        return redirect(back)
    try:
        question = ask_question(db.session, current_user.id, course.id, module_id, form.text.data, _limits(course))
    except QuestionError as refused:
        db.session.rollback()
        flash(_message(refused.code), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Pertanyaan dikirim; pelatih atau mentor Anda akan menjawabnya."), "success")
    return redirect(url_for("questions.thread", question_id=question.id))


def _thread_or_404(question_id: int):
    found = get_thread(db.session, question_id)
    if found is None or not can_read_questions(db.session, current_user, found.course, found.question.user_id):
        abort(404)
    return found


@bp.route("/questions/<id:question_id>", methods=["GET", "POST"])
@login_required
def thread(question_id: int):
    found = _thread_or_404(question_id)
    may_answer = can_answer_question(db.session, current_user, found.question.user_id, found.course)
    form = AnswerForm()
    if may_answer and form.validate_on_submit():
        try:
            answer_question(db.session, current_user, found, form.text.data, question_readers(),
                            _limits(found.course))
        except QuestionError as refused:
            db.session.rollback()
            form.text.errors = list(form.text.errors) + [_message(refused.code)]
        else:
            db.session.commit()
            flash(_("Jawaban dikirim."), "success")
            return redirect(url_for("questions.thread", question_id=question_id))
    elif form.is_submitted() and not may_answer:
        abort(403)
    minutes = current_app.config["QUESTION_EDIT_MINUTES"]
    me = current_user.id
    editable = {a.id for a, _name in found.answers if a.user_id == me and edit_window_open(a.answered_at, minutes)}
    return render_template("questions/thread.html", thread=found, form=form, may_answer=may_answer,
                           may_hide=is_course_staff(current_user, found.course),
                           is_asker=me == found.question.user_id,
                           question_editable=found.question.user_id == me and edit_window_open(
                               found.question.asked_at, minutes),
                           editable=editable, following=is_following(db.session, me, question_id),
                           action_form=ActionForm(), hide_form=HideForm(formdata=None),
                           report_form=ReportForm(formdata=None), follow_form=FollowForm(formdata=None))


@bp.post("/questions/<id:question_id>/answers/<id:answer_id>/accept")
@login_required
def accept(question_id: int, answer_id: int):
    found = _thread_or_404(question_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("questions.thread", question_id=question_id))
    try:
        accept_answer(db.session, current_user.id, found, answer_id, question_readers())
    except QuestionError as refused:
        db.session.rollback()
        abort(403 if refused.code == "not_asker" else 404)
    db.session.commit()
    flash(_("Jawaban ditandai diterima."), "success")
    return redirect(url_for("questions.thread", question_id=question_id))


@bp.post("/questions/<id:question_id>/follow")
@login_required
def follow(question_id: int):
    found = _thread_or_404(question_id)
    form = FollowForm()
    if form.validate_on_submit():
        follow_question(db.session, current_user.id, found, form.follow.data != "0")
        db.session.commit()
        flash(_("Anda mengikuti pertanyaan ini.") if form.follow.data != "0"
              else _("Anda tidak lagi mengikuti pertanyaan ini."), "success")
    return redirect(url_for("questions.thread", question_id=question_id))


@bp.route("/questions/<id:question_id>/edit", methods=["GET", "POST"])
@bp.route("/questions/<id:question_id>/answers/<id:answer_id>/edit", methods=["GET", "POST"])
@login_required
def edit(question_id: int, answer_id: int | None = None):
    found = _thread_or_404(question_id)
    if answer_id is None:
        post = found.question
    else:
        post = next((a for a, _name in found.answers if a.id == answer_id), None)
        if post is None:
            abort(404)
    if post.user_id != current_user.id:
        abort(403)
    back = url_for("questions.thread", question_id=question_id,
                   _anchor=f"jawaban-{answer_id}" if answer_id else None)
    form = EditForm(data={"text": post.text})
    if form.validate_on_submit():
        try:
            edit_post(db.session, current_user.id, found, form.text.data, _limits(found.course), answer_id)
        except QuestionError as refused:
            db.session.rollback()
            if refused.code == "too_late":
                flash(_message(refused.code), "error")
                return redirect(back)
            form.text.errors = list(form.text.errors) + [_message(refused.code)]
        else:
            db.session.commit()
            flash(_("Perubahan disimpan."), "success")
            return redirect(back)
    elif not edit_window_open(post.answered_at if answer_id else post.asked_at,
                              current_app.config["QUESTION_EDIT_MINUTES"]):
        flash(_message("too_late"), "error")
        return redirect(back)
    return render_template("questions/edit.html", thread=found, form=form, is_answer=answer_id is not None,
                           back=back)


@bp.post("/questions/<id:question_id>/report")
@login_required
def report(question_id: int):
    found = _thread_or_404(question_id)
    form = ReportForm()
    back = url_for("questions.thread", question_id=question_id)
    if not form.validate_on_submit():
        flash(_message("too_long" if (form.reason.data or "").strip() else "reason_required"), "error")
        return redirect(back)
    answer_id = int(form.answer_id.data) if (form.answer_id.data or "").isdigit() else None
    try:
        report_post(db.session, current_user.id, found, form.reason.data, answer_id)
    except QuestionError as refused:
        db.session.rollback()
        if refused.code == "not_found":
            abort(404)
        if refused.code == "own_post":
            abort(403)
        flash(_message(refused.code), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Terima kasih; pelatih kursus akan memeriksa laporan Anda."), "success")
    return redirect(back)


@bp.post("/questions/reports/<id:report_id>/dismiss")
@login_required
def dismiss(report_id: int):
    found = get_open_report(db.session, report_id)
    if found is None:
        abort(404)
    report_row, course = found
    if not is_course_staff(current_user, course):
        abort(403)
    if ActionForm().validate_on_submit():
        dismiss_report(db.session, current_user.id, report_row)
        db.session.commit()
        flash(_("Laporan diabaikan; tulisan tetap tampil."), "success")
    return redirect(url_for("questions.waiting", _anchor="laporan"))


@bp.post("/questions/<id:question_id>/hide")
@login_required
def hide(question_id: int):
    found = _thread_or_404(question_id)
    if not is_course_staff(current_user, found.course):
        abort(403)
    form = HideForm()
    back = url_for("questions.thread", question_id=question_id)
    if not form.validate_on_submit():
        flash(_("Tuliskan alasannya."), "error")
        return redirect(back)
    answer_id = int(form.answer_id.data) if (form.answer_id.data or "").isdigit() else None
    try:
        hide_post(db.session, current_user.id, found, form.reason.data, answer_id)
    except QuestionError as refused:
        db.session.rollback()
        if refused.code == "not_found":
            abort(404)
        flash(_message(refused.code), "error")
        return redirect(back)
    db.session.commit()
    if answer_id is None:
        flash(_("Pertanyaan disembunyikan."), "success")
        return redirect(url_for("learn.module", slug=found.course.slug, module_slug=found.module_slug))
    flash(_("Jawaban disembunyikan."), "success")
    return redirect(back)


def waiting_for(user) -> list:
    """Unanswered questions ``user`` answers: of their current mentees, and on the courses they train."""
    by_mentoring = waiting_questions(db.session, mentee_ids(user.id, today()), None)
    courses = reviewable_course_ids(db.session, user)
    as_staff = waiting_questions(db.session, None, courses) if courses is None or courses else []
    merged = {w.question_id: w for w in by_mentoring + as_staff if w.asker_id != user.id}
    return sorted(merged.values(), key=lambda w: (w.asked_at, w.question_id))


@bp.get("/questions/waiting")
@login_required
def waiting():
    courses = reviewable_course_ids(db.session, current_user)
    reports = open_reports(db.session, courses) if courses is None or courses else []
    return render_template("questions/waiting.html", items=waiting_for(current_user), reports=reports,
                           action_form=ActionForm())
