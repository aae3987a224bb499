"""Reports and supervision pages (admins: everyone; supervisors: their units and sub-units only),
and the learner's feedback and action plans. Every report has CSV and XLSX exports with the same
filters (``?format=csv|xlsx``). Routes parse the request, call one report service and lay the result
out through ``elearn.reports.presenters``."""
from __future__ import annotations

from datetime import date

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request,
                   stream_with_context, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.access import supervisor_required
from elearn.extensions import db
from elearn.forms_common import options
from elearn.learn.forms import ActionForm
from elearn.models import ActionPlan, Course
from elearn.models._types import utcnow
from elearn.reports import presenters
from elearn.reports.forms import (ActionPlanForm, AssignmentForm, FeedbackForm, ReportFilterForm, ReviewForm,
                                  plan_kind_labels)
from elearn.services.audit import record_event
from elearn.services.catalog import get_course
from elearn.services.completion import has_completed
from elearn.services.dates import local_today
from elearn.urls import page_arg
from elearn.services.exports import csv_chunks, xlsx_chunks
from elearn.services.feedback import (FeedbackError, get_feedback, plans_in_scope, plans_of,
                                      review_plan, save_feedback, submit_plan)
from elearn.services.pagination import paginate_list
from elearn.services.reports import (Filters, completion_matrix, completion_matrix_pages, course_results,
                                     hours_report, live_courses, programme_metrics)
from elearn.services.scope import people_choices, people_query, person_in_scope, units_in_scope
from elearn.services.supervision import (ScopeError, cancel_assignment, create_assignment, visible_assignments)

bp = Blueprint("reports", __name__, template_folder="templates")


def _tz() -> str:
    return current_app.config["TIME_ZONE"]


def _today() -> date:
    return local_today(utcnow(), _tz())


def _page_size(name: str) -> int:
    return current_app.config[name]


def _filters(scope, *, course_required: bool = False) -> tuple[ReportFilterForm, Filters]:
    """Read the GET filters; an invalid or out-of-scope value is shown as a form error and ignored."""
    form = ReportFilterForm(request.args)
    units = units_in_scope(db.session, scope)
    form.unit.choices = options([(0, _("Semua unit saya") if not scope.everything else _("Semua unit"))] + units)
    courses = live_courses(db.session)
    any_course = [] if course_required else [(0, _("Semua kursus"))]
    form.course.choices = options(any_course + [(c[0], c[2]) for c in courses])
    form.validate()
    f = Filters()
    if not form.unit.errors and form.unit.data:
        f.unit_id = form.unit.data
    if not form.course.errors and form.course.data:
        f.course_id = form.course.data
    if not form.date_from.errors and not form.date_to.errors:
        f.date_from, f.date_to = form.date_from.data, form.date_to.data
    if not form.people.errors and form.people.data:
        f.user_ids = tuple(sorted({int(v) for v in form.people.data.split(",")}))
    f.year = form.year.data if not form.year.errors and form.year.data else _today().year
    f.page = page_arg()
    return form, f


