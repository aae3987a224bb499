"""Report benchmark: completion matrix, course results and XLSX export with many learners.

Run: .venv/bin/python bench/reports.py [--learners 5000] [--units 40] [--courses 30] [--small 500]
                                       [--database-url URL]

Generates 30 courses (6 modules and a 10-question exam each) and 5,000 learners in 40 units
(a city library with branches, school and village libraries) with realistic progress: each
learner enrolled in 2–6 courses, a spread from not started to completed, exam attempts and
certificates for completers, ratings and assignments. Then, as an admin (everyone) and as the
supervisor of one top unit, requests through the app (Flask test client) the matrix page, a
course-results page and the matrix XLSX export, printing the median time and SQL queries of each.
The same is repeated on a small dataset (--small learners) in the same run: the query counts must
be the same (independent of the number of learners). Target: each page under 500 ms on SQLite.
"""
from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import textwrap
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.models import (Assignment, Certificate, Completion, Course, CourseFeedback, Enrollment, Module,  # noqa: E402
                           ModuleProgress, Quiz, QuizAttempt, Unit, UnitSupervisor, User)
from elearn.models._types import utcnow  # noqa: E402
from elearn.services.course_sync import sync_catalog  # noqa: E402
from elearn.services.users import hash_password  # noqa: E402

PASSWORD = "bench-password-123"


def write_courses(root: Path, count: int) -> None:
    for c in range(count):
        folder = root / f"kursus-{c:02d}"
        folder.mkdir(parents=True)
        (folder / "course.md").write_text(textwrap.dedent(f"""\
            ---
            title: Kursus Bench {c:02d}
            summary: Kursus untuk pengukuran laporan.
            language: id
            version: "1.0"
            hours: {random.choice([2, 4, 6, 8])}
            level: dasar
            ---
            Ikhtisar.
            """), encoding="utf-8")
        for m in range(1, 7):
            (folder / f"{m:02d}-modul-{m}.md").write_text(
                f"---\ntitle: Modul {m}\nminutes: {random.choice([20, 30, 45])}\n---\n## Isi\n\nTeks modul {m}.\n",
                encoding="utf-8")
        questions = "\n".join(f"## Soal {q}\n\nPertanyaan {q}?\n\n- [x] Benar {q}\n- [ ] Salah {q}\n- [ ] Lain {q}\n"
                              for q in range(1, 11))
        (folder / "exam.quiz.md").write_text(f"---\npass_mark: 60\n---\n{questions}", encoding="utf-8")


