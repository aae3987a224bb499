"""Screenshot regression: the main pages at 390 and 1280 px compared with committed baselines.

Each page is shot in Debian's chromium (fonts: the machine's installed ones), viewport 1200 px tall
(only the viewport is kept), animations off and the caret hidden. What differs from run to run is made
constant before the shot: dates and years, times, the certificate's code, the server's port, and the QR
code (masked). The picture is reduced to a 256-colour palette (also how the baseline is stored, to keep
the files small) and compared pixel by pixel with ``tests/e2e/baselines/<page>-<width>.png``: it fails
when more than ``TOLERANCE`` of the pixels differ by more than ``CHANNEL_DELTA`` in a colour channel,
or when the size differs. On failure the new picture and a difference image are written to
``$SCREENSHOT_DIR`` (default ``<tmp>/binapustaka-screens``).

Refresh the baselines after an intended visual change (then look at them before committing):

    UPDATE_BASELINES=1 .venv/bin/python -m pytest tests/e2e/test_screenshots.py -q

(``make screens`` does the same.) The same test runs axe in the dark scheme on every page of the list.
"""
from __future__ import annotations

import io
import os
import tempfile
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.conftest import PASSWORD
from tests.e2e.conftest import AXE, describe, log_in

pytestmark = pytest.mark.e2e

BASELINES = Path(__file__).parent / "baselines"
ARTIFACTS = Path(os.environ.get("SCREENSHOT_DIR", Path(tempfile.gettempdir()) / "binapustaka-screens"))
UPDATE = os.environ.get("UPDATE_BASELINES") == "1"
WIDTHS = (390, 1280)
HEIGHT = 1200
TOLERANCE = 0.002  # share of pixels allowed to differ (anti-aliasing, palette rounding)
CHANNEL_DELTA = 48  # a pixel differs when a channel moves more than this (0-255)

QUIZ = textwrap.dedent("""\
    ---
    pass_mark: 50
    ---
    ## Standar metadata

    Standar mana yang memiliki 15 elemen inti?

    - [x] Dublin Core
    - [ ] MARC 21
    - [ ] ISBD
    """)

#: Text that changes between runs, made constant in the page before the shot.
STEADY_TEXT = r"""([code, display]) => {
  const months = 'Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember|'
               + 'Jan|Feb|Mar|Apr|Jun|Jul|Agu|Agt|Sep|Okt|Nov|Des';
  const rules = [
    [new RegExp('\\b\\d{1,2} (' + months + ')\\.?( \\d{4})?\\b', 'g'), (m, _, y) => '15 Juni' + (y ? ' 2026' : '')],
    [/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g, '15/06/2026'],
    [/\b20\d\d-\d\d-\d\d\b/g, '2026-06-15'],
    [/\b20\d\d\b/g, '2026'],
    [/\b\d{1,2}[.:]\d\d( WITA)?\b/g, (m, z) => '08.00' + (z || '')],
    [/127\.0\.0\.1:\d+/g, 'binapustaka.example'],
  ];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let text = node.nodeValue;
    for (const secret of [code, display]) if (secret) text = text.split(secret).join('KODE-CONTOH');
    for (const [re, to] of rules) text = text.replace(re, to);
    if (text !== node.nodeValue) node.nodeValue = text;
  }
  document.querySelectorAll('input[type=date]').forEach(el => { if (el.value) el.value = '2026-06-15'; });
}"""