def _export(table: presenters.Table):
    """The table as the download ``?format=`` asks for, streamed as its rows are computed."""
    fmt = request.args.get("format")
    if fmt == "csv":
        body, mimetype = csv_chunks(table.headers, table.rows), "text/csv"
    else:
        body = xlsx_chunks(table.name, table.headers, table.rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(stream_with_context(body), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{table.name}.{fmt}"', "Cache-Control": "private, no-store"})


def _wants_export(form: ReportFilterForm) -> bool:
    """A download was asked for and every filter is valid: a file must never look filtered when it is not,
    so with a filter error the page is shown instead, with the error by its field."""
    return request.args.get("format") in ("csv", "xlsx") and not form.errors


def _nip_in_export(form: ReportFilterForm, report: str) -> bool:
    """Whether the supervisor asked for full NIPs in this export; the choice is recorded in the audit log."""
    if not (_wants_export(form) and form.nip.data):
        return False
    record_event(db.session, "report.export_with_nip", actor_id=current_user.id, ip=request.remote_addr,
                 report=report, format=request.args.get("format"))
    db.session.commit()
    return True


def _export_url(fmt: str) -> str:
    args = request.args.to_dict()
    args.pop("page", None)
    args["format"] = fmt
    return url_for(request.endpoint, **(request.view_args or {}), **args)


@bp.app_context_processor
def report_helpers():
    return {"export_url": _export_url}


# --- pages ---------------------------------------------------------------------------------------

@bp.get("/reports/")
@supervisor_required
def index(scope):
    return render_template("reports/index.html", scope=scope,
                           assignments=visible_assignments(db.session, scope)[:10],
                           units=units_in_scope(db.session, scope), courses=live_courses(db.session))


@bp.get("/reports/matrix")
@supervisor_required
def matrix(scope):
    form, f = _filters(scope)
    if _wants_export(form):
        pages = completion_matrix_pages(db.session, scope, f, utcnow(), _tz(), page_size=_page_size("EXPORT_CHUNK_SIZE"))
        return _export(presenters.matrix_table(pages, _tz(), include_nip=_nip_in_export(form, "matrix")))
    data = completion_matrix(db.session, scope, f, utcnow(), _tz(), page_size=_page_size("REPORT_PAGE_SIZE"))
    return render_template("reports/matrix.html", form=form, f=f, m=data, labels=presenters.state_labels())


@bp.get("/reports/courses/<slug>")
@supervisor_required
def course(slug: str, scope):
    found = get_course(db.session, slug)
    if found is None:
        abort(404)
    form, f = _filters(scope)
    results = course_results(db.session, scope, found, f, _tz())
    if _wants_export(form):
        return _export(presenters.course_table(results))
    return render_template("reports/course.html", form=form, f=f, r=results,
                           charts=presenters.course_charts(results))


@bp.get("/reports/hours")
@supervisor_required
def hours(scope):
    form, f = _filters(scope)
    report = hours_report(db.session, scope, f, f.year, current_app.config["ANNUAL_JP_TARGET"], _tz())
    if _wants_export(form):
        return _export(presenters.hours_table(report, include_nip=_nip_in_export(form, "hours")))
    page = paginate_list(report.rows, f.page, _page_size("HOURS_PAGE_SIZE"))
    return render_template("reports/hours.html", form=form, f=f, report=report, rows=page.items,
                           chart=presenters.hours_chart(report), page=page.page, pages=page.pages)


@bp.get("/reports/programme")
@supervisor_required
def programme(scope):
    form, f = _filters(scope)
    metrics = programme_metrics(db.session, scope, f, f.year, _tz())
    if _wants_export(form):
        return _export(presenters.programme_table(metrics))
    return render_template("reports/programme.html", form=form, f=f, m=metrics,
                           chart=presenters.programme_chart(metrics),
                           mentoring_chart=presenters.mentoring_chart(metrics),
                           questions_chart=presenters.questions_chart(metrics),
                           innovations_chart=presenters.innovations_chart(metrics))


# --- assignments ---------------------------------------------------------------------------------

def _assignment_form(scope) -> AssignmentForm:
    form = AssignmentForm()
    form.course.choices = options((c[0], c[2]) for c in live_courses(db.session))
    form.unit.choices = options([(0, _("— tidak ada —"))] + units_in_scope(db.session, scope))
    form.people.choices = options(people_choices(db.session, people_query(db.session, scope)))
    return form


@bp.route("/reports/assignments", methods=["GET", "POST"])
@supervisor_required
def assignments(scope):
    form = _assignment_form(scope)
    if form.validate_on_submit():
        try:
            create_assignment(db.session, current_user, scope, course_id=form.course.data,
                              due_on=form.due_on.data, unit_id=form.unit.data or None,
                              user_ids=form.people.data or [], recurrence_months=form.recurrence.data or None,
                              note=form.note.data or "", today=_today())
        except ScopeError as refused:
            db.session.rollback()
            messages = {
                "no_target": (form.unit, _("Pilih unit atau orang yang ditugaskan.")),
                "bad_due": (form.due_on, _("Batas waktu tidak boleh di masa lalu.")),
                "forbidden": (form.unit, _("Anda hanya dapat menugaskan unit dan orang yang Anda bina.")),
                "unknown_unit": (form.unit, _("Unit tidak dikenal.")),
                "unknown_course": (form.course, _("Kursus tidak dikenal.")),
                "bad_recurrence": (form.recurrence, _("Pilihan pengulangan tidak valid.")),
            }
            field, message = messages[refused.code]
            field.errors = list(field.errors) + [message]
        else:
            db.session.commit()
            flash(_("Penugasan disimpan."), "success")
            return redirect(url_for("reports.assignments"))
    return render_template("reports/assignments.html", form=form, cancel_form=ActionForm(),
                           assignments=visible_assignments(db.session, scope))


@bp.post("/reports/assignments/<id:assignment_id>/cancel")
@supervisor_required
def cancel(assignment_id: int, scope):
    if not ActionForm().validate_on_submit():
        return redirect(url_for("reports.assignments"))
    try:
        cancel_assignment(db.session, current_user, scope, assignment_id)
    except ScopeError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("Penugasan dibatalkan."), "success")
    return redirect(url_for("reports.assignments"))


# --- action plans (supervisor) -------------------------------------------------------------------

@bp.get("/reports/action-plans")
@supervisor_required
def action_plans(scope):
    status = request.args.get("status") if request.args.get("status") in ("open", "done") else None
    page = page_arg()
    found = plans_in_scope(db.session, people_query(db.session, scope), status, page=page,
                           page_size=_page_size("PLANS_PAGE_SIZE"))
    plans = found.items
    return render_template("reports/action_plans.html", plans=plans, status=status, kinds=plan_kind_labels(),
                           page=found.page, pages=found.pages,
                           forms={p.id: ReviewForm(prefix=f"p{p.id}", data={
                               "comment": p.supervisor_comment, "carried_out": 1 if p.carried_out_at else 0})
                               for p, _n, _u, _c in plans})


@bp.post("/reports/action-plans/<id:plan_id>")
@supervisor_required
def review(plan_id: int, scope):
    plan = db.session.get(ActionPlan, plan_id)
    if plan is None or not person_in_scope(db.session, scope, plan.user_id) or plan.user_id == current_user.id:
        abort(404)
    form = ReviewForm(prefix=f"p{plan.id}")
    if form.validate_on_submit():
        review_plan(db.session, plan, current_user.id, form.comment.data or "", bool(form.carried_out.data))
        db.session.commit()
        flash(_("Tanggapan disimpan."), "success")
    else:
        flash(_("Tanggapan tidak dapat disimpan."), "error")
    return redirect(url_for("reports.action_plans"))


# --- learner side: feedback and action plans -----------------------------------------------------

def _completed_course_or_404(slug: str) -> Course:
    found = get_course(db.session, slug)
    if found is None:
        abort(404)
    if not has_completed(db.session, current_user.id, found.id):
        abort(403)
    return found


@bp.route("/courses/<slug>/feedback", methods=["GET", "POST"])
@login_required
def feedback(slug: str):
    found = _completed_course_or_404(slug)
    existing = get_feedback(db.session, current_user.id, found.id)
    form = FeedbackForm(obj=existing if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            save_feedback(db.session, current_user.id, found, form.rating.data, form.comment.data or "")
        except FeedbackError:
            db.session.rollback()
            form.rating.errors = list(form.rating.errors) + [_("Pilih nilai 1 sampai 5.")]
        else:
            db.session.commit()
            flash(_("Terima kasih atas penilaian Anda."), "success")
            return redirect(url_for("learn.course", slug=slug))
    return render_template("reports/feedback.html", course=found, form=form, existing=existing)


@bp.route("/courses/<slug>/action-plan", methods=["GET", "POST"])
@login_required
def new_plan(slug: str):
    found = _completed_course_or_404(slug)
    form = ActionPlanForm()
    if form.validate_on_submit():
        try:
            submit_plan(db.session, current_user.id, found, kind=form.kind.data, title=form.title.data,
                        description=form.description.data, planned_on=form.planned_on.data)
        except FeedbackError:
            db.session.rollback()
            form.title.errors = list(form.title.errors) + [_("Lengkapi judul dan uraian rencana aksi.")]
        else:
            db.session.commit()
            flash(_("Rencana aksi dikirim ke pembina Anda."), "success")
            return redirect(url_for("reports.my_plans"))
    return render_template("reports/plan_form.html", course=found, form=form)


@bp.get("/action-plans/")
@login_required
def my_plans():
    return render_template("reports/my_plans.html", plans=plans_of(db.session, current_user.id),
                           kinds=plan_kind_labels())

