"""Exam-day load: N learners start and submit the same quiz at once against a real gunicorn.

Run: .venv/bin/python bench/quiz_load.py [--learners 200] [--concurrency 50] [--database sqlite|postgres|both]
     [--saves 5]

For each database: builds a fresh schema, syncs a course with a quiz, creates the learners
(enrolled), starts gunicorn on a free loopback port, then runs a bounded thread pool where each
learner logs in, starts the attempt, opens it, submits it, and replays the same submit once
(a double click). Prints submissions/second and p50/p95 latency of start and submit, and asserts
that every learner has exactly one attempt, graded exactly once, with the score their answers
deserve: nothing lost, nothing graded twice. With ``--saves N`` each learner first saves drafts N
times in the background way (``save.json``, as autosave does), and once more after submitting (a
late save from a phone that was offline): p50/p95 of a save are printed, and the late save must
change nothing.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.models import Course, Enrollment, QuizAttempt, User  # noqa: E402
from elearn.models._types import utcnow  # noqa: E402
from elearn.services.course_sync import sync_catalog  # noqa: E402
from elearn.services.users import hash_password  # noqa: E402

PASSWORD = "bench-password-123"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
QUIZ = textwrap.dedent("""\
    ---
    pass_mark: 60
    time_limit_minutes: 30
    shuffle_options: true
    ---
    ## Dublin Core

    Standar mana yang memiliki 15 elemen inti?

    - [x] Dublin Core
    - [ ] MARC 21
    - [ ] ISBN

    ## OPAC {type=short}

    Singkatan Online Public Access Catalog?

    - [x] OPAC

    ## 3-2-1 {type=numeric}

    Berapa salinan data menurut aturan 3-2-1?

    - [x] 3
    """)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, learners: int, folder: Path) -> None:
    course = folder / "courses" / "ujian"
    course.mkdir(parents=True)
    (course / "course.md").write_text("---\ntitle: Ujian\nsummary: Beban ujian.\nlanguage: id\nversion: '1'\n"
                                      "hours: 2\nlevel: dasar\n---\nIkhtisar.\n", encoding="utf-8")
    (course / "01-modul.md").write_text("---\ntitle: Modul\nminutes: 10\n---\nIsi.\n", encoding="utf-8")
    (course / "01-modul.quiz.md").write_text(QUIZ, encoding="utf-8")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        report = sync_catalog(db.session, folder / "courses")
        assert not report.failed, report.problems
        hashed = hash_password(PASSWORD)
        now = utcnow()
        db.session.execute(insert(User), [{"email": f"l{i}@bench.example", "name": f"Peserta {i}",
                                           "password_hash": hashed, "role": "learner", "active": True,
                                           "created_at": now} for i in range(learners)])
        course_id = db.session.scalar(select(Course.id))
        db.session.execute(insert(Enrollment), [{"user_id": uid, "course_id": course_id, "enrolled_at": now}
                                                for uid in db.session.scalars(select(User.id))])
        db.session.commit()
        db.engine.dispose()


class Learner:
    def __init__(self, base: str, email: str, saves: int = 0):
        self.saves = saves
        self.base = base
        self.email = email
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=120) as r:
            return r.geturl(), r.read().decode()

    def post(self, path: str, data: dict) -> tuple[str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        with self.opener.open(self.base + path, data=body, timeout=120) as r:
            return r.geturl(), r.read().decode()

    @staticmethod
    def token(html: str) -> str:
        return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)

    def run(self) -> dict:
        _, html = self.get("/login")
        self.post("/login", {"csrf_token": self.token(html), "email": self.email, "password": PASSWORD})
        _, html = self.get("/courses/ujian/quiz/modul/")
        t0 = time.perf_counter()
        url, html = self.post("/courses/ujian/quiz/modul/start", {"csrf_token": self.token(html)})
        start_s = time.perf_counter() - t0
        attempt = int(re.search(r"/attempts/(\d+)/", url).group(1))
        answers = {"csrf_token": self.token(html), "q-opac": "opac", "q-3-2-1": "3"}
        label = re.search(r'name="q-dublin-core" value="(\d+)"> <span>Dublin Core', html)
        answers["q-dublin-core"] = label.group(1)
        saves = []
        for n in range(self.saves):  # answers given one by one, each change saved in the background
            draft = dict(list(answers.items())[:1 + n % len(answers)])
            t0 = time.perf_counter()
            _, reply = self.post(f"/attempts/{attempt}/save.json", draft)
            saves.append(time.perf_counter() - t0)
            assert '"code":"saved"' in reply.replace(" ", ""), reply[:300]
        t0 = time.perf_counter()
        url, result = self.post(f"/attempts/{attempt}/submit", answers)
        submit_s = time.perf_counter() - t0
        self.post(f"/attempts/{attempt}/submit", dict(answers, **{"q-opac": "salah"}))  # replayed double click
        assert "Nilai: 100%" in result, result[:500]
        if self.saves:  # a save replayed after the submit: refused, nothing changes
            _, reply = self.post(f"/attempts/{attempt}/save.json", dict(answers, **{"q-opac": "salah"}))
            assert '"code":"closed"' in reply.replace(" ", ""), reply[:300]
        return {"start": start_s, "submit": submit_s, "attempt": attempt, "saves": saves}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def run(database: str, learners: int, concurrency: int, workers: int, saves: int = 0) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-quiz-"))
    url = PG_URL if database == "postgres" else "sqlite:///" + str(folder / "load.sqlite")
    prepare(url, learners, folder)
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret", RATELIMIT_LOGIN="100000 per minute",
               RATELIMIT_QUIZ_START="100000 per minute", COURSES_DIR=str(folder / "courses"),
               LOG_LEVEL="WARNING")  # no access line per request, like gunicorn's --log-level warning
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(workers), "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(lambda i: Learner(base, f"l{i}@bench.example", saves).run(), range(learners)))
        elapsed = time.perf_counter() - t0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        attempts = db.session.scalar(select(func.count()).select_from(QuizAttempt))
        graded = db.session.execute(select(QuizAttempt.user_id, QuizAttempt.state, QuizAttempt.score)).all()
        per_user = db.session.execute(select(QuizAttempt.user_id, func.count()).group_by(QuizAttempt.user_id)).all()
        db.session.remove()  # end the read transaction, or PostgreSQL's DROP TABLE waits for it forever
        db.drop_all()
        db.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    assert attempts == learners, f"{attempts} attempts for {learners} learners"
    assert all(n == 1 for _, n in per_user), "a learner has more than one attempt"
    assert all(state == "submitted" and score == 100.0 for _, state, score in graded), \
        "an attempt was lost, left open or regraded by the replayed submit"
    starts = [r["start"] for r in results]
    submits = [r["submit"] for r in results]
    print(f"{database:<9} learners {learners}  concurrency {concurrency}  gunicorn {workers}x4 threads  "
          f"wall {elapsed:6.2f} s")
    print(f"          submissions/s {learners / elapsed:7.1f}   start p50 {statistics.median(starts) * 1000:6.0f} ms "
          f"p95 {p95(starts) * 1000:6.0f} ms   submit p50 {statistics.median(submits) * 1000:6.0f} ms "
          f"p95 {p95(submits) * 1000:6.0f} ms")
    print(f"          check: {attempts} attempts, each learner exactly one, all graded once at 100 % "
          "(the replayed submit changed nothing)")
    every_save = [s for r in results for s in r["saves"]]
    if every_save:
        print(f"          draft saves {len(every_save)}   save p50 {statistics.median(every_save) * 1000:6.0f} ms "
              f"p95 {p95(every_save) * 1000:6.0f} ms   (a save after the submit changed nothing)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--saves", type=int, default=0, help="draft saves per learner before submitting")
    args = parser.parse_args()
    for database in (["sqlite", "postgres"] if args.database == "both" else [args.database]):
        run(database, args.learners, args.concurrency, args.workers, args.saves)


if __name__ == "__main__":
    main()