@pytest.fixture
def world(app, db, client, write_course, sync, make_user):
    """Fixed names and titles; dates relative to today (the shot makes them constant)."""
    from sqlalchemy import select

    from elearn.models import Assignment, Certificate, Course, QuizAttempt, Unit, UnitSupervisor
    from elearn.models._types import utcnow
    from elearn.services.dates import local_today

    for n in range(1, 7):
        write_course(f"kursus-{n}", modules=3, title=f"Pengelolaan Perpustakaan Tingkat {n}")
    quiz_course = write_course("katalogisasi", modules=1, title="Katalogisasi Dasar")
    (quiz_course / "exam.quiz.md").write_text(QUIZ, encoding="utf-8")
    assert not sync().failed
    unit = Unit(name="Perpustakaan Umum Kota Bontang")
    db.session.add(unit)
    db.session.flush()
    learner = make_user(name="Siti Rahmawati", email="siti@example.id")
    supervisor = make_user("supervisor", name="Kepala Perpustakaan", email="kepala@example.id")
    others = [make_user(name=f"Pustakawan Nomor {n}", email=f"pustakawan{n}@example.id") for n in range(1, 6)]
    for person in (learner, supervisor, *others):
        person.unit_id = unit.id
    db.session.add(UnitSupervisor(user_id=supervisor.id, unit_id=unit.id))
    ids = {c.slug: c.id for c in db.session.scalars(select(Course))}
    today = local_today(utcnow(), app.config["TIME_ZONE"])
    db.session.add(Assignment(course_id=ids["kursus-3"], unit_id=unit.id, due_on=today - timedelta(days=3),
                              created_by_id=supervisor.id))
    db.session.add(Assignment(course_id=ids["kursus-4"], unit_id=unit.id, due_on=today + timedelta(days=5),
                              created_by_id=supervisor.id))
    db.session.commit()

    def as_user(person, steps):
        client.post("/login", data={"email": person.email, "password": PASSWORD})
        steps()
        client.post("/logout")

    def learner_steps():
        client.post("/privacy/acknowledge")  # the first-visit notice would otherwise fill the screen
        for slug in ("kursus-1", "kursus-2", "kursus-3", "kursus-4", "katalogisasi"):
            client.post(f"/courses/{slug}/enroll")
        client.post("/courses/kursus-1/modul-1/complete")
        for n in (1, 2, 3):
            client.post(f"/courses/kursus-2/modul-{n}/complete")
        client.post("/courses/katalogisasi/modul-1/complete")

    as_user(learner, learner_steps)
    as_user(supervisor, lambda: client.post("/privacy/acknowledge"))
    for n, person in enumerate(others[:3], start=1):
        as_user(person, lambda: [client.post("/courses/kursus-2/enroll"),
                                 *[client.post(f"/courses/kursus-2/modul-{m}/complete") for m in range(1, n + 1)]])

    # an open exam attempt for the quiz page
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    client.post("/courses/katalogisasi/quiz/exam/start")
    client.post("/logout")
    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt is not None and attempt.submitted_at is None
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == learner.id))
    assert certificate is not None
    return {"learner": learner, "supervisor": supervisor, "certificate": certificate, "attempt": attempt}


def _pages(world):
    """(name, who, url) in a fixed order; who is 'learner', 'supervisor' or None (anonymous)."""
    c = world["certificate"]
    return [
        ("dashboard", "learner", "/"),
        ("catalogue", "learner", "/courses/"),
        ("course", "learner", "/courses/kursus-1/"),
        ("module", "learner", "/courses/kursus-1/modul-2/"),
        ("quiz-attempt", "learner", f"/attempts/{world['attempt'].id}/"),
        ("certificate", "learner", f"/certificates/{c.id}/"),
        ("verify", None, f"/verify/{c.code}"),
        ("matrix", "supervisor", "/reports/matrix"),
        ("course-results", "supervisor", "/reports/courses/kursus-2"),
    ]


def _context(browser, site_url, user, width, scheme="light"):
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, locale="id-ID", bypass_csp=True,
                                  color_scheme=scheme, timezone_id="Asia/Makassar", reduced_motion="reduce")
    page = context.new_page()
    if user is not None:
        log_in(page, site_url, user)
    return context, page


