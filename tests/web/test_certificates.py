"""Certificates: issuing, the document, public verification, signed credentials, revocation, expiry, renewal."""
from __future__ import annotations

import io
import json
import re
import textwrap
import threading
from pathlib import Path
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from elearn import create_app
from elearn.models import AuditEvent, Certificate, Enrollment, ModuleProgress, QuizAttempt, Unit, UnitSupervisor
from elearn.models._types import utcnow
from quizhelp import answer_form

EXAM = textwrap.dedent("""\
    ---
    pass_mark: 60
    ---
    ## Standar metadata

    Standar mana yang memiliki 15 elemen inti?

    - [x] Dublin Core
    - [ ] MARC 21

    ## Salinan {type=numeric}

    Berapa salinan menurut aturan 3-2-1?

    - [x] 3
    """)


@pytest.fixture
def course(write_course, sync):
    def make(extra_front: str = "", exam: bool = False, modules: int = 2):
        # write_course dedents its template: continuation lines need the template's indentation
        folder = write_course(modules=modules, extra_front=extra_front.replace("\n", "\n" + " " * 12))
        if exam:
            (folder / "exam.quiz.md").write_text(EXAM, encoding="utf-8")
        report = sync()
        assert not report.failed, report.problems
        return folder

    return make


@pytest.fixture
def learner(make_user, login, db):
    user = make_user(name="Nguyễn Thị Đào Ñoño")
    user.nip = "198501012010011001"
    db.session.commit()
    login(user)
    return user


def complete(client, modules: int = 2):
    client.post("/courses/kursus-uji/enroll")
    for n in range(1, modules + 1):
        response = client.post(f"/courses/kursus-uji/modul-{n}/complete")
        assert response.status_code == 302


def pass_exam(client, db, right=True):
    response = client.post("/courses/kursus-uji/quiz/exam/start")
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    attempt = db.session.get(QuizAttempt, attempt_id)
    client.post(f"/attempts/{attempt_id}/submit", data=answer_form(attempt, right))
    return attempt_id


def only_certificate(db) -> Certificate:
    certificates = db.session.scalars(select(Certificate)).all()
    assert len(certificates) == 1
    return certificates[0]


# --- issuing -------------------------------------------------------------------------------------

def test_completing_a_course_issues_one_certificate_with_what_was_completed(client, db, course, learner):
    course()
    complete(client)
    c = only_certificate(db)
    assert re.fullmatch(r"BP-\d{4}-\d{6}", c.serial)
    assert re.fullmatch(r"[A-Z2-7]{32}", c.code)
    assert (c.learner_name, c.learner_nip, c.course_title, c.course_version, c.hours) == (
        "Nguyễn Thị Đào Ñoño", "198501012010011001", "Kursus kursus-uji", "1.0", 4)
    assert c.score is None and c.expires_at is None and c.completed_at is not None
    assert c.institution == "Dinas Perpustakaan dan Kearsipan Kota Bontang" and c.city == "Bontang"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "certificate.issued")) == 1
    page = client.get("/certificates/").get_data(as_text=True)
    assert c.serial in page and "Kursus kursus-uji" in page


def test_no_certificate_before_the_exam_is_passed_and_score_comes_from_it(client, db, course, learner):
    course(exam=True)
    complete(client)
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    pass_exam(client, db, right=False)
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    pass_exam(client, db, right=True)
    c = only_certificate(db)
    assert c.score == 100.0


def test_issuing_is_idempotent(client, db, course, learner):
    from elearn.services.certificates import issue_certificate, issue_missing
    from elearn.services.completion import current_completion, refresh_course_completion

    course()
    complete(client)
    complete(client)  # completing again changes nothing
    enrollment = db.session.scalar(select(Enrollment))
    first = only_certificate(db)
    assert issue_certificate(db.session, enrollment, current_completion(db.session, enrollment)).id == first.id
    assert refresh_course_completion(db.session, learner.id, enrollment) is False
    assert issue_missing(db.session, [learner.id]) == 0
    db.session.commit()
    only_certificate(db)


