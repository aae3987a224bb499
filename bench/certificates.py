"""Certificate benchmark: PDF generation time and public verification page throughput.

Run: .venv/bin/python bench/certificates.py [--pdfs 50] [--requests 300] [--database-url URL]

Issues a certificate (shipped course, a learner with an accented name), then:
  - renders the PDF 50 times without the in-memory cache and prints the median (and p95),
    then the median of a cached download through the app;
  - requests the public /verify/<code> page (a bare route returning the same bytes is the
    baseline in the same run) and prints median latency, requests/second, SQL per request.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.models import Course, Enrollment, User  # noqa: E402
from elearn.models._types import utcnow  # noqa: E402
from elearn.services.certificate_pdf import _render_certificate  # noqa: E402
from elearn.services.certificates import issue_certificate  # noqa: E402
from elearn.services.course_sync import sync_catalog  # noqa: E402
from elearn.services.users import create_user  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-123"


def timed(fn, n: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-cert-"))
    url = args.database_url or "sqlite:///" + str(tmp / "bench.sqlite")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "SIGNING_KEY_FILE": str(tmp / "key.pem")})
    holder = {"body": b""}
    app.add_url_rule("/__bare", "bare", lambda: holder["body"])
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_catalog(db.session, ROOT / "courses")
        created = create_user(db.session, "bench@bench.example", "Nguyễn Thị Đào Ñoño Śląski", PASSWORD, "learner")
        user = db.session.get(User, created.id)
        user.nip = "198501012010011001"
        course = db.session.scalar(select(Course).order_by(Course.id))
        enrollment = Enrollment(user_id=user.id, course_id=course.id, enrolled_at=utcnow(), completed_at=utcnow())
        db.session.add(enrollment)
        db.session.flush()
        certificate = issue_certificate(db.session, enrollment)
        db.session.commit()
        cid, code = certificate.id, certificate.code
        verify_url = f"http://localhost/verify/{code}"
        renders = timed(lambda: _render_certificate(certificate, lang="id", verify_url=verify_url,
                                                    time_zone="Asia/Makassar", state="valid"), args.pdfs)
        size = len(_render_certificate(certificate, lang="id", verify_url=verify_url, time_zone="Asia/Makassar",
                                       state="valid"))
        db.session.remove()
        queries = {"n": 0}
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.__setitem__("n", queries["n"] + 1))

    client = app.test_client()
    assert client.post("/login", data={"email": "bench@bench.example", "password": PASSWORD}).status_code == 302
    cached = timed(lambda: client.get(f"/certificates/{cid}.pdf"), args.pdfs)
    anonymous = app.test_client()
    page = anonymous.get(f"/verify/{code}")
    assert page.status_code == 200
    holder["body"] = page.data

    def rate(path: str) -> tuple[float, float, int]:
        before = queries["n"]
        times = timed(lambda: anonymous.get(path), args.requests)
        return statistics.median(times) * 1000, args.requests / sum(times), (queries["n"] - before) // (
            args.requests + 1)

    bare = rate("/__bare")
    verify = rate(f"/verify/{code}")
    p95 = sorted(renders)[int(len(renders) * 0.95) - 1]
    print(f"database: {url.split(':')[0]}")
    print(f"certificate PDF ({size / 1024:.0f} KB, fonts embedded): median {statistics.median(renders) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms over {args.pdfs} renders; cached download median "
          f"{statistics.median(cached) * 1000:.1f} ms")
    print(f"{'page':<22}{'median ms':>10}{'req/s':>9}{'SQL/req':>9}{'vs bare':>9}")
    for name, (median, rps, sql) in (("bare route (same bytes)", bare), ("/verify/<code>", verify)):
        print(f"{name:<22}{median:>10.2f}{rps:>9.0f}{sql:>9}{rps / bare[1] * 100:>8.1f}%")
    print(f"target: PDF well under 1 s: {'met' if statistics.median(renders) < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
