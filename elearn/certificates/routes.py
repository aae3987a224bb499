"""Certificate pages. Private pages: the owner, an admin, or the owner's supervisor (others get 404,
so ids reveal nothing). Public: /verify (rate limited) and the site's public key."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.access import can_manage_person, can_view_person
from elearn.certificates.forms import RevokeForm, VerifyForm, reason_labels
from elearn.extensions import db, limiter
from elearn.learn.forms import ActionForm
from elearn.models import Certificate, User
from elearn.models._types import utcnow
from elearn.privacy.forms import ReissueRequestForm
from elearn.services.certificate_pdf import certificate_pdf, local_score, transcript_pdf
from elearn.services.certificates import (CertificateError, get_by_code, list_for_user, mask_nip, normalise_code,
                                          renew, revoke)
from elearn.services.catalog import get_course
from elearn.services.print_fonts import printable
from elearn.services.privacy.access_log import record_access
from elearn.services.privacy.requests import reissue_possible
from elearn.services.transcript import transcript
from elearn.services.users import preferred_locale
from elearn.services.credentials import (build_credential, keys_document, load_signing_key, sign_credential,
                                         site_verification_keys)

bp = Blueprint("certificates", __name__, template_folder="templates")


@bp.app_template_filter("printable")
def printable_filter(value: str | None) -> str:
    """What the certificate PDF prints for this text (see services.print_fonts.printable)."""
    return printable(value)


@bp.app_template_filter("score")
def score_filter(value: float | None) -> str:
    """A score as the reader's language writes it (86,67 in Indonesian, 86.67 in English)."""
    return local_score(value, str(get_locale() or "id"))


def base_url() -> str:
    return current_app.config.get("PUBLIC_URL") or request.url_root.rstrip("/")


def signing_key():
    key = current_app.extensions.get("binapustaka_signing_key")
    if key is None:
        key = load_signing_key(current_app.config, current_app.instance_path)
        current_app.extensions["binapustaka_signing_key"] = key
    return key


def _verify_url(certificate: Certificate) -> str:
    """The short verification link printed on the PDF and the page (it redirects to /verify/<code>)."""
    return base_url() + url_for("certificates.short_verify", code=certificate.code)


