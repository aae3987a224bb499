"""Pendampingan: who pairs whom, what a mentor sees (current mentees only, never wider), sessions
recorded and confirmed, mentoring hours in the programme metrics."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from elearn.models import Course, MentoringSession, MentorPair, Module, Unit, UnitSupervisor
from elearn.models._types import utcnow
from elearn.services.dates import local_today
from tabular import csv_rows


def today():
    return local_today(utcnow(), "Asia/Makassar")


@pytest.fixture
def org(db, make_user, write_course, sync):
    """City library with a branch, a school library apart; a senior librarian to mentor."""
    city = Unit(name="Perpustakaan Kota Bontang")
    db.session.add(city)
    db.session.flush()
    branch = Unit(name="Cabang Bontang Utara", parent_id=city.id)
    school = Unit(name="Perpustakaan SMPN 1 Bontang")
    db.session.add_all([branch, school])
    db.session.flush()
    people = {}
    for key, name, unit in (("ani", "Ani Branch", branch), ("budi", "Budi City", city),
                            ("citra", "Citra School", school), ("senior", "Sri Senior", city)):
        user = make_user(name=name)
        user.unit_id = unit.id
        people[key] = user
    head_city, head_school = make_user("supervisor", name="Kepala Kota"), make_user("supervisor", name="Kepala Sekolah")
    db.session.add_all([UnitSupervisor(user_id=head_city.id, unit_id=city.id),
                        UnitSupervisor(user_id=head_school.id, unit_id=school.id)])
    db.session.commit()
    write_course("kursus-a", modules=2, title="Kursus A")
    report = sync()
    assert not report.failed, report.problems
    return {"city": city, "school": school, "head_city": head_city, "head_school": head_school, **people}


def pair(db, mentor, mentee, start=None, end=None):
    found = MentorPair(mentor_id=mentor.id, mentee_id=mentee.id, start_on=start or today(), end_on=end)
    db.session.add(found)
    db.session.commit()
    return found


def progress(db, user, modules: int):
    """Enroll in kursus-a and complete ``modules`` of its modules through the services."""
    from elearn.services.enrollment import enroll, get_enrollment
    from elearn.services.progress import complete_module

    course = db.session.scalar(select(Course).where(Course.slug == "kursus-a"))
    enroll(db.session, user.id, course)
    enrollment = get_enrollment(db.session, user.id, course.id)
    for module_id in list(db.session.scalars(select(Module.id).where(Module.course_id == course.id)
                                             .order_by(Module.position)))[:modules]:
        complete_module(db.session, user.id, enrollment, module_id)
    db.session.commit()


# --- pairing --------------------------------------------------------------------------------------

def test_a_supervisor_pairs_a_mentor_with_people_in_scope_and_several_mentors_are_allowed(client, db, org, login,
                                                                                         make_user):
    trainer = make_user("trainer", name="Tia Trainer")
    login(org["head_city"])
    page = client.get("/mentoring/pairs").get_data(as_text=True)
    assert "Ani Branch" in page and "Citra School" not in page.split('id="mentees"')[1].split("</select>")[0]
    for mentor in (org["senior"], trainer):
        response = client.post("/mentoring/pairs", data={"mentor": mentor.id, "mentees": [org["ani"].id, org["budi"].id],
                                                         "start_on": today().isoformat()})
        assert response.status_code == 302
    pairs = db.session.execute(select(MentorPair.mentor_id, MentorPair.mentee_id)).all()
    assert sorted(pairs) == sorted([(org["senior"].id, org["ani"].id), (org["senior"].id, org["budi"].id),
                                    (trainer.id, org["ani"].id), (trainer.id, org["budi"].id)])
    # pairing again is idempotent
    client.post("/mentoring/pairs", data={"mentor": trainer.id, "mentees": [org["ani"].id],
                                          "start_on": today().isoformat()})
    assert db.session.scalar(select(MentorPair.id).where(MentorPair.mentor_id == trainer.id).offset(2)) is None


def test_a_supervisor_cannot_pair_people_outside_their_scope(client, db, org, login):
    login(org["head_city"])
    response = client.post("/mentoring/pairs", data={"mentor": org["senior"].id, "mentees": [org["citra"].id],
                                                     "start_on": today().isoformat()})
    assert response.status_code == 200  # the out-of-scope choice is a form error
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(MentorPair.id)) is None


@pytest.mark.parametrize("case", ["self", "end_before_start", "inactive_mentor"])
def test_pairing_mistakes_are_form_errors(client, db, org, login, make_user, case):
    mentor = org["senior"]
    data = {"mentor": mentor.id, "mentees": [org["ani"].id], "start_on": today().isoformat()}
    if case == "self":
        data["mentees"] = [org["budi"].id]
        data["mentor"] = org["budi"].id
    elif case == "end_before_start":
        data["end_on"] = (today() - timedelta(days=1)).isoformat()
    else:
        data["mentor"] = make_user(name="Gone", active=False).id
    login(org["head_city"])
    response = client.post("/mentoring/pairs", data=data)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(MentorPair.id)) is None


def test_learners_cannot_open_the_pairing_page(client, org, login):
    login(org["senior"])
    assert client.get("/mentoring/pairs").status_code == 403
    assert client.post("/mentoring/pairs", data={}).status_code == 403


def test_a_supervisor_ends_only_pairs_in_their_scope(client, db, org, login):
    inside = pair(db, org["senior"], org["ani"])
    outside = pair(db, org["senior"], org["citra"])
    login(org["head_school"])
    assert client.post(f"/mentoring/pairs/{inside.id}/end").status_code == 404
    table = client.get("/mentoring/pairs").get_data(as_text=True).split("<table>")[1]
    assert "Ani Branch" not in table and "Citra School" in table
    assert client.post(f"/mentoring/pairs/{outside.id}/end").status_code == 302
    db.session.expire_all()
    assert db.session.get(MentorPair, outside.id).end_on == today() - timedelta(days=1)
    assert db.session.get(MentorPair, inside.id).end_on is None


# --- what a mentor sees ---------------------------------------------------------------------------

def test_the_mentor_board_lists_current_mentees_with_progress_and_completions(client, db, org, login):
    pair(db, org["senior"], org["ani"])
    pair(db, org["senior"], org["budi"])
    progress(db, org["ani"], 1)
    progress(db, org["budi"], 2)
    login(org["senior"])
    html = client.get("/mentoring/").get_data(as_text=True)
    assert "Ani Branch" in html and "Budi City" in html and "Citra School" not in html
    ani = html.split(">Ani Branch</a></h3>")[1].split("</article>")[0]
    assert 'value="33"' in ani  # module 1 of 2 (10 of 30 minutes): the one percentage rule
    budi = html.split(">Budi City</a></h3>")[1].split("</article>")[0]
    assert "1 kursus selesai" in budi


def test_a_mentee_sees_their_mentors_on_the_dashboard(client, db, org, login, make_user):
    pair(db, org["senior"], org["ani"])
    pair(db, make_user("trainer", name="Tia Trainer"), org["ani"])
    pair(db, org["budi"], org["ani"], start=today() + timedelta(days=3))  # not yet
    login(org["ani"])
    html = client.get("/").get_data(as_text=True)
    mentors = html.split('id="mentors-title"')[1].split("</section>")[0]
    assert "Sri Senior" in mentors and "Tia Trainer" in mentors and "Budi City" not in mentors


@pytest.mark.parametrize("when", ["ended", "future", "never"])
def test_a_mentor_sees_nothing_of_people_who_are_not_current_mentees(client, db, org, login, when):
    if when == "ended":
        pair(db, org["senior"], org["ani"], start=today() - timedelta(days=30), end=today() - timedelta(days=1))
    elif when == "future":
        pair(db, org["senior"], org["ani"], start=today() + timedelta(days=1))
    progress(db, org["ani"], 2)
    login(org["senior"])
    assert "Ani Branch" not in client.get("/mentoring/").get_data(as_text=True)
    assert client.get(f"/mentoring/mentees/{org['ani'].id}").status_code == 404
    assert client.get(f"/users/{org['ani'].id}/transcript/").status_code == 404
    assert client.post(f"/mentoring/mentees/{org['ani'].id}", data={
        "held_on": today().isoformat(), "minutes": 60, "topic": "x"}).status_code == 404


def test_a_mentor_views_a_mentee_page_and_transcript_but_not_other_people(client, db, org, login):
    pair(db, org["senior"], org["ani"])
    progress(db, org["ani"], 2)
    progress(db, org["budi"], 2)
    login(org["senior"])
    page = client.get(f"/mentoring/mentees/{org['ani'].id}")
    assert page.status_code == 200 and "Kursus A" in page.get_data(as_text=True)
    assert client.get(f"/users/{org['ani'].id}/transcript/").status_code == 200
    assert client.get(f"/users/{org['budi'].id}/transcript/").status_code == 404
    assert client.get(f"/mentoring/mentees/{org['budi'].id}").status_code == 404
    # viewing is not managing: a mentor cannot revoke or act on the mentee's certificates
    from elearn.access import can_manage_person
    from elearn.models import User
    senior = db.session.get(User, org["senior"].id)
    assert not can_manage_person(db.session, senior, org["ani"].id)


def test_a_mentors_view_of_a_mentee_is_recorded_for_the_mentee(client, db, org, login):
    from elearn.services.privacy.access_log import accesses_to

    pair(db, org["senior"], org["ani"])
    login(org["senior"])
    client.get(f"/mentoring/mentees/{org['ani'].id}")
    assert [(a.viewer, a.what) for a in accesses_to(db.session, org["ani"].id)] == [("Sri Senior", "mentee")]


def test_mentor_board_queries_do_not_grow_with_mentees(client, db, org, login, make_user):
    pair(db, org["senior"], org["ani"])
    progress(db, org["ani"], 1)
    login(org["senior"])

    def count() -> int:
        seen = []

        def hit(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", hit)
        try:
            assert client.get("/mentoring/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", hit)
        return len(seen)

    few = count()
    for n in range(6):
        mentee = make_user(name=f"Mentee {n}")
        mentee.unit_id = org["city"].id
        db.session.commit()
        pair(db, org["senior"], mentee)
        progress(db, mentee, n % 3)
    assert count() == few


# --- sessions -------------------------------------------------------------------------------------

def session_data(**changes):
    data = {"held_on": today().isoformat(), "minutes": 90, "topic": "Rencana kelas literasi",
            "notes": "Membahas <script>alert(1)</script> jadwal.", "next_step": "Kirim draf RPP."}
    data.update(changes)
    return data


def test_a_mentor_records_a_session_the_mentee_confirms_it_and_it_counts_as_mentoring_hours(client, db, org, login):
    pair(db, org["senior"], org["ani"])
    login(org["senior"])
    assert client.post(f"/mentoring/mentees/{org['ani'].id}", data=session_data()).status_code == 302
    meeting = db.session.scalar(select(MentoringSession))
    assert meeting.confirmed_at is None and meeting.minutes == 90
    client.post("/logout")

    login(org["head_city"])
    html = client.get("/reports/programme").get_data(as_text=True)
    assert "<dt>Jam pendampingan</dt><dd>0</dd>" in html  # not confirmed yet
    client.post("/logout")

    login(org["ani"])
    notices = client.get("/notifications/").get_data(as_text=True)
    assert "Konfirmasi sesi pendampingan: Rencana kelas literasi" in notices and "Sri Senior" in notices
    page = client.get("/mentoring/").get_data(as_text=True)
    assert "Rencana kelas literasi" in page and "Kirim draf RPP." in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert client.post(f"/mentoring/sessions/{meeting.id}/confirm").status_code == 302
    assert client.post(f"/mentoring/sessions/{meeting.id}/confirm").status_code == 302  # twice: no change
    db.session.expire_all()
    assert db.session.get(MentoringSession, meeting.id).confirmed_at is not None
    client.post("/logout")

    login(org["head_city"])
    html = client.get("/reports/programme").get_data(as_text=True)
    assert "<dt>Sesi pendampingan (dikonfirmasi)</dt><dd>1</dd>" in html
    assert "<dt>Jam pendampingan</dt><dd>1,5</dd>" in html
    rows = csv_rows(client.get("/reports/programme?format=csv").data)
    sessions = rows[0].index("Sesi pendampingan")
    assert rows[0][sessions:sessions + 2] == ["Sesi pendampingan", "Jam pendampingan"]
    month = next(r for r in rows[1:] if r[0] == today().strftime("%Y-%m"))
    assert month[sessions:sessions + 2] == ["1", "1.5"]
    client.post("/logout")
    login(org["head_school"])  # Ani is not in the school's scope
    assert "<dt>Jam pendampingan</dt><dd>0</dd>" in client.get("/reports/programme").get_data(as_text=True)


def test_only_the_mentee_confirms_a_session(client, db, org, login):
    pair(db, org["senior"], org["ani"])
    login(org["senior"])
    client.post(f"/mentoring/mentees/{org['ani'].id}", data=session_data())
    meeting = db.session.scalar(select(MentoringSession))
    for who in ("senior", "budi", "head_city"):
        client.post("/logout")
        login(org[who])
        assert client.post(f"/mentoring/sessions/{meeting.id}/confirm").status_code == 404
        assert "Rencana kelas literasi" not in client.get("/mentoring/").get_data(as_text=True) or who == "senior"
    db.session.expire_all()
    assert db.session.get(MentoringSession, meeting.id).confirmed_at is None


@pytest.mark.parametrize("changes", [{"minutes": 2}, {"minutes": 601}, {"topic": ""},
                                     {"held_on": (today() + timedelta(days=1)).isoformat()},
                                     {"held_on": (today() - timedelta(days=10)).isoformat()}])
def test_session_mistakes_are_form_errors(client, db, org, login, changes):
    pair(db, org["senior"], org["ani"], start=today() - timedelta(days=5))
    login(org["senior"])
    response = client.post(f"/mentoring/mentees/{org['ani'].id}", data=session_data(**changes))
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(MentoringSession.id)) is None


def test_a_session_is_refused_once_the_pair_ended(db, org):
    from elearn.services.mentoring import MentoringError, record_session

    pair(db, org["senior"], org["ani"], start=today() - timedelta(days=30), end=today() - timedelta(days=1))
    with pytest.raises(MentoringError) as refused:
        record_session(db.session, org["senior"].id, org["ani"].id, held_on=today() - timedelta(days=2), minutes=60,
                       topic="x", notes="", next_step="", today=today())
    assert refused.value.code == "forbidden"


def test_mentoring_events_are_announced_after_commit(db, org):
    from elearn.services import events
    from elearn.services.mentoring import SESSION_CONFIRMED, SESSION_RECORDED, confirm_session, record_session

    heard = []
    listeners = {SESSION_RECORDED: lambda: heard.append("recorded"), SESSION_CONFIRMED: lambda: heard.append("confirmed")}
    for name, callback in listeners.items():
        events.subscribe(name, callback)
    try:
        pair(db, org["senior"], org["ani"])
        meeting = record_session(db.session, org["senior"].id, org["ani"].id, held_on=today(), minutes=30, topic="x",
                                 notes="", next_step="", today=today())
        assert heard == []
        db.session.commit()
        confirm_session(db.session, org["ani"].id, meeting.id)
        db.session.commit()
        assert heard == ["recorded", "confirmed"]
    finally:
        for name, callback in listeners.items():
            events._subscribers[name].remove(callback)
