"""Agreement tests: one person in every awkward state, every page, export, PDF and credential asked,
one expected figure each (completion, lesson hours, score, scope).

The person (a learner of the unit a supervisor supervises):
- A: completed with a certificate this year; the course was re-synced with more JP afterwards;
- B: completed, then the certificate was revoked;
- C: completed last year, the certificate expired, renewed, completed again this year;
  course G requires C (checked while the renewal runs);
- D: a course that gives no certificate, completed this year;
- E: completed last year;
- F: a final exam graded by the last attempt: failed once, then passed.
In the same unit, two accounts that are not learners to report on (services/scope.py): a learner who
completed A and D and whose account was then disabled, and an administrator who completed A and D.
Everything is set up through the web, as people do it; only the clock is moved (``_backdate``).
"""
from __future__ import annotations

import io
import re
import textwrap
from datetime import datetime, timedelta, timezone

import pytest
from pypdf import PdfReader
from sqlalchemy import inspect, select, text

from elearn.models import Certificate, Course, QuizAttempt, Unit, UnitSupervisor, User
from elearn.models._types import utcnow
from quizhelp import answer_form
from tabular import xlsx_rows as read_xlsx_rows

ZONE = "Asia/Makassar"
EXAM_LAST = textwrap.dedent("""\
    ---
    pass_mark: 60
    grading: last
    max_attempts: 3
    ---
    ## Standar metadata

    Standar mana yang memiliki elemen inti untuk deskripsi sederhana?

    - [x] Dublin Core
    - [ ] Aturan 3-2-1
    """)


def _year_now() -> int:
    return utcnow().astimezone(__import__("zoneinfo").ZoneInfo(ZONE)).year


def _backdate(db, user_id: int, course_id: int, when: datetime) -> None:
    """Move the person's latest completion of a course (and its certificate) to ``when``."""
    tables = set(inspect(db.engine).get_table_names())
    params = {"u": user_id, "c": course_id, "w": when if db.engine.dialect.name != "sqlite" else
              when.astimezone(timezone.utc).replace(tzinfo=None)}
    db.session.execute(text("UPDATE enrollments SET completed_at = :w WHERE user_id = :u AND course_id = :c "
                            "AND completed_at IS NOT NULL"), params)
    db.session.execute(text("UPDATE certificates SET completed_at = :w, issued_at = :w WHERE user_id = :u "
                            "AND course_id = :c AND cycle = (SELECT MAX(cycle) FROM certificates WHERE user_id = :u "
                            "AND course_id = :c)"), params)
    if "completions" in tables:
        db.session.execute(text("UPDATE completions SET completed_at = :w WHERE user_id = :u AND course_id = :c "
                                "AND cycle = (SELECT MAX(cycle) FROM completions WHERE user_id = :u "
                                "AND course_id = :c)"), params)
    db.session.commit()


