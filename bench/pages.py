"""Page benchmark: module page and dashboard with 2,000 learners, against a bare route.

Run: .venv/bin/python bench/pages.py [--learners 2000] [--requests 1000] [--database-url URL ...]
                                     [--server testclient|gunicorn|both] [--questions 200]

``--database-url`` may be given more than once (``sqlite`` names a temporary SQLite file): the databases are
measured one after the other in the same run, and a last line compares the module page's share of the bare
route on each (a loaded machine shifts every figure of a run, the shares much less).

Loads the shipped courses (courses/), creates the learners with enrollments and progress,
then measures, through the WSGI app (Flask test client, in this process):
  - a bare route that returns the module page's bytes from memory (the baseline),
  - the module page of a logged-in, enrolled learner (records the view as a real one does),
  - the learner dashboard (/).
The three pages are requested in interleaved rounds, so a stall of the machine weighs on all of
them alike. Prints median, 90th percentile and worst latency, requests/second (requests over the
summed time), SQL queries per request and the ratio of requests/second to the bare route.
With --server gunicorn the same three URLs are requested over HTTP on loopback from one gunicorn
sync worker (one request at a time: the ratio compares the cost of a request as a user sees it).
Targets: at most 8 SQL queries per page whatever the data size; module page ≥ 40 % of the bare
route's throughput.

Questions (issue #15, ``--questions 200``): after the figures above (no questions on the module), that many
questions are added to the benchmarked module (every other one answered, each followed by its asker and
reported once), the bare route takes the new page's bytes, and the same servers measure again; a last
table puts the module page with 0 and with N questions side by side (its questions section is paginated,
so the figure should not move).

Page weight (issue #17, ``--weights-only`` prints just this): every shipped module page and every final
exam's attempt page, HTML plus the stylesheets and scripts it links, gzipped as deploy/nginx sends them
(bench/page_weight.py); the heaviest of each kind is printed against the budget (HTML + CSS ≤ 30 KB).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from bench.page_weight import print_weights, weigh  # noqa: E402
from elearn.models import (Course, Enrollment, Module, ModuleAnswer, ModuleProgress, ModuleQuestion,  # noqa: E402
                           PostReport, QuestionFollow, Quiz, User)
from elearn.models._types import utcnow  # noqa: E402
from elearn.services.course_sync import sync_catalog  # noqa: E402
from elearn.services.users import hash_password  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-123"


def populate(learners: int, seed: int = 7) -> None:
    """Learners enrolled in 1–3 courses with random progress (bulk inserts, one shared hash)."""
    rng = random.Random(seed)
    hashed = hash_password(PASSWORD)
    now = utcnow()
    db.session.execute(insert(User), [
        {"email": f"learner{i}@bench.example", "name": f"Pustakawan {i}", "password_hash": hashed,
         "role": "learner", "active": True, "created_at": now} for i in range(learners)])
    users = list(db.session.scalars(select(User.id).order_by(User.id)))
    courses = {c: [m for m in db.session.scalars(
        select(Module.id).where(Module.course_id == c, Module.retired_at.is_(None)).order_by(Module.position))]
        for c in db.session.scalars(select(Course.id))}
    enrollments, progress = [], []
    for uid in users:
        for cid in rng.sample(sorted(courses), k=min(len(courses), rng.randint(1, 3))):
            modules = courses[cid]
            done = rng.randint(0, len(modules))
            enrollments.append({"user_id": uid, "course_id": cid, "enrolled_at": now,
                                "completed_at": now if done == len(modules) else None,
                                "last_module_id": modules[max(done - 1, 0)]})
            progress += [{"user_id": uid, "module_id": m, "started_at": now, "last_seen_at": now,
                          "completed_at": now} for m in modules[:done]]
    db.session.execute(insert(Enrollment), enrollments)
    db.session.execute(insert(ModuleProgress), progress)
    db.session.commit()
    print(f"data: {learners} learners, {len(enrollments)} enrollments, {len(progress)} module progress rows")


def seed_questions(module_id: int, course_id: int, count: int, seed: int = 11) -> None:
    """``count`` visible questions on the module by its course's learners, every other one answered, each
    followed by its asker and reported once by another learner (bulk inserts)."""
    from datetime import timedelta

    rng = random.Random(seed)
    askers = list(db.session.scalars(select(Enrollment.user_id).where(Enrollment.course_id == course_id)))
    now = utcnow()
    rows = []
    for n in range(count):
        text = f"Pertanyaan {n}: bagaimana menerapkan **langkah {n % 7 + 1}** di perpustakaan kelurahan?"
        rows.append({"module_id": module_id, "user_id": rng.choice(askers), "text": text,
                     "html": f"<p>{text.replace('**', '')}</p>", "asked_at": now - timedelta(minutes=count - n),
                     "hidden_reason": ""})
    db.session.execute(insert(ModuleQuestion), rows)
    questions = list(db.session.execute(select(ModuleQuestion.id, ModuleQuestion.user_id, ModuleQuestion.asked_at)
                                        .where(ModuleQuestion.module_id == module_id)))
    db.session.execute(insert(ModuleAnswer), [
        {"question_id": qid, "user_id": rng.choice(askers), "text": "Jawaban", "html": "<p>Jawaban</p>",
         "answered_at": asked + timedelta(minutes=1), "hidden_reason": ""} for qid, _uid, asked in questions[::2]])
    db.session.execute(insert(QuestionFollow), [{"question_id": qid, "user_id": uid, "followed_at": asked}
                                                for qid, uid, asked in questions])
    db.session.execute(insert(PostReport), [
        {"question_id": qid, "post": f"q{qid}", "user_id": next(a for a in askers if a != uid), "reason": "uji",
         "reported_at": now, "outcome": ""} for qid, uid, _asked in questions if len(askers) > 1])
    db.session.commit()
    print(f"data: {len(questions)} questions on the module, {len(questions[::2])} answered")


def print_question_comparison(count: int, before: dict, after: dict) -> None:
    print(f"module page with 0 and with {count} questions on the module:")
    print(f"{'questions':<26}{'median ms':>10}{'p90 ms':>8}{'req/s':>8}{'SQL/req':>9}{'KB':>7}")
    for label, r in ((0, before["module page"]), (count, after["module page"])):
        queries = "-" if r["queries"] is None else str(r["queries"])
        print(f"{label:<26}{r['median_ms']:>10.2f}{r['p90_ms']:>8.2f}{r['rps']:>8.0f}{queries:>9}"
              f"{r['bytes'] / 1024:>7.1f}")
    ratio = after["module page"]["rps"] / before["module page"]["rps"] * 100
    print(f"with {count} questions the module page serves {ratio:.1f} % of its requests/second without questions")


class QueryCounter:
    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._hit)

    def _hit(self, *args):
        self.count += 1


def _summary(times: list[float], queries: int | None, size: int) -> dict:
    ordered = sorted(times)
    return {"median_ms": statistics.median(ordered) * 1000, "p90_ms": ordered[int(0.9 * (len(ordered) - 1))] * 1000,
            "max_ms": ordered[-1] * 1000, "rps": len(times) / sum(times), "queries": queries, "bytes": size}


def measure(fetch, urls: dict[str, str], n: int, counter: QueryCounter | None = None) -> dict:
    """Time ``fetch(url) -> (status, body)`` n times per URL, in interleaved rounds (bare, module page,
    dashboard, bare, …) so a stall of the machine falls on every page alike, not on whichever ran then."""
    for url in urls.values():
        fetch(url)  # warm-up
    times = {name: [] for name in urls}
    queries = {name: 0 for name in urls}
    sizes = {}
    for _ in range(n):
        for name, url in urls.items():
            before = counter.count if counter else 0
            start = time.perf_counter()
            status, body = fetch(url)
            times[name].append(time.perf_counter() - start)
            assert status == 200, (url, status)
            if counter:
                queries[name] = max(queries[name], counter.count - before)
            sizes[name] = len(body)
    return {name: _summary(times[name], queries[name] if counter else None, sizes[name]) for name in urls}


def print_report(title: str, results: dict) -> None:
    base = results["bare route (same bytes)"]["rps"]
    print(title)
    print(f"{'page':<26}{'median ms':>10}{'p90 ms':>8}{'max ms':>8}{'req/s':>8}{'SQL/req':>9}{'KB':>7}{'vs bare':>9}")
    for name, r in results.items():
        queries = "-" if r["queries"] is None else str(r["queries"])
        print(f"{name:<26}{r['median_ms']:>10.2f}{r['p90_ms']:>8.2f}{r['max_ms']:>8.1f}{r['rps']:>8.0f}{queries:>9}"
              f"{r['bytes'] / 1024:>7.1f}{r['rps'] / base * 100:>8.1f}%")
    module_ok = results["module page"]["rps"] / base >= 0.40
    queries_ok = all(r["queries"] is None or r["queries"] <= 8 for n, r in results.items()
                     if n != "bare route (same bytes)")
    print(f"targets: ≤ 8 SQL per page: {'met' if queries_ok else 'NOT met'}; "
          f"module page ≥ 40 % of bare: {'met' if module_ok else 'NOT met'}")


def run_gunicorn(url: str, tmp: Path, body: bytes, email: str, module_url: str, n: int) -> dict:
    bare_file = tmp / "bare.html"
    bare_file.write_bytes(body)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # LOG_LEVEL=WARNING: no access line per request (like gunicorn's --log-level warning below)
    env = dict(os.environ, BENCH_DATABASE_URL=url, BENCH_BARE_FILE=str(bare_file), SECRET_KEY="bench-secret",
               LOG_LEVEL="WARNING")
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--config", str(ROOT / "gunicorn.conf.py"),
                               "--workers", "1", "--bind",
                               f"127.0.0.1:{port}", "--log-level", "warning", "--chdir", str(ROOT / "bench"),
                               "_bench_wsgi:app"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        data = urllib.parse.urlencode({"email": email, "password": PASSWORD}).encode()
        opener.open(base + "/login", data=data).read()
        def fetch(url):
            with opener.open(url) as response:
                return response.status, response.read()

        return measure(fetch, {"bare route (same bytes)": base + "/__bare", "module page": base + module_url,
                               "dashboard": base + "/"}, n)
    finally:
        server.terminate()
        server.wait(timeout=30)


def weights(app, email: str) -> None:
    """Print the heaviest module page and the heaviest exam attempt page, as nginx sends them."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        now = utcnow()
        enrolled = set(db.session.scalars(select(Enrollment.course_id).where(Enrollment.user_id == user.id)))
        done = set(db.session.scalars(select(ModuleProgress.module_id).where(ModuleProgress.user_id == user.id)))
        for course_id in db.session.scalars(select(Course.id)):  # every module and exam open to this learner
            if course_id not in enrolled:
                db.session.add(Enrollment(user_id=user.id, course_id=course_id, enrolled_at=now))
        for module_id in db.session.scalars(select(Module.id).where(Module.retired_at.is_(None))):
            if module_id not in done:
                db.session.add(ModuleProgress(user_id=user.id, module_id=module_id, started_at=now,
                                              last_seen_at=now, completed_at=now))
        db.session.commit()
        pages = [f"/courses/{c}/{m}/" for c, m in db.session.execute(
            select(Course.slug, Module.slug).join(Module, Module.course_id == Course.id)
            .where(Module.retired_at.is_(None)))]
        exams = [f"/courses/{c}/quiz/{q}/" for c, q in db.session.execute(
            select(Course.slug, Quiz.slug).join(Quiz, Quiz.course_id == Course.id).where(Quiz.kind == "exam"))]
        db.session.remove()
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302

    def fetch(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.data

    modules = [weigh(fetch, url) for url in pages]
    attempts = []
    for exam in exams:
        started = client.post(exam + "start")
        assert started.status_code == 302, (exam, started.status_code)
        attempts.append(weigh(fetch, started.headers["Location"]))
    heaviest = [max(modules, key=lambda w: w.html_css), max(attempts, key=lambda w: w.html_css)]
    print(f"{len(modules)} module pages, {len(attempts)} exam attempt pages weighed; the heaviest of each:")
    print_weights(heaviest)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--database-url", action="append", default=None,
                        help="a database to measure (repeatable; 'sqlite': a temporary SQLite file)")
    parser.add_argument("--server", choices=("testclient", "gunicorn", "both"), default="both")
    parser.add_argument("--weights-only", action="store_true", help="print the page weights only (no timing)")
    parser.add_argument("--questions", type=int, default=0,
                        help="measure again with this many questions on the benchmarked module (e.g. 200)")
    args = parser.parse_args()
    if args.weights_only:
        args.learners = min(args.learners, 10)
    shares = []
    for number, url in enumerate(args.database_url or ["sqlite"]):
        if number:
            print()
        shares.append(run(args, url, weigh_pages=number == 0))
    if len(shares) > 1:
        print("\nmodule page's share of the bare route, same run: " + "; ".join(
            f"{name} " + ", ".join(f"{server} {share:.1f} %" for server, share in found.items())
            for name, found in shares))


