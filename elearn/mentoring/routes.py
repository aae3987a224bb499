"""Pendampingan pages. Who may see whom is decided by elearn.access (is_mentor_of, supervision scope);
every rule lives in elearn.services.mentoring."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from elearn.access import is_mentor_of, may_supervise, supervisor_required, today
from elearn.extensions import db
from elearn.forms_common import options
from elearn.learn.forms import ActionForm
from elearn.mentoring.forms import PairForm, SessionForm
from elearn.models import User
from elearn.reports.forms import plan_kind_labels
from elearn.services.completion import completions_of
from elearn.services.feedback import plans_of
from elearn.services.mentoring import (MentoringError, confirm_session, end_pair, mentee_states, mentor_board,
                                       mentor_choices, mentors_of, pair_mentor, pairs_in_scope, record_session,
                                       sessions_between, sessions_of_mentee)
from elearn.services.privacy.access_log import record_access
from elearn.services.scope import mentee_ids, people_choices, people_query
from elearn.services.questions import waiting_questions
from elearn.services.tasks import waiting_for_review

bp = Blueprint("mentoring", __name__, template_folder="templates")


@bp.get("/mentoring/")
@login_required
def index():
    day = today()
    board = mentor_board(db.session, current_user.id, day)
    return render_template("mentoring/index.html", board=board,
                           to_review=waiting_for_review(db.session, mentee_ids(current_user.id, day), None)
                           if board else [],
                           questions_waiting=waiting_questions(db.session, mentee_ids(current_user.id, day), None)
                           if board else [],
                           mentors=mentors_of(db.session, current_user.id, day),
                           sessions=sessions_of_mentee(db.session, current_user.id),
                           confirm_form=ActionForm(), can_pair=may_supervise(current_user))


@bp.post("/mentoring/sessions/<id:session_id>/confirm")
@login_required
def confirm(session_id: int):
    if ActionForm().validate_on_submit():
        try:
            confirmed = confirm_session(db.session, current_user.id, session_id)
        except MentoringError:
            db.session.rollback()
            abort(404)
        db.session.commit()
        if confirmed:
            flash(_("Sesi pendampingan dikonfirmasi."), "success")
    return redirect(url_for("mentoring.index"))


SESSION_MESSAGES = {
    "bad_day": ("held_on", _l("Tanggal sesi tidak boleh di masa depan atau sebelum pendampingan dimulai.")),
    "bad_minutes": ("minutes", _l("Durasi harus antara 5 dan 600 menit.")),
    "no_topic": ("topic", _l("Tuliskan topik sesi.")),
    "too_long": ("notes", _l("Teks terlalu panjang.")),
}


@bp.route("/mentoring/mentees/<id:user_id>", methods=["GET", "POST"])
@login_required
def mentee(user_id: int):
    if not is_mentor_of(db.session, current_user, user_id):
        abort(404)
    person = db.session.get(User, user_id)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            record_session(db.session, current_user.id, user_id, held_on=form.held_on.data, minutes=form.minutes.data,
                           topic=form.topic.data, notes=form.notes.data or "", next_step=form.next_step.data or "",
                           today=today())
        except MentoringError as refused:
            db.session.rollback()
            if refused.code not in SESSION_MESSAGES:
                abort(404)
            name, message = SESSION_MESSAGES[refused.code]
            field = getattr(form, name)
            field.errors = list(field.errors) + [message]
        else:
            db.session.commit()
            flash(_("Sesi pendampingan dicatat; menunggu konfirmasi mentee."), "success")
            return redirect(url_for("mentoring.mentee", user_id=user_id))
    elif not form.is_submitted():
        form.held_on.data = today()
        if record_access(db.session, current_user, user_id, "mentee"):
            db.session.commit()
    return render_template("mentoring/mentee.html", person=person, form=form,
                           courses=mentee_states(db.session, [user_id])[user_id],
                           completions=completions_of(db.session, user_id),
                           plans=plans_of(db.session, user_id), kinds=plan_kind_labels(),
                           sessions=sessions_between(db.session, current_user.id, user_id))


# --- pairs (admins and supervisors) ---------------------------------------------------------------

PAIR_MESSAGES = {
    "unknown_mentor": ("mentor", _l("Pilih akun aktif sebagai mentor.")),
    "self_pair": ("mentees", _l("Mentor tidak dapat menjadi mentee dirinya sendiri.")),
    "no_mentees": ("mentees", _l("Pilih minimal satu mentee.")),
    "bad_dates": ("end_on", _l("Tanggal berakhir sebelum tanggal mulai.")),
    "forbidden": ("mentees", _l("Anda hanya dapat memasangkan orang yang Anda bina.")),
}


@bp.route("/mentoring/pairs", methods=["GET", "POST"])
@supervisor_required
def pairs(scope):
    people = people_query(db.session, scope)
    form = PairForm()
    form.mentor.choices = options(mentor_choices(db.session))
    form.mentees.choices = options(people_choices(db.session, people))
    if form.validate_on_submit():
        try:
            created = pair_mentor(db.session, current_user, scope, form.mentor.data, form.mentees.data,
                                  form.start_on.data, form.end_on.data)
        except MentoringError as refused:
            db.session.rollback()
            name, message = PAIR_MESSAGES[refused.code]
            field = getattr(form, name)
            field.errors = list(field.errors) + [message]
        else:
            db.session.commit()
            flash(_("Pasangan pendampingan disimpan (%(n)s baru).", n=len(created)), "success")
            return redirect(url_for("mentoring.pairs"))
    elif not form.is_submitted():
        form.start_on.data = today()
    return render_template("mentoring/pairs.html", form=form, end_form=ActionForm(),
                           pairs=pairs_in_scope(db.session, people, today()))


@bp.post("/mentoring/pairs/<id:pair_id>/end")
@supervisor_required
def end(pair_id: int, scope):
    if ActionForm().validate_on_submit():
        try:
            end_pair(db.session, scope, pair_id, today())
        except MentoringError:
            db.session.rollback()
            abort(404)
        db.session.commit()
        flash(_("Pendampingan diakhiri."), "success")
    return redirect(url_for("mentoring.pairs"))