def populate(learners: int, units: int, rng: random.Random) -> dict:
    now = utcnow()
    city = Unit(name="Perpustakaan Kota Bontang")
    db.session.add(city)
    db.session.flush()
    unit_ids = [city.id]
    for i in range(1, units):
        kind = ("Cabang", "Perpustakaan SD", "Perpustakaan SMP", "Perpustakaan Kelurahan")[i % 4]
        unit = Unit(name=f"{kind} {i:02d}", parent_id=city.id if i % 4 == 0 else None)
        db.session.add(unit)
        db.session.flush()
        unit_ids.append(unit.id)
    hashed = hash_password(PASSWORD)
    db.session.execute(insert(User), [
        {"email": f"l{i}@bench.example", "name": f"Pustakawan {i:05d}", "password_hash": hashed, "role": "learner",
         "active": True, "created_at": now, "unit_id": rng.choice(unit_ids), "nip": f"19{i:016d}"}
        for i in range(learners)])
    db.session.execute(insert(User), [
        {"email": "admin@bench.example", "name": "Admin", "password_hash": hashed, "role": "admin", "active": True,
         "created_at": now},
        {"email": "kepala@bench.example", "name": "Kepala", "password_hash": hashed, "role": "supervisor",
         "active": True, "created_at": now}])
    supervisor = db.session.scalar(select(User.id).where(User.email == "kepala@bench.example"))
    db.session.add(UnitSupervisor(user_id=supervisor, unit_id=city.id))
    users = list(db.session.scalars(select(User.id).where(User.role == "learner")))
    courses = {c.id: c for c in db.session.scalars(select(Course))}
    modules = {cid: list(db.session.scalars(select(Module.id).where(Module.course_id == cid)
                                            .order_by(Module.position))) for cid in courses}
    exams = {q.course_id: q for q in db.session.scalars(select(Quiz).where(Quiz.module_id.is_(None)))}
    enrollments, progress, attempts, certificates, ratings = [], [], [], [], []
    serial = 0
    for uid in users:
        for cid in rng.sample(sorted(courses), k=rng.randint(2, 6)):
            mods = modules[cid]
            done = rng.choice([0, 1, 2, 3, len(mods), len(mods), len(mods)])
            started = now - timedelta(days=rng.randint(5, 300))
            completed = started + timedelta(days=rng.randint(1, 60)) if done == len(mods) else None
            if completed and completed > now:
                completed = now
            enrollments.append({"user_id": uid, "course_id": cid, "enrolled_at": started, "completed_at": completed,
                                "cycle": 1, "last_module_id": mods[max(done - 1, 0)]})
            progress += [{"user_id": uid, "module_id": m, "started_at": started, "last_seen_at": started,
                          "completed_at": started + timedelta(days=1)} for m in mods[:done]]
            if completed:
                exam = exams[cid]
                marks = {q["key"]: float(rng.random() < 0.8) for q in exam.questions}
                score = round(100 * sum(marks.values()) / len(marks), 2)
                attempts.append({"quiz_id": exam.id, "user_id": uid, "number": 1, "state": "submitted",
                                 "quiz_version": exam.version, "started_at": completed, "submitted_at": completed,
                                 "questions": exam.questions, "responses": {}, "marks": marks, "score": score,
                                 "passed": True, "late": False, "rules": exam.settings})
                serial += 1
                certificates.append({
                    "serial": f"BP-2026-{serial:06d}", "code": secrets.token_hex(16).upper()[:32], "user_id": uid,
                    "course_id": cid, "cycle": 1, "learner_name": f"Pustakawan {uid}", "course_slug": courses[cid].slug,
                    "course_title": courses[cid].title, "course_version": "1.0", "hours": courses[cid].hours,
                    "score": score, "institution": "Dinas", "city": "Bontang", "signatory_name": "",
                    "signatory_title": "", "completed_at": completed, "issued_at": completed, "enrollment_key": None})
                if rng.random() < 0.5:
                    ratings.append({"user_id": uid, "course_id": cid, "rating": rng.randint(3, 5), "comment": "",
                                    "created_at": completed, "updated_at": completed})
    db.session.execute(insert(Enrollment), enrollments)
    db.session.execute(insert(ModuleProgress), progress)
    db.session.execute(insert(QuizAttempt), attempts)
    ids = dict(((e.user_id, e.course_id), e.id) for e in db.session.execute(
        select(Enrollment.user_id, Enrollment.course_id, Enrollment.id)))
    for cert in certificates:
        cert.pop("enrollment_key")
        cert["enrollment_id"] = ids[(cert["user_id"], cert["course_id"])]
    db.session.execute(insert(Certificate), certificates)
    # every certificate stands for a recorded completion (services.completion counts those)
    db.session.execute(insert(Completion), [
        {"user_id": c["user_id"], "course_id": c["course_id"], "enrollment_id": c["enrollment_id"], "cycle": 1,
         "completed_at": c["completed_at"], "hours": c["hours"], "course_version": c["course_version"],
         "score": c["score"], "placed_out": []} for c in certificates])
    db.session.execute(insert(CourseFeedback), ratings)
    for cid in sorted(courses)[:5]:
        db.session.add(Assignment(course_id=cid, unit_id=city.id, due_on=date.today() + timedelta(days=30),
                                  recurrence_months=12, created_by_id=supervisor))
    db.session.commit()
    return {"enrollments": len(enrollments), "progress": len(progress), "certificates": len(certificates),
            "slug": courses[sorted(courses)[0]].slug}


