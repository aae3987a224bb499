"""Module question pages. Who may read, answer and hide: elearn.access (can_read_questions,
can_answer_question, is_course_staff); every rule is in elearn.services.questions."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from elearn.access import (can_answer_question, can_read_questions, is_course_staff, reviewable_course_ids,
                           today)
from elearn.extensions import db
from elearn.learn.forms import ActionForm
from elearn.questions.forms import AnswerForm, HideForm, QuestionForm
from elearn.services.catalog import get_course, get_live_module_id
from elearn.services.questions import (QuestionError, accept_answer, answer_question, ask_question, get_thread,
                                       hide_post, waiting_questions)
from elearn.services.scope import mentee_ids

bp = Blueprint("questions", __name__, template_folder="templates")

MESSAGES = {
    "empty": _l("Tuliskan sesuatu."),
    "too_long": _l("Teks terlalu panjang."),
    "not_enrolled": _l("Daftar ke kursus ini terlebih dahulu."),
    "reason_required": _l("Tuliskan alasannya."),
    "too_many": _l("Anda sudah terlalu banyak mengirim dalam satu jam terakhir. Coba lagi nanti."),
}


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
        question = ask_question(db.session, current_user.id, course.id, module_id, form.text.data,
                                current_app.config["QUESTION_POSTS_PER_HOUR"])
    except QuestionError as refused:
        db.session.rollback()
        flash(str(MESSAGES[refused.code]), "error")
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
            answer_question(db.session, current_user, found, form.text.data,
                            current_app.config["QUESTION_POSTS_PER_HOUR"])
        except QuestionError as refused:
            db.session.rollback()
            form.text.errors = list(form.text.errors) + [MESSAGES[refused.code]]
        else:
            db.session.commit()
            flash(_("Jawaban dikirim."), "success")
            return redirect(url_for("questions.thread", question_id=question_id))
    elif form.is_submitted() and not may_answer:
        abort(403)
    return render_template("questions/thread.html", thread=found, form=form, may_answer=may_answer,
                           may_hide=is_course_staff(current_user, found.course),
                           is_asker=current_user.id == found.question.user_id,
                           action_form=ActionForm(), hide_form=HideForm(formdata=None))


@bp.post("/questions/<id:question_id>/answers/<id:answer_id>/accept")
@login_required
def accept(question_id: int, answer_id: int):
    found = _thread_or_404(question_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("questions.thread", question_id=question_id))
    try:
        accept_answer(db.session, current_user.id, found, answer_id)
    except QuestionError as refused:
        db.session.rollback()
        abort(403 if refused.code == "not_asker" else 404)
    db.session.commit()
    flash(_("Jawaban ditandai diterima."), "success")
    return redirect(url_for("questions.thread", question_id=question_id))


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
        flash(str(MESSAGES[refused.code]), "error")
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
    return render_template("questions/waiting.html", items=waiting_for(current_user))
