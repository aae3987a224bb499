"""Every page of every role on a 390 px phone: none may be wider than the screen; axe on each page
(and its colour rules again in the dark scheme).

Exhaustive by construction: the pages are the app's own GET URL rules (``app.url_map``). A rule with
parameters needs a sample (filled from the fixture data below) or an explicit, reasoned exclusion;
a rule that has neither fails the test, so a page added later is walked without anyone listing it.
Each role opens every page; what a role may not see is walked as the error page it gets.
"""
from __future__ import annotations

import io
import re
import textwrap
import time

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import AXE, describe, log_in
from tests.quizhelp import answer_form

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
ROLES = ("anonymous", "learner", "trainer", "supervisor", "admin")
#: Roles walked by one test: two tests, so two pytest-xdist workers share the walk (admin has most pages).
ROLE_GROUPS = (("anonymous", "learner", "trainer"), ("supervisor", "admin"))

#: GET rules that are not pages, and why.
EXCLUDED = {
    "/static/<path:filename>": "stylesheet and script files, not pages",
    "/courses/<slug>/assets/<path:path>": "course files (images, downloads) served as they are",
    "/certificates/<id:certificate_id>.pdf": "PDF download",
    "/certificates/<id:certificate_id>.json": "signed credential download (JSON)",
    "/transcript.pdf": "PDF download",
    "/account/data/exports/<int:export_id>.zip": "ZIP download of the person's own data",
    "/users/<id:user_id>/transcript.pdf": "PDF download",
    "/attempts/<id:attempt_id>.json": "JSON for the quiz timer script",
    "/.well-known/binapustaka-keys.json": "JSON key document",
    "/healthz": "plain-text health check for proxies",
    "/tasks/files/<id:file_id>": "a practice-task file, always an attachment download",
    "/innovations/<id:innovation_id>/photo/<key>": "an innovation's photo, an image",
    "/innovations/<id:innovation_id>/photo/<key>/thumb": "an innovation's thumbnail, an image",
    "/studio/<slug>/versions/<int:number>.zip": "ZIP download of a course version",
    "/courses/<slug>/course.<fmt>": "EPUB or PDF download of a whole course",
    "/account/data/exports/<int:export_id>.zip": "ZIP download of the person's data archive",
    "/courses/<slug>/offline.json": "JSON list of a course's pages for the phone's offline copy",
    "/account/data/exports/<int:export_id>.zip": "ZIP download of the learner's data",
}

QUIZ = textwrap.dedent("""\
    ---
    pass_mark: 50
    ---
    ## Standar metadata dengan judul yang cukup panjang untuk layar ponsel

    Standar mana yang memiliki 15 elemen inti?

    - [x] Dublin Core
    - [ ] MARC 21
    """)

TASK = textwrap.dedent("""\
    ---
    title: Rencana katalogisasi koleksi muatan lokal untuk perpustakaan kelurahan
    minutes: 60
    rubric:
      - criterion: Ruang lingkup koleksi dijelaskan dengan batas yang jelas dan dapat diukur
        points: 5
        description: Menyebut koleksi, jumlah eksemplar, dan batas waktu pengerjaan.
      - criterion: Jadwal realistis
        points: 5
    ---
    Susun rencana katalogisasi untuk satu koleksi muatan lokal.
    """)


