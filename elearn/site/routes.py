"""Home page, health check, language choice."""
from __future__ import annotations

from flask import (Blueprint, current_app, jsonify, make_response, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from elearn.access import can_use_studio, role_required
from elearn.extensions import db
from elearn.models import Role
from elearn.models._types import utcnow
from elearn.services.catalog import list_courses
from elearn.services.dates import local_today
from elearn.services.learning import get_dashboard
from elearn.services.mentoring import mentors_of
from elearn.services.supervision import assignments_for
from elearn.services.users import set_preferred_locale
from elearn.site.dashboard import dashboard_page
from elearn.site.forms import DesignSampleForm, LanguageForm
from elearn.transactions import read_only
from elearn.urls import safe_next

bp = Blueprint("site", __name__, template_folder="templates")


@bp.get("/")
@read_only
def home():
    if current_user.is_authenticated:
        now, zone = utcnow(), current_app.config["TIME_ZONE"]
        board = get_dashboard(db.session, current_user.id, now, zone)
        today = local_today(now, zone)
        dues = assignments_for(db.session, current_user.id, current_user.unit_id, now, zone)
        page = dashboard_page(board, dues, today, current_app.config["DUE_SOON_DAYS"],
                              current_app.config["ANNUAL_JP_TARGET"])
        return render_template("site/home.html", board=page, studio=can_use_studio(current_user),
                               mentors=mentors_of(db.session, current_user.id, today))
    return render_template("site/home.html", board=None, courses=list_courses(db.session))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not healthy"
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200


@bp.post("/lang")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            set_preferred_locale(db.session, current_user.id, form.lang.data)
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("site.home"))


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the site root so that it may control every page (scope "/");
    revalidated on every check so that a new version reaches phones at once."""
    response = current_app.send_static_file("js/sw.js")
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline():
    """What the service worker shows for a page that is not stored on the phone while offline: the
    same page for everyone (it is stored once, holds nothing personal)."""
    response = make_response(render_template("site/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: the site can be added to a phone's home screen and opens like an app."""
    response = jsonify({
        "name": current_app.config["SITE_NAME"], "short_name": current_app.config["SITE_NAME"],
        "description": _("Pelatihan daring untuk pustakawan, dapat dibaca tanpa sambungan."),
        "start_url": url_for("site.home"), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#0b5d7a",
        "icons": [{"src": url_for("static", filename=f"img/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png",
                   "purpose": "any maskable"} for n in (192, 512)],
    })
    response.headers["Content-Type"] = "application/manifest+json"
    return response
@bp.get("/_design")
@role_required(Role.ADMIN)
def design():
    """Every component from the same macros (docs/design.md), for the people building pages."""
    sample = DesignSampleForm(formdata=None, meta={"csrf": False})
    sample.validate()  # empty on purpose: shows the error summary and the messages by the fields
    return render_template("site/design.html", sample=sample)