def run(url: str, learners: int, units: int, courses: int, repeat: int, tmp: Path) -> dict:
    rng = random.Random(11)
    random.seed(11)
    root = tmp / f"courses-{learners}"
    write_courses(root, courses)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "LOG_LEVEL": "WARNING"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_catalog(db.session, root)
        db.session.commit()
        started = time.perf_counter()
        facts = populate(learners, units, rng)
        print(f"data: {learners} learners in {units} units, {courses} courses, {facts['enrollments']} enrollments, "
              f"{facts['progress']} module completions, {facts['certificates']} certificates "
              f"(generated in {time.perf_counter() - started:.1f} s)")
        db.session.remove()
        queries = {"n": 0}
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.__setitem__("n", queries["n"] + 1))

    results = {}
    for who in ("admin", "kepala"):
        client = app.test_client()
        assert client.post("/login", data={"email": f"{who}@bench.example", "password": PASSWORD}).status_code == 302
        for name, path, n in (("matrix page", "/reports/matrix", repeat),
                              ("course results page", f"/reports/courses/{facts['slug']}", repeat),
                              ("matrix XLSX export", "/reports/matrix?format=xlsx", max(1, repeat // 5))):
            client.get(path)  # warm-up
            times, counts, peaks = [], [], []
            for _ in range(n):
                before = queries["n"]
                traced = "export" in name  # tracing memory slows Python down: only the exports, timed apart
                if traced:
                    tracemalloc.start()
                start = time.perf_counter()
                response = client.get(path)
                size = len(response.data)  # a streamed export is produced while it is read
                times.append(time.perf_counter() - start)
                if traced:
                    peaks.append(tracemalloc.get_traced_memory()[1])
                    tracemalloc.stop()
                    start = time.perf_counter()
                    size = len(client.get(path).data)
                    times[-1] = time.perf_counter() - start
                else:
                    peaks.append(0)
                counts.append(queries["n"] - before)
                assert response.status_code == 200, (path, response.status_code)
            results[(who, name)] = (statistics.median(times) * 1000, max(counts), size, max(peaks))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--courses", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    runs = {}
    for learners in (args.small, args.learners):
        url = args.database_url or "sqlite:///" + str(tmp / f"reports-{learners}.sqlite")
        runs[learners] = run(url, learners, args.units, args.courses, args.repeat, tmp)
    big, small = runs[args.learners], runs[args.small]
    print(f"database: {(args.database_url or 'sqlite').split(':')[0]}")
    print(f"{'viewer':<8}{'request':<22}{'median ms':>10}{'SQL':>6}{'KB':>8}{'peak MB':>9}   "
          f"{'SQL with ' + str(args.small):>14}{'peak MB':>9}")
    slow = heavy = False
    for (who, name), (ms, sql, size, peak) in big.items():
        small_sql, small_peak = small[(who, name)][1], small[(who, name)][3]
        print(f"{who:<8}{name:<22}{ms:>10.0f}{sql:>6}{size / 1024:>8.0f}{peak / 2**20:>9.1f}   "
              f"{small_sql:>14}{small_peak / 2**20:>9.1f}")
        slow = slow or ("page" in name and ms >= 500)
        heavy = heavy or peak >= 200 * 2**20
    same = all(big[k][1] == small[k][1] for k in big if "export" not in k[1])
    print("peak MB: Python memory allocated during the request (tracemalloc), the export included")
    print(f"targets: pages < 500 ms: {'NOT met' if slow else 'met'}; "
          f"page query counts independent of learners: {'met' if same else 'NOT met'} (a streamed export "
          f"runs a fixed number of queries per {500} people); memory < 200 MB: {'NOT met' if heavy else 'met'}")


if __name__ == "__main__":
    main()
