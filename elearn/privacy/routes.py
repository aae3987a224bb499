"""Personal data pages: the privacy notice (public), "Data saya" (the person's archive, who looked at
their records, their requests), certificate reissue requests, and the admins' request queue."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from elearn.access import role_required
from elearn.extensions import db, limiter
from elearn.learn.forms import ActionForm
from elearn.models import Certificate, PrivacyRequest, Role, User
from elearn.models._types import utcnow
from elearn.privacy.forms import AcknowledgeForm, DecisionForm, DeletionRequestForm, ReissueRequestForm
from elearn.services.audit import record_event
from elearn.services.privacy.access_log import accesses_to
from elearn.services.privacy.export import downloadable, exports_of, request_export
from elearn.services.privacy.notice import acknowledge_notice, notice_facts, notice_version
from elearn.services.privacy.requests import (RequestError, cancel_request, decide_request, dismiss_decisions,
                                              list_requests, request_deletion, request_reissue, requests_of)
from elearn.services.privacy.retention import flagged_accounts
from elearn.urls import safe_next

bp = Blueprint("privacy", __name__, template_folder="templates")
admin_only = role_required(Role.ADMIN)


@bp.app_context_processor
def privacy_helpers():
    return {"privacy_notice_version": lambda: notice_version(current_app.config)}


def _back() -> str:
    return safe_next(request.form.get("next")) or url_for("site.home")


# --- the notice ----------------------------------------------------------------------------------

@bp.get("/privacy")
def notice():
    return render_template("privacy/notice.html", facts=notice_facts(current_app.config),
                           version=notice_version(current_app.config))


@bp.post("/privacy/acknowledge")
@login_required
def acknowledge():
    if AcknowledgeForm().validate_on_submit():
        acknowledge_notice(db.session, current_user.id, notice_version(current_app.config))
        db.session.commit()
    return redirect(_back())


# --- the person's own data -----------------------------------------------------------------------

def _data_page(deletion_form: DeletionRequestForm | None = None, status: int = 200):
    now = utcnow()
    me = db.session.get(User, current_user.id)
    requests_ = requests_of(db.session, me.id)
    return render_template(
        "privacy/my_data.html", me=me, now=now, exports=exports_of(db.session, me.id),
        accesses=accesses_to(db.session, me.id), requests=requests_,
        deletion_pending=any(r.kind == "deletion" and r.state == "pending" for r, _s in requests_),
        deletion_form=deletion_form or DeletionRequestForm(), action_form=ActionForm(),
        hours=current_app.config["PRIVACY_EXPORT_HOURS"]), status


@bp.get("/account/data")
@login_required
def my_data():
    return _data_page()


@bp.post("/account/data/export")
@login_required
@limiter.limit("10 per hour", key_func=lambda: f"privacy-export:{current_user.get_id()}")
def export():
    if not ActionForm().validate_on_submit():
        return redirect(url_for("privacy.my_data"))
    made = request_export(db.session, current_user.id, locale=str(get_locale() or "id"),
                          inline_rows=current_app.config["PRIVACY_EXPORT_INLINE_ROWS"],
                          hours=current_app.config["PRIVACY_EXPORT_HOURS"])
    db.session.commit()
    if made.state == "ready":
        flash(_("Arsip data Anda siap diunduh."), "success")
    else:
        flash(_("Data Anda cukup banyak; arsipnya sedang disiapkan. Buka halaman ini lagi beberapa menit lagi."),
              "info")
    return redirect(url_for("privacy.my_data"))


@bp.get("/account/data/exports/<int:export_id>.zip")
@login_required
def download(export_id: int):
    found = downloadable(db.session, export_id, current_user.id)
    if found is None:
        abort(404)  # someone else's, expired or not ready: ids reveal nothing
    record_event(db.session, "privacy.export_downloaded", actor_id=current_user.id, subject_id=current_user.id,
                 export=found.id)
    db.session.commit()
    return Response(found.content, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="data-saya-{found.requested_at:%Y%m%d}.zip"',
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


@bp.post("/account/data/deletion")
@login_required
def deletion():
    form = DeletionRequestForm()
    if not form.validate_on_submit():
        return _data_page(form, 400)
    try:
        request_deletion(db.session, current_user.id, form.reason.data)
    except RequestError as refused:
        db.session.rollback()
        form.reason.errors = [_("Anda sudah mengajukan permintaan yang sedang diproses.")
                              if refused.code == "already_pending" else _("Tuliskan alasan Anda.")]
        return _data_page(form, 400)
    db.session.commit()
    flash(_("Permintaan hapus akun dikirim. Admin akan memutuskannya; keputusannya tampil di halaman ini."),
          "success")
    return redirect(url_for("privacy.my_data"))


@bp.post("/account/data/requests/<int:request_id>/cancel")
@login_required
def cancel(request_id: int):
    if not ActionForm().validate_on_submit():
        return redirect(url_for("privacy.my_data"))
    try:
        cancel_request(db.session, current_user.id, request_id)
    except RequestError as refused:
        db.session.rollback()
        if refused.code == "not_yours":
            abort(404)
        flash(_("Permintaan ini sudah diputuskan."), "error")
        return redirect(url_for("privacy.my_data"))
    db.session.commit()
    flash(_("Permintaan dibatalkan."), "success")
    return redirect(url_for("privacy.my_data"))


@bp.post("/account/data/messages/dismiss")
@login_required
def dismiss():
    if ActionForm().validate_on_submit():
        dismiss_decisions(db.session, current_user.id)
        db.session.commit()
    return redirect(_back())


@bp.post("/certificates/<int:certificate_id>/reissue-request")
@login_required
def reissue_request(certificate_id: int):
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != current_user.id:
        abort(404)
    form = ReissueRequestForm()
    if form.validate_on_submit():
        try:
            request_reissue(db.session, db.session.get(User, current_user.id), certificate, form.reason.data or "")
        except RequestError as refused:
            db.session.rollback()
            flash(_("Permintaan terbit ulang sudah diajukan.") if refused.code == "already_pending"
                  else _("Sertifikat ini tidak dapat diterbitkan ulang: namanya sudah sama dengan profil Anda, "
                         "atau sertifikat ini sudah dicabut."), "error")
        else:
            db.session.commit()
            flash(_("Permintaan terbit ulang dikirim ke admin."), "success")
    return redirect(url_for("certificates.show", certificate_id=certificate.id))


# --- admins --------------------------------------------------------------------------------------

def _admin_page(forms: dict | None = None, status: int = 200):
    pending = list_requests(db.session, pending=True)
    forms = forms or {}
    for row in pending:
        forms.setdefault(row.request.id, DecisionForm(prefix=f"r{row.request.id}"))
    return render_template("privacy/admin.html", pending=pending, forms=forms,
                           decided=list_requests(db.session, pending=False, limit=20),
                           flagged=flagged_accounts(db.session)), status


@bp.get("/admin/privacy")
@admin_only
def admin_requests():
    return _admin_page()


DECISION_MESSAGES = {
    "reason_required": _l("Tuliskan alasan penolakan; pemohon akan membacanya."),
    "own_request": _l("Anda tidak dapat memutuskan permintaan Anda sendiri; admin lain yang memutuskannya."),
    "not_pending": _l("Permintaan ini sudah diputuskan atau dibatalkan."),
    "not_reissuable": _l("Sertifikat ini tidak dapat diterbitkan ulang (sudah dicabut atau ditarik)."),
    "already_anonymised": _l("Akun ini sudah dianonimkan."),
}


@bp.post("/admin/privacy/requests/<int:request_id>")
@admin_only
def decide(request_id: int):
    found = db.session.get(PrivacyRequest, request_id) or abort(404)
    form = DecisionForm(prefix=f"r{found.id}")
    valid = form.validate_on_submit()
    approve = form.decision.data == "approve"
    if valid and approve and found.kind == "deletion" and not form.confirm.data:
        form.confirm.errors = [_("Centang kotak ini untuk menyetujui penghapusan.")]
        valid = False
    if not valid:
        return _admin_page({found.id: form}, 400)
    try:
        decide_request(db.session, found.id, current_user, approve=approve, reason=form.reason.data or "",
                       ip=request.remote_addr)
    except RequestError as refused:
        db.session.rollback()
        form.reason.errors = [str(DECISION_MESSAGES.get(refused.code, DECISION_MESSAGES["not_pending"]))]
        return _admin_page({found.id: form}, 409 if refused.code in ("not_pending", "already_anonymised") else 400)
    db.session.commit()
    flash(_("Keputusan disimpan.") if not approve else _("Permintaan disetujui dan dijalankan."), "success")
    return redirect(url_for("privacy.admin_requests"))
