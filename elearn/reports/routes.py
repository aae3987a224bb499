"""Reports and supervision pages (admins: everyone; supervisors: their units and sub-units only),
and the learner's feedback and action plans. Every report has CSV and XLSX exports with the same
filters (``?format=csv|xlsx``)."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.extensions import db
from elearn.forms_common import options
from elearn.learn.forms import ActionForm
from elearn.models import ActionPlan, Course, User
from elearn.models._types import utcnow
from elearn.reports.forms import (ActionPlanForm, AssignmentForm, FeedbackForm, ReportFilterForm, ReviewForm,
                                  plan_kind_labels)
from elearn.services.catalog import get_course
from elearn.urls import page_arg
from elearn.services.charts import bar_chart
from elearn.services.exports import to_csv, to_xlsx
from elearn.services.feedback import (FeedbackError, get_feedback, has_completed, plans_in_scope, plans_of,
                                      review_plan, save_feedback, submit_plan)
from elearn.services.reports import (Filters, completion_matrix, course_results, hours_report, live_courses,
                                     programme_metrics)
from elearn.services.supervision import (ScopeError, cancel_assignment, create_assignment, in_scope, local_today,
                                         people_query, scope_for, units_in_scope, visible_assignments)

bp = Blueprint("reports", __name__, template_folder="templates")


def _scope():
    if not current_user.is_authenticated:
        abort(401)
    scope = scope_for(db.session, current_user)
    if scope is None:
        abort(403)
    return scope


def _tz() -> str:
    return current_app.config["TIME_ZONE"]


def _today() -> date:
    return local_today(utcnow(), _tz())


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
    f.year = form.year.data if not form.year.errors and form.year.data else _today().year
    f.page = page_arg()
    return form, f


def _export(name: str, headers: list[str], rows: list[list]):
    fmt = request.args.get("format")
    if fmt == "csv":
        return Response(to_csv(headers, rows), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if fmt == "xlsx":
        return Response(to_xlsx(name, headers, rows),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    return None


def _export_url(fmt: str) -> str:
    args = request.args.to_dict()
    args.pop("page", None)
    args["format"] = fmt
    return url_for(request.endpoint, **(request.view_args or {}), **args)


@bp.app_context_processor
def report_helpers():
    return {"export_url": _export_url}


def state_labels() -> dict[str, str]:
    return {
        "not_enrolled": "—", "not_started": _("Belum mulai"), "in_progress": _("Berjalan"),
        "completed": _("Selesai"), "completed_before": _("Selesai sebelum periode"),
        "assigned": _("Ditugaskan"), "overdue": _("Terlambat"),
    }


# --- pages ---------------------------------------------------------------------------------------

@bp.get("/reports/")
@login_required
def index():
    scope = _scope()
    return render_template("reports/index.html", scope=scope,
                           assignments=visible_assignments(db.session, scope)[:10],
                           units=units_in_scope(db.session, scope), courses=live_courses(db.session))


@bp.get("/reports/matrix")
@login_required
def matrix():
    scope = _scope()
    form, f = _filters(scope)
    export = request.args.get("format") in ("csv", "xlsx")
    data = completion_matrix(db.session, scope, f, utcnow(), _tz(), page_size=None if export else 50)
    if export:
        labels = state_labels()
        headers = [_("Nama"), _("NIP"), _("Unit"), _("Kursus"), _("Status"), _("Kemajuan (%)"), _("Selesai"),
                   _("Batas waktu")]
        rows = [[r.name, r.nip or "", r.unit or "", data.courses[i][2], labels[c.state], c.percent,
                 c.completed_at.astimezone(ZoneInfo(_tz())).date() if c.completed_at else "", c.due or ""]
                for r in data.rows for i, c in enumerate(r.cells)]
        return _export("matriks-penyelesaian", headers, rows)
    return render_template("reports/matrix.html", form=form, f=f, m=data, labels=state_labels())


@bp.get("/reports/courses/<slug>")
@login_required
def course(slug: str):
    scope = _scope()
    found = get_course(db.session, slug)
    if found is None:
        abort(404)
    form, f = _filters(scope)
    results = course_results(db.session, scope, found, f, _tz())
    if request.args.get("format") in ("csv", "xlsx"):
        headers = [_("Ukuran"), _("Nilai")]
        rows = [[_("Terdaftar"), results.enrolled], [_("Selesai"), results.completed],
                [_("Tingkat penyelesaian (%)"), results.completion_rate],
                [_("Median hari sampai selesai"), results.median_days if results.median_days is not None else ""],
                [_("Rata-rata nilai akhir"), results.average_score if results.average_score is not None else ""],
                [_("Kepuasan (1–5)"), results.satisfaction if results.satisfaction is not None else ""],
                [_("Jumlah penilaian"), results.ratings]]
        rows += [[_("Nilai %(low)s–%(high)s", low=i * 10, high=i * 10 + 9 if i < 9 else 100), n]
                 for i, n in enumerate(results.score_buckets)]
        rows += [[_("%(quiz)s · %(question)s (persen benar)", quiz=quiz, question=stat.title), stat.percent_correct]
                 for quiz, stat in results.weak_questions]
        return _export(f"hasil-{found.slug}", headers, rows)
    charts = {
        "months": bar_chart(_("Penyelesaian per bulan"), [m for m, _n in results.completions_by_month],
                            [n for _m, n in results.completions_by_month], headers=(_("Bulan"), _("Selesai")))
        if results.completions_by_month else None,
        "scores": bar_chart(_("Sebaran nilai akhir"),
                            [f"{i * 10}–{i * 10 + 9 if i < 9 else 100}" for i in range(10)], results.score_buckets,
                            headers=(_("Nilai akhir"), _("Orang")))
        if results.average_score is not None else None,
    }
    return render_template("reports/course.html", form=form, f=f, r=results, charts=charts)


@bp.get("/reports/hours")
@login_required
def hours():
    scope = _scope()
    form, f = _filters(scope)
    target = current_app.config["ANNUAL_JP_TARGET"]
    report = hours_report(db.session, scope, f, f.year, target, _tz())
    if request.args.get("format") in ("csv", "xlsx"):
        headers = [_("Nama"), _("NIP"), _("Unit"), _("Tahun"), _("JP"), _("Target JP"), _("Capaian (%)")]
        rows = [[r.name, r.nip or "", r.unit or "", report.year, r.hours, r.target, r.percent] for r in report.rows]
        return _export(f"jam-pelajaran-{report.year}", headers, rows)
    chart = bar_chart(_("Rata-rata JP per unit, tahun %(year)s", year=report.year),
                      [u for u, _v in report.by_unit], [v for _u, v in report.by_unit],
                      headers=(_("Unit"), _("Rata-rata JP")), target=target,
                      target_label=_("target %(jp)s JP", jp=target)) if report.by_unit else None
    page = max(1, f.page)
    rows = report.rows[(page - 1) * 100: page * 100]
    return render_template("reports/hours.html", form=form, f=f, report=report, rows=rows, chart=chart, page=page,
                           pages=max(1, -(-len(report.rows) // 100)))


@bp.get("/reports/programme")
@login_required
def programme():
    scope = _scope()
    form, f = _filters(scope)
    metrics = programme_metrics(db.session, scope, f, f.year, _tz())
    if request.args.get("format") in ("csv", "xlsx"):
        headers = [_("Bulan"), _("Peserta aktif"), _("Pendaftaran"), _("Penyelesaian"), _("Kepuasan (1–5)"),
                   _("Jumlah penilaian"), _("Rencana aksi diajukan"), _("Rencana aksi terlaksana")]
        rows = [[m.month, m.participants, m.enrollments, m.completions,
                 m.satisfaction if m.satisfaction is not None else "", m.ratings, m.plans_submitted,
                 m.plans_carried_out] for m in metrics.months]
        return _export(f"metrik-program-{metrics.year}", headers, rows)
    chart = bar_chart(_("Peserta aktif per bulan"), [m.month for m in metrics.months],
                      [m.participants for m in metrics.months], headers=(_("Bulan"), _("Peserta aktif")))
    return render_template("reports/programme.html", form=form, f=f, m=metrics, chart=chart)


# --- assignments ---------------------------------------------------------------------------------

def _assignment_form(scope) -> AssignmentForm:
    form = AssignmentForm()
    form.course.choices = options((c[0], c[2]) for c in live_courses(db.session))
    form.unit.choices = options([(0, _("— tidak ada —"))] + units_in_scope(db.session, scope))
    people = db.session.execute(
        select(User.id, User.name).where(User.id.in_(people_query(db.session, scope))).order_by(User.name)).all()
    form.people.choices = options((p[0], p[1]) for p in people)
    return form


@bp.route("/reports/assignments", methods=["GET", "POST"])
@login_required
def assignments():
    scope = _scope()
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
@login_required
def cancel(assignment_id: int):
    scope = _scope()
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
@login_required
def action_plans():
    scope = _scope()
    status = request.args.get("status") if request.args.get("status") in ("open", "done") else None
    page = page_arg()
    plans, pages = plans_in_scope(db.session, scope, people_query(db.session, scope), status, page=page)
    return render_template("reports/action_plans.html", plans=plans, status=status, kinds=plan_kind_labels(),
                           page=min(page, pages), pages=pages,
                           forms={p.id: ReviewForm(prefix=f"p{p.id}", data={
                               "comment": p.supervisor_comment, "carried_out": 1 if p.carried_out_at else 0})
                               for p, _n, _u, _c in plans})


@bp.post("/reports/action-plans/<id:plan_id>")
@login_required
def review(plan_id: int):
    scope = _scope()
    plan = db.session.get(ActionPlan, plan_id)
    if plan is None or not in_scope(db.session, scope, plan.user_id) or plan.user_id == current_user.id:
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

