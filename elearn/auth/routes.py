"""Logging in and out."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from elearn.auth.forms import LoginForm, LogoutForm
from elearn.extensions import db, limiter
from elearn.models._types import utcnow
from elearn.services.audit import record_event
from elearn.services.login_throttle import ThrottleRules, blocked_until, forget_failures, record_failure
from elearn.services.users import authenticate, find_user_id, normalise_email
from elearn.urls import safe_next

bp = Blueprint("auth", __name__, template_folder="templates")


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _failed(response) -> bool:
    """Only failed logins count against an address (a success redirects)."""
    return response.status_code != 302


def _record_blocked(email: str | None, reason: str) -> None:
    db.session.rollback()
    email = normalise_email(email or "")[:254]
    record_event(db.session, "login.blocked", subject_id=find_user_id(db.session, email) if email else None,
                 ip=request.remote_addr, email=email, reason=reason)
    db.session.commit()


def _address_limit_reached(request_limit) -> None:
    _record_blocked(request.form.get("email", ""), "address")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed, on_breach=_address_limit_reached)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        until = blocked_until(db.session, form.email.data)
        if until is not None:
            _record_blocked(form.email.data, "account")
            form.password.errors.append(_("Terlalu banyak percobaan gagal untuk akun ini. Coba lagi dalam %(wait)s, "
                                          "atau minta tautan kata sandi baru ke admin.",
                                          wait=format_timedelta(until - utcnow(), threshold=1.1)))
            return render_template("auth/login.html", form=form), 429
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            record_event(db.session, "login.failure", subject_id=find_user_id(db.session, form.email.data),
                         ip=request.remote_addr, email=normalise_email(form.email.data)[:254])
            record_failure(db.session, form.email.data, ThrottleRules.from_config(current_app.config))
            db.session.commit()
            form.password.errors.append(_("Email atau kata sandi salah, atau akun dinonaktifkan."))
        else:
            lang = session.get("lang")
            session.clear()  # a fresh session at login (no fixation)
            if lang:
                session["lang"] = lang
            login_user(user, remember=form.remember.data)
            forget_failures(db.session, user.email)
            record_event(db.session, "login.success", actor_id=user.id, subject_id=user.id, ip=request.remote_addr)
            db.session.commit()
            flash(_("Selamat datang, %(name)s.", name=user.name), "success")
            return redirect(safe_next(form.next.data) or url_for("site.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        record_event(db.session, "logout", actor_id=current_user.id, subject_id=current_user.id,
                     ip=request.remote_addr)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Anda telah keluar."), "info")
        response = redirect(url_for("site.home"))
        # Pages kept for offline reading, queued answers and the service worker are this learner's:
        # the browser deletes them all (a shared phone in a reading room shows nothing of theirs).
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
        return response
    return redirect(url_for("site.home"))
