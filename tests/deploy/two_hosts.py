"""The production recipe, run: two app hosts behind nginx on loopback, one PostgreSQL, one Redis.

Each host is a gunicorn started from its own copy of the repository (own instance folder, own
courses folder, own metrics folder; nothing on disk shared). nginx runs the shipped
``deploy/nginx`` files (the http-level maps, the HTTPS server block and the app snippet) with only
ports, certificate and paths changed, on three loopback ports: the front (both hosts) and one per
host, so a step can name the host it goes through. Which host answered is read from the hosts'
own JSON logs by the request id nginx gave the request.

It proves: a session made on host 1 works on host 2; the 11th failed login counts across hosts;
a certificate issued on host 1 verifies and its credential's signature checks on host 2; a course
synced through host 1 is served by host 2 at once; killing host 1 mid-exam loses no submitted
answer (nginx retries idempotent requests, and a POST only when it never reached a host).

Run: ``make test-deploy`` (or ``python tests/deploy/two_hosts.py``). Needs nginx (installed from
Debian when missing and running as root), PostgreSQL (TEST_DATABASE_URL's server, default
postgres@127.0.0.1:5432) and Redis on 127.0.0.1:6379 (DEPLOY_TEST_REDIS_DB, default 12, is flushed).
Cleans up after itself: processes, the database it made, the Redis database, the temp folder.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (CHECKS, Browser, Hosts, Nginx, check, free_port, make_certificate, phase,  # noqa: E402
                     postgres_admin_url, redis_client)

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "kata-sandi-uji-dua-host"
LEARNERS = 8
PUBLISHED = textwrap.dedent("""\
    ---
    title: Layanan Referensi Digital
    summary: Kursus yang diterbitkan saat uji dua host.
    language: id
    version: "1.0"
    hours: 2
    level: dasar
    topics: [referensi]
    ---
    Ikhtisar kursus.
    """)
EXAM_COURSE = PUBLISHED.replace("Layanan Referensi Digital", "Ujian Katalogisasi").replace("hours: 2", "hours: 4")
EXAM = textwrap.dedent("""\
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


def write_courses(folder: Path) -> None:
    exam = folder / "ujian"
    exam.mkdir(parents=True)
    (exam / "course.md").write_text(EXAM_COURSE, encoding="utf-8")
    (exam / "01-bacaan.md").write_text("---\ntitle: Bacaan\nminutes: 5\n---\nBacaan sebelum ujian.\n", encoding="utf-8")
    (exam / "exam.quiz.md").write_text(EXAM, encoding="utf-8")


def publish(folder: Path, text: str) -> None:
    course = folder / "referensi"
    course.mkdir(exist_ok=True)
    (course / "course.md").write_text(PUBLISHED, encoding="utf-8")
    (course / "01-layanan.md").write_text(f"---\ntitle: Layanan\nminutes: 10\n---\n{text}\n", encoding="utf-8")


def setup_users(hosts: Hosts) -> None:
    script = textwrap.dedent(f"""\
        from elearn import create_app
        from elearn.extensions import db
        from elearn.models import User
        from elearn.services.users import create_user
        app = create_app()
        with app.app_context():
            first = db.session.get(User, create_user(db.session, "admin@uji.id", "Admin Uji", {PASSWORD!r}, "admin").id)
            emails = ["ani@uji.id", "sasaran@uji.id"] + [f"peserta{{i}}@uji.id" for i in range({LEARNERS})]
            for email in emails:  # one argon2 hash for all: each costs half a second
                db.session.add(User(email=email, name=email.split("@")[0].title(), role="learner",
                                    password_hash=first.password_hash))
            db.session.commit()
        """)
    hosts.run(1, [sys.executable, "-c", script])


