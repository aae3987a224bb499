"""Reminder rules (`notify run`): assigned, due in 7 and 1 days, overdue then weekly until done, certificates
expiring in 60 and 30 days and expired, supervisors' weekly digest of their units; each notice once."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from elearn.models import Assignment, Certificate, Course, Enrollment, Module, Notification, Unit, UnitSupervisor
from elearn.services.reminders import run_reminders

TZ = "Asia/Makassar"


def at(day: date, hour: int = 9) -> datetime:
    """``hour`` o'clock local time (UTC+8) on ``day``."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc) - timedelta(hours=8)


@pytest.fixture
def org(db, make_user, write_course, sync):
    city = Unit(name="Perpustakaan Kota Bontang")
    school = Unit(name="Perpustakaan SMPN 1 Bontang")
    db.session.add_all([city, school])
    db.session.flush()
    ani, citra = make_user(name="Ani"), make_user(name="Citra")
    ani.unit_id, citra.unit_id = city.id, school.id
    head_city, head_school = make_user("supervisor", name="Kepala Kota"), make_user("supervisor", name="Kepala Sekolah")
    db.session.add_all([UnitSupervisor(user_id=head_city.id, unit_id=city.id),
                        UnitSupervisor(user_id=head_school.id, unit_id=school.id)])
    db.session.commit()
    write_course("kursus-a", modules=1, title="Kursus A", extra_front="certificate_valid_months: 12")
    assert not sync().failed
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-a"))
    return {"city": city, "school": school, "ani": ani, "citra": citra, "head_city": head_city,
            "head_school": head_school, "course": course}


def finish(db, user, course):
    from elearn.services.enrollment import enroll, get_enrollment
    from elearn.services.progress import complete_module

    enroll(db.session, user.id, course)
    enrollment = get_enrollment(db.session, user.id, course.id)
    for module_id in db.session.scalars(select(Module.id).where(Module.course_id == course.id)):
        complete_module(db.session, user.id, enrollment, module_id)
    db.session.commit()


def run(db, now, weekday=7):  # 7: no digest day (digests have their own test)
    report = run_reminders(db.session, now, TZ, digest_weekday=weekday)
    db.session.commit()
    return report.created


def notices(db, user, kind=None):
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query).all()


def test_assigned_due_soon_overdue_weekly_until_done_each_once(db, org):
    ani, course = org["ani"], org["course"]
    due = date(2026, 12, 10)
    db.session.add(Assignment(course_id=course.id, unit_id=org["city"].id, due_on=due))
    db.session.commit()
    # 20 days before: told once that it is assigned
    assert run(db, at(due - timedelta(days=20))) == {"assignment_new": 1}
    assert run(db, at(due - timedelta(days=20), 15)) == {}
    # 7 days before, then 5 days before (nothing new), then 1 day before
    assert run(db, at(due - timedelta(days=7))) == {"assignment_due_soon": 1}
    assert run(db, at(due - timedelta(days=5))) == {}
    assert run(db, at(due - timedelta(days=1))) == {"assignment_due_soon": 1}
    soon = notices(db, ani, "assignment_due_soon")
    assert [n.params["days"] for n in soon] == [7, 1]
    assert soon[0].link == f"/courses/{course.slug}/"
    # the due day is a whole local day: at 23:00 local on the due date it is not overdue yet
    assert run(db, at(due, 23)) == {}
    assert run(db, at(due + timedelta(days=1), 0)) == {"assignment_overdue": 1}
    assert run(db, at(due + timedelta(days=6))) == {}
    assert run(db, at(due + timedelta(days=8))) == {"assignment_overdue": 1}
    finish(db, ani, course)
    assert run(db, at(due + timedelta(days=30))) == {}
    assert len(notices(db, org["citra"])) == 0  # not in the unit


def test_certificate_expiring_in_60_and_30_days_then_expired_with_the_renew_link(db, org):
    ani, course = org["ani"], org["course"]
    finish(db, ani, course)
    cert = db.session.scalar(select(Certificate).where(Certificate.user_id == ani.id))
    until = cert.expires_at
    assert run(db, until - timedelta(days=90)) == {}
    assert run(db, until - timedelta(days=59)) == {"certificate_expiring": 1}
    assert run(db, until - timedelta(days=45)) == {}
    assert run(db, until - timedelta(days=29)) == {"certificate_expiring": 1}
    assert run(db, until + timedelta(minutes=1)) == {"certificate_expired": 1}
    assert run(db, until + timedelta(days=10)) == {}
    expired = notices(db, ani, "certificate_expired")[0]
    assert expired.link == f"/certificates/{cert.id}/"


