"""Sync benchmark: a generated corpus of 1,000 modules, first sync vs unchanged re-sync.

Run: .venv/bin/python bench/sync.py [--modules 1000] [--database-url URL]
Prints the two timings and their ratio (goal: unchanged re-sync < 10 % of the first sync).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.services.course_sync import sync_catalog  # noqa: E402

MODULE_BODY = """
## Pengantar {n}

Perpustakaan desa di Bontang melayani **{n} pengunjung** setiap bulan. Modul ini membahas
cara mencatat, menata, dan melestarikan koleksi digital.

- Seleksi bahan
  - Kriteria nilai informasi
  - Kondisi fisik
- Pemindaian

| Format | Kegunaan | Catatan |
|:-------|:--------:|--------:|
| TIFF   | master   | tanpa kompresi |
| JPEG   | akses    | ukuran kecil |

::: callout Catatan
Simpan **tiga salinan** data di dua media berbeda, satu di luar lokasi.
:::

:::: challenge Latihan
Tuliskan rencana pemindaian untuk 100 halaman naskah.

::: solution
Mulai dari seleksi, lalu uji pemindaian pada 5 halaman.
:::
::::

Lihat juga [modul sebelumnya](01-modul-1.md) dan catatan kaki.[^1]

[^1]: Sumber: pedoman digitalisasi.
"""


def write_corpus(root: Path, modules: int, per_course: int = 20) -> None:
    for c in range(modules // per_course):
        folder = root / f"kursus-{c:03d}"
        folder.mkdir(parents=True)
        (folder / "course.md").write_text(
            f"---\ntitle: Kursus {c}\nsummary: Kursus uji {c}.\nlanguage: id\nversion: '1'\nhours: 4\n"
            f"level: dasar\n---\nIkhtisar kursus {c}.\n", encoding="utf-8")
        for n in range(1, per_course + 1):
            (folder / f"{n:02d}-modul-{n}.md").write_text(
                f"---\ntitle: Modul {n}\nminutes: 30\nobjectives: [Memahami bagian {n}]\n---\n"
                + MODULE_BODY.format(n=f"{c}.{n}") * 4, encoding="utf-8")


def timed_sync(root: Path):
    start = time.perf_counter()
    report = sync_catalog(db.session, root)
    db.session.commit()
    return time.perf_counter() - start, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        write_corpus(tmp / "courses", args.modules)
        url = args.database_url or "sqlite:///" + str(tmp / "bench.sqlite")
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.drop_all()
            db.create_all()
            first, report = timed_sync(tmp / "courses")
            assert report.module_total("modules_added") == args.modules, report.problems[:5]
            again, report2 = timed_sync(tmp / "courses")
            assert report2.rendered_modules == 0 and report2.module_total("modules_unchanged") == args.modules
            db.drop_all()
        ratio = again / first
        print(f"modules: {args.modules}  database: {url.split(':')[0]}")
        print(f"first sync:      {first:8.3f} s  ({args.modules / first:7.1f} modules/s)")
        print(f"unchanged sync:  {again:8.3f} s")
        print(f"ratio:           {ratio * 100:8.2f} %  (goal < 10 %: {'met' if ratio < 0.10 else 'NOT met'})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
