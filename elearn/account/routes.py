"""A person's own account: profile, password, one-time password links, optional self-registration."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from elearn.account.forms import ForgotForm, PasswordChangeForm, PasswordSetForm, ProfileForm, RegisterForm
from elearn.extensions import db, limiter
from elearn.forms_common import options
from elearn.models import User
from elearn.services.notification_mail import compose_reset_link, send_in_background
from elearn.services.password_reset import find_valid_reset, request_reset_link, use_reset_token
from elearn.services.privacy.requests import requests_of
from elearn.services.profiles import list_unit_choices, update_profile
from elearn.services.users import AccountError, change_password, create_user, email_taken

bp = Blueprint("account", __name__, template_folder="templates")


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    me = db.session.get(User, current_user.id)
    form = ProfileForm(obj=me if request.method == "GET" else None)
    form.unit_id.choices = options([(0, _("— belum dipilih —"))] + list_unit_choices(db.session))
    if request.method == "GET":
        form.unit_id.data = me.unit_id or 0
        form.locale.data = me.locale or ""
    if form.validate_on_submit():
        update_profile(db.session, me, name=form.name.data, nip=form.nip.data,
                       unit_id=form.unit_id.data or None, locale=form.locale.data)
        db.session.commit()
        if me.locale:
            session["lang"] = me.locale
        flash(_("Profil disimpan."), "success")
        return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form, requests=requests_of(db.session, me.id)[:5])


def _limit(name: str):
    return lambda: current_app.config[name]


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_limit("RATELIMIT_PASSWORD_CHANGE"), methods=["POST"], key_func=lambda: f"pw-change:{current_user.id}")
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        me = db.session.get(User, current_user.id)
        try:
            change_password(db.session, me, form.current.data, form.new.data)
        except AccountError:
            db.session.rollback()
            form.current.errors.append(_("Kata sandi saat ini salah."))
        else:
            db.session.commit()
            # every session of the account ended with the change; this one goes on under the new epoch
            login_user(me, remember=current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies)
            flash(_("Kata sandi diganti. Akun ini sudah dikeluarkan dari perangkat lain."), "success")
            return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_RESET"), methods=["POST"])
def reset(token: str):
    if find_valid_reset(db.session, token) is None:
        return render_template("account/reset_invalid.html"), 404
    form = PasswordSetForm()
    if form.validate_on_submit():
        try:
            user = use_reset_token(db.session, token, form.new.data, ip=request.remote_addr)
        except AccountError:  # form validation applies the same rule; kept for safety
            db.session.rollback()
            form.new.errors.append(_("Kata sandi tidak dapat dipakai."))
            return render_template("account/reset.html", form=form)
        if user is None:
            return render_template("account/reset_invalid.html"), 404
        db.session.commit()
        flash(_("Kata sandi baru disimpan. Silakan masuk."), "success")
        return redirect(url_for("auth.login"))
    return render_template("account/reset.html", form=form)


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_FORGOT"), methods=["POST"])
def forgot():
    """Self-service password link (only with email): the same answer whether or not the address exists."""
    if not current_app.config.get("MAIL_URL"):
        abort(404)
    form = ForgotForm()
    if form.validate_on_submit():
        hours = current_app.config["PASSWORD_RESET_HOURS"]
        found = request_reset_link(db.session, form.email.data, hours=hours,
                                   per_hour=current_app.config["PASSWORD_FORGOT_PER_ACCOUNT"])
        db.session.commit()
        if found is not None:
            token, user = found
            base = current_app.config.get("PUBLIC_URL") or request.url_root.rstrip("/")
            message = compose_reset_link(user.email, user.name, base + url_for("account.reset", token=token), hours,
                                         user.locale or current_app.config["BABEL_DEFAULT_LOCALE"])
            # sent in the background: the answer takes as long whether or not an email goes out
            send_in_background(current_app._get_current_object(), message)
        return render_template("account/forgot_sent.html")
    return render_template("account/forgot.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_REGISTER"), methods=["POST"])
def register():
    if not current_app.config["SELF_REGISTRATION"]:
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        if email_taken(db.session, form.email.data):
            form.email.errors.append(_("Email ini sudah terdaftar. Masuk, atau minta tautan kata sandi ke admin."))
        else:
            try:
                created = create_user(db.session, form.email.data, form.name.data, form.new.data, nip=form.nip.data)
            except AccountError:
                db.session.rollback()
                form.email.errors.append(_("Akun tidak dapat dibuat dengan data ini."))
            else:
                db.session.commit()
                from elearn.models import User

                session.clear()
                login_user(db.session.get(User, created.id))
                flash(_("Akun dibuat. Selamat datang!"), "success")
                return redirect(url_for("site.home"))
    return render_template("account/register.html", form=form)
