"""A site with something of everything, for the restore drills: users in a unit tree, a course with
an image asset, progress, open and graded attempts, certificates (one revoked), a signed credential,
a password link, assignments, feedback, an action plan and audit events."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from elearn import create_app
from elearn.extensions import db
from elearn.models import (ActionPlan, Assignment, AssignmentMember, Certificate, CourseFeedback, QuizAttempt, Unit,
                           UnitSupervisor, User)
from elearn.models._types import utcnow
from quizhelp import answer_form

PASSWORD = "kata-sandi-yang-panjang"
#: a 1×1 PNG with a few odd bytes after it, so the asset is binary all the way
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082") + b"\x00\xff\x10"
QUIZ = textwrap.dedent("""\
    ---
    pass_mark: 50
    ---
    ## Standar metadata

    Standar mana yang memiliki 15 elemen inti?

    - [x] Dublin Core
    - [ ] MARC 21

    ## Singkatan {type=short}

    Singkatan Online Public Access Catalog?

    - [x] OPAC
    """)


def make_app(url: str, folder: Path, **config):
    """An app on ``url`` with its own key file and courses folder."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "COURSES_DIR": str(folder / "courses"),
                       "SIGNING_KEY_FILE": str(folder / "signing-key.pem"), **config})


def write_course(root: Path) -> None:
    course = root / "courses" / "katalogisasi"
    (course / "assets").mkdir(parents=True, exist_ok=True)
    (course / "course.md").write_text(textwrap.dedent("""\
        ---
        title: Katalogisasi Dasar — “ejaan” & ümlaut
        summary: Ringkasan.
        language: id
        version: "2.1"
        hours: 6
        level: dasar
        topics: [katalog, metadata]
        ---
        Ikhtisar dengan gambar ![logo](assets/logo.png).
        """), encoding="utf-8")
    (course / "01-pengantar.md").write_text(
        "---\ntitle: Pengantar\nminutes: 15\nobjectives:\n  - Mengenal katalog\n---\n## Katalog\n\n"
        "![logo](assets/logo.png)\n\nIsi modul pertama.\n", encoding="utf-8")
    (course / "01-pengantar.quiz.md").write_text(QUIZ, encoding="utf-8")
    (course / "02-penutup.md").write_text("---\ntitle: Penutup\nminutes: 10\n---\nIsi modul kedua.\n",
                                          encoding="utf-8")
    (course / "exam.quiz.md").write_text(QUIZ, encoding="utf-8")
    (course / "assets" / "logo.png").write_bytes(PNG)


@dataclass
class FilledSite:
    certificate_code: str
    certificate_serial: str
    learner_name: str
    credential: dict


