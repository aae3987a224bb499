"""Studio benchmark: preview of a 36 KB module (load + check + render + sanitize of the whole draft, as
the Pratinjau button and the live preview do) and publishing a 10-module course from the studio.

Run: .venv/bin/python bench/studio.py [--runs 40] [--database-url URL]
Prints p50/p95 of the preview (goal p95 < 150 ms) and the publish time (goal < 2 s); --profile prints
where one preview spends its time. Run it on a quiet machine: figures under load mean nothing.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.models import Course  # noqa: E402
from elearn.services.course_sync import sync_catalog  # noqa: E402
from elearn.services.course_versions import folder_files  # noqa: E402
from elearn.services.studio import check_draft, edited_files, latest_files, publish_draft  # noqa: E402
from elearn.services.users import create_user  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sync import MODULE_BODY  # noqa: E402


def module_text(n: int, size: int) -> str:
    head = f"---\ntitle: Modul {n}\nminutes: 30\nobjectives: [Memahami bagian {n}]\n---\n"
    body, k = "", 0
    while len(body.encode()) < size:
        k += 1
        body += MODULE_BODY.format(n=k).replace("## Pengantar", "## Bagian")
    return head + body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-studio-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        folder = tmp / "courses" / "kursus-bench"
        folder.mkdir(parents=True)
        (folder / "course.md").write_text("---\ntitle: Bench\nsummary: s\nlanguage: id\nversion: '1'\nhours: 4\n"
                                          "level: dasar\n---\nIkhtisar.\n", encoding="utf-8")
        for n in range(1, 11):
            (folder / f"{n:02d}-modul-{n}.md").write_text(module_text(n, 36_000 if n == 2 else 8_000),
                                                          encoding="utf-8")
        assert not sync_catalog(db.session, tmp / "courses").failed
        db.session.commit()
        user = create_user(db.session, "bench@example.org", "Bench", "kata-sandi-yang-panjang", "trainer")
        db.session.commit()
        course = db.session.scalar(select(Course))
        number, files = latest_files(db.session, course)
        text = files["02-modul-2.md"].decode()
        print(f"module 02: {len(files['02-modul-2.md']) / 1000:.1f} KB; course: {len(files)} files, "
              f"{sum(len(v) for v in files.values()) / 1000:.0f} KB")
        timings = []
        for run in range(args.runs):
            draft = edited_files(files, "02-modul-2.md", text + f"\nKalimat {run}.\n")
            start = time.perf_counter()
            result = check_draft(db.session, course, draft, preview="02-modul-2.md")
            timings.append((time.perf_counter() - start) * 1000)
            assert result.ok and result.pages
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            check_draft(db.session, course, draft, preview="02-modul-2.md")
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"preview (check + render + sanitize of the draft): p50 {statistics.median(timings):.0f} ms, "
              f"p95 {p95:.0f} ms over {args.runs} runs (goal p95 < 150 ms)")
        draft = {path: data.replace(b"Perpustakaan desa", b"Perpustakaan kota") for path, data in files.items()}
        start = time.perf_counter()
        published = publish_draft(db.session, course, draft, user_id=user.id, note="bench", base_number=number)
        db.session.commit()
        took = time.perf_counter() - start
        print(f"publish 10 modules from the studio: {took * 1000:.0f} ms (goal < 2000 ms); "
              f"version {published.version.number}")
        assert folder_files(folder) != draft


if __name__ == "__main__":
    main()
