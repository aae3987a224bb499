"""Reminder benchmark: a full `notify run` over many learners, then a second run with nothing new.

Run: .venv/bin/python bench/notify.py [--learners 5000] [--units 40] [--courses 30] [--small 500]
                                      [--database-url URL]

Uses the report benchmark's data (bench/reports.py: courses, learners in units, progress, completions
and certificates), then gives every certificate an expiry spread over the next 90 days and past, and
assigns courses to units with due dates spread around today (overdue, due this week, later). Runs the
reminder rules twice at the same moment, as `notify run` does, and prints for each run the time, the
SQL statements and the notices created; the same on a small dataset (--small learners): the query
counts must be the same. Targets: the first run (deciding every notice) < 10 s, the second < 2 s.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reports import populate, write_courses  # noqa: E402
from sqlalchemy import event, select, update  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.models import Assignment, Certificate, Course, Unit  # noqa: E402
from elearn.models._types import utcnow  # noqa: E402
from elearn.services.course_sync import sync_catalog  # noqa: E402
from elearn.services.reminders import run_reminders  # noqa: E402


def add_deadlines(rng: random.Random) -> None:
    now = utcnow()
    ids = list(db.session.scalars(select(Certificate.id)))
    for cert_id in ids:
        db.session.execute(update(Certificate).where(Certificate.id == cert_id)
                           .values(expires_at=now + timedelta(days=rng.randint(-30, 90))))
    units = list(db.session.scalars(select(Unit.id)))
    courses = list(db.session.scalars(select(Course.id)))
    for unit_id in units:
        for course_id in rng.sample(courses, k=3):
            db.session.add(Assignment(course_id=course_id, unit_id=unit_id,
                                      due_on=date.today() + timedelta(days=rng.randint(-40, 40))))
    db.session.commit()


def run(url: str, learners: int, units: int, courses: int, tmp: Path) -> list[tuple[float, int, int]]:
    rng = random.Random(11)
    random.seed(11)
    root = tmp / f"courses-{learners}"
    write_courses(root, courses)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "LOG_LEVEL": "WARNING"})
    results = []
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_catalog(db.session, root)
        db.session.commit()
        facts = populate(learners, units, rng)
        add_deadlines(rng)
        print(f"data: {learners} learners in {units} units, {courses} courses, {facts['certificates']} certificates")
        db.session.remove()
        queries = {"n": 0}
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.__setitem__("n", queries["n"] + 1))
        now = utcnow()
        with app.test_request_context("/"):
            for _ in range(2):
                before, start = queries["n"], time.perf_counter()
                report = run_reminders(db.session, now, app.config["TIME_ZONE"], digest_weekday=0)
                db.session.commit()
                results.append((time.perf_counter() - start, queries["n"] - before, report.total))
        db.session.remove()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--courses", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    runs = {}
    for learners in (args.small, args.learners):
        url = args.database_url or "sqlite:///" + str(tmp / f"notify-{learners}.sqlite")
        runs[learners] = run(url, learners, args.units, args.courses, tmp)
    print(f"database: {(args.database_url or 'sqlite').split(':')[0]}")
    print(f"{'learners':>8}  {'run':<8}{'seconds':>9}{'SQL':>6}{'notices':>9}")
    for learners, results in runs.items():
        for label, (seconds, sql, created) in zip(("first", "second"), results):
            print(f"{learners:>8}  {label:<8}{seconds:>9.2f}{sql:>6}{created:>9}")
    big, small = runs[args.learners], runs[args.small]
    same = [b[1] for b in big] == [s[1] for s in small]
    print(f"targets: first run < 10 s: {'met' if big[0][0] < 10 else 'NOT met'}; second run < 2 s: "
          f"{'met' if big[1][0] < 2 else 'NOT met'}; query counts independent of learners: "
          f"{'met' if same else 'NOT met'}")


if __name__ == "__main__":
    main()