@pytest.fixture
def world(app, client, db, write_course, sync, make_user, login):
    """Build the person described in the module docstring; returns names and expected figures."""
    app.config["TIME_ZONE"] = ZONE
    fronts = {"a": "", "b": "", "c": "certificate_valid_months: 12", "d": "certificate: false", "e": "",
              "f": "", "g": "prerequisites: [c]"}
    for slug, front in fronts.items():
        folder = write_course(slug, title=f"Kursus {slug.upper()}", modules=1, extra_front=front)
        if slug == "f":
            (folder / "exam.quiz.md").write_text(EXAM_LAST, encoding="utf-8")
    report = sync()
    assert not report.failed, report.problems
    unit = Unit(name="Perpustakaan Kelurahan Uji")
    db.session.add(unit)
    db.session.commit()
    learner = make_user(name="Siti Pustakawan")
    learner.unit_id = unit.id
    supervisor = make_user("supervisor", name="Kepala Unit")
    db.session.add(UnitSupervisor(user_id=supervisor.id, unit_id=unit.id))
    db.session.commit()
    course_id = {c.slug: c.id for c in db.session.scalars(select(Course))}
    this_year, last_year = _year_now(), _year_now() - 1
    mid_last_year = datetime(last_year, 6, 15, 10, 0, tzinfo=timezone.utc)

    def finish(slug: str) -> None:
        client.post(f"/courses/{slug}/enroll")
        assert client.post(f"/courses/{slug}/modul-1/complete").status_code == 302

    login(learner)
    for slug in ("a", "b", "d"):
        finish(slug)
    # C: completed last year, expired, renewal started (G is checked while it runs), completed again
    finish("c")
    _backdate(db, learner.id, course_id["c"], mid_last_year)
    certificate_c = db.session.scalar(select(Certificate).where(Certificate.course_id == course_id["c"]))
    certificate_c.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert client.post(f"/certificates/{certificate_c.id}/renew").status_code == 302
    prerequisite_page = client.get("/courses/g/").get_data(as_text=True)
    enrol_g = client.post("/courses/g/enroll")
    finish("c")
    # E: completed last year
    finish("e")
    _backdate(db, learner.id, course_id["e"], datetime(last_year, 3, 1, 2, 0, tzinfo=timezone.utc))
    # F: modules first, then the exam graded by the last attempt: failed, then passed
    finish("f")
    for right in (False, True):
        response = client.post("/courses/f/quiz/exam/start")
        attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
        client.post(f"/attempts/{attempt_id}/submit",
                    data=answer_form(db.session.get(QuizAttempt, attempt_id), right))
    # B: revoked by the supervisor
    client.post("/logout")
    login(supervisor)
    certificate_b = db.session.scalar(select(Certificate).where(Certificate.course_id == course_id["b"]))
    assert client.post(f"/certificates/{certificate_b.id}/revoke",
                       data={"reason": "issued_in_error", "note": "uji"}).status_code == 302
    client.post("/logout")
    # the disabled learner and the administrator of the same unit, each with two completions this year
    leaver, admin = make_user(name="Rudi Nonaktif"), make_user("admin", name="Admin Unit")
    leaver.unit_id = admin.unit_id = unit.id
    db.session.commit()
    for person in (leaver, admin):
        login(person)
        finish("a")
        finish("d")
        client.post("/logout")
    login(admin)
    assert client.post(f"/admin/users/{leaver.id}", data={"email": leaver.email, "name": leaver.name,
                                                          "role": "learner", "unit_id": unit.id}).status_code == 302
    client.post("/logout")
    db.session.refresh(leaver)
    assert leaver.active is False
    # A: the course is re-synced with more lesson hours after the learner completed it
    folder_a = write_course("a", title="Kursus A", modules=1)
    (folder_a / "course.md").write_text((folder_a / "course.md").read_text().replace("hours: 4", "hours: 6")
                                        .replace('version: "1.0"', 'version: "2.0"'))
    assert not sync().failed
    return {"learner": learner, "supervisor": supervisor, "leaver": leaver, "admin": admin,
            "course_id": course_id, "this_year": this_year,
            "last_year": last_year, "prerequisite_page": prerequisite_page, "enrol_g": enrol_g,
            # A 4 (as completed, not 6) + C 4 + D 4 + F 4; B revoked earns nothing
            "jp": {this_year: 16, last_year: 8},  # last year: C's first cycle 4 + E 4
            "completed": {"a", "c", "d", "e", "f"}, "completions": {this_year: 4, last_year: 2}}


def _csv_rows(response) -> list[list[str]]:
    import csv

    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_lesson_hours_agree_on_every_page_export_and_pdf(client, db, world, login):
    learner, this_year = world["learner"], world["this_year"]
    login(learner)
    dashboard = client.get("/").get_data(as_text=True)
    assert f'value="{world["jp"][this_year]}">{world["jp"][this_year]} dari 20 JP' in dashboard  # the JP meter
    transcript = client.get("/transcript/").get_data(as_text=True)
    for year, jp in world["jp"].items():
        assert re.search(rf"{year}: <strong>{jp} JP</strong>", transcript), (year, jp)
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get("/transcript.pdf").data)).pages)
    for year, jp in world["jp"].items():
        assert re.search(rf"{year}\s*{jp} JP", pdf_text), (year, jp, pdf_text[:500])
    client.post("/logout")
    login(world["supervisor"])
    for year, jp in world["jp"].items():
        page = client.get(f"/reports/hours?year={year}").get_data(as_text=True)
        row = re.search(rf"Siti Pustakawan</a></th><td>[^<]*</td><td[^>]*>(\d+)</td>", page)
        assert row and int(row.group(1)) == jp, (year, jp)
        csv_rows = _csv_rows(client.get(f"/reports/hours?year={year}&format=csv"))
        assert [r[4] for r in csv_rows if r[0] == "Siti Pustakawan"] == [str(jp)]
        xlsx = read_xlsx_rows(client.get(f"/reports/hours?year={year}&format=xlsx").data)
        assert [r[4] for r in xlsx if r[0] == "Siti Pustakawan"] == [str(jp)]
        supervisor_view = client.get(f"/users/{learner.id}/transcript/").get_data(as_text=True)
        assert re.search(rf"{year}: <strong>{jp} JP</strong>", supervisor_view)


