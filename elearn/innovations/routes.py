"""Innovation showcase pages. Who reads an innovation (and its photo): elearn.access.can_read_innovation; who
features one: elearn.access.can_feature_innovation; every rule is in elearn.services.innovations."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.access import can_feature_innovation, can_read_innovation, may_supervise, supervisor_required
from elearn.extensions import db
from elearn.forms_common import megabytes, options
from elearn.innovations.forms import EditInnovationForm, InnovationForm, ShowcaseFilterForm
from elearn.learn.forms import ActionForm
from elearn.models import Innovation
from elearn.services.innovations import (InnovationError, MeasuredResult, carried_out_plans, course_choices,
                                         get_innovation, in_scope, of_author, plan_draft, set_featured, set_published,
                                         result_value_text, share_innovation, showcase, showcase_filters, thumb_size,
                                         update_innovation)

bp = Blueprint("innovations", __name__, template_folder="templates")

MESSAGES = {
    "empty_title": ("title", _l("Tuliskan judul inovasi.")),
    "empty": ("description", _l("Ceritakan inovasi Anda.")),
    "too_long": ("description", _l("Teks terlalu panjang.")),
    "bad_link": ("link", _l("Tautan harus alamat http:// atau https:// yang lengkap.")),
    "bad_course": ("course", _l("Pilih kursus yang Anda ikuti.")),
    "result_too_long": ("result_text", _l("Keterangan hasil terlalu panjang.")),
    "bad_value": ("result_value", _l("Tuliskan angka (misalnya 45 atau 12,5), paling besar satu miliar.")),
    "unit_too_long": ("result_unit", _l("Satuan terlalu panjang.")),
    "unit_without_value": ("result_value", _l("Tuliskan angkanya bila mengisi satuan.")),
    "photo_type": ("photo", _l("Foto harus berkas PNG, JPEG atau WebP (dinilai dari isinya, bukan nama berkas). "
                               "Foto tidak disimpan.")),
    "photo_too_large": ("photo", _l("Foto terlalu besar. Foto tidak disimpan.")),
    "photo_broken": ("photo", _l("Foto tidak dapat dibaca. Foto tidak disimpan.")),
    "alt_required": ("photo_alt", _l("Tuliskan apa yang terlihat di foto.")),
    "alt_too_long": ("photo_alt", _l("Keterangan foto terlalu panjang.")),
    "bad_plan": ("action_plan", _l("Pilih rencana aksi Anda yang sudah terlaksana.")),
}


def _page_number() -> int:
    return request.args.get("page", 1, type=int)


def _fail(form, code: str) -> None:
    name, message = MESSAGES[code]
    field = getattr(form, name)
    field.errors = list(field.errors) + [message]


def _photo_upload(form) -> bytes | None:
    """The uploaded photo's bytes, read up to the limit + 1 (the service refuses anything longer)."""
    upload = request.files.get(form.photo.name)
    if upload is None or not upload.filename:
        return None
    return upload.read(current_app.config["INNOVATION_PHOTO_MAX_BYTES"] + 1)


def _choices(form, current_plan: int | None = None) -> bool:
    """Fill the course and action-plan choices; whether there is a plan to choose."""
    form.course.choices = options(course_choices(db.session, current_user.id))
    plans = carried_out_plans(db.session, current_user.id, current_plan)
    form.action_plan.choices = options([(0, _("— bukan dari rencana aksi —"))] + plans)
    return bool(plans)


def _result(form) -> MeasuredResult:
    return MeasuredResult(form.result_text.data or "", form.result_value.data or "", form.result_unit.data or "")


def _readable(innovation_id: int):
    found = get_innovation(db.session, innovation_id)
    if found is None or not can_read_innovation(db.session, current_user, found[0]):
        abort(404)
    return found


@bp.get("/innovations/")
@login_required
def index():
    form = ShowcaseFilterForm(request.args)
    units, courses = showcase_filters(db.session)
    form.unit.choices = options([(0, _("Semua unit"))] + units)
    form.course.choices = options([(0, _("Semua topik"))] + courses)
    form.validate()
    unit_id = form.unit.data if not form.unit.errors and form.unit.data else None
    course_id = form.course.data if not form.course.errors and form.course.data else None
    return render_template("innovations/index.html", items=showcase(db.session, _page_number(), unit_id, course_id),
                           heading=_("Galeri inovasi layanan"), can_scope=may_supervise(current_user),
                           filter_form=form)


@bp.get("/innovations/mine")
@login_required
def mine():
    return render_template("innovations/index.html", items=of_author(db.session, current_user.id, _page_number()),
                           heading=_("Inovasi saya"), can_scope=may_supervise(current_user))


@bp.get("/innovations/scope")
@supervisor_required
def scope_list(scope):
    return render_template("innovations/index.html", items=in_scope(db.session, scope, _page_number()),
                           heading=_("Inovasi di wilayah Anda"), can_scope=True)


