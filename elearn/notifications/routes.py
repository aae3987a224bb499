"""The notification centre (the person's own notifications), their email preferences, and the signed
one-click unsubscribe link of the emails."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from elearn.extensions import csrf, db
from elearn.learn.forms import ActionForm
from elearn.notifications.forms import MarkForm, preferences_form
from elearn.services.notification_mail import read_unsubscribe_token
from elearn.services.notifications import (KINDS, kinds_for, list_for, mark_all_read, mark_read, mail_enabled,
                                           preferences_of, get_own, set_preference)
from elearn.models import User
from elearn.urls import page_arg, safe_next

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")


def _back() -> str:
    return safe_next(request.form.get("next")) or url_for("notifications.index")


@bp.get("/")
@login_required
def index():
    page = list_for(db.session, current_user.id, page_arg(), current_app.config["NOTIFICATIONS_PAGE_SIZE"])
    return render_template("notifications/index.html", page=page, form=MarkForm(),
                           back=request.full_path if request.query_string else request.path)


@bp.post("/<id:notification_id>/read")
@login_required
def read(notification_id: int):
    if not MarkForm().validate_on_submit():
        abort(400)
    if not mark_read(db.session, current_user.id, notification_id):
        abort(404)
    db.session.commit()
    return redirect(_back())


@bp.post("/<id:notification_id>/open")
@login_required
def open_(notification_id: int):
    if not MarkForm().validate_on_submit():
        abort(400)
    found = get_own(db.session, current_user.id, notification_id)
    if found is None:
        abort(404)
    mark_read(db.session, current_user.id, notification_id)
    target = safe_next(found.link) or url_for("notifications.index")
    db.session.commit()
    return redirect(target)


@bp.post("/read-all")
@login_required
def read_all():
    if not MarkForm().validate_on_submit():
        abort(400)
    mark_all_read(db.session, current_user.id)
    db.session.commit()
    return redirect(_back())


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    kinds = kinds_for(current_user.role)
    current = preferences_of(db.session, current_user.id, current_user.role)
    form = preferences_form(kinds, current, request.form if request.method == "POST" else None)
    saved = False
    if request.method == "POST" and form.validate():
        for kind in kinds:
            set_preference(db.session, current_user.id, kind.name, form[f"kind_{kind.name}"].data == "email")
        db.session.commit()
        saved = True
    status = 400 if request.method == "POST" and not saved else 200
    return render_template("notifications/preferences.html", form=form, kinds=kinds, saved=saved,
                           mail=mail_enabled()), status


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail provider POSTs without our form; the signed token is the proof
def unsubscribe(token: str):
    found = read_unsubscribe_token(token)
    if found is None or db.session.get(User, found[0]) is None:
        abort(404)
    user_id, kind = found
    done = False
    if request.method == "POST":
        set_preference(db.session, user_id, kind, False)
        db.session.commit()
        done = True
    return render_template("notifications/unsubscribe.html", kind_label=KINDS[kind].label, done=done,
                           form=ActionForm())