def main() -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="binapustaka-two-hosts-"))
    admin_url = postgres_admin_url()
    database = f"{admin_url.database}_twohosts_{uuid.uuid4().hex[:6]}"
    redis_db = int(os.environ.get("DEPLOY_TEST_REDIS_DB", 12))
    redis = redis_client(redis_db)
    hosts = nginx = None
    try:
        with phase("set-up: two working copies, database, users, courses, gunicorn × 2, nginx"):
            Nginx.ensure_installed()
            redis.flushdb()
            cert, key = make_certificate(work)
            hosts = Hosts(ROOT, work, admin_url, database, redis_db)
            hosts.create_database()
            write_courses(hosts.courses(1))
            hosts.run(1, [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"])
            setup_users(hosts)
            hosts.run(1, [sys.executable, "-m", "flask", "--app", "wsgi", "courses", "sync"])
            hosts.start()
            ports = {"front": free_port(), 1: free_port(), 2: free_port()}
            nginx = Nginx(ROOT, work, cert, key, ports, hosts.ports, hosts.copy(1))
            nginx.start()
            browser = Browser(cert, nginx.ports, hosts)

        with phase("a session made on host 1 works on host 2"):
            ani = browser.person()
            login = ani.login("ani@uji.id", PASSWORD, via=1)
            check(login.status == 302, f"login answered {login.status}" + (
                "" if login.status == 302 else f": {browser.visible_text(login)[:300]}"))
            check(hosts.served_by(login) == 1, "the login went to host 1")
            home = ani.get("/", via=2)
            check(home.status == 200 and "Ani" in home.text and "Keluar" in home.text,
                  "host 2 shows the signed-in page")
            check(hosts.served_by(home) == 2, "the page came from host 2")

        with phase("a course synced through host 1 is served by host 2 at once"):
            publish(hosts.courses(1), "Teks versi pertama.")
            hosts.run(1, [sys.executable, "-m", "flask", "--app", "wsgi", "courses", "sync"])
            overview = ani.get("/courses/referensi/", via=2)
            check(overview.status == 200 and "Layanan Referensi Digital" in overview.text, "host 2 lists the course")
            ani.post("/courses/referensi/enroll", via=2)
            first = ani.get("/courses/referensi/layanan/", via=2)
            check("Teks versi pertama." in first.text, "host 2 shows the module")
            publish(hosts.courses(1), "Teks versi kedua.")
            hosts.run(1, [sys.executable, "-m", "flask", "--app", "wsgi", "courses", "sync"])
            second = ani.get("/courses/referensi/layanan/", via=2)
            check("Teks versi kedua." in second.text and "versi pertama" not in second.text,
                  "host 2 shows the new text without a restart (its page cache follows the database)")

        with phase("a certificate issued on host 1 verifies, and its credential checks, on host 2"):
            done = ani.post("/courses/referensi/layanan/complete", via=1)
            check(done.status == 302 and hosts.served_by(done) == 1, "host 1 completed the course")
            listing = ani.get("/certificates/", via=2)
            certificate_id = browser.first_match(r'href="/certificates/(\d+)/"', listing.text)
            credential = ani.get(f"/certificates/{certificate_id}.json", via=1)
            check(hosts.served_by(credential) == 1, "the credential was signed by host 1")
            document = credential.json()
            code = document["id"].rsplit("/", 1)[-1]
            check(document["id"].startswith(f"https://127.0.0.1:{nginx.ports[1]}/verify/"),
                  "the credential's address is the public https one (X-Forwarded-Proto and -Host believed)")
            page = browser.person().get(f"/verify/{code}", via=2)
            check(page.status == 200 and "Ani" in page.text and "Layanan Referensi Digital" in page.text,
                  "host 2's public verification page shows the certificate")
            credential_file = work / "kredensial.json"
            credential_file.write_text(credential.text, encoding="utf-8")
            verified = hosts.run(2, [sys.executable, "-m", "flask", "--app", "wsgi", "certificates", "verify",
                                     str(credential_file)], check=False)
            check(verified.returncode == 0 and "valid:" in verified.stdout,
                  f"host 2 checks host 1's signature: {verified.stdout.strip()} {verified.stderr.strip()[-300:]}")
            keys = [[method["publicKeyMultibase"] for method in browser.person().get(
                "/.well-known/binapustaka-keys.json", via=n).json()["assertionMethod"]] for n in (1, 2)]
            check(keys[0] == keys[1], f"both hosts publish the same key ({keys[0][0][:16]}…)")

        with phase("login limits are shared: per account (database) and per address (Redis), whichever host"):
            redis.flushdb()
            attacker = browser.person()
            served = set()
            # per account: five failures, then each further one delays the account (kept in the database)
            for attempt in range(1, 7):
                failed = attacker.login("sasaran@uji.id", "salah-" + str(attempt), via=1 + attempt % 2)
                check(failed.status == 200, f"failed login {attempt} on the account answered {failed.status}")
                served.add(hosts.served_by(failed))
            check(served == {1, 2}, "the failures on the account were spread over both hosts")
            for via in (1, 2):
                blocked = attacker.login("sasaran@uji.id", PASSWORD, via=via)
                check(blocked.status == 429, f"the delayed account (right password even) answered {blocked.status} "
                                             f"on host {via}")
            redis.flushdb()
            # per address: failures on different accounts count against the one address, in Redis
            other = browser.person()
            served = set()
            for attempt in range(1, 11):
                failed = other.login(f"orang{attempt}@uji.id", "salah-" + str(attempt), via=1 + attempt % 2)
                check(failed.status == 200, f"failed login {attempt} from the address answered {failed.status}")
                served.add(hosts.served_by(failed))
            check(served == {1, 2}, "the failures from the address were spread over both hosts")
            eleventh = other.login("orang11@uji.id", "salah-11", via=1)
            check(eleventh.status == 429, f"the 11th failure from the address answered {eleventh.status}")
            redis.flushdb()

        with phase(f"killing host 1 mid-exam loses no submitted answer ({LEARNERS} learners)"):
            learners = []
            for i in range(LEARNERS):
                person = browser.person()
                check(person.login(f"peserta{i}@uji.id", PASSWORD, via="front").status == 302, "learner login")
                person.post("/courses/ujian/enroll", via="front")
                person.post("/courses/ujian/bacaan/complete", via="front")  # the exam opens after the modules
                attempt = person.start_exam("/courses/ujian/quiz/exam/start")
                learners.append((person, attempt, f"OPAC jawaban peserta {i}"))
            print(f"    exams started on hosts {sorted({hosts.served_by(p.last) for p, _a, _t in learners})}")
            for person, attempt, text in learners[:3]:
                check(person.submit_exam(attempt, text).status == 302, "a submit before the trouble")
            # Host 1 freezes (SIGSTOP): its socket still accepts, so nginx hands it requests that never
            # come back; then it dies (SIGKILL) with them in flight, as a crashed machine would.
            hosts.freeze(1)
            waiting = browser.in_flight_on_frozen_host(learners[3:], hosts)
            hosts.kill(1)
            outcome = waiting.finish()
            check(outcome["get"].status == 200 and hosts.served_by(outcome["get"]) == 2,
                  "an attempt page in flight on the dead host was retried on host 2 (GET is idempotent)")
            check(outcome["post"].status == 502,
                  f"a submit in flight on the dead host was not resent by nginx ({outcome['post'].status}): "
                  "a POST that reached a host is never repeated by the proxy")
            person, attempt, text = outcome["post_learner"]
            again = person.submit_exam(attempt, text)
            check(again.status == 302 and hosts.served_by(again) == 2,
                  "the learner presses submit again and host 2 grades it")
            for person, attempt, text in learners[3:]:
                page = person.get(f"/attempts/{attempt['id']}/", via="front")
                check(page.status in (200, 302), f"the attempt page answers after the kill ({page.status})")
                if page.status == 200:  # still open: this learner submits now
                    check(person.submit_exam(attempt, text).status == 302, "a submit after the kill")
            first, first_attempt, first_text = learners[0]
            replay = first.submit_exam(first_attempt, "jawaban lain yang terlambat")
            check(replay.status == 302, "a replayed submit of a graded attempt gets its result")
            stored = hosts.stored_responses()
            for person, attempt, text in learners:
                check(stored.get(attempt["id"], {}).get("state") == "submitted", f"attempt {attempt['id']} submitted")
                check(text in stored[attempt["id"]]["responses"].values(),
                      f"attempt {attempt['id']} holds the answer its learner sent")
            check(len(stored) == LEARNERS, f"one attempt per learner ({len(stored)}), nothing graded twice")

        with phase("the proxy: compression, cache headers, body limit, metrics only on the hosts"):
            css = browser.person().get("/static/css/site.css", via="front", headers={"Accept-Encoding": "br"})
            check(css.headers.get("Content-Encoding") == "br", "CSS is sent with brotli")
            check(css.headers.get("Cache-Control") == "public, max-age=3600", css.headers.get("Cache-Control"))
            busted = browser.person().get("/static/css/site.css?v=1", via="front")
            check("immutable" in busted.headers.get("Cache-Control", ""), "a cache-busted URL is kept a year")
            page = browser.person().get("/verify", via="front", headers={"Accept-Encoding": "gzip"})
            check(page.headers.get("Content-Encoding") == "gzip", "pages are gzipped")
            check(page.headers.get("Strict-Transport-Security", "").startswith("max-age="), "HSTS is sent")
            big = browser.person().announce_body("/login", 17 * 1024 * 1024, via="front")
            check(big == 413, f"a 17 MB body is refused by nginx before it is sent ({big})")
            check(browser.person().get("/metrics", via="front").status == 404, "/metrics is not served through nginx")
            scraped = hosts.scrape(2)
            check('binapustaka_quiz_attempts_submitted_total' in scraped and 'endpoint="quiz.submit"' in scraped,
                  "host 2's /metrics counts the exam")
            elsewhere = browser.person(source="127.0.0.2")
            check(elsewhere.login("ani@uji.id", "salah", via="front").status == 200, "a login from 127.0.0.2")
            check("127.0.0.2" in hosts.audit_addresses(),
                  "the audit log records the client's address, not the proxy's (X-Forwarded-For believed)")
        print(f"two-host test passed in {time.monotonic() - started:.1f} s")
        print(f"two-hosts: {CHECKS['passed']} passed, 0 failed")
        return 0
    except AssertionError as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        print(f"two-hosts: {CHECKS['passed']} passed, 1 failed")
        if hosts is not None:
            hosts.show_logs()
        if nginx is not None:
            nginx.show_log()
        return 1
    finally:
        if nginx is not None:
            nginx.stop()
        if hosts is not None:
            hosts.stop()
            hosts.drop_database()
        redis.flushdb()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