@pytest.fixture
def world(app, db, client, write_course, sync, make_user):
    """Fixture data giving every parametrised page a sample, and the users of each role."""
    from sqlalchemy import select

    from elearn.models import (Certificate, ExternalTraining, Innovation, MentoringSession, ModuleAnswer,
                               ModuleQuestion, QuizAttempt, TaskSubmission, Unit, UnitSupervisor)
    from elearn.models._types import utcnow
    from elearn.services.dates import local_today
    from elearn.services.notification_mail import unsubscribe_token
    from elearn.services.notifications import notify
    from elearn.services.password_reset import issue_reset_token

    trainer = make_user("trainer", name="Pelatih Literasi")
    write_course("literasi-informasi-untuk-pustakawan-sekolah-dan-desa", modules=2,
                 title="Literasi Informasi untuk Pustakawan Sekolah dan Perpustakaan Desa di Kota Bontang")
    quiz_course = write_course("kursus-kuis", modules=1, title="Katalogisasi Dasar",
                               extra_front=f"trainers: [{trainer.email}]")
    (quiz_course / "01-modul-1.quiz.md").write_text(QUIZ, encoding="utf-8")
    (quiz_course / "exam.quiz.md").write_text(QUIZ, encoding="utf-8")
    (quiz_course / "01-modul-1.task.md").write_text(TASK, encoding="utf-8")
    (quiz_course / "glossary.md").write_text(
        "---\ntitle: Glosarium\n---\nKatalogisasi deskriptif berbasis Resource Description and Access\n"
        ":   Penyusunan deskripsi bahan perpustakaan menurut aturan RDA, dengan istilah yang panjang.\n",
        encoding="utf-8")
    assert not sync().failed
    module = quiz_course / "01-modul-1.md"  # a second version, so the studio's diff page has lines to show
    module.write_text(module.read_text(encoding="utf-8") + "\nBaris tambahan yang cukup panjang untuk menguji "
                      "apakah tampilan perbandingan versi tetap muat di layar ponsel selebar 390 piksel.\n",
                      encoding="utf-8")
    assert not sync().failed

    unit = Unit(name="Perpustakaan Umum Daerah Kota Bontang, Kecamatan Bontang Utara")
    db.session.add(unit)
    db.session.flush()
    learner = make_user(name="Nguyễn Thị Đào Ñoño Pustakawati Bontang Utara",
                        email="pustakawan.dengan.alamat.email.yang.panjang@perpustakaan.bontangkota.go.id")
    learner.unit_id, learner.nip = unit.id, "198501012010011001"
    supervisor = make_user("supervisor", name="Kepala Perpustakaan")
    supervisor.unit_id = unit.id
    db.session.add(UnitSupervisor(user_id=supervisor.id, unit_id=unit.id))
    admin = make_user("admin", name="Admin Dinas")
    db.session.commit()

    slug = "literasi-informasi-untuk-pustakawan-sekolah-dan-desa"
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    client.post(f"/courses/{slug}/enroll")
    for n in (1, 2):
        client.post(f"/courses/{slug}/modul-{n}/complete")
    client.post(f"/courses/{slug}/feedback", data={"rating": "4", "comment": "Bermanfaat."})
    client.post(f"/courses/{slug}/action-plan", data={"kind": "literacy_class", "title": "Kelas literasi",
                                                      "description": "Kelas literasi untuk pelajar.",
                                                      "planned_on": "2099-01-31"})
    client.post("/courses/kursus-kuis/enroll")
    finished = _start(client, "modul-1")
    client.post(f"/attempts/{finished}/submit", data=answer_form(db.session.get(QuizAttempt, finished)))
    open_attempt = _start(client, "exam")
    client.post("/courses/kursus-kuis/modul-1/task/", data={
        "text": "## Rencana katalogisasi koleksi muatan lokal Kota Bontang\n\n| Langkah | Penanggung jawab | Tenggat |\n"
                "|---|---|---|\n| Inventarisasi | Petugas layanan teknis | Minggu pertama |\n\n"
                "Tautan_yang_sangat_panjang_tanpa_spasi_untuk_menguji_pembungkusan_teks_di_layar_ponsel_390px",
        "link": "https://drive.perpustakaan.bontangkota.go.id/berkas/rencana-katalogisasi-koleksi-muatan-lokal"})
    client.post("/innovations/new", data={
        "title": "Kelas literasi digital untuk pelajar SMP di Perpustakaan Kelurahan",
        "description": "Inovasi_dengan_kata_yang_sangat_panjang_tanpa_spasi_untuk_menguji_pembungkusan_teks_390px",
        "course": str(_course_id(db, "kursus-kuis")), "publish": "y",
        "result_value": "1250", "result_unit": "pengunjung_kelas_literasi_digital",
        "result_text": "Pengunjung_kelas_literasi_digital_selama_enam_bulan_pertama_tanpa_spasi_390px",
        "photo": (io.BytesIO(_photo_png(2000, 1200)), "kelas-literasi.png"),
        "photo_alt": "Pelajar SMP belajar mencari informasi di komputer perpustakaan",
        "link": "https://drive.perpustakaan.bontangkota.go.id/berkas/foto-kelas-literasi-digital-pelajar-smp"})
    client.post("/courses/kursus-kuis/modul-1/questions", data={
        "text": "Bagaimana menyusun jadwal katalogisasi?\n\n"
                "Pertanyaan_yang_sangat_panjang_tanpa_spasi_untuk_menguji_pembungkusan_teks_di_layar_ponsel_390px"})
    today = local_today(utcnow(), app.config["TIME_ZONE"])
    client.post("/training/external/", data={
        "kind": "pelatihan", "title": "Pelatihan Pengelolaan Perpustakaan Desa dan Taman Bacaan Masyarakat",
        "organiser": "Dinas Perpustakaan dan Kearsipan Provinsi Kalimantan Timur", "start_on": today.isoformat(),
        "end_on": today.isoformat(), "hours": "16",
        "evidence_link": "https://drive.perpustakaan.bontangkota.go.id/berkas/sertifikat-pelatihan-perpustakaan-desa"})
    client.post("/logout")
    client.post("/login", data={"email": supervisor.email, "password": PASSWORD})
    client.post("/mentoring/pairs", data={"mentor": trainer.id, "mentees": [learner.id],
                                          "start_on": today.isoformat()})
    client.post("/logout")
    client.post("/login", data={"email": trainer.email, "password": PASSWORD})
    client.post(f"/mentoring/mentees/{learner.id}", data={
        "held_on": today.isoformat(), "minutes": "90", "topic": "Rencana katalogisasi koleksi muatan lokal",
        "notes": "Membahas_catatan_yang_sangat_panjang_tanpa_spasi_untuk_menguji_pembungkusan_teks_di_layar",
        "next_step": "Kirim draf rencana."})
    _change_in_a_draft(db, trainer)
    question = db.session.scalar(select(ModuleQuestion))
    innovation = db.session.scalar(select(Innovation))
    assert question is not None and innovation is not None
    client.post(f"/questions/{question.id}", data={
        "text": "Mulai dari koleksi yang paling sering dipinjam.\n\n| Minggu | Koleksi |\n|---|---|\n| 1 | Muatan lokal |"})
    client.post("/logout")
    client.post("/login", data={"email": supervisor.email, "password": PASSWORD})
    client.post("/reports/assignments", data={"course": _course_id(db, slug), "unit": unit.id, "people": [],
                                              "due_on": "2099-12-31", "recurrence": "12", "note": "Wajib."})
    client.post("/logout")

    certificate = db.session.scalar(select(Certificate))
    assert certificate is not None, "the learner's certificate is part of the walk"
    submission = db.session.scalar(select(TaskSubmission))
    assert submission is not None and db.session.scalar(select(MentoringSession)) is not None
    assert db.session.scalar(select(ExternalTraining)) is not None
    token = issue_reset_token(db.session, make_user().id, actor_id=admin.id)
    notify(db.session, learner.id, "assignment_due_soon", {"course": certificate.course_title, "due": "2099-12-31",
                                                           "days": 7}, f"/courses/{slug}/", dedup_key="walk")
    notify(db.session, supervisor.id, "supervisor_digest", {"overdue": 12, "expiring": 3, "courses": [
        [certificate.course_title, 12]]}, "/reports/matrix", dedup_key="walk")
    db.session.commit()
    samples = {
        "/reset/<token>": f"/reset/{token}",
        "/notifications/unsubscribe/<token>": "/notifications/unsubscribe/"
                                              + unsubscribe_token(learner.id, "assignment_overdue"),
        "/admin/units/<id:unit_id>": f"/admin/units/{unit.id}",
        "/admin/users/<id:user_id>": f"/admin/users/{learner.id}",
        "/certificates/<id:certificate_id>/": f"/certificates/{certificate.id}/",
        "/users/<id:user_id>/transcript/": f"/users/{learner.id}/transcript/",
        "/verify/<code>": f"/verify/{certificate.code}",
        "/v/<code>": f"/v/{certificate.code}",
        "/courses/<slug>/continue": f"/courses/{slug}/continue",
        "/courses/<slug>/glossary/": "/courses/kursus-kuis/glossary/",
        "/courses/<slug>/leave": "/courses/kursus-kuis/leave",
        "/courses/<slug>/": f"/courses/{slug}/",
        "/courses/<slug>/<module_slug>/": f"/courses/{slug}/modul-1/",
        "/attempts/<id:attempt_id>/": f"/attempts/{open_attempt}/",
        "/attempts/<id:attempt_id>/result": f"/attempts/{finished}/result",
        "/courses/<slug>/quiz/<quiz_slug>/": "/courses/kursus-kuis/quiz/modul-1/",
        "/courses/<slug>/quiz/<quiz_slug>/stats": "/courses/kursus-kuis/quiz/modul-1/stats",
        "/reports/courses/<slug>": f"/reports/courses/{slug}",
        "/courses/<slug>/feedback": f"/courses/{slug}/feedback",
        "/courses/<slug>/action-plan": f"/courses/{slug}/action-plan",
        "/courses/<slug>/<module_slug>/task/": "/courses/kursus-kuis/modul-1/task/",
        "/mentoring/mentees/<id:user_id>": f"/mentoring/mentees/{learner.id}",
        "/tasks/submissions/<id:submission_id>": f"/tasks/submissions/{submission.id}",
        "/questions/<id:question_id>": f"/questions/{question.id}",
        # the learner asked and the trainer answered: each edits their own within QUESTION_EDIT_MINUTES
        "/questions/<id:question_id>/edit": f"/questions/{question.id}/edit",
        "/questions/<id:question_id>/answers/<id:answer_id>/edit":
            f"/questions/{question.id}/answers/{db.session.scalar(select(ModuleAnswer.id))}/edit",
        "/innovations/<id:innovation_id>": f"/innovations/{innovation.id}",
        "/innovations/<id:innovation_id>/edit": f"/innovations/{innovation.id}/edit",
        # the trainer is staff of kursus-kuis: the studio pages of a course, and its editor
        "/studio/<slug>/": "/studio/kursus-kuis/",
        "/studio/<slug>/edit": "/studio/kursus-kuis/edit?path=01-modul-1.md",
        "/studio/<slug>/diff": "/studio/kursus-kuis/diff?from=1&to=2",
        "/studio/<slug>/preview/quiz/<quiz_slug>": "/studio/kursus-kuis/preview/quiz/modul-1",
        # ... and its stored draft (one module changed, below): check, preview, changes, file pages
        "/studio/<slug>/check": "/studio/kursus-kuis/check",
        "/studio/<slug>/preview": "/studio/kursus-kuis/preview",
        "/studio/<slug>/draft/diff": "/studio/kursus-kuis/draft/diff",
        "/studio/<slug>/discard": "/studio/kursus-kuis/discard",
        "/studio/<slug>/files/rename": "/studio/kursus-kuis/files/rename?path=01-modul-1.md",
        "/studio/<slug>/files/delete": "/studio/kursus-kuis/files/delete?path=01-modul-1.md",
        "/studio/<slug>/results": "/studio/kursus-kuis/results",
        "/studio/<slug>/staff": "/studio/kursus-kuis/staff",
    }
    users = {"learner": learner, "trainer": trainer, "supervisor": supervisor, "admin": admin}
    return samples, users


