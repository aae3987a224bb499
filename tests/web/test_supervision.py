"""Supervisors: scope of every report and export, assignments and due dates, feedback, action plans."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from elearn.models import ActionPlan, Assignment, Course, Enrollment, Module, Unit, UnitSupervisor, User
from elearn.models._types import utcnow
from tabular import csv_rows, xlsx_rows


@pytest.fixture
def org(db, make_user, write_course, sync):
    """City library with a branch; a school library apart. Two courses; people in each unit."""
    city = Unit(name="Perpustakaan Kota Bontang")
    db.session.add(city)
    db.session.flush()
    branch = Unit(name="Cabang Bontang Utara", parent_id=city.id)
    school = Unit(name="Perpustakaan SMPN 1 Bontang")
    db.session.add_all([branch, school])
    db.session.flush()
    people = {}
    for key, name, unit in (("ani", "Ani Branch", branch), ("budi", "Budi City", city),
                            ("citra", "Citra School", school)):
        user = make_user(name=name)
        user.unit_id = unit.id
        people[key] = user
    head_city, head_school = make_user("supervisor", name="Kepala Kota"), make_user("supervisor", name="Kepala Sekolah")
    db.session.add_all([UnitSupervisor(user_id=head_city.id, unit_id=city.id),
                        UnitSupervisor(user_id=head_school.id, unit_id=school.id)])
    db.session.commit()
    write_course("kursus-a", modules=2, title="Kursus A")
    write_course("kursus-b", modules=1, title="Kursus B")
    report = sync()
    assert not report.failed, report.problems
    return {"city": city, "branch": branch, "school": school, "head_city": head_city, "head_school": head_school,
            **people}


def finish(db, user, slug: str):
    """Enroll and complete every module of a course through the services (as the UI would)."""
    from elearn.services.enrollment import enroll, get_enrollment
    from elearn.services.progress import complete_module

    course = db.session.scalar(select(Course).where(Course.slug == slug))
    enroll(db.session, user.id, course)
    enrollment = get_enrollment(db.session, user.id, course.id)
    for module_id in db.session.scalars(select(Module.id).where(Module.course_id == course.id)):
        complete_module(db.session, user.id, enrollment, module_id)
    db.session.commit()
    return course


REPORT_URLS = ["/reports/", "/reports/matrix", "/reports/matrix?format=csv", "/reports/matrix?format=xlsx",
               "/reports/courses/kursus-a", "/reports/courses/kursus-a?format=csv",
               "/reports/courses/kursus-a?format=xlsx", "/reports/hours", "/reports/hours?format=csv",
               "/reports/hours?format=xlsx", "/reports/programme", "/reports/programme?format=csv",
               "/reports/programme?format=xlsx", "/reports/assignments", "/reports/action-plans"]


@pytest.mark.parametrize("url", REPORT_URLS)
def test_learners_and_anonymous_cannot_open_reports(client, org, login, url):
    assert client.get(url).status_code == 302  # to login
    login(org["ani"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [u for u in REPORT_URLS if "format=xlsx" not in u])
def test_a_supervisor_sees_only_their_units_people(client, db, org, login, url):
    finish(db, org["ani"], "kursus-a")
    finish(db, org["citra"], "kursus-a")
    from elearn.services.feedback import save_feedback, submit_plan

    course = db.session.scalar(select(Course).where(Course.slug == "kursus-a"))
    for who in ("ani", "citra"):
        save_feedback(db.session, org[who].id, course, 5 if who == "ani" else 1, f"komentar {who}")
        submit_plan(db.session, org[who].id, course, kind="literacy_class", title=f"Rencana {who}",
                    description="Kelas literasi.", planned_on=None)
    db.session.commit()
    login(org["head_school"])
    body = client.get(url).get_data(as_text=True)
    assert "Ani Branch" not in body and "Budi City" not in body and "Rencana ani" not in body
    assert "komentar ani" not in body
    client.post("/logout")
    login(org["head_city"])
    body = client.get(url).get_data(as_text=True)
    assert "Citra School" not in body and "Rencana citra" not in body and "komentar citra" not in body


def test_xlsx_exports_are_scoped_too(client, db, org, login):
    finish(db, org["citra"], "kursus-a")
    login(org["head_city"])
    for url in ("/reports/matrix?format=xlsx", "/reports/hours?format=xlsx"):
        rows = xlsx_rows(client.get(url).data)
        names = {r[0] for r in rows[1:]}
        assert names == {"Ani Branch", "Budi City"}, (url, names)


def test_matrix_export_streams_every_person_in_chunks(app, client, db, org, login, make_user):
    """A full-city export is computed a few people at a time and streamed (memory stays bounded)."""
    app.config["EXPORT_CHUNK_SIZE"] = 1  # one person per chunk: every chunk boundary is crossed
    finish(db, org["ani"], "kursus-a")
    login(make_user("admin"))
    everyone_page = client.get("/reports/matrix").get_data(as_text=True)
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        response = client.get(f"/reports/matrix?format={fmt}")
        assert response.is_streamed and response.headers["Cache-Control"] == "private, no-store"
        rows = read(response.data)
        names = [r[0] for r in rows[1:]]
        assert len(rows) - 1 == len(set(names)) * 2  # two courses per person, nobody twice or lost
        assert all(name in everyone_page for name in names)
        assert ("Ani Branch", "Kursus A", "Selesai") in {(r[0], r[3], r[4]) for r in rows}


def test_matrix_shows_states_and_the_export_matches_the_page(client, db, org, login):
    finish(db, org["ani"], "kursus-a")
    finish(db, org["budi"], "kursus-b")
    login(org["head_city"])
    html = client.get("/reports/matrix").get_data(as_text=True)
    summary = re.search(r'<tr class="summary">(.*?)</tr>', html, re.S).group(1)
    page_counts = [tuple(int(x) for x in cell.split(" / ")) for cell in re.findall(r"<td[^>]*>([\d /]+)</td>", summary)]
    assert page_counts == [(1, 0, 0), (1, 0, 0)]  # Kursus A, Kursus B: completed / overdue / assigned
    rows = csv_rows(client.get("/reports/matrix?format=csv").data)
    assert rows[0][:5] == ["Nama", "NIP", "Unit", "Kursus", "Status"]
    completed = [(r[0], r[3]) for r in rows[1:] if r[4] == "Selesai"]
    assert sorted(completed) == [("Ani Branch", "Kursus A"), ("Budi City", "Kursus B")]
    assert xlsx_rows(client.get("/reports/matrix?format=xlsx").data) == rows  # same rows, same values


def test_out_of_scope_unit_filter_is_refused_with_a_form_error(client, db, org, login):
    login(org["head_school"])
    response = client.get(f"/reports/matrix?unit={org['city'].id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ani Branch" not in html and "Budi City" not in html
    assert 'aria-invalid="true"' in html
    # the download is not sent as if filtered by the refused unit: the page says why, and leaks nobody
    export = client.get(f"/reports/matrix?unit={org['city'].id}&format=csv")
    assert export.mimetype == "text/html" and 'aria-invalid="true"' in export.get_data(as_text=True)
    assert "Ani Branch" not in export.get_data(as_text=True)
    rows = csv_rows(client.get("/reports/matrix?format=csv").data)
    assert {r[0] for r in rows[1:]} == {"Citra School"}


def test_unit_filter_includes_sub_units(client, db, org, login):
    login(org["head_city"])
    rows = csv_rows(client.get(f"/reports/hours?unit={org['branch'].id}&format=csv").data)
    assert {r[0] for r in rows[1:]} == {"Ani Branch"}
    rows = csv_rows(client.get(f"/reports/hours?unit={org['city'].id}&format=csv").data)
    assert {r[0] for r in rows[1:]} == {"Ani Branch", "Budi City"}


def test_date_range_filter_on_completions(client, db, org, login):
    finish(db, org["ani"], "kursus-a")
    login(org["head_city"])
    today = date.today()
    inside = client.get(f"/reports/matrix?format=csv&date_from={today - timedelta(days=1)}&date_to={today + timedelta(days=1)}")
    assert [r[4] for r in csv_rows(inside.data)[1:] if r[0] == "Ani Branch" and r[3] == "Kursus A"] == ["Selesai"]
    later = client.get(f"/reports/matrix?format=csv&date_from={today + timedelta(days=2)}&date_to={today + timedelta(days=9)}")
    assert [r[4] for r in csv_rows(later.data)[1:] if r[0] == "Ani Branch" and r[3] == "Kursus A"] == [
        "Selesai sebelum periode"]
    bad = client.get(f"/reports/matrix?date_from={today}&date_to={today - timedelta(days=3)}")
    assert "Tanggal akhir sebelum tanggal awal." in bad.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/reports/matrix?date_from=2026-13-45", "/reports/matrix?date_to=kemarin",
                                 "/reports/matrix?date_from=2026-13-45&format=csv"])
def test_an_invalid_date_is_a_form_error_not_a_500(client, db, org, login, url):
    finish(db, org["ani"], "kursus-a")
    login(org["head_city"])
    response = client.get(url)
    assert response.status_code == 200
    # an export asked with a bad date is not sent unfiltered (it would look filtered): the page says why
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Tanggal tidak valid (gunakan format TTTT-BB-HH)." in html and 'aria-invalid="true"' in html
    assert "Ani Branch" in html  # the page still shows the matrix, unfiltered by the bad date


# --- assignments ---------------------------------------------------------------------------------

def test_unit_assignment_reaches_members_of_sub_units_and_new_members(client, db, org, login, make_user):
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-b"))
    login(org["head_city"])
    due = (date.today() + timedelta(days=30)).isoformat()
    response = client.post("/reports/assignments", data={"course": course.id, "unit": org["city"].id,
                                                         "due_on": due, "recurrence": 12, "note": "Wajib tahunan"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assignment = db.session.scalar(select(Assignment))
    assert assignment.recurrence_months == 12 and assignment.unit_id == org["city"].id
    client.post("/logout")
    login(org["ani"])  # in the branch, below the city library
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'class="tag tag-due(_soon)?"', html) and "Kursus B" in html and "Wajib tahunan" in html
    client.post("/logout")
    newcomer = make_user(name="Dewi Baru")
    newcomer.unit_id = org["branch"].id
    db.session.commit()
    login(newcomer)
    assert "Kursus B" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(org["citra"])  # another unit
    assert not re.search(r'class="tag tag-(due|due_soon|overdue)"', client.get("/").get_data(as_text=True))


def test_supervisor_cannot_assign_or_cancel_outside_their_units(client, db, org, login):
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-a"))
    login(org["head_school"])
    due = (date.today() + timedelta(days=10)).isoformat()
    html = client.post("/reports/assignments", data={"course": course.id, "unit": org["city"].id,
                                                     "due_on": due}).get_data(as_text=True)
    assert "Pilihan tidak valid." in html or "bukan pilihan yang valid" in html or "hanya dapat menugaskan" in html
    html = client.post("/reports/assignments", data={"course": course.id, "people": [org["ani"].id],
                                                     "due_on": due}).get_data(as_text=True)
    assert "Pilihan tidak valid." in html or "bukan pilihan yang valid" in html or "hanya dapat menugaskan" in html
    assert db.session.scalar(select(Assignment)) is None
    html = client.post("/reports/assignments", data={"course": course.id, "due_on": due}).get_data(as_text=True)
    assert "Pilih unit atau orang yang ditugaskan." in html
    past = (date.today() - timedelta(days=3)).isoformat()
    html = client.post("/reports/assignments", data={"course": course.id, "unit": org["school"].id,
                                                     "due_on": past}).get_data(as_text=True)
    assert "Batas waktu tidak boleh di masa lalu." in html
    client.post("/logout")
    login(org["head_city"])
    client.post("/reports/assignments", data={"course": course.id, "people": [org["ani"].id], "due_on": due})
    assignment = db.session.scalar(select(Assignment))
    client.post("/logout")
    login(org["head_school"])
    assert client.post(f"/reports/assignments/{assignment.id}/cancel").status_code == 404
    db.session.refresh(assignment)
    assert assignment.cancelled_at is None


def test_overdue_is_judged_at_local_midnight(db, org):
    from elearn.services.scope import scope_for
    from elearn.services.supervision import create_assignment, resolve_assignments

    course = db.session.scalar(select(Course).where(Course.slug == "kursus-a"))
    scope = scope_for(db.session, org["head_city"])
    create_assignment(db.session, org["head_city"], scope, course_id=course.id, due_on=date(2026, 3, 31),
                      user_ids=[org["ani"].id])
    db.session.commit()
    units = {org["ani"].id: org["ani"].unit_id}

    def overdue(now, zone="Asia/Makassar"):
        return resolve_assignments(db.session, units, now, zone).by_person_course[(org["ani"].id, course.id)].overdue

    # 31 March ends at 16:00 UTC in Bontang (UTC+8) and at 17:00 UTC in Jakarta (UTC+7)
    assert not overdue(datetime(2026, 3, 31, 15, 59, tzinfo=timezone.utc))
    assert overdue(datetime(2026, 3, 31, 16, 0, tzinfo=timezone.utc))
    assert not overdue(datetime(2026, 3, 31, 16, 30, tzinfo=timezone.utc), "Asia/Jakarta")
    assert overdue(datetime(2026, 3, 31, 17, 0, tzinfo=timezone.utc), "Asia/Jakarta")
    finish(db, org["ani"], "kursus-a")  # completing (late) clears it
    assert not overdue(datetime(2026, 4, 30, tzinfo=timezone.utc) + (utcnow() - utcnow()))


def test_recurring_assignment_counts_only_this_periods_completion(db, org):
    from elearn.services.scope import scope_for
    from elearn.services.supervision import create_assignment, resolve_assignments

    course = finish(db, org["ani"], "kursus-a")
    completed_at = db.session.scalar(select(Enrollment.completed_at).where(Enrollment.user_id == org["ani"].id))
    scope = scope_for(db.session, org["head_city"])
    due = completed_at.date() + timedelta(days=30)
    create_assignment(db.session, org["head_city"], scope, course_id=course.id, due_on=due, unit_id=org["city"].id,
                      recurrence_months=12)
    db.session.commit()
    units = {org["ani"].id: org["ani"].unit_id}
    key = (org["ani"].id, course.id)
    now = completed_at + timedelta(days=1)
    this_period = resolve_assignments(db.session, units, now, "Asia/Makassar").by_person_course[key]
    assert this_period.completed_at is not None and not this_period.overdue and this_period.due == due
    next_year = datetime.combine(due + timedelta(days=40), datetime.min.time(), tzinfo=timezone.utc)
    following = resolve_assignments(db.session, units, next_year, "Asia/Makassar").by_person_course[key]
    assert following.completed_at is None and following.due.year == due.year + 1 and not following.overdue
    much_later = datetime.combine(following.due + timedelta(days=2), datetime.min.time(), tzinfo=timezone.utc)
    assert resolve_assignments(db.session, units, much_later, "Asia/Makassar").by_person_course[key].overdue


def test_a_completed_assigned_row_keeps_its_due_date_in_the_export(client, db, org, login):
    from elearn.services.scope import scope_for
    from elearn.services.supervision import create_assignment

    course = db.session.scalar(select(Course).where(Course.slug == "kursus-a"))
    due = date.today() + timedelta(days=20)
    create_assignment(db.session, org["head_city"], scope_for(db.session, org["head_city"]), course_id=course.id,
                      due_on=due, user_ids=[org["ani"].id])
    db.session.commit()
    finish(db, org["ani"], "kursus-a")
    login(org["head_city"])
    for read, fmt in ((csv_rows, "csv"), (xlsx_rows, "xlsx")):
        rows = read(client.get(f"/reports/matrix?format={fmt}").data)
        assert rows[0][7] == "Batas waktu"
        ani = [r for r in rows[1:] if r[0] == "Ani Branch" and r[3] == "Kursus A"]
        assert len(ani) == 1 and ani[0][4] == "Selesai", (fmt, ani)
        assert str(ani[0][7]) == due.isoformat(), (fmt, ani)  # the due date stays once the course is done
        budi = [r for r in rows[1:] if r[0] == "Budi City" and r[3] == "Kursus A"]
        assert budi[0][7] in ("", None)  # not assigned: no due date


def test_a_long_unit_name_wraps_in_the_chart_without_cutting_words(app):
    import html as html_lib

    from elearn.reports.charts import _wrap, bar_chart

    name = "Perpustakaan Umum Daerah Kota Bontang Cabang Kecamatan Utara"
    assert len(name) >= 60
    lines = _wrap(name)
    assert len(lines) > 1 and all(len(line) <= 26 for line in lines)
    assert " ".join(lines) == name  # every word whole, none dropped
    assert _wrap("Perpustakaankotabontangcabangkecamatanutara") == ["Perpustakaankotabontangcabangkecamatanutara"]
    with app.test_request_context():
        svg = str(bar_chart("JP per unit", [name, "Cabang"], [12, 3], headers=("Unit", "JP")))
    first_label = re.search(r'<text text-anchor="end"[^>]*>(.*?)</text>', svg).group(1)
    spans = [html_lib.unescape(s) for s in re.findall(r"<tspan[^>]*>(.*?)</tspan>", first_label)]
    assert spans == lines and " ".join(spans) == name
    assert f"<title>{name}: 12</title>" in svg  # the bar's tooltip and the data table carry the whole name
    assert f'<th scope="row">{name}</th>' in svg


def test_overdue_shows_on_dashboard_and_matrix(client, db, org, login):
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-a"))
    db.session.add(Assignment(course_id=course.id, unit_id=org["city"].id, due_on=date.today() - timedelta(days=2),
                              created_by_id=org["head_city"].id))
    db.session.commit()
    login(org["budi"])
    assert re.search(r'class="tag tag-overdue">.*?Terlambat · batas', client.get("/").get_data(as_text=True), re.S)
    client.post("/logout")
    login(org["head_city"])
    rows = csv_rows(client.get("/reports/matrix?format=csv").data)
    assert sorted((r[0], r[4]) for r in rows[1:] if r[3] == "Kursus A") == [
        ("Ani Branch", "Terlambat"), ("Budi City", "Terlambat")]


# --- course results, hours, programme ------------------------------------------------------------

def test_course_results_numbers_and_weak_questions_in_scope(client, db, org, login):
    from elearn.services.feedback import save_feedback

    finish(db, org["ani"], "kursus-a")
    finish(db, org["citra"], "kursus-a")
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-a"))
    from elearn.services.enrollment import enroll

    enroll(db.session, org["budi"].id, course)
    save_feedback(db.session, org["ani"].id, course, 4, "Bermanfaat")
    save_feedback(db.session, org["citra"].id, course, 1, "Kurang")
    db.session.commit()
    login(org["head_city"])
    html = client.get("/reports/courses/kursus-a").get_data(as_text=True)
    assert re.search(r"<dt>Terdaftar</dt><dd>2</dd>", html) and re.search(r"<dt>Selesai</dt><dd>1</dd>", html)
    assert "50.0%" in html and "4.0 dari 5 (1 penilaian)" in html and "Bermanfaat" in html and "Kurang" not in html
    rows = dict((r[0], r[1]) for r in csv_rows(client.get("/reports/courses/kursus-a?format=csv").data)[1:])
    assert rows["Terdaftar"] == "2" and rows["Selesai"] == "1" and rows["Tingkat penyelesaian (%)"] == "50.0"
    assert rows["Kepuasan (1–5)"] == "4.0"
    assert 'role="img"' in html  # completions per month chart
    # every chart's numbers are also a table under it
    tables = re.findall(r'<details class="chart-data"><summary>Angka grafik</summary>(.*?)</details>', html)
    assert len(tables) == 1  # completions per month; no score chart when the course has no graded quiz
    assert '<th scope="col">Bulan</th><th scope="col">Selesai</th>' in tables[0]
    assert re.findall(r'<tr><th scope="row">[^<]+</th><td>(\d+)</td></tr>', tables[0]) == ["1"]


def test_hours_report_against_target(client, db, org, login):
    finish(db, org["ani"], "kursus-a")  # 4 JP with a certificate
    login(org["head_city"])
    html = client.get("/reports/hours").get_data(as_text=True)
    assert "Target: 20 JP" in html and "0 dari 2 orang" in html and 'role="img"' in html
    table = re.search(r'<details class="chart-data">.*?</details>', html).group(0)
    assert "<caption>Rata-rata JP per unit, tahun" in table and "(target 20 JP)</caption>" in table
    assert '<th scope="col">Unit</th><th scope="col">Rata-rata JP</th>' in table
    assert len(re.findall(r'<tr><th scope="row">', table)) >= 1
    rows = {r[0]: r for r in csv_rows(client.get("/reports/hours?format=csv").data)[1:]}
    assert rows["Ani Branch"][4:] == ["4", "20", "20", "0"] and rows["Budi City"][4] == "0"


def test_programme_metrics_count_participants_completions_satisfaction_and_plans(client, db, org, login):
    from elearn.services.feedback import review_plan, save_feedback, submit_plan

    course = finish(db, org["ani"], "kursus-a")
    save_feedback(db.session, org["ani"].id, course, 5, "")
    plan = submit_plan(db.session, org["ani"].id, course, kind="book_discussion", title="Bedah buku",
                       description="Diskusi buku bulanan.", planned_on=None)
    review_plan(db.session, plan, org["head_city"].id, "Bagus", True)
    finish(db, org["citra"], "kursus-a")  # outside the city's scope
    db.session.commit()
    login(org["head_city"])
    html = client.get("/reports/programme").get_data(as_text=True)
    for fact in ("<dt>Peserta aktif</dt><dd>1</dd>", "<dt>Penyelesaian kursus</dt><dd>1</dd>",
                 "5.0 dari 5 (1 penilaian)", "<dt>Rencana aksi inovasi diajukan</dt><dd>1</dd>",
                 "<dt>Rencana aksi terlaksana</dt><dd>1</dd>"):
        assert fact in html, fact
    rows = csv_rows(client.get("/reports/programme?format=csv").data)
    assert sum(int(r[3]) for r in rows[1:]) == 1 and sum(int(r[6]) for r in rows[1:]) == 1


# --- feedback and action plans -------------------------------------------------------------------

def test_feedback_only_after_completion_and_validated(client, db, org, login):
    login(org["ani"])
    assert client.get("/courses/kursus-a/feedback").status_code == 403
    assert client.post("/courses/kursus-a/action-plan", data={"kind": "other", "title": "x",
                                                              "description": "y"}).status_code == 403
    finish(db, org["ani"], "kursus-a")
    assert "Beri penilaian kursus ini" in client.get("/courses/kursus-a/").get_data(as_text=True)
    bad = client.post("/courses/kursus-a/feedback", data={"rating": 9})
    assert bad.status_code == 200 and "Pilihan tidak valid." in bad.get_data(as_text=True)
    assert client.post("/courses/kursus-a/feedback", data={"rating": 3, "comment": "Cukup"}).status_code == 302
    assert client.post("/courses/kursus-a/feedback", data={"rating": 5, "comment": "Bagus"}).status_code == 302
    from elearn.models import CourseFeedback

    feedback = db.session.scalars(select(CourseFeedback)).all()
    assert [(f.rating, f.comment) for f in feedback] == [(5, "Bagus")]


def test_action_plan_review_by_the_right_supervisor(client, db, org, login):
    finish(db, org["ani"], "kursus-a")
    login(org["ani"])
    empty = client.post("/courses/kursus-a/action-plan", data={"kind": "exhibition", "title": "", "description": ""})
    assert empty.status_code == 200 and "Kolom ini wajib diisi." in empty.get_data(as_text=True)
    response = client.post("/courses/kursus-a/action-plan", data={
        "kind": "exhibition", "title": "Pameran arsip foto Bontang", "description": "Pameran di lobi.",
        "planned_on": "2027-01-15"})
    assert response.status_code == 302
    plan = db.session.scalar(select(ActionPlan))
    assert "Pameran arsip foto Bontang" in client.get("/action-plans/").get_data(as_text=True)
    client.post("/logout")
    login(org["head_school"])
    assert client.post(f"/reports/action-plans/{plan.id}", data={f"p{plan.id}-comment": "x",
                                                                 f"p{plan.id}-carried_out": 1}).status_code == 404
    client.post("/logout")
    login(org["head_city"])
    assert "Pameran arsip foto Bontang" in client.get("/reports/action-plans?status=open").get_data(as_text=True)
    client.post(f"/reports/action-plans/{plan.id}", data={f"p{plan.id}-comment": "Lanjutkan!",
                                                          f"p{plan.id}-carried_out": 1})
    db.session.refresh(plan)
    assert plan.carried_out_at is not None and plan.supervisor_comment == "Lanjutkan!"
    assert "Pameran arsip foto Bontang" in client.get("/reports/action-plans?status=done").get_data(as_text=True)
    client.post("/logout")
    login(org["ani"])
    assert "Lanjutkan!" in client.get("/action-plans/").get_data(as_text=True)


def test_admin_sets_unit_supervisors(client, db, org, login, make_user):
    admin = make_user("admin")
    login(admin)
    newcomer = make_user("supervisor", name="Mentor Baru")
    response = client.post(f"/admin/units/{org['school'].id}", data={
        "name": org["school"].name, "parent_id": 0, "supervisors": [newcomer.id, org["head_school"].id]})
    assert response.status_code == 302
    ids = set(db.session.scalars(select(UnitSupervisor.user_id).where(UnitSupervisor.unit_id == org["school"].id)))
    assert ids == {newcomer.id, org["head_school"].id}
    refused = client.post(f"/admin/units/{org['school'].id}", data={
        "name": org["school"].name, "parent_id": 0, "supervisors": [org["ani"].id]})
    assert refused.status_code == 200 and "bukan pilihan yang valid" in refused.get_data(as_text=True)
    client.post("/logout")
    login(newcomer)
    rows = csv_rows(client.get("/reports/hours?format=csv").data)
    assert {r[0] for r in rows[1:]} == {"Citra School"}


def test_supervisor_without_units_sees_no_one(client, db, org, login, make_user):
    lonely = make_user("supervisor")
    login(lonely)
    html = client.get("/reports/").get_data(as_text=True)
    assert "belum ditetapkan sebagai pembina" in html
    assert csv_rows(client.get("/reports/matrix?format=csv").data)[1:] == []


def test_other_learners_are_not_visible_via_transcript_of_supervisor_scope(client, db, org, login):
    login(org["head_school"])
    assert client.get(f"/users/{org['ani'].id}/transcript/").status_code == 404
    assert client.get(f"/users/{org['citra'].id}/transcript/").status_code == 200
    assert db.session.get(User, org["ani"].id) is not None


def test_weak_questions_count_only_people_in_scope(client, db, org, login, write_course, sync):
    from elearn.models import Quiz
    from elearn.services.enrollment import enroll
    from elearn.services.quizzes import start_attempt, submit_attempt
    from quizhelp import answer_form

    folder = write_course("kursus-q", modules=1, title="Kursus Q")
    (folder / "01-modul-1.quiz.md").write_text(
        "## Standar metadata\n\nStandar dengan 15 elemen?\n\n- [x] Dublin Core\n- [ ] MARC 21\n", encoding="utf-8")
    sync()
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-q"))
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    for who, right in (("ani", True), ("citra", False)):
        enroll(db.session, org[who].id, course)
        attempt = start_attempt(db.session, org[who].id, quiz, utcnow())
        submit_attempt(db.session, org[who].id, attempt.id,
                       {k: [v] for k, v in answer_form(attempt, right).items()}, utcnow())
    db.session.commit()
    login(org["head_city"])
    html = client.get("/reports/courses/kursus-q").get_data(as_text=True)
    row = re.search(r"<td>Standar metadata</td><td[^>]*>(\d+)</td><td[^>]*>([\d.]+)</td><td>([^<]*)</td>", html)
    assert row.groups() == ("1", "100.0", "—")  # Citra's wrong answer (another unit) does not count
    client.post("/logout")
    login(org["head_school"])
    html = client.get("/reports/courses/kursus-q").get_data(as_text=True)
    row = re.search(r"<td>Standar metadata</td><td[^>]*>(\d+)</td><td[^>]*>([\d.]+)</td><td>([^<]*)</td>", html)
    assert row.groups() == ("1", "0.0", "MARC 21 (1)")


def test_action_plans_are_paged(client, db, org, login):
    from elearn.services.feedback import submit_plan

    course = finish(db, org["ani"], "kursus-a")
    for n in range(25):
        submit_plan(db.session, org["ani"].id, course, kind="other", title=f"Rencana nomor {n:02d}",
                    description="Uraian.", planned_on=None)
    db.session.commit()
    login(org["head_city"])
    first = client.get("/reports/action-plans").get_data(as_text=True)
    second = client.get("/reports/action-plans?page=2").get_data(as_text=True)
    assert len(re.findall(r"Rencana nomor \d\d", first)) == 20 and 'rel="next"' in first
    assert len(re.findall(r"Rencana nomor \d\d", second)) == 5 and 'rel="prev"' in second
    assert "Rencana nomor 24" in first and "Rencana nomor 00" in second  # newest first