def test_two_concurrent_completions_issue_one_certificate(app, db, course, learner, client):
    from elearn.services.certificates import issue_certificate
    from elearn.services.completion import current_completion

    if db.engine.dialect.name == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file or server database")
    course()
    complete(client, modules=1)
    enrollment_id = db.session.scalar(select(Enrollment.id))
    learner_id = learner.id  # never touch the main session's objects from the threads
    # Module 2 completes in several requests at once; each may see the course as complete.
    results, barrier = [], threading.Barrier(4)

    def finish():
        from elearn.services.progress import complete_module

        with app.app_context():
            try:
                enrollment = db.session.get(Enrollment, enrollment_id)
                module_id = db.session.scalar(select(ModuleProgress.module_id).where(
                    ModuleProgress.user_id == learner_id, ModuleProgress.completed_at.is_(None)))
            except Exception as exc:  # noqa: BLE001 - reported below, never a hang
                results.append(repr(exc))
                module_id = enrollment = None
            barrier.wait(timeout=30)
            try:
                if enrollment is None:
                    return
                if module_id is not None:
                    complete_module(db.session, learner_id, enrollment, module_id)
                db.session.refresh(enrollment)
                issued = issue_certificate(db.session, enrollment, current_completion(db.session, enrollment))
                db.session.commit()
                results.append(issued.id if issued else None)
            except Exception as exc:  # noqa: BLE001 - a lock timeout would show here
                db.session.rollback()
                results.append(repr(exc))
            finally:
                db.session.remove()

    client.get("/courses/kursus-uji/modul-2/")  # started, not complete
    threads = [threading.Thread(target=finish) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    certificate = only_certificate(db)
    assert set(results) == {certificate.id}, results


def test_course_without_certificate(client, db, course, learner):
    course(extra_front="certificate: false")
    complete(client)
    assert db.session.scalar(select(Enrollment.completed_at)) is not None
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_signatory_and_validity_come_from_front_matter(client, db, course, learner):
    course(extra_front="certificate_valid_months: 12\nsignatory_name: Dra. Hj. Siti Aminah\n"
                       "signatory_title: Kepala Perpustakaan Kota")
    complete(client)
    c = only_certificate(db)
    assert (c.signatory_name, c.signatory_title) == ("Dra. Hj. Siti Aminah", "Kepala Perpustakaan Kota")
    assert c.expires_at.year == c.completed_at.year + 1 and c.expires_at.month == c.completed_at.month


def test_codes_are_random_and_not_enumerable(client, db, course, learner, make_user, login):
    from elearn.services.certificates import new_code

    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(re.fullmatch(r"[A-Z2-7]{32}", c) for c in codes)  # 160 bits each
    course()
    complete(client)
    c = only_certificate(db)
    client.post("/logout")
    assert client.get(f"/verify/{c.id}").status_code == 404
    assert client.get(f"/verify/{c.serial}").status_code == 404
    assert client.get(f"/verify/{c.code[:-1]}A").status_code in (404,) or c.code.endswith("A")
    assert client.get(f"/verify/{new_code()}").status_code == 404
    assert client.get(f"/verify/{new_code()}.json").status_code == 404


# --- documents and access ------------------------------------------------------------------------

def test_pdf_has_everything_and_renders_non_latin_names(client, db, course, learner):
    course(exam=True)
    complete(client)
    pass_exam(client, db)
    c = only_certificate(db)
    response = client.get(f"/certificates/{c.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = page.extract_text()
    for fact in ("SERTIFIKAT", "Nguyễn Thị Đào Ñoño", "NIP 198501012010011001", "Kursus kursus-uji", "4 JP",
                 "nilai akhir 100", c.serial, "DINAS PERPUSTAKAAN DAN KEARSIPAN KOTA BONTANG", "Bontang,",
                 "/v/" + c.code, c.code_display[:9]):
        assert fact in text, fact
    fonts = str(page["/Resources"]["/Font"])
    assert "DejaVu" in str([f.get_object()["/BaseFont"] for f in page["/Resources"]["/Font"].values()]), fonts


def test_pdf_is_english_for_an_english_learner(client, db, course, learner):
    learner.locale = "en"
    db.session.commit()
    course()
    complete(client)
    c = only_certificate(db)
    text = PdfReader(io.BytesIO(client.get(f"/certificates/{c.id}.pdf").data)).pages[0].extract_text()
    assert "CERTIFICATE" in text and "has completed the course" in text and "SERTIFIKAT" not in text


def test_another_learner_cannot_see_or_download(client, db, course, learner, make_user, login):
    course()
    complete(client)
    c = only_certificate(db)
    client.post("/logout")
    for path in (f"/certificates/{c.id}/", f"/certificates/{c.id}.pdf", f"/certificates/{c.id}.json"):
        assert client.get(path).status_code == 302  # anonymous: to login
    login(make_user())
    for path in (f"/certificates/{c.id}/", f"/certificates/{c.id}.pdf", f"/certificates/{c.id}.json",
                 f"/users/{learner.id}/transcript/", f"/users/{learner.id}/transcript.pdf"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/certificates/{c.id}/revoke", data={"reason": "other"}).status_code == 404
    assert client.post(f"/certificates/{c.id}/renew").status_code == 404
    assert client.get(f"/verify/{c.code}").status_code == 200  # the public page stays public
    db.session.refresh(c)
    assert c.revoked_at is None


# --- public verification -------------------------------------------------------------------------

def test_public_page_shows_what_the_pdf_prints_and_nothing_else_personal(client, db, course, learner):
    course(exam=True)
    complete(client)
    pass_exam(client, db)
    c = only_certificate(db)
    client.post("/logout")
    html = client.get(f"/verify/{c.code}").get_data(as_text=True)
    for fact in ("Sertifikat ini asli dan berlaku", "Nguyễn Thị Đào Ñoño", "Kursus kursus-uji", "versi 1.0",
                 "4 JP", c.serial, c.code_display, "1985••••••••••1001", ">100<"):
        assert fact in html, fact
    for private in (learner.email, "198501012010011001", "Unit", "kata-sandi"):
        assert private not in html, private
    data = client.get(f"/verify/{c.code}.json").get_json()
    assert data["state"] == "valid" and data["learner_name"] == "Nguyễn Thị Đào Ñoño" and data["hours"] == 4
    assert data["serial"] == c.serial and data["course_version"] == "1.0" and data["score"] == 100.0
    assert learner.email not in json.dumps(data) and "198501012010011001" not in json.dumps(data)


def test_verify_search_box(client, db, course, learner):
    course()
    complete(client)
    c = only_certificate(db)
    typed = c.code_display.lower()
    response = client.get("/verify", query_string={"code": f"  {typed} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{c.code}")
    bad = client.get("/verify", query_string={"code": "bukan-kode!"})
    assert bad.status_code == 200 and "32 huruf" in bad.get_data(as_text=True)
    unknown = client.get("/verify/" + "A" * 32)
    assert unknown.status_code == 404 and "tidak ditemukan" in unknown.get_data(as_text=True)
    assert client.get("/verify/" + typed).status_code == 301


def test_verification_is_rate_limited(database_url):
    from elearn import create_app

    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": True, "RATELIMIT_VERIFY": "3 per minute",
                      "SQLALCHEMY_DATABASE_URI": database_url})
    client = app.test_client()
    codes = [client.get("/verify/" + "B" * 32).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


# --- revocation, expiry, renewal -----------------------------------------------------------------

def test_admin_revokes_with_reason_and_it_shows_everywhere(client, db, course, learner, make_user, login):
    course()
    complete(client)
    c = only_certificate(db)
    client.post("/logout")
    admin = make_user("admin")
    login(admin)
    assert "Cabut sertifikat" in client.get(f"/certificates/{c.id}/").get_data(as_text=True)
    response = client.post(f"/certificates/{c.id}/revoke", data={"reason": "misconduct", "note": "kecurangan ujian"})
    assert response.status_code == 302
    db.session.refresh(c)
    assert c.revoked_at is not None and c.revoked_reason == "misconduct" and c.revoked_by_id == admin.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoked"))
    assert event.detail["reason"] == "misconduct" and event.detail["note"] == "kecurangan ujian"
    again = client.post(f"/certificates/{c.id}/revoke", data={"reason": "other"}, follow_redirects=True)
    assert "sudah dicabut" in again.get_data(as_text=True)
    html = client.get(f"/verify/{c.code}").get_data(as_text=True)
    assert "DICABUT" in html and "Pelanggaran (kecurangan)" in html and "kecurangan ujian" not in html
    assert client.get(f"/verify/{c.code}.json").get_json()["state"] == "revoked"
    text = PdfReader(io.BytesIO(client.get(f"/certificates/{c.id}.pdf").data)).pages[0].extract_text()
    assert "DICABUT" in text


def test_learner_cannot_revoke_own_certificate(client, db, course, learner):
    course()
    complete(client)
    c = only_certificate(db)
    assert "Cabut sertifikat" not in client.get(f"/certificates/{c.id}/").get_data(as_text=True)
    assert client.post(f"/certificates/{c.id}/revoke", data={"reason": "other"}).status_code == 403
    db.session.refresh(c)
    assert c.revoked_at is None


def test_only_the_learners_supervisor_may_revoke(client, db, course, learner, make_user, login):
    city = Unit(name="Perpustakaan Kota Bontang")
    branch = Unit(name="Perpustakaan Cabang Bontang Utara", parent=city)
    school = Unit(name="Perpustakaan SMPN 1 Bontang")
    db.session.add_all([city, branch, school])
    db.session.flush()
    learner.unit_id = branch.id
    head_city, head_school = make_user("supervisor"), make_user("supervisor")
    db.session.add_all([UnitSupervisor(user_id=head_city.id, unit_id=city.id),
                        UnitSupervisor(user_id=head_school.id, unit_id=school.id)])
    db.session.commit()
    course()
    complete(client)
    c = only_certificate(db)
    client.post("/logout")
    login(head_school)
    assert client.get(f"/certificates/{c.id}/").status_code == 404
    assert client.post(f"/certificates/{c.id}/revoke", data={"reason": "identity"}).status_code == 404
    client.post("/logout")
    login(head_city)  # supervises the parent unit of the learner's branch
    assert client.get(f"/users/{learner.id}/transcript/").status_code == 200
    assert client.post(f"/certificates/{c.id}/revoke", data={"reason": "identity"}).status_code == 302
    db.session.refresh(c)
    assert c.revoked_reason == "identity"


def test_expired_certificate_and_renewal_issue_a_new_one(client, db, course, learner):
    course(extra_front="certificate_valid_months: 12", exam=True)
    complete(client)
    pass_exam(client, db)
    old = only_certificate(db)
    assert client.post(f"/certificates/{old.id}/renew", follow_redirects=True).status_code == 200
    assert db.session.scalar(select(Enrollment.cycle)) == 1  # still valid: no renewal
    old.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert "KEDALUWARSA" in client.get(f"/verify/{old.code}").get_data(as_text=True)
    assert client.get(f"/verify/{old.code}.json").get_json()["state"] == "expired"
    assert "Perbarui sertifikat" in client.get(f"/certificates/{old.id}/").get_data(as_text=True)
    response = client.post(f"/certificates/{old.id}/renew")
    assert response.status_code == 302 and response.headers["Location"].endswith("/courses/kursus-uji/")
    enrollment = db.session.scalar(select(Enrollment))
    db.session.refresh(enrollment)
    assert enrollment.cycle == 2 and enrollment.completed_at is None
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)
                             .where(ModuleProgress.completed_at.is_not(None))) == 0
    complete(client)
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1  # the old exam pass does not count
    pass_exam(client, db)
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert len(certificates) == 2 and certificates[1].cycle == 2 and certificates[1].expires_at > utcnow()
    assert certificates[0].state_at(utcnow()) == "expired" and certificates[1].state_at(utcnow()) == "valid"


def test_transcript_counts_hours_per_year_without_revoked(client, db, course, learner):
    course()
    complete(client)
    c = only_certificate(db)
    html = client.get("/transcript/").get_data(as_text=True)
    year = c.completed_at.year
    assert f"{year}: <strong>4 JP</strong>" in html and c.serial in html
    pdf = client.get("/transcript.pdf")
    assert pdf.mimetype == "application/pdf" and "4 JP" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    c.revoked_at, c.revoked_reason = utcnow(), "other"
    db.session.commit()
    assert f"{year}: <strong>" not in client.get("/transcript/").get_data(as_text=True)


# --- signed credentials --------------------------------------------------------------------------

@pytest.fixture
def credential(client, db, course, learner, tmp_path):
    course(exam=True)
    complete(client)
    pass_exam(client, db)
    c = only_certificate(db)
    response = client.get(f"/certificates/{c.id}.json")
    assert response.status_code == 200
    return c, response.get_json()


def cli_verify(app, tmp_path, document) -> tuple[int, str]:
    path = tmp_path / "kredensial.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["certificates", "verify", str(path)])
    return result.exit_code, result.output


def test_genuine_credential_verifies(app, tmp_path, credential, client):
    c, document = credential
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["credentialSubject"]["name"] == "Nguyễn Thị Đào Ñoño"
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    code, output = cli_verify(app, tmp_path, document)
    assert code == 0 and "valid: " + c.serial in output, output
    keys = client.get("/.well-known/binapustaka-keys.json").get_json()
    method = keys["assertionMethod"][0]
    assert document["proof"]["verificationMethod"] == method["id"] and method["publicKeyMultibase"].startswith("z6Mk")


@pytest.mark.parametrize("path,value", [
    (("credentialSubject", "name"), "Orang Lain"),
    (("credentialSubject", "achievement", "name"), "Kursus Lain"),
    (("credentialSubject", "achievement", "version"), "9.9"),
    (("credentialSubject", "creditsEarned"), 40),
    (("credentialSubject", "result", 0, "value"), "99"),
    (("credentialSubject", "activityEndDate"), "2020-01-01T00:00:00Z"),
    (("validFrom",), "2020-01-01T00:00:00Z"),
    (("binapustaka", "serial"), "BP-2020-000001"),
    (("issuer", "name"), "Lembaga Palsu"),
    (("credentialSubject", "identifier", 0, "identityHash"), "199001012015011001"),
])
def test_every_tampered_field_fails_and_is_named(app, tmp_path, credential, path, value):
    _c, document = credential
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    code, output = cli_verify(app, tmp_path, document)
    assert code == 1
    assert "signature does not match" in output
    assert "tampered field " + ".".join(str(p) for p in path if not isinstance(p, int)).split(".")[0] in output


def test_credential_signed_by_another_key_is_unknown(app, tmp_path, credential):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from elearn.services.credentials import sign_credential

    _c, document = credential
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    forged = sign_credential(unsigned, Ed25519PrivateKey.generate(), "http://localhost", utcnow())
    code, output = cli_verify(app, tmp_path, forged)
    assert code == 1 and "unknown key" in output


def test_credentials_of_a_retired_key_keep_verifying_after_rotation(app, tmp_path, credential, client):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from elearn.certificates.routes import signing_key
    from elearn.services.credentials import key_id, public_multibase

    _c, document = credential
    old = signing_key().public_key()
    new = Ed25519PrivateKey.generate()
    app.config["SIGNING_KEY"] = new.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()).decode()
    app.extensions.pop("binapustaka_signing_key")
    code, output = cli_verify(app, tmp_path, document)
    assert code == 1 and "unknown key" in output  # rotated without listing the old key
    app.config["RETIRED_SIGNING_KEYS"] = f" {public_multibase(old)} ,"
    code, output = cli_verify(app, tmp_path, document)
    assert code == 0 and f"signature by {key_id(old)}" in output, output
    listed = [m["id"].rsplit("#", 1)[1] for m in
              client.get("/.well-known/binapustaka-keys.json").get_json()["assertionMethod"]]
    assert listed == [key_id(new.public_key()), key_id(old)]
    fresh = client.get(f"/certificates/{_c.id}.json").get_json()
    assert fresh["proof"]["verificationMethod"].endswith("#" + key_id(new.public_key()))
    assert cli_verify(app, tmp_path, fresh)[0] == 0