def _change_in_a_draft(db, trainer) -> None:
    """The trainer's stored draft of kursus-kuis: module 1 with a long added line, not yet published."""
    from sqlalchemy import select

    from elearn.models import Course
    from elearn.services.drafts import file_sha, save_file, working_copy

    course = db.session.scalar(select(Course).where(Course.slug == "kursus-kuis"))
    before = working_copy(db.session, course).files["01-modul-1.md"]
    save_file(db.session, course, trainer.id, "01-modul-1.md",
              before.decode() + "\nParagraf_baru_di_draf_yang_sangat_panjang_tanpa_spasi_untuk_layar_ponsel_390px\n",
              file_sha(before))
    db.session.commit()


def _start(client, quiz_slug: str) -> int:
    response = client.post(f"/courses/kursus-kuis/quiz/{quiz_slug}/start")
    return int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))


def _photo_png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 90)).save(out, "PNG")
    return out.getvalue()


def _course_id(db, slug: str) -> int:
    from sqlalchemy import select

    from elearn.models import Course

    return db.session.scalar(select(Course.id).where(Course.slug == slug))


def page_urls(app, samples: dict[str, str]) -> list[str]:
    """Every GET page of the app: rules without parameters as they are, the others by their sample."""
    urls, missing = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.rule in EXCLUDED:
            continue
        if not rule.arguments:
            urls.append(rule.rule)
        elif rule.rule in samples:
            urls.append(samples[rule.rule])
        else:
            missing.append(rule.rule)
    assert missing == [], f"GET rules with neither a sample nor an exclusion (add one to this test): {missing}"
    unknown = set(samples) - {r.rule for r in app.url_map.iter_rules()}
    assert unknown == set(), f"samples for rules that no longer exist: {unknown}"
    return urls


