"""Two learners who used every feature, built through the web as people do it, for the privacy tests.

Siti and Budi work in the same unit under one supervisor. Each acknowledged the privacy notice,
enrolled in two courses, passed a module quiz (typing a wrong short answer of their own words),
passed the final exam, earned two certificates, rated a course with a comment, submitted an action
plan the supervisor commented on and marked carried out, was assigned a course by name, asked for
their data archive, changed their profile, failed a login once; an admin issued them a password link;
the supervisor opened their transcript and a certificate.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from sqlalchemy import select

from elearn.models import Assignment, AssignmentMember, Course, QuizAttempt, Unit, UnitSupervisor, User
from elearn.models._types import utcnow
from quizhelp import answer_form

MODULE_QUIZ = textwrap.dedent("""\
    ---
    pass_mark: 60
    ---
    ## Standar metadata

    Standar mana yang memiliki 15 elemen inti?

    - [x] Dublin Core
      > RAHASIA-UMPAN-BALIK-BENAR
    - [ ] MARC 21

    > RAHASIA-PENJELASAN

    ## Singkatan {type=short}

    Singkatan Online Public Access Catalog?

    - [x] OPAC

    ## Salinan {type=numeric}

    Berapa salinan menurut aturan 3-2-1?

    - [x] 3
    """)
EXAM = textwrap.dedent("""\
    ---
    pass_mark: 50
    ---
    ## Layanan

    Layanan mana yang mendekatkan buku ke pembaca?

    - [x] Perpustakaan keliling
    - [ ] Gudang arsip
    """)


@dataclass
class Person:
    user: User
    name: str
    email: str
    nip: str
    #: everything they (or others about them) wrote in free text
    texts: list[str] = field(default_factory=list)

    @property
    def needles(self) -> list[str]:
        return [self.name, self.email, self.nip]


@dataclass
class World:
    siti: Person
    budi: Person
    supervisor: User
    admin: User
    second_admin: User
    unit: Unit
    course_ids: dict[str, int]


def _finish_module_quiz(client, db, person: Person, slug: str) -> None:
    response = client.post(f"/courses/{slug}/quiz/modul-1/start")
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    data = answer_form(db.session.get(QuizAttempt, attempt_id), right=True)
    short = next(q for q in db.session.get(QuizAttempt, attempt_id).questions if q["type"] == "short")
    typed = f"jawaban isian {person.name.split()[0]} {person.nip[-4:]}"
    data[f"q-{short['key']}"] = typed  # wrong, in their own words: 2 of 3 right still passes
    person.texts.append(typed)
    assert client.post(f"/attempts/{attempt_id}/submit", data=data).status_code == 302


def _finish_exam(client, db, slug: str) -> None:
    response = client.post(f"/courses/{slug}/quiz/exam/start")
    assert response.status_code == 302, response.data[:300]
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    client.post(f"/attempts/{attempt_id}/submit", data=answer_form(db.session.get(QuizAttempt, attempt_id), True))


def _use_everything(client, db, login, person: Person) -> None:
    login(person.user)
    client.post("/privacy/acknowledge", data={"next": "/"})
    client.post("/courses/literasi/enroll")
    _finish_module_quiz(client, db, person, "literasi")
    assert client.post("/courses/literasi/modul-2/complete").status_code == 302
    _finish_exam(client, db, "literasi")
    client.post("/courses/arsip/enroll")
    assert client.post("/courses/arsip/modul-1/complete").status_code == 302
    comment = f"Komentar pribadi {person.name}: materinya bagus"
    assert client.post("/courses/literasi/feedback", data={"rating": "4", "comment": comment}).status_code == 302
    title, description = f"Kelas literasi oleh {person.name}", f"Rencana rinci {person.nip[-6:]} untuk desa"
    assert client.post("/courses/literasi/action-plan", data={
        "kind": "literacy_class", "title": title, "description": description}).status_code == 302
    person.texts += [comment, title, description]
    assert client.post("/account", data={"name": person.name, "nip": person.nip, "unit_id": str(person.user.unit_id),
                                         "locale": "id"}).status_code == 302
    assert client.post("/account/data/export").status_code == 302
    client.post("/logout")
    client.post("/login", data={"email": person.email, "password": "salah-sekali"})


def build_world(client, db, write_course, sync, make_user, login) -> World:
    for slug, title, quiz in (("literasi", "Literasi Informasi", True), ("arsip", "Dasar Kearsipan", False)):
        folder = write_course(slug, title=title, modules=2 if quiz else 1)
        if quiz:
            (folder / "01-modul-1.quiz.md").write_text(MODULE_QUIZ, encoding="utf-8")
            (folder / "exam.quiz.md").write_text(EXAM, encoding="utf-8")
    assert not sync().failed
    unit = Unit(name="Perpustakaan Kelurahan Api-Api")
    db.session.add(unit)
    db.session.commit()
    supervisor = make_user("supervisor", name="Kepala Perpustakaan Api-Api", email="kepala@example.org")
    admin = make_user("admin", name="Admin Dinas", email="admin@example.org")
    second_admin = make_user("admin", name="Admin Kedua", email="admin2@example.org")
    db.session.add(UnitSupervisor(user_id=supervisor.id, unit_id=unit.id))
    people = []
    for name, email, nip in (("Siti Rahmawati", "siti.rahmawati@example.org", "198703122010012004"),
                             ("Budi Santoso", "budi.santoso@example.org", "197911052006041003")):
        user = make_user(name=name, email=email)
        user.unit_id, user.nip = unit.id, nip
        people.append(Person(user, name, email, nip))
    db.session.commit()
    course_ids = {c.slug: c.id for c in db.session.scalars(select(Course))}
    assignment = Assignment(course_id=course_ids["arsip"], unit_id=None, due_on=utcnow().date(),
                            note="Selesaikan sebelum akhir bulan", created_by_id=supervisor.id)
    db.session.add(assignment)
    db.session.flush()
    db.session.add_all([AssignmentMember(assignment_id=assignment.id, user_id=p.user.id) for p in people])
    db.session.commit()
    for person in people:
        _use_everything(client, db, login, person)
    login(supervisor)
    from elearn.models import ActionPlan

    for person in people:
        plan = db.session.scalar(select(ActionPlan).where(ActionPlan.user_id == person.user.id))
        remark = f"Tanggapan pembina untuk {person.name}"
        assert client.post(f"/reports/action-plans/{plan.id}", data={
            f"p{plan.id}-comment": remark, f"p{plan.id}-carried_out": "1"}).status_code == 302
        person.texts.append(remark)
        assert client.get(f"/users/{person.user.id}/transcript/").status_code == 200
    client.post("/logout")
    login(admin)
    for person in people:
        assert client.post(f"/admin/users/{person.user.id}/reset-link").status_code == 200
    client.post("/logout")
    return World(people[0], people[1], supervisor, admin, second_admin, unit, course_ids)
