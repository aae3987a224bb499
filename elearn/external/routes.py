"""External-training pages; the rules are in elearn.services.external_training, JP in services.lesson_hours."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from elearn.access import supervisor_required, today
from elearn.extensions import db
from elearn.external.forms import DecisionForm, ExternalTrainingForm, kind_labels
from elearn.services.external_training import (ExternalError, decide_external, record_external, records_in_scope,
                                               records_of)
from elearn.services.scope import people_query

bp = Blueprint("external", __name__, template_folder="templates")

RECORD_MESSAGES = {
    "bad_kind": ("kind", _l("Pilih jenis kegiatan.")),
    "no_title": ("title", _l("Tuliskan judul kegiatan.")),
    "no_organiser": ("organiser", _l("Tuliskan penyelenggaranya.")),
    "too_long": ("evidence_note", _l("Teks terlalu panjang.")),
    "bad_dates": ("end_on", _l("Tanggal selesai tidak boleh sebelum tanggal mulai atau di masa depan.")),
    "bad_hours": ("hours", _l("JP harus antara 1 dan 200.")),
    "bad_link": ("evidence_link", _l("Tautan harus alamat http:// atau https:// yang lengkap.")),
}
DECISION_MESSAGES = {
    "reason_required": ("reason", _l("Tuliskan alasan penolakan.")),
    "too_long": ("reason", _l("Teks terlalu panjang.")),
    "already_decided": ("decision", _l("Catatan ini sudah diputuskan.")),
}


def _fail(form, messages: dict, code: str) -> None:
    name, message = messages[code]
    field = getattr(form, name)
    field.errors = list(field.errors) + [message]


@bp.route("/training/external/", methods=["GET", "POST"])
@login_required
def mine():
    form = ExternalTrainingForm()
    if form.validate_on_submit():
        try:
            record_external(db.session, current_user.id, kind=form.kind.data, title=form.title.data,
                            organiser=form.organiser.data, start_on=form.start_on.data, end_on=form.end_on.data,
                            hours=form.hours.data, evidence_link=form.evidence_link.data,
                            evidence_note=form.evidence_note.data or "", today=today())
        except ExternalError as refused:
            db.session.rollback()
            _fail(form, RECORD_MESSAGES, refused.code)
        else:
            db.session.commit()
            flash(_("Pelatihan dicatat; JP-nya dihitung setelah disetujui pembina Anda."), "success")
            return redirect(url_for("external.mine"))
    return render_template("external/mine.html", form=form, records=records_of(db.session, current_user.id),
                           kinds=kind_labels())


@bp.get("/reports/external-training")
@supervisor_required
def pending(scope):
    people = people_query(db.session, scope)
    rows = [r for r in records_in_scope(db.session, people) if r.record.user_id != current_user.id]
    return render_template("external/pending.html", rows=rows, kinds=kind_labels(),
                           forms={r.record.id: DecisionForm(prefix=f"r{r.record.id}") for r in rows})


@bp.post("/reports/external-training/<id:record_id>")
@supervisor_required
def decide(record_id: int, scope):
    form = DecisionForm(prefix=f"r{record_id}")
    if not form.validate_on_submit():
        flash(_("Pilih keputusan."), "error")
        return redirect(url_for("external.pending"))
    try:
        decide_external(db.session, current_user, scope, record_id, form.decision.data == "approve",
                        form.reason.data or "")
    except ExternalError as refused:
        db.session.rollback()
        if refused.code == "not_found":
            abort(404)
        flash(DECISION_MESSAGES[refused.code][1], "error")
        return redirect(url_for("external.pending"))
    db.session.commit()
    flash(_("Keputusan disimpan."), "success")
    return redirect(url_for("external.pending"))