#: Pages already audited with axe in this process (the same page is not audited again for another role).
_AUDITED: set[str] = set()


def test_the_role_groups_cover_every_role():
    assert sorted(r for group in ROLE_GROUPS for r in group) == sorted(ROLES)


@pytest.mark.parametrize("roles", ROLE_GROUPS, ids="+".join)
def test_every_page_fits_a_390px_screen(browser, site_url, app, world, roles, capsys):
    samples, users = world
    urls = page_urls(app, samples)
    for role in roles:
        _walk(browser, site_url, urls, users, role, capsys)


def _walk(browser, site_url, urls, users, role, capsys):
    """Every page ``role`` reaches, rendered at 390 px: none wider than the screen, axe on each."""
    started = time.monotonic()
    too_wide, violations, axe_seconds, rendered, audited = [], [], 0.0, 0, 0
    context = browser.new_context(viewport=PHONE, locale="id-ID", bypass_csp=True)  # bypass: axe injection
    page = context.new_page()
    if role != "anonymous":
        log_in(page, site_url, users[role])
    seen = set()
    for url in urls:
        # Where the address leads this role (redirects followed) decides whether it is a page not yet
        # seen: the same error page, or the login page a visitor is sent to, is rendered once.
        probe = context.request.get(site_url + url)
        if "text/html" not in (probe.headers.get("content-type") or ""):
            continue
        key = ("error", probe.status) if probe.status >= 400 else probe.url.split("?", 1)[0]
        if key in seen:
            continue
        seen.add(key)
        rendered += 1
        response = page.goto(site_url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{role} {url} ({response.status}): {width} px, widest: " + page.evaluate(WIDEST_ELEMENT))
        where = page.url.split(site_url, 1)[-1].split("?")[0]
        if where not in _AUDITED:
            _AUDITED.add(where)
            audited += 1
            axe_started = time.monotonic()
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if serious:
                violations.append(f"{role} {where}:\n{describe(serious)}")
            # the dark scheme changes colours only: its rules again, with the tokens of the dark scheme
            page.emulate_media(color_scheme="dark")
            result = page.evaluate(DARK_AXE)
            page.emulate_media(color_scheme="light")
            axe_seconds += time.monotonic() - axe_started
            serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if serious:
                violations.append(f"{role} {where} (dark scheme):\n{describe(serious)}")
    context.close()
    with capsys.disabled():
        print(f"\n390 px walk as {role}: {len(urls)} pages, {rendered} distinct ones rendered, axe on {audited}: "
              f"{time.monotonic() - started:.1f} s (axe {axe_seconds:.1f} s)")
    assert too_wide == [], "pages wider than a 390 px screen:\n" + "\n".join(too_wide)
    assert violations == [], "\n".join(violations)


#: axe's colour rules, run again on each page in the dark scheme (prefers-color-scheme: dark).
DARK_AXE = """async () => await axe.run(document, {resultTypes: ['violations'],
    runOnly: {type: 'rule', values: ['color-contrast', 'link-in-text-block']}})"""


#: The elements and text sticking out past the screen (outside scrolling regions), to say what to fix.
WIDEST_ELEMENT = """() => {
  const limit = document.documentElement.clientWidth, found = [];
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  for (const el of document.body.querySelectorAll('*')) {
    if (clipped(el)) continue;
    const r = el.getBoundingClientRect().right;
    if (r > limit + 0.5) found.push(`${name(el)} (${Math.round(r)} px)`);
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const right = range.getBoundingClientRect().right;
      if (right > limit + 0.5) found.push(`text in ${name(el)} (${Math.round(right)} px): ${node.textContent.trim().slice(0, 50)}`);
    }
  }
  return found.slice(-4).join('; ');
}"""


def test_the_walk_fails_on_a_parametrised_rule_without_sample_or_exclusion(app):
    app.add_url_rule("/brand-new/<id:thing_id>", "brand_new", lambda thing_id: "")
    with pytest.raises(AssertionError, match="/brand-new/<id:thing_id>"):
        page_urls(app, {})