def _visible_or_404(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not can_view_person(db.session, current_user, certificate.user_id):
        abort(404)
    return certificate


def _record_access(person_id: int, what: str) -> None:
    """A supervisor, mentor or admin opened someone's record: one audit row (never the person's own view)."""
    if record_access(db.session, current_user, person_id, what):
        db.session.commit()


def _learner_lang(user_id: int) -> str:
    locale = preferred_locale(db.session, user_id)
    return locale if locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.get("/certificates/")
@login_required
def mine():
    now = utcnow()
    certificates = list_for_user(db.session, current_user.id)
    return render_template("certificates/mine.html", certificates=certificates, now=now)


@bp.get("/certificates/<id:certificate_id>/")
@login_required
def show(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    _record_access(certificate.user_id, "certificate")
    now = utcnow()
    manage = can_manage_person(db.session, current_user, certificate.user_id)
    own = current_user.id == certificate.user_id
    return render_template("certificates/show.html", c=certificate, state=certificate.state_at(now),
                           verify_url=_verify_url(certificate), reasons=reason_labels(),
                           revoke_form=RevokeForm() if manage else None,
                           renew_form=ActionForm() if own else None,
                           reissue_form=ReissueRequestForm() if own and reissue_possible(certificate, current_user)
                           else None,
                           qr_svg=_qr_svg(_verify_url(certificate)))


def _qr_svg(text: str) -> str:
    import segno

    return segno.make(text, error="m").svg_inline(scale=3, title=_("Kode QR verifikasi"))


@bp.get("/certificates/<id:certificate_id>.pdf")
@login_required
def pdf(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    _record_access(certificate.user_id, "certificate_pdf")
    body = certificate_pdf(certificate, lang=_learner_lang(certificate.user_id), verify_url=_verify_url(certificate),
                           time_zone=current_app.config["TIME_ZONE"], state=certificate.state_at(utcnow()))
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{certificate.serial}.pdf"',
        "Cache-Control": "private, no-store"})


@bp.get("/certificates/<id:certificate_id>.json")
@login_required
def credential(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    _record_access(certificate.user_id, "credential")
    document = sign_credential(build_credential(certificate, base_url()), signing_key(), base_url(),
                               certificate.issued_at)
    response = jsonify(document)
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.serial}.json"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/certificates/<id:certificate_id>/revoke")
@login_required
def revoke_certificate(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    if not can_manage_person(db.session, current_user, certificate.user_id):
        abort(403)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Pilih alasan pencabutan."), "error")
        return redirect(url_for("certificates.show", certificate_id=certificate.id))
    try:
        revoke(db.session, certificate, current_user, form.reason.data, form.note.data or "",
               ip=request.remote_addr)
    except CertificateError:
        db.session.rollback()
        flash(_("Sertifikat ini sudah dicabut."), "error")
        return redirect(url_for("certificates.show", certificate_id=certificate.id))
    db.session.commit()
    flash(_("Sertifikat %(serial)s dicabut.", serial=certificate.serial), "success")
    return redirect(url_for("certificates.show", certificate_id=certificate.id))


@bp.post("/certificates/<id:certificate_id>/renew")
@login_required
def renew_certificate(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    if certificate.user_id != current_user.id:
        abort(403)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("certificates.show", certificate_id=certificate.id))
    try:
        renew(db.session, certificate, current_user.id)
    except CertificateError:
        db.session.rollback()
        flash(_("Hanya sertifikat yang sudah kedaluwarsa atau dicabut yang dapat diperbarui."), "error")
        return redirect(url_for("certificates.show", certificate_id=certificate.id))
    db.session.commit()
    flash(_("Silakan selesaikan kursus ini lagi (versi terkini) untuk menerima sertifikat baru."), "success")
    return redirect(url_for("learn.course", slug=certificate.course_slug))


def _transcript_for(user: User):
    return transcript(db.session, user.id, current_app.config["TIME_ZONE"])


def _transcript_user(user_id: int | None) -> User:
    if user_id is None or user_id == current_user.id:
        return db.session.get(User, current_user.id)
    if not can_view_person(db.session, current_user, user_id):  # mentors view their mentees' transcripts
        abort(404)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/transcript/")
@bp.get("/users/<id:user_id>/transcript/")
@login_required
def transcript_page(user_id: int | None = None):
    user = _transcript_user(user_id)
    _record_access(user.id, "transcript")
    return render_template("certificates/transcript.html", person=user, t=_transcript_for(user), now=utcnow(),
                           own=user.id == current_user.id)


@bp.get("/transcript.pdf")
@bp.get("/users/<id:user_id>/transcript.pdf")
@login_required
def transcript_download(user_id: int | None = None):
    user = _transcript_user(user_id)
    _record_access(user.id, "transcript_pdf")
    body = transcript_pdf(user.name, user.nip, _transcript_for(user), lang=_learner_lang(user.id),
                          time_zone=current_app.config["TIME_ZONE"], institution=current_app.config["INSTITUTION_NAME"],
                          now=utcnow())
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": 'inline; filename="transkrip.pdf"', "Cache-Control": "private, no-store"})


# --- public --------------------------------------------------------------------------------------

def _verify_limit() -> str:
    return current_app.config["RATELIMIT_VERIFY"]


def _public_view(certificate: Certificate) -> dict:
    """Exactly what the PDF prints, and nothing else personal (the NIP partly masked). A certificate
    withdrawn at the holder's request shows no personal details at all: no name, no NIP, no score."""
    now = utcnow()
    state = certificate.state_at(now)
    withdrawn = certificate.withdrawn_at is not None
    return {
        "state": state,
        "serial": certificate.serial,
        "learner_name": None if withdrawn else certificate.learner_name,
        "learner_nip": None if withdrawn else mask_nip(certificate.learner_nip),
        "course_title": certificate.course_title,
        "course_version": certificate.course_version,
        "course_version_number": certificate.course_version_number,
        "hours": certificate.hours,
        "score": None if withdrawn else certificate.score,
        "completed_at": certificate.completed_at,
        "issued_at": certificate.issued_at,
        "expires_at": certificate.expires_at,
        "revoked_at": certificate.revoked_at,
        "revoked_reason": certificate.revoked_reason,
        "withdrawn_at": certificate.withdrawn_at,
        "withdrawn_reason": certificate.withdrawn_reason,
        "institution": certificate.institution,
        "signatory_name": certificate.signatory_name,
        "signatory_title": certificate.signatory_title,
        "code": certificate.code_display,
    }


@bp.get("/verify")
@limiter.limit(_verify_limit)
def verify_form():
    form = VerifyForm(request.args)
    if request.args.get("code") is not None:
        typed = (form.code.data or "").strip(" -\t")
        code = normalise_code(typed)
        if code is not None:
            return redirect(url_for("certificates.verify", code=code))
        form.code.errors = [_("Isi kode verifikasi yang tercetak di sertifikat.") if not typed else
                            _("Kode verifikasi terdiri dari 32 huruf A–Z dan angka 2–7 (tanda hubung boleh).")]
    return render_template("certificates/verify_form.html", form=form)


@bp.get("/v/<code>")
def short_verify(code: str):
    """The short link printed on certificates: one line on paper, a permanent redirect here."""
    return redirect(url_for("certificates.verify", code=code[:80]), 301)


@bp.get("/verify/<code>")
@limiter.limit(_verify_limit)
def verify(code: str):
    if code.endswith(".json"):
        return verify_json(code[:-5])
    certificate = get_by_code(db.session, code)
    if certificate is None:
        return render_template("certificates/verify_unknown.html", form=VerifyForm()), 404
    if certificate.code != code:
        return redirect(url_for("certificates.verify", code=certificate.code), 301)
    return render_template("certificates/verify.html", v=_public_view(certificate), reasons=reason_labels(),
                           course_live=get_course(db.session, certificate.course_slug) is not None,
                           course_slug=certificate.course_slug)


def verify_json(code: str):
    certificate = get_by_code(db.session, code)
    if certificate is None:
        return jsonify({"error": "not_found"}), 404
    view = _public_view(certificate)
    for key in ("completed_at", "issued_at", "expires_at", "revoked_at", "withdrawn_at"):
        view[key] = view[key].isoformat() if view[key] else None
    view["code"] = certificate.code
    return jsonify(view)


@bp.get("/.well-known/binapustaka-keys.json")
def public_keys():
    keys = site_verification_keys(current_app.config, current_app.instance_path, signing_key())
    response = jsonify(keys_document(keys, base_url()))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