@bp.route("/innovations/new", methods=["GET", "POST"])
@login_required
def new():
    draft = plan_draft(db.session, current_user.id, request.args.get("plan", 0, type=int)) \
        if request.method == "GET" else None
    form = InnovationForm(data=draft)
    has_plans = _choices(form)
    if form.validate_on_submit():
        try:
            innovation = share_innovation(
                db.session, current_user.id, form.title.data, form.description.data, form.course.data,
                form.link.data or "", bool(form.publish.data), _result(form), _photo_upload(form),
                form.photo_alt.data or "", current_app.config["INNOVATION_PHOTO_MAX_BYTES"], form.action_plan.data)
        except InnovationError as refused:
            db.session.rollback()
            _fail(form, refused.code)
        else:
            db.session.commit()
            flash(_("Inovasi disimpan."), "success")
            return redirect(url_for("innovations.show", innovation_id=innovation.id))
    return render_template("innovations/new.html", form=form, has_courses=bool(form.course.choices),
                           has_plans=has_plans,
                           max_mb=megabytes(current_app.config["INNOVATION_PHOTO_MAX_BYTES"]))


@bp.route("/innovations/<id:innovation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(innovation_id: int):
    innovation = _readable(innovation_id)[0]
    if innovation.user_id != current_user.id:
        abort(403)
    form = EditInnovationForm(data={
        "title": innovation.title, "description": innovation.description, "course": innovation.course_id,
        "link": innovation.link, "result_text": innovation.result_text, "result_unit": innovation.result_unit,
        "result_value": result_value_text(innovation.result_value),
        "photo_alt": innovation.photo_alt, "action_plan": innovation.action_plan_id or 0})
    has_plans = _choices(form, innovation.action_plan_id)
    if form.validate_on_submit():
        try:
            update_innovation(db.session, current_user.id, innovation, form.title.data, form.description.data,
                              form.course.data, form.link.data or "", _result(form), _photo_upload(form),
                              form.photo_alt.data or "", bool(form.remove_photo.data),
                              current_app.config["INNOVATION_PHOTO_MAX_BYTES"], form.action_plan.data)
        except InnovationError as refused:
            db.session.rollback()
            _fail(form, refused.code)
        else:
            db.session.commit()
            flash(_("Inovasi disimpan."), "success")
            return redirect(url_for("innovations.show", innovation_id=innovation_id))
    return render_template("innovations/new.html", form=form, has_courses=True, has_plans=has_plans,
                           innovation=innovation,
                           thumb=thumb_size(innovation.photo_width, innovation.photo_height),
                           max_mb=megabytes(current_app.config["INNOVATION_PHOTO_MAX_BYTES"]))


@bp.get("/innovations/<id:innovation_id>")
@login_required
def show(innovation_id: int):
    innovation, author, course_title, plan = _readable(innovation_id)
    return render_template("innovations/show.html", innovation=innovation, author=author, course_title=course_title,
                           plan=plan,
                           is_author=innovation.user_id == current_user.id,
                           can_feature=innovation.published_at is not None
                           and can_feature_innovation(db.session, current_user, innovation), form=ActionForm())


def _photo_response(innovation_id: int, key: str, column):
    """The photo (or its thumbnail) for whoever may read the innovation. The address holds the photo's key, so
    a new photo has a new address and this one may be cached long (privately: it is not public)."""
    innovation = _readable(innovation_id)[0]
    if not innovation.photo_key or key != innovation.photo_key:
        abort(404)
    content = db.session.scalar(select(column).where(Innovation.id == innovation_id))
    if not content:
        abort(404)
    response = make_response(content)
    response.headers.update({"Content-Type": innovation.photo_type, "X-Content-Type-Options": "nosniff",
                             "Cache-Control": "private, max-age=31536000, immutable",
                             "Content-Disposition": "inline"})
    return response


@bp.get("/innovations/<id:innovation_id>/photo/<key>")
@login_required
def photo(innovation_id: int, key: str):
    return _photo_response(innovation_id, key, Innovation.photo)


@bp.get("/innovations/<id:innovation_id>/photo/<key>/thumb")
@login_required
def photo_thumb(innovation_id: int, key: str):
    return _photo_response(innovation_id, key, Innovation.photo_thumb)


@bp.post("/innovations/<id:innovation_id>/publish")
@login_required
def publish(innovation_id: int):
    innovation = _readable(innovation_id)[0]
    if not ActionForm().validate_on_submit():
        return redirect(url_for("innovations.show", innovation_id=innovation_id))
    want = request.form.get("publish") == "1"
    try:
        set_published(db.session, current_user.id, innovation, want)
    except InnovationError:
        db.session.rollback()
        abort(403)
    db.session.commit()
    flash(_("Inovasi ditampilkan di galeri.") if want else _("Inovasi ditarik dari galeri."), "success")
    return redirect(url_for("innovations.show", innovation_id=innovation_id))


@bp.post("/innovations/<id:innovation_id>/feature")
@login_required
def feature(innovation_id: int):
    innovation = _readable(innovation_id)[0]
    if not can_feature_innovation(db.session, current_user, innovation):
        abort(403)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("innovations.show", innovation_id=innovation_id))
    want = request.form.get("featured") == "1"
    try:
        set_featured(db.session, current_user.id, innovation, want)
    except InnovationError:
        db.session.rollback()
        flash(_("Hanya inovasi yang tampil di galeri yang dapat diunggulkan."), "error")
    else:
        db.session.commit()
        flash(_("Inovasi diunggulkan di galeri.") if want else _("Inovasi tidak lagi diunggulkan."), "success")
    return redirect(url_for("innovations.show", innovation_id=innovation_id))
