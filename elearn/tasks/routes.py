"""Practice-task pages. Who may review is elearn.access.can_review_task; every rule is in
elearn.services.tasks (and completion in services.completion)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from elearn.access import can_review_task, reviewable_course_ids, today
from elearn.extensions import db
from elearn.models import Course, TaskFile, TaskSubmission, User
from elearn.services.privacy.access_log import record_access
from elearn.services.scope import mentee_ids
from elearn.services.task_files import effective_max_files, kinds_shown
from elearn.services.tasks import (TaskError, can_submit, files_of, get_task, history, review_submission,
                                   scores_of, submit_task, task_of_submission, waiting_for_review)
from elearn.tasks.forms import ReviewForm, SubmissionForm

bp = Blueprint("tasks", __name__, template_folder="templates")

SUBMIT_MESSAGES = {
    "empty": ("text", _l("Tuliskan jawaban Anda.")),
    "too_long": ("text", _l("Jawaban terlalu panjang.")),
    "bad_link": ("link", _l("Tautan harus alamat http:// atau https:// yang lengkap.")),
    "pending": ("text", _l("Kiriman Anda sebelumnya masih menunggu tinjauan.")),
    "accepted": ("text", _l("Tugas ini sudah diterima.")),
    "not_enrolled": ("text", _l("Daftar ke kursus ini terlebih dahulu.")),
    "too_many_files": ("files", _l("Terlalu banyak berkas untuk tugas ini; tidak ada yang disimpan.")),
    "file_too_large": ("files", _l("Berkas %(name)s terlalu besar; tidak ada yang disimpan.")),
    "empty_file": ("files", _l("Berkas %(name)s kosong; tidak ada yang disimpan.")),
    "file_type": ("files", _l("Berkas %(name)s bukan jenis yang diterima tugas ini (%(kinds)s); jenisnya dibaca dari "
                              "isi berkas, bukan dari namanya. Tidak ada yang disimpan.")),
}
REVIEW_MESSAGES = {
    "comment_required": ("comment", _l("Tuliskan apa yang perlu direvisi (komentar keseluruhan atau pada "
                                       "kriteria).")),
    "too_long": ("comment", _l("Komentar terlalu panjang.")),
    "bad_decision": ("decision", _l("Pilih keputusan.")),
    "already_reviewed": ("decision", _l("Kiriman ini sudah ditinjau.")),
    "bad_scores": ("decision", _l("Rubrik tugas berubah; muat ulang halaman ini lalu nilai lagi.")),
    "below_pass": ("decision", _l("Jumlah poin %(total)s di bawah batas lulus %(pass)s: kiriman belum dapat "
                                  "diterima. Kembalikan untuk revisi, atau periksa lagi poinnya.")),
    "points_missing": ("points", _l("Beri poin untuk kriteria ini.")),
    "points_range": ("points", _l("Poin harus bilangan bulat 0 sampai %(max)s.")),
    "criterion_too_long": ("criterion_comment", _l("Komentar terlalu panjang.")),
}


def _fail(form, messages: dict, refused: TaskError, **values) -> None:
    """Show a refused action's message on the field it concerns (a criterion's field when it names one)."""
    name, message = messages[refused.code]
    if name in ("points", "criterion_comment"):
        entry = form.criteria[refused.detail]
        field = entry.points if name == "points" else entry.comment
    else:
        field = getattr(form, name)
    field.errors = list(field.errors) + [message % values if values else message]


@bp.route("/courses/<slug>/<module_slug>/task/", methods=["GET", "POST"])
@login_required
def task(slug: str, module_slug: str):
    found = get_task(db.session, slug, module_slug)
    if found is None:
        abort(404)
    form = SubmissionForm()
    max_files = effective_max_files(found.max_files, current_app.config["TASK_MAX_FILES"])
    if form.validate_on_submit():
        try:
            limit = current_app.config["TASK_FILE_MAX_BYTES"]
            files = [(f.filename, f.read(limit + 1)) for f in request.files.getlist(form.files.name) if f.filename]
            submit_task(db.session, current_user.id, found, form.text.data, form.link.data or "", files,
                        current_app.config["TASK_MAX_FILES"], limit)
        except TaskError as refused:
            db.session.rollback()
            _fail(form, SUBMIT_MESSAGES, refused, name=refused.detail or "", kinds=kinds_shown(found.allowed))
        else:
            db.session.commit()
            flash(_("Tugas dikirim; mentor atau pelatih Anda akan meninjaunya."), "success")
            return redirect(url_for("tasks.task", slug=slug, module_slug=module_slug))
    entries = history(db.session, found.id, current_user.id)  # the person's own hand-ins only
    return render_template("tasks/task.html", task=found, form=form, entries=entries,
                           files=files_of(db.session, [e.id for e in entries]), scores=scores_of(db.session, entries),
                           max_files=max_files, kinds=kinds_shown(found.allowed),
                           max_mb=current_app.config["TASK_FILE_MAX_BYTES"] // (1024 * 1024),
                           open_for_submission=can_submit(entries))


@bp.get("/tasks/review")
@login_required
def waiting():
    by_mentoring = waiting_for_review(db.session, mentee_ids(current_user.id, today()), None)
    courses = reviewable_course_ids(db.session, current_user)
    as_staff = waiting_for_review(db.session, None, courses) if courses is None or courses else []
    merged = {w.submission_id: w for w in by_mentoring + as_staff if w.learner_id != current_user.id}
    items = sorted(merged.values(), key=lambda w: (w.submitted_at, w.submission_id))
    return render_template("tasks/waiting.html", items=items)


@bp.route("/tasks/submissions/<id:submission_id>", methods=["GET", "POST"])
@login_required
def review(submission_id: int):
    found = task_of_submission(db.session, submission_id)
    if found is None:
        abort(404)
    submission, task_page = found
    course = db.session.get(Course, task_page.course_id)
    if not can_review_task(db.session, current_user, submission.user_id, course):
        abort(404)
    form = ReviewForm(task_page.rubric)
    if form.validate_on_submit():
        try:
            completed = review_submission(db.session, current_user.id, submission, form.decision.data,
                                          form.comment.data or "", form.scores())
        except TaskError as refused:
            db.session.rollback()
            maximum = task_page.rubric[refused.detail]["points"] if refused.code == "points_range" else 0
            _fail(form, REVIEW_MESSAGES, refused, total=refused.detail, max=maximum, **{"pass": task_page.pass_points})
        else:
            db.session.commit()
            flash(_("Tinjauan disimpan; peserta menyelesaikan kursus.") if completed else _("Tinjauan disimpan."),
                  "success")
            return redirect(url_for("tasks.waiting"))
    elif not form.is_submitted() and record_access(db.session, current_user, submission.user_id, "tasks"):
        db.session.commit()
    learner = db.session.get(User, submission.user_id)
    entries = history(db.session, task_page.id, submission.user_id)
    return render_template("tasks/review.html", task=task_page, submission=submission, learner=learner, form=form,
                           entries=entries, files=files_of(db.session, [e.id for e in entries]),
                           scores=scores_of(db.session, entries))


@bp.get("/tasks/files/<id:file_id>")
@login_required
def download(file_id: int):
    """A handed-in file, for the learner and whoever may review the task; always a download, never shown."""
    found = db.session.get(TaskFile, file_id)
    submission = db.session.get(TaskSubmission, found.submission_id) if found is not None else None
    if submission is None:
        abort(404)
    if current_user.id != submission.user_id:
        _submission, task_page = task_of_submission(db.session, submission.id)
        course = db.session.get(Course, task_page.course_id)
        if not can_review_task(db.session, current_user, submission.user_id, course):
            abort(404)
    response = make_response(found.content)
    response.headers.update({
        "Content-Type": "application/octet-stream",
        "Content-Disposition": f'attachment; filename="{found.name}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})
    return response