def _login(client, email: str, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.data[:300]


def _take(client, quiz: str, right: bool = True) -> int:
    started = client.post(f"/courses/katalogisasi/quiz/{quiz}/start")
    attempt_id = int(re.search(r"/attempts/(\d+)/", started.headers["Location"]).group(1))
    attempt = db.session.get(QuizAttempt, attempt_id)
    client.post(f"/attempts/{attempt_id}/submit", data=answer_form(attempt, right))
    return attempt_id


def _finish_course(client) -> None:
    client.post("/courses/katalogisasi/enroll")
    client.get("/courses/katalogisasi/pengantar/")
    _take(client, "pengantar", right=False)
    _take(client, "pengantar", right=True)
    client.post("/courses/katalogisasi/penutup/complete")
    _take(client, "exam")


def fill_site(app, folder: Path) -> FilledSite:
    """Migrate the empty database behind ``app`` and fill it (through the web where people would)."""
    from elearn.services.course_sync import sync_catalog
    from elearn.services.password_reset import issue_reset_token
    from elearn.services.users import create_user

    write_course(folder)
    with app.app_context():
        upgrade()
        child = Unit(name="Perpustakaan SD 1 (anak dibuat lebih dulu)")
        db.session.add(child)
        db.session.flush()
        parent = Unit(name="Dinas Perpustakaan Bontang")
        db.session.add(parent)
        db.session.flush()
        child.parent_id = parent.id  # a child whose id is smaller than its parent's
        people = {"admin": db.session.get(User, create_user(db.session, "admin@contoh.id", "Admin Uji", PASSWORD,
                                                            "admin").id)}
        for key, role, name in (("kepala", "supervisor", "Kepala Ñandú"), ("ani", "learner", "Ani Wulandari"),
                                ("budi", "learner", "Budi 김"), ("citra", "learner", "Citra Dewi"),
                                ("dodi", "learner", "Dodi Nonaktif")):
            # one argon2 hash for everyone: hashing costs half a second each
            people[key] = User(email=f"{key}@contoh.id", name=name, role=role,
                               password_hash=people["admin"].password_hash)
            db.session.add(people[key])
        db.session.flush()
        for user in people.values():
            user.unit_id = child.id
        people["ani"].nip = "198501012010011001"
        people["budi"].locale = "en"
        people["dodi"].active = False
        db.session.add(UnitSupervisor(user_id=people["kepala"].id, unit_id=parent.id))
        assert not sync_catalog(db.session, folder / "courses").failed
        db.session.commit()
        ids = {key: user.id for key, user in people.items()}

        client = app.test_client()
        client.post("/login", data={"email": "ani@contoh.id", "password": "salah-sekali"})  # audited failure
        _login(client, "ani@contoh.id")
        _finish_course(client)
        certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == ids["ani"]))
        assert certificate is not None, "the learner should have completed the course"
        credential = client.get(f"/certificates/{certificate.id}.json").get_json()
        client.post("/logout")

        _login(client, "citra@contoh.id")
        _finish_course(client)
        client.post("/logout")
        _login(client, "admin@contoh.id")
        revoked = db.session.scalar(select(Certificate).where(Certificate.user_id == ids["citra"]))
        client.post(f"/certificates/{revoked.id}/revoke", data={"reason": "issued_in_error", "note": "uji"})
        client.post("/logout")
        db.session.refresh(revoked)
        assert revoked.revoked_at is not None

        _login(client, "budi@contoh.id")
        client.post("/courses/katalogisasi/enroll")
        client.get("/courses/katalogisasi/pengantar/")
        client.post("/courses/katalogisasi/quiz/exam/start")  # left open
        client.post("/logout")

        now = utcnow()
        course_id = certificate.course_id
        assignment = Assignment(course_id=course_id, unit_id=parent.id, due_on=date(2027, 3, 31),
                                recurrence_months=12, note="Wajib", created_by_id=ids["kepala"])
        db.session.add(assignment)
        db.session.flush()
        db.session.add(AssignmentMember(assignment_id=assignment.id, user_id=ids["budi"]))
        db.session.add(CourseFeedback(user_id=ids["ani"], course_id=course_id, rating=5, comment="Bagus “sekali”"))
        db.session.add(ActionPlan(user_id=ids["ani"], course_id=course_id, kind="literacy_class", title="Kelas literasi",
                                  description="Setiap Sabtu", planned_on=date(2027, 1, 9),
                                  carried_out_at=now - timedelta(days=1)))
        issue_reset_token(db.session, ids["dodi"], actor_id=ids["admin"])
        db.session.commit()
        filled = FilledSite(certificate.code, certificate.serial, "Ani Wulandari", credential)
        db.engine.dispose()
    return filled


def all_rows(app) -> dict[str, list[tuple]]:
    """Every row of every table, ordered by primary key, read through the models' types."""
    with app.app_context():
        with db.engine.connect() as conn:
            rows = {table.name: [tuple(row) for row in conn.execute(
                        select(table).order_by(*table.primary_key.columns))]
                    for table in db.metadata.sorted_tables}
            rows["alembic_version"] = [tuple(r) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
        db.engine.dispose()
    return rows
