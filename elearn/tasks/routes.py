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
from elearn.services.tasks import (TaskError, can_submit, files_of, get_task, history, review_submission,
                                   submit_task, task_of_submission, waiting_for_review)
from elearn.tasks.forms import ReviewForm, SubmissionForm

bp = Blueprint("tasks", __name__, template_folder="templates")

SUBMIT_MESSAGES = {
    "empty": ("text", _l("Tuliskan jawaban Anda.")),
    "too_long": ("text", _l("Jawaban terlalu panjang.")),
    "bad_link": ("link", _l("Tautan harus alamat http:// atau https:// yang lengkap.")),
    "pending": ("text", _l("Kiriman Anda sebelumnya masih menunggu tinjauan.")),
    "accepted": ("text", _l("Tugas ini sudah diterima.")),
    "not_enrolled": ("text", _l("Daftar ke kursus ini terlebih dahulu.")),
    "too_many_files": ("files", _l("Terlalu banyak berkas.")),
    "file_too_large": ("files", _l("Berkas terlalu besar.")),
    "empty_file": ("files", _l("Berkas kosong.")),
}
REVIEW_MESSAGES = {
    "comment_required": ("comment", _l("Tuliskan apa yang perlu direvisi.")),
    "too_long": ("comment", _l("Komentar terlalu panjang.")),
    "bad_decision": ("decision", _l("Pilih keputusan.")),
    "already_reviewed": ("decision", _l("Kiriman ini sudah ditinjau.")),
}


def _fail(form, messages: dict, code: str) -> None:
    name, message = messages[code]
    field = getattr(form, name)
    field.errors = list(field.errors) + [message]


@bp.route("/courses/<slug>/<module_slug>/task/", methods=["GET", "POST"])
@login_required
def task(slug: str, module_slug: str):
    found = get_task(db.session, slug, module_slug)
    if found is None:
        abort(404)
    form = SubmissionForm()
    if form.validate_on_submit():
        try:
            limit = current_app.config["TASK_FILE_MAX_BYTES"]
            files = [(f.filename, f.read(limit + 1)) for f in request.files.getlist(form.files.name) if f.filename]
            submit_task(db.session, current_user.id, found, form.text.data, form.link.data or "", files,
                        current_app.config["TASK_MAX_FILES"], limit)
        except TaskError as refused:
            db.session.rollback()
            _fail(form, SUBMIT_MESSAGES, refused.code)
        else:
            db.session.commit()
            flash(_("Tugas dikirim; mentor atau pelatih Anda akan meninjaunya."), "success")
            return redirect(url_for("tasks.task", slug=slug, module_slug=module_slug))
    entries = history(db.session, found.id, current_user.id)
    return render_template("tasks/task.html", task=found, form=form, entries=entries,
                           files=files_of(db.session, [e.id for e in entries]),
                           max_files=current_app.config["TASK_MAX_FILES"],
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
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            completed = review_submission(db.session, current_user.id, submission, form.decision.data,
                                          form.comment.data or "")
        except TaskError as refused:
            db.session.rollback()
            _fail(form, REVIEW_MESSAGES, refused.code)
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
                           entries=entries, files=files_of(db.session, [e.id for e in entries]))


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
