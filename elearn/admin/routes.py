"""Administration: accounts (single, CSV import, one-time password links), units, audit log."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import role_required
from elearn.admin.forms import ImportForm, UnitForm, UserForm
from elearn.extensions import db
from elearn.forms_common import account_message, options
from elearn.learn.forms import ActionForm
from elearn.models import Role, Unit, User
from elearn.services.accounts_admin import (PAGE_SIZE, list_audit_events, list_units, list_users, save_unit,
                                            set_unit_supervisors, supervisor_choices, unit_supervisor_ids,
                                            update_user)
from elearn.services.password_reset import issue_reset_token
from elearn.services.profiles import list_unit_choices
from elearn.services.user_import import import_users_csv
from elearn.services.users import AccountError, create_user
from elearn.urls import page_arg

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
bp.add_app_template_global(account_message, "account_message")
admin_only = role_required(Role.ADMIN)


def _unit_choices(form) -> None:
    form.unit_id.choices = options([(0, _("— tanpa unit —"))] + list_unit_choices(db.session))


def _reset_url(token: str) -> str:
    return url_for("account.reset", token=token, _external=True)


@bp.get("/users")
@admin_only
def users():
    query = request.args.get("q", "")[:100]
    page = page_arg()
    rows, total = list_users(db.session, query, page)
    return render_template("admin/users.html", rows=rows, total=total, query=query, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)))


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def new_user():
    form = UserForm()
    _unit_choices(form)
    if form.validate_on_submit():
        try:
            created = create_user(db.session, form.email.data, form.name.data, None, form.role.data,
                                  nip=form.nip.data, unit_id=form.unit_id.data or None, actor_id=current_user.id)
        except AccountError as refused:
            db.session.rollback()
            field = {"name_required": form.name, "name_too_long": form.name, "unknown_role": form.role}.get(
                refused.code, form.email)
            field.errors.append(account_message(refused.code, refused.params))
        else:
            token = issue_reset_token(db.session, created.id, actor_id=current_user.id,
                                      hours=current_app.config["PASSWORD_RESET_HOURS"])
            db.session.commit()
            return render_template("admin/reset_link.html", user=db.session.get(User, created.id),
                                   link=_reset_url(token), created=True,
                                   hours=current_app.config["PASSWORD_RESET_HOURS"])
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@admin_only
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if user.anonymised_at is not None:  # irreversible: nothing to edit, no password link
        return render_template("admin/user_anonymised.html", user=user), 200 if request.method == "GET" else 409
    form = UserForm(obj=user)
    _unit_choices(form)
    if request.method == "GET":
        form.unit_id.data = user.unit_id or 0
    if form.validate_on_submit():
        try:
            update_user(db.session, user, actor_id=current_user.id, email=form.email.data, name=form.name.data,
                        role=form.role.data, nip=form.nip.data, unit_id=form.unit_id.data or None,
                        active=form.active.data)
        except AccountError as refused:
            db.session.rollback()
            field = {"self_change": form.role, "unknown_unit": form.unit_id, "name_required": form.name,
                     "name_too_long": form.name, "unknown_role": form.role}.get(refused.code, form.email)
            field.errors.append(account_message(refused.code, refused.params))
        else:
            db.session.commit()
            flash(_("Akun disimpan."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, action_form=ActionForm())


@bp.post("/users/<id:user_id>/reset-link")
@admin_only
def reset_link(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.edit_user", user_id=user_id))
    try:
        token = issue_reset_token(db.session, user.id, actor_id=current_user.id,
                                  hours=current_app.config["PASSWORD_RESET_HOURS"])
    except AccountError:  # an anonymised account
        db.session.rollback()
        return render_template("admin/user_anonymised.html", user=user), 409
    db.session.commit()
    return render_template("admin/reset_link.html", user=user, link=_reset_url(token), created=False,
                           hours=current_app.config["PASSWORD_RESET_HOURS"])


@bp.route("/users/import", methods=["GET", "POST"])
@admin_only
def import_users():
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()  # the form refused anything over the limit
        report = import_users_csv(db.session, data, actor_id=current_user.id,
                                  reset_hours=current_app.config["PASSWORD_RESET_HOURS"])
        if report.error:
            db.session.rollback()
            form.file.errors.append(_("Berkas tidak dapat dibaca: %(reason)s",
                                      reason=account_message(report.error, report.error_params)))
        else:
            db.session.commit()
            links = {r.line: _reset_url(r.token) for r in report.rows if r.token}
            return render_template("admin/import_report.html", report=report, links=links,
                                   hours=current_app.config["PASSWORD_RESET_HOURS"])
    return render_template("admin/import.html", form=form)


@bp.route("/units", methods=["GET", "POST"])
@admin_only
def units():
    form = UnitForm()
    form.parent_id.choices = options([(0, _("— unit teratas —"))] + list_unit_choices(db.session))
    form.supervisors.choices = options(supervisor_choices(db.session))
    if form.validate_on_submit():
        try:
            created = save_unit(db.session, None, name=form.name.data, parent_id=form.parent_id.data or None,
                                actor_id=current_user.id)
            set_unit_supervisors(db.session, created, form.supervisors.data or [], actor_id=current_user.id)
        except AccountError as refused:
            db.session.rollback()
            field = form.supervisors if refused.code == "not_supervisor" else form.name
            field.errors.append(account_message(refused.code, refused.params))
        else:
            db.session.commit()
            flash(_("Unit ditambahkan."), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/units.html", form=form, units=list_units(db.session))


@bp.route("/units/<id:unit_id>", methods=["GET", "POST"])
@admin_only
def edit_unit(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    form = UnitForm(obj=unit)
    form.parent_id.choices = options([(0, _("— unit teratas —"))] + [c for c in list_unit_choices(db.session)
                                                                     if c[0] != unit.id])
    form.supervisors.choices = options(supervisor_choices(db.session))
    if request.method == "GET":
        form.parent_id.data = unit.parent_id or 0
        form.supervisors.data = unit_supervisor_ids(db.session, unit.id)
    if form.validate_on_submit():
        try:
            save_unit(db.session, unit, name=form.name.data, parent_id=form.parent_id.data or None,
                      actor_id=current_user.id)
            set_unit_supervisors(db.session, unit, form.supervisors.data or [], actor_id=current_user.id)
        except AccountError as refused:
            db.session.rollback()
            field = form.supervisors if refused.code == "not_supervisor" else form.name
            field.errors.append(account_message(refused.code, refused.params))
        else:
            db.session.commit()
            flash(_("Unit disimpan."), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit)


@bp.get("/audit")
@admin_only
def audit():
    page = page_arg()
    action = request.args.get("action", "")[:50]
    return render_template("admin/audit.html", events=list_audit_events(db.session, page, action), page=page,
                           action=action, page_size=PAGE_SIZE)
