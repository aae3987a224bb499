"""The heavy pages load what they show in a fixed number of queries, whatever the amount of data."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select

from elearn.models import Course, Unit, UnitSupervisor


@pytest.fixture
def count_queries(db):
    """count_queries(fn) -> the number of SQL statements ``fn()`` sent."""

    def run(fn) -> int:
        seen = []

        def hit(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", hit)
        try:
            response = fn()
            assert response.status_code == 200, response.status_code
        finally:
            event.remove(db.engine, "before_cursor_execute", hit)
        return len(seen)

    return run


def _progress(client, slug: str, modules: int) -> None:
    client.post(f"/courses/{slug}/enroll")
    for n in range(1, modules + 1):
        client.get(f"/courses/{slug}/modul-{n}/")
        client.post(f"/courses/{slug}/modul-{n}/complete")


def test_module_page_queries_do_not_grow_with_modules_or_progress(client, write_course, sync, make_user, login,
                                                                  count_queries):
    write_course("kecil", modules=2)
    write_course("besar", modules=12)
    sync()
    login(make_user())
    _progress(client, "kecil", 1)
    _progress(client, "besar", 10)
    client.get("/courses/kecil/modul-2/")
    client.get("/courses/besar/modul-11/")
    small = count_queries(lambda: client.get("/courses/kecil/modul-2/"))
    large = count_queries(lambda: client.get("/courses/besar/modul-11/"))
    # the user, the page's one query, the questions section's count and page (+ a write only when something changed)
    assert small == large <= 5


def test_module_page_queries_do_not_grow_with_questions(client, db, write_course, sync, make_user, login,
                                                        count_queries):
    from elearn.models import Module, ModuleAnswer, ModuleQuestion

    write_course("tanya", modules=2)
    sync()
    learner, trainer = make_user(), make_user("trainer")
    login(learner)
    _progress(client, "tanya", 1)
    client.get("/courses/tanya/modul-2/")
    empty = count_queries(lambda: client.get("/courses/tanya/modul-2/"))
    module_id = db.session.scalar(select(Module.id).where(Module.slug == "modul-2"))
    questions = [ModuleQuestion(module_id=module_id, user_id=learner.id, text=f"q{n}", html=f"<p>q{n}</p>")
                 for n in range(200)]
    db.session.add_all(questions)
    db.session.flush()
    db.session.add_all([ModuleAnswer(question_id=q.id, user_id=trainer.id, text="a", html="<p>a</p>")
                        for q in questions[::2]])
    db.session.commit()
    busy = count_queries(lambda: client.get("/courses/tanya/modul-2/"))
    later = count_queries(lambda: client.get("/courses/tanya/modul-2/?page=7"))
    assert empty == busy == later <= 5
    # followers and reports of every question change nothing either
    from elearn.models import PostReport, QuestionFollow

    db.session.add_all([QuestionFollow(question_id=q.id, user_id=who.id)
                        for q in questions for who in (learner, trainer)])
    db.session.add_all([PostReport(question_id=q.id, post=f"q{q.id}", user_id=trainer.id, reason="spam")
                        for q in questions])
    db.session.commit()
    assert count_queries(lambda: client.get("/courses/tanya/modul-2/")) == empty


def test_dashboard_queries_do_not_grow_with_courses(client, write_course, sync, make_user, login, count_queries):
    for n in range(1, 6):
        write_course(f"kursus-{n}", modules=3)
    sync()
    one, many = make_user(), make_user()
    login(one)
    _progress(client, "kursus-1", 1)
    first = count_queries(lambda: client.get("/"))
    client.post("/logout")
    login(many)
    for n in range(1, 6):
        _progress(client, f"kursus-{n}", 3 if n % 2 else 1)  # some completed, some in progress
    second = count_queries(lambda: client.get("/"))
    assert first == second
    # bench/pages.py's target for any page: at most 8 (the session user, enrollments with their exam flag,
    # modules, progress, completions, JP of both sources, assignments, mentors)
    assert second <= 8, second


def test_matrix_queries_do_not_grow_with_people(client, db, write_course, sync, make_user, login, count_queries):
    for n in range(1, 4):
        write_course(f"kursus-{n}", modules=2)
    sync()
    unit = Unit(name="Unit Uji")
    db.session.add(unit)
    db.session.commit()
    supervisor = make_user("supervisor")
    db.session.add(UnitSupervisor(user_id=supervisor.id, unit_id=unit.id))
    db.session.commit()

    def add_people(count: int) -> None:
        for i in range(count):
            person = make_user()
            person.unit_id = unit.id
            db.session.commit()
            login(person)
            _progress(client, f"kursus-{1 + i % 3}", 1 + i % 2)
            client.post("/logout")

    add_people(2)
    login(supervisor)
    few = count_queries(lambda: client.get("/reports/matrix"))
    client.post("/logout")
    add_people(20)
    login(supervisor)
    assert len(db.session.scalars(select(Course)).all()) == 3
    many = count_queries(lambda: client.get("/reports/matrix"))
    assert few == many


def test_innovation_showcase_queries_do_not_grow_with_innovations_or_filters(client, db, write_course, sync,
                                                                             make_user, login, count_queries):
    from elearn.models import Innovation
    from elearn.models._types import utcnow

    write_course("kursus-1", modules=1)
    write_course("kursus-2", modules=1)
    sync()
    courses = db.session.scalars(select(Course.id).order_by(Course.id)).all()
    parent = Unit(name="Dinas")
    db.session.add(parent)
    db.session.flush()
    child = Unit(name="Kelurahan", parent_id=parent.id)
    db.session.add(child)
    db.session.commit()
    parent_id, child_id = parent.id, child.id
    viewer = make_user()

    def add_innovations(count: int) -> None:
        for i in range(count):
            author = make_user()
            author.unit_id = (parent_id, child_id)[i % 2]
            db.session.add(Innovation(user_id=author.id, course_id=courses[i % 2], title=f"Inovasi {i}",
                                      description="x", html="x", published_at=utcnow(), result_value=i,
                                      result_unit="orang", result_text="pengunjung", photo_key=f"{i:016x}",
                                      photo_type="image/png", photo_width=1600, photo_height=900, photo_alt="Foto",
                                      featured_at=utcnow() if i % 3 == 0 else None))
        db.session.commit()

    add_innovations(2)
    login(viewer)
    few = count_queries(lambda: client.get("/innovations/"))
    add_innovations(45)
    many = count_queries(lambda: client.get("/innovations/"))
    later = count_queries(lambda: client.get("/innovations/?page=3"))
    by_course = count_queries(lambda: client.get(f"/innovations/?course={courses[1]}"))
    by_unit = count_queries(lambda: client.get(f"/innovations/?unit={parent_id}&course={courses[0]}&page=2"))
    # the user, the units and topics of the filters, the count and the page (+ the unit tree when filtering by unit)
    assert few == many == later == by_course <= 5
    assert by_unit == few + 1