def test_completion_agrees_on_matrix_metrics_prerequisites_and_credential(client, db, world, login):
    learner, course_id = world["learner"], world["course_id"]
    assert "mensyaratkan" not in world["prerequisite_page"]  # a renewal never re-blocks G
    assert world["enrol_g"].status_code == 302
    login(world["supervisor"])
    rows = _csv_rows(client.get("/reports/matrix?format=csv"))
    header = rows[0]
    status = {r[header.index("Kursus")]: r[header.index("Status")] for r in rows[1:] if r[0] == "Siti Pustakawan"}
    done = {title[-1].lower() for title, state in status.items() if state.startswith("Selesai")}
    assert done == world["completed"], status
    xlsx = read_xlsx_rows(client.get("/reports/matrix?format=xlsx").data)
    assert {r[3][-1].lower() for r in xlsx[1:] if r[0] == "Siti Pustakawan" and str(r[4]).startswith("Selesai")} \
        == world["completed"]
    page = client.get("/reports/matrix").get_data(as_text=True)
    assert len(re.findall(r'class="cell-completed"', page)) == len(world["completed"])
    for year, count in world["completions"].items():
        metrics = _csv_rows(client.get(f"/reports/programme?year={year}&format=csv"))
        assert sum(int(r[3]) for r in metrics[1:]) == count, (year, metrics)
    client.post("/logout")
    login(learner)
    certificate_a = db.session.scalar(select(Certificate).where(Certificate.course_id == course_id["a"]))
    credential = client.get(f"/certificates/{certificate_a.id}.json").get_json()
    assert credential["credentialSubject"]["creditsEarned"] == 4
    verify = client.get(f"/verify/{certificate_a.code}").get_data(as_text=True)
    assert "4 JP" in verify or ">4<" in verify


def test_scores_by_the_last_attempt_agree(client, db, world, login):
    learner, course_id = world["learner"], world["course_id"]
    certificate_f = db.session.scalar(select(Certificate).where(Certificate.course_id == course_id["f"]))
    assert certificate_f.score == 100.0
    login(learner)
    overview = client.get("/courses/f/quiz/exam/").get_data(as_text=True)
    assert "Nilai Anda: 100%" in overview and "Lulus" in overview
    client.post("/logout")
    login(world["supervisor"])
    results = client.get("/reports/courses/f").get_data(as_text=True)
    assert re.search(r"Rata-rata nilai akhir</dt><dd>100", results)


def test_the_dashboard_lists_the_completions_that_count(client, world, login):
    login(world["learner"])
    html = client.get("/").get_data(as_text=True)
    completed = html.split("Kursus selesai", 1)[1]
    for slug in world["completed"]:
        assert f"Kursus {slug.upper()}" in completed
    assert "Kursus B" not in completed  # revoked
    assert re.search(r"Kursus A</a></h3>(?:(?!</article>).)*?>4 JP<", completed, re.S)  # the JP of the version completed, not today's 6
    assert "Anda belum mengikuti kursus apa pun" not in html


def test_disabled_learners_and_admins_are_outside_every_figure_and_record(client, db, world, login, make_user):
    """The scope rule (services/scope.py): reports list and count active non-admin people only, for an
    admin too; a supervisor opens the records of exactly those people; an admin opens anybody's."""
    this_year, hidden = world["this_year"], ("Rudi Nonaktif", "Admin Unit")
    login(world["supervisor"])
    for url in ("/reports/matrix", f"/reports/hours?year={this_year}"):
        page = client.get(url).get_data(as_text=True)
        assert "Siti Pustakawan" in page and not any(name in page for name in hidden), url
        names = {r[0] for r in _csv_rows(client.get(f"{url}{'&' if '?' in url else '?'}format=csv"))[1:]}
        assert names == {"Siti Pustakawan"}, (url, names)
    page = client.get(f"/reports/programme?year={this_year}").get_data(as_text=True)
    assert re.search(r"Peserta aktif</dt><dd>1</dd>", page)  # Siti only
    assert re.search(rf"Penyelesaian kursus</dt><dd>{world['completions'][this_year]}</dd>", page)
    months = _csv_rows(client.get(f"/reports/programme?year={this_year}&format=csv"))[1:]
    assert sum(int(r[1]) for r in months) == 1 and sum(int(r[3]) for r in months) == world["completions"][this_year]
    enrolments_of_siti_this_year = 7  # A to G, all made now (_backdate moves completions, not enrolments)
    assert sum(int(r[2]) for r in months) == enrolments_of_siti_this_year
    results = client.get("/reports/courses/d?format=csv")
    assert dict((r[0], r[1]) for r in _csv_rows(results)[1:])["Selesai"] == "1"
    for person in (world["leaver"], world["admin"]):
        assert client.get(f"/users/{person.id}/transcript/").status_code == 404
        assert client.get(f"/users/{person.id}/transcript.pdf").status_code == 404
    assert client.get(f"/users/{world['learner'].id}/transcript/").status_code == 200
    client.post("/logout")

    login(world["admin"])
    names = {r[0] for r in _csv_rows(client.get("/reports/matrix?format=csv"))[1:]}
    # an admin's reports list every active non-admin (the supervisor too), not the disabled or admins
    assert names == {"Siti Pustakawan", "Kepala Unit"}
    transcript = client.get(f"/users/{world['leaver'].id}/transcript/")
    assert transcript.status_code == 200 and "Rudi Nonaktif" in transcript.get_data(as_text=True)
    assert "Kursus D" in transcript.get_data(as_text=True)
    assert client.get(f"/users/{world['leaver'].id}/transcript.pdf").mimetype == "application/pdf"
    client.post("/logout")
    login(make_user("admin", name="Admin Kota"))
    assert client.get(f"/users/{world['admin'].id}/transcript/").status_code == 200