def test_a_revoked_certificate_is_not_reminded(db, org):
    ani, course = org["ani"], org["course"]
    finish(db, ani, course)
    cert = db.session.scalar(select(Certificate).where(Certificate.user_id == ani.id))
    cert.revoked_at, cert.revoked_reason = cert.issued_at, "issued_in_error"
    db.session.commit()
    assert run(db, cert.expires_at - timedelta(days=20)) == {}


def test_supervisor_digest_weekly_from_the_digest_day_only_for_their_units(db, org):
    course = org["course"]
    due = date(2026, 12, 1)  # a Tuesday
    db.session.add_all([Assignment(course_id=course.id, unit_id=org["city"].id, due_on=due)])
    db.session.commit()
    monday = date(2026, 12, 7)
    assert run(db, at(monday), weekday=2) == {"assignment_overdue": 1}
    assert notices(db, org["head_city"], "supervisor_digest") == []  # Monday: before the digest day (Wednesday)
    assert run(db, at(monday + timedelta(days=2)), weekday=2).get("supervisor_digest") == 1
    assert "supervisor_digest" not in run(db, at(monday + timedelta(days=3)), weekday=2)
    digest = notices(db, org["head_city"], "supervisor_digest")[0]
    assert digest.params["overdue"] == 1 and digest.params["courses"] == [["Kursus A", 1]]
    assert digest.link.startswith("/reports/matrix")
    assert notices(db, org["head_school"]) == []  # nothing overdue in the school
    # next week: a new digest
    assert run(db, at(monday + timedelta(days=9)), weekday=2).get("supervisor_digest") == 1


def test_two_runs_at_once_create_each_notice_once(app, db, org):
    db.session.add(Assignment(course_id=org["course"].id, unit_id=org["city"].id, due_on=date(2026, 12, 10)))
    db.session.commit()
    now = at(date(2026, 12, 5))
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def one_run():
        with app.test_request_context("/"):  # its own app context: its own session and connection
            try:
                barrier.wait()
                run_reminders(db.session, now, TZ)
                db.session.commit()
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    counts = dict(db.session.execute(select(Notification.kind, func.count()).group_by(Notification.kind)).all())
    assert counts == {"assignment_new": 1, "assignment_due_soon": 1}


def test_the_digest_links_the_matrix_filtered_to_exactly_those_people_within_scope(client, db, org, login,
                                                                                   make_user):
    other = make_user(name="Dodi Tepat Waktu")
    other.unit_id = org["city"].id
    db.session.add(Assignment(course_id=org["course"].id, unit_id=org["city"].id, due_on=date(2026, 12, 1)))
    db.session.commit()
    finish(db, other, org["course"])  # on time: not in the digest
    run(db, at(date(2026, 12, 9)), weekday=0)
    digest = notices(db, org["head_city"], "supervisor_digest")[0]
    assert digest.link == f"/reports/matrix?people={org['ani'].id}"
    login(org["head_city"])
    page = client.get(digest.link).get_data(as_text=True)
    assert "Ani" in page and "Dodi Tepat Waktu" not in page
    # the filter narrows, never widens: someone outside the scope stays out
    page = client.get(f"/reports/matrix?people={org['ani'].id},{org['citra'].id}").get_data(as_text=True)
    assert "Citra" not in page and "Ani" in page
    csv = client.get(f"{digest.link}&format=csv").get_data(as_text=True)
    assert "Ani" in csv and "Dodi" not in csv
    assert client.get("/reports/matrix?people=1;DROP").status_code == 200  # a bad value is a form error


def test_a_run_takes_the_same_number_of_queries_for_1_or_7_learners(db, org, make_user):
    from sqlalchemy import event

    db.session.add(Assignment(course_id=org["course"].id, unit_id=org["city"].id, due_on=date(2026, 12, 10)))
    db.session.commit()

    def queries_of_a_run(now) -> int:
        count = {"n": 0}

        def counter(*_args):
            count["n"] += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            created = run(db, now, weekday=0)
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        assert created
        return count["n"]

    small = queries_of_a_run(at(date(2026, 12, 5)))
    for _ in range(6):
        make_user().unit_id = org["city"].id
    db.session.commit()
    assert queries_of_a_run(at(date(2026, 12, 9))) == small
