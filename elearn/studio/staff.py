"""The studio's course staff page and a course's results for its staff. Staff see the list
(``is_course_staff``); admins and owners change it (``may_manage_staff``); rules in
elearn.services.course_staff, figures in elearn.services.my_courses."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import STUDIO_ROLES, is_course_staff, may_manage_staff, role_required
from elearn.extensions import db
from elearn.models import STAFF_ROLES, Role
from elearn.services.course_staff import StaffError, add_staff, change_staff_role, list_staff, remove_staff
from elearn.services.my_courses import course_figures, feedback_comments
from elearn.services.studio import get_studio_course
from elearn.studio.staff_forms import AddStaffForm, RemoveStaffForm, StaffRoleForm

bp = Blueprint("studio_staff", __name__, url_prefix="/studio", template_folder="templates")
studio_roles = role_required(*(Role(value) for value in STUDIO_ROLES))


def staff_message(code: str) -> str:
    return {
        "bad_role": _("Pilih peran pemilik atau penyunting."),
        "no_account": _("Tidak ada akun aktif dengan email itu."),
        "supervisor": _("Akun ini akun atasan; satu akun hanya punya satu peran. Minta admin membuat akun "
                        "pelatih untuk orang ini."),
        "needs_admin": _("Akun ini akun peserta. Hanya admin yang dapat menambahkannya (akunnya menjadi akun "
                         "pelatih)."),
        "already_staff": _("Orang ini sudah menjadi staf kursus ini."),
        "not_staff": _("Orang ini bukan staf kursus ini."),
        "last_owner": _("Kursus harus tetap punya paling sedikit satu pemilik. Jadikan orang lain pemilik "
                        "dulu."),
    }[code]


def _course_or_abort(slug: str, *, manage: bool = False):
    """The live course or unpublished studio draft: 404 when there is none; 403 unless the current user
    is its staff (``manage``: may change its staff)."""
    course = get_studio_course(db.session, slug)
    if course is None:
        abort(404)
    if not (may_manage_staff if manage else is_course_staff)(current_user, course):
        abort(403)
    return course


def _staff_page(course, add_form: AddStaffForm, status: int = 200):
    return render_template("studio/staff.html", course=course, staff=list_staff(db.session, course.id),
                           may_manage=may_manage_staff(current_user, course), form=add_form,
                           roles=STAFF_ROLES), status


@bp.get("/<slug>/staff")
@studio_roles
def staff(slug: str):
    return _staff_page(_course_or_abort(slug), AddStaffForm())


@bp.post("/<slug>/staff")
@studio_roles
def add(slug: str):
    course = _course_or_abort(slug, manage=True)
    form = AddStaffForm()
    if not form.validate_on_submit():
        return _staff_page(course, form, 400)
    try:
        add_staff(db.session, course, form.email.data, form.role.data, current_user)
    except StaffError as refused:
        db.session.rollback()
        form.email.errors = [staff_message(refused.code)]
        return _staff_page(course, form, 409 if refused.code == "already_staff" else 400)
    db.session.commit()
    flash(_("Staf ditambahkan."), "success")
    return redirect(url_for("studio_staff.staff", slug=slug))


@bp.post("/<slug>/staff/<int:user_id>/role")
@studio_roles
def change_role(slug: str, user_id: int):
    course = _course_or_abort(slug, manage=True)
    form = StaffRoleForm()
    if not form.validate_on_submit():
        flash(staff_message("bad_role"), "error")
        return redirect(url_for("studio_staff.staff", slug=slug))
    try:
        changed = change_staff_role(db.session, course, user_id, form.role.data, current_user)
    except StaffError as refused:
        db.session.rollback()
        flash(staff_message(refused.code), "error")
        return _staff_page(course, AddStaffForm(formdata=None), 404 if refused.code == "not_staff" else 409)
    db.session.commit()
    if changed:
        flash(_("Peran diubah."), "success")
    return redirect(url_for("studio_staff.staff", slug=slug))


@bp.post("/<slug>/staff/<int:user_id>/remove")
@studio_roles
def remove(slug: str, user_id: int):
    course = _course_or_abort(slug, manage=True)
    if not RemoveStaffForm().validate_on_submit():
        return redirect(url_for("studio_staff.staff", slug=slug))
    try:
        remove_staff(db.session, course, user_id, current_user)
    except StaffError as refused:
        db.session.rollback()
        flash(staff_message(refused.code), "error")
        return _staff_page(course, AddStaffForm(formdata=None), 404 if refused.code == "not_staff" else 409)
    db.session.commit()
    flash(_("Staf dihapus dari kursus."), "success")
    return redirect(url_for("studio_staff.staff", slug=slug))


@bp.get("/<slug>/results")
@studio_roles
def results(slug: str):
    """The course for its staff: learners enrolled and completed, ratings, comments (no names), and
    links to the question statistics."""
    course = _course_or_abort(slug)
    figures = course_figures(db.session, current_user, course)
    if figures is None:  # the course left the list (retired) between the two queries
        abort(404)
    page = feedback_comments(db.session, course.id, request.args.get("page", 1, type=int))
    return render_template("studio/results.html", course=course, figures=figures, comments=page)