def shoot(page, certificate) -> Image.Image:
    """The viewport as a 256-colour picture, with changing text made constant."""
    page.wait_for_load_state("networkidle")  # scripts that fill in a page (offline size) have finished
    page.evaluate(STEADY_TEXT, [certificate.code, getattr(certificate, "code_display", None)])
    page.evaluate("document.activeElement && document.activeElement.blur()")
    png = page.screenshot(animations="disabled", caret="hide", scale="css",
                          mask=[page.locator(".qr, img[src^='data:']")], mask_color="#888888")
    return Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)


def difference(baseline: Image.Image, shot: Image.Image) -> tuple[float, Image.Image | None]:
    """Share of pixels differing by more than CHANNEL_DELTA, and the difference mask (1.0 if sizes differ)."""
    if baseline.size != shot.size:
        return 1.0, None
    delta = ImageChops.difference(baseline.convert("RGB"), shot.convert("RGB"))
    channels = [band.point(lambda v: 255 if v > CHANNEL_DELTA else 0) for band in delta.split()]
    mask = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    changed = mask.histogram()[255]
    return changed / (shot.size[0] * shot.size[1]), mask


def _check(name: str, shot: Image.Image) -> str | None:
    path = BASELINES / f"{name}.png"
    if UPDATE or not path.exists():
        if not UPDATE:
            return f"{name}: no baseline {path.name} (run with UPDATE_BASELINES=1 and commit it)"
        BASELINES.mkdir(parents=True, exist_ok=True)
        shot.save(path, optimize=True)
        return None
    share, mask = difference(Image.open(path), shot)
    if share <= TOLERANCE:
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot.save(ARTIFACTS / f"{name}-actual.png")
    if mask is not None:
        mask.save(ARTIFACTS / f"{name}-diff.png")
    return f"{name}: {share:.2%} of pixels differ (allowed {TOLERANCE:.2%}); see {ARTIFACTS}/{name}-actual.png"


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_look_as_their_baselines(browser, site_url, world, width):
    failures = []
    contexts = {}
    for name, who, url in _pages(world):
        if who not in contexts:
            contexts[who] = _context(browser, site_url, world[who] if who else None, width)
        page = contexts[who][1]
        response = page.goto(site_url + url)
        assert response.status == 200, f"{url}: {response.status}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{url} wider than {width} px"
        if (problem := _check(f"{name}-{width}", shoot(page, world["certificate"]))):
            failures.append(problem)
    for context, _ in contexts.values():
        context.close()
    assert not failures, "\n".join(failures)


def test_pages_pass_axe_in_the_dark_scheme(browser, site_url, world):
    """axe (serious and critical) on each page of the screenshot list, dark scheme, 390 and 1280 px."""
    found = []
    for width in WIDTHS:
        contexts = {}
        for name, who, url in _pages(world):
            if who not in contexts:
                contexts[who] = _context(browser, site_url, world[who] if who else None, width, "dark")
            page = contexts[who][1]
            page.goto(site_url + url)
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            violations = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if violations:
                found.append(f"{url} at {width} px (dark):\n{describe(violations)}")
        for context, _ in contexts.values():
            context.close()
    assert not found, "\n".join(found)


def test_the_comparison_catches_a_changed_picture():
    """The comparison itself: identical passes, a moved block fails, a different size fails."""
    base = Image.new("RGB", (200, 100), "white")
    same_share, _ = difference(base, base.copy())
    changed = base.copy()
    changed.paste((30, 30, 30), (10, 10, 60, 40))  # a 50×30 dark block: 7.5 % of the pixels
    changed_share, _ = difference(base, changed)
    faint = base.copy()
    faint.paste((250, 250, 250), (0, 0, 200, 100))  # rounding-level noise everywhere
    faint_share, _ = difference(base, faint)
    assert same_share == 0 and faint_share == 0
    assert changed_share == pytest.approx(0.075) and changed_share > TOLERANCE
    assert difference(base, Image.new("RGB", (200, 101), "white"))[0] == 1.0