def test_a_malformed_retired_key_stops_the_start_with_its_name(database_url):
    with pytest.raises(RuntimeError, match="RETIRED_SIGNING_KEYS: 'z6MkBukan' is not an Ed25519 public key"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "RETIRED_SIGNING_KEYS": "z6MkBukan"})


def test_revoked_credential_fails_per_the_site(app, db, tmp_path, credential):
    c, document = credential
    c.revoked_at, c.revoked_reason = utcnow(), "misconduct"
    db.session.commit()
    code, output = cli_verify(app, tmp_path, document)
    assert code == 1 and "revoked per the site" in output and "signature" not in output


def test_cli_verify_bad_input(app, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{bukan json", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["certificates", "verify", str(bad)])
    assert result.exit_code == 1 and f"{bad}:1: error: not JSON" in result.output
    unsigned = tmp_path / "u.json"
    unsigned.write_text('{"id": "http://x/verify/AAAA"}', encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["certificates", "verify", str(unsigned)])
    assert result.exit_code == 1 and "not signed" in result.output and "unknown certificate" in result.output


def test_verify_submitted_empty_says_what_to_type(client):
    """Defect 13.11: /verify submitted empty redisplayed the form with no message."""
    for query in ("code=", "code=+++"):
        page = client.get(f"/verify?{query}").get_data(as_text=True)
        assert "Isi kode verifikasi yang tercetak di sertifikat." in page
        assert 'aria-invalid="true"' in page
    assert "novalidate" in client.get("/verify").get_data(as_text=True)  # the server's message, in our language


# --- canonicalisation and encodings by libraries (rfc8785, base58) ----------------------------------

def test_a_credential_signed_before_the_rfc8785_library_still_verifies():
    """Signed with the earlier sorted-key json.dumps canonicalisation (non-ASCII name, quotes, newline)."""
    from elearn.services.credentials import check_signature, key_id, public_key_from_multibase

    stored = json.loads((Path(__file__).parent.parent / "data" / "credential-signed-before-rfc8785.json")
                        .read_text(encoding="utf-8"))
    key = public_key_from_multibase(stored["public_key"])
    assert check_signature(stored["credential"], {key_id(key): key}) == []
    tampered = json.loads(json.dumps(stored["credential"]).replace("86.67", "96.67"))
    assert check_signature(tampered, {key_id(key): key}) != []


def test_floats_are_canonicalised_as_rfc8785_says_and_sign_and_verify():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from elearn.services.credentials import canonical, check_signature, key_id, sign_credential

    assert canonical({"b": 4.0, "a": [1e21, 0.1, -0.0]}) == b'{"a":[1e+21,0.1,0],"b":4}'
    key = Ed25519PrivateKey.generate()
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x", "creditsAvailable": 4.0,
                "score": 86.66666666666667}
    signed = sign_credential(document, key, "https://example.org", utcnow())
    assert check_signature(signed, {key_id(key.public_key()): key.public_key()}) == []


def test_multibase_keys_round_trip_through_base58():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from elearn.services.credentials import public_key_from_multibase, public_multibase

    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key()
    text = public_multibase(key)
    assert text == "z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"
    assert public_multibase(public_key_from_multibase(text)) == text
    with pytest.raises(ValueError):
        public_key_from_multibase("z0OIl")