def run(args, url: str, weigh_pages: bool) -> tuple[str, dict]:
    """Load and measure one database; returns its name and the module page's share of the bare route
    per server (without questions)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    if url == "sqlite":
        url = "sqlite:///" + str(tmp / "bench.sqlite")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    holder = {"body": b""}
    app.add_url_rule("/__bare", "bare", lambda: holder["body"])
    with app.app_context():
        db.drop_all()
        db.create_all()
        report = sync_catalog(db.session, ROOT / "courses")
        db.session.commit()
        assert report.count("added"), "no shipped courses found in courses/"
        populate(args.learners)
        course = db.session.scalar(select(Course).order_by(Course.id))
        module = db.session.scalar(select(Module).where(Module.course_id == course.id).order_by(Module.position))
        learner = db.session.scalar(
            select(User).join(Enrollment, Enrollment.user_id == User.id).where(Enrollment.course_id == course.id))
        module_url = f"/courses/{course.slug}/{module.slug}/"
        module_id, course_id = module.id, course.id
        db.session.remove()
        counter = QueryCounter(db.engine)

    if args.weights_only:
        weights(app, learner.email)
        return url.split(":")[0], {}
    client = app.test_client()
    assert client.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    holder["body"] = client.get(module_url).data
    print(f"database: {url.split(':')[0]}  requests per page: {args.requests}  module page: {module_url}")

    def fetch(url):
        response = client.get(url)
        return response.status_code, response.data

    def run_servers(suffix: str, pages: dict[str, str]) -> dict:
        """Measure on the chosen servers; returns {server: results}."""
        found = {}
        if args.server in ("testclient", "both"):
            found["testclient"] = measure(fetch, {"bare route (same bytes)": "/__bare", **pages}, args.requests,
                                          counter)
            print_report(f"through the WSGI app in this process (Flask test client){suffix}:", found["testclient"])
        if args.server in ("gunicorn", "both"):
            found["gunicorn"] = run_gunicorn(url, tmp, holder["body"], learner.email, module_url, args.requests)
            print_report(f"over HTTP on loopback, one gunicorn sync worker{suffix}:", found["gunicorn"])
        return found

    before = run_servers("", {"module page": module_url, "dashboard": "/"})
    if args.questions > 0:
        with app.app_context():
            seed_questions(module_id, course_id, args.questions)
            db.session.remove()
        holder["body"] = client.get(module_url).data
        after = run_servers(f", {args.questions} questions on the module", {"module page": module_url,
                                                                             "dashboard": "/"})
        for server in before:
            print(f"[{server}]", end=" ")
            print_question_comparison(args.questions, before[server], after[server])
    if weigh_pages:
        weights(app, learner.email)  # last: it enrols the measured learner everywhere
    with app.app_context():
        db.engine.dispose()
    names = {"testclient": "in-process", "gunicorn": "HTTP"}
    return url.split(":")[0].split("+")[0], {names[server]: _share(found) for server, found in before.items()}


def _share(results: dict) -> float:
    return results["module page"]["rps"] / results["bare route (same bytes)"]["rps"] * 100


if __name__ == "__main__":
    main()
