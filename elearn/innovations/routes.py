"""Innovation showcase pages. Who reads an innovation: elearn.access.can_read_innovation; every rule is in
elearn.services.innovations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from elearn.access import can_read_innovation, may_supervise, supervisor_required
from elearn.extensions import db
from elearn.forms_common import options
from elearn.innovations.forms import InnovationForm
from elearn.learn.forms import ActionForm
from elearn.services.innovations import (InnovationError, course_choices, get_innovation, in_scope, of_author,
                                         published, set_published, share_innovation)

bp = Blueprint("innovations", __name__, template_folder="templates")

MESSAGES = {
    "empty_title": ("title", _l("Tuliskan judul inovasi.")),
    "empty": ("description", _l("Ceritakan inovasi Anda.")),
    "too_long": ("description", _l("Teks terlalu panjang.")),
    "bad_link": ("link", _l("Tautan harus alamat http:// atau https:// yang lengkap.")),
    "bad_course": ("course", _l("Pilih kursus yang Anda ikuti.")),
}


def _page_number() -> int:
    return request.args.get("page", 1, type=int)


@bp.get("/innovations/")
@login_required
def index():
    return render_template("innovations/index.html", items=published(db.session, _page_number()),
                           heading=_("Galeri inovasi layanan"), can_scope=may_supervise(current_user))


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
    form = InnovationForm()
    form.course.choices = options(course_choices(db.session, current_user.id))
    if form.validate_on_submit():
        try:
            innovation = share_innovation(db.session, current_user.id, form.title.data, form.description.data,
                                          form.course.data, form.link.data or "", bool(form.publish.data))
        except InnovationError as refused:
            db.session.rollback()
            name, message = MESSAGES[refused.code]
            field = getattr(form, name)
            field.errors = list(field.errors) + [message]
        else:
            db.session.commit()
            flash(_("Inovasi disimpan."), "success")
            return redirect(url_for("innovations.show", innovation_id=innovation.id))
    return render_template("innovations/new.html", form=form, has_courses=bool(form.course.choices))


@bp.get("/innovations/<id:innovation_id>")
@login_required
def show(innovation_id: int):
    found = get_innovation(db.session, innovation_id)
    if found is None or not can_read_innovation(db.session, current_user, found[0]):
        abort(404)
    innovation, author, course_title = found
    return render_template("innovations/show.html", innovation=innovation, author=author, course_title=course_title,
                           is_author=innovation.user_id == current_user.id, form=ActionForm())


@bp.post("/innovations/<id:innovation_id>/publish")
@login_required
def publish(innovation_id: int):
    found = get_innovation(db.session, innovation_id)
    if found is None or not can_read_innovation(db.session, current_user, found[0]):
        abort(404)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("innovations.show", innovation_id=innovation_id))
    want = request.form.get("publish") == "1"
    try:
        set_published(db.session, current_user.id, found[0], want)
    except InnovationError:
        db.session.rollback()
        abort(403)
    db.session.commit()
    flash(_("Inovasi ditampilkan di galeri.") if want else _("Inovasi ditarik dari galeri."), "success")
    return redirect(url_for("innovations.show", innovation_id=innovation_id))
