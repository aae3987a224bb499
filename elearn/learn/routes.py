"""Catalogue, course overview, module pages and course assets."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, render_template, request
from flask_login import login_required

from elearn.extensions import db
from elearn.services.catalog import get_asset, get_course, get_module_page, list_courses, list_live_modules

bp = Blueprint("learn", __name__, url_prefix="/courses", template_folder="templates")


@bp.get("/")
def catalogue():
    query = request.args.get("q", "")[:100]
    return render_template("learn/catalogue.html", courses=list_courses(db.session, query), query=query)


@bp.get("/<slug>/")
def course(slug: str):
    found = get_course(db.session, slug)
    if found is None:
        abort(404)
    modules = list_live_modules(db.session, found.id)
    return render_template("learn/course.html", course=found, modules=modules,
                           total_minutes=sum(m.minutes for m in modules))


@bp.get("/<slug>/<module_slug>/")
@login_required
def module(slug: str, module_slug: str):
    page = get_module_page(db.session, slug, module_slug)
    if page is None:
        abort(404)
    return render_template("learn/module.html", page=page)


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
