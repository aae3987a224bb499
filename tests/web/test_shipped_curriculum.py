"""The shipped curriculum: it syncs with the expected shape, and a learner can finish every course,
quizzes and exam included, and receive the certificate (driven through the web app)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.models import Certificate, Course, Module, ModuleTask, Quiz, QuizAttempt, TaskSubmission
from quizhelp import answer_form
from tabular import csv_rows

SHIPPED = Path(__file__).resolve().parents[2] / "courses"

#: course slug → (JP, {quiz slug: questions in the pool}, exam draw). Module quizzes are named
#: after their module; a changed count here means somebody changed the curriculum: on purpose?
EXPECTED = {
    "literasi-informasi": (9, {
        "kebutuhan-informasi": 6, "strategi-penelusuran": 6, "evaluasi-sumber": 6, "misinformasi-hoaks": 6,
        "sitasi-plagiarisme": 6, "merancang-kelas-literasi": 7, "exam": 27}, 15),
    "manajemen-sumber-daya-digital": (9, {
        "perencanaan-digitalisasi": 8, "pemindaian-format-berkas": 8, "metadata": 8,
        "repositori-akses-hak-cipta": 8, "preservasi-digital": 8, "mengukur-pemanfaatan": 8, "exam": 25}, 15),
    "layanan-prima": (8, {
        "konsep-layanan-prima": 8, "wawancara-referensi": 8, "menangani-keluhan": 8, "layanan-disabilitas": 8,
        "program-komunitas": 8, "mengukur-kepuasan": 8, "exam": 25}, 15),
    "otomasi-katalogisasi": (12, {
        "memilih-dan-menyiapkan-sistem": 8, "entri-data-bibliografis": 8, "klasifikasi-ddc-dan-nomor-panggil": 8,
        "tajuk-subjek-dan-kendali-otoritas": 8, "sirkulasi-dan-keanggotaan": 8, "cadangan-dan-pemulihan": 8,
        "laporan-statistik-dan-iplm": 8, "exam": 28}, 15),
    "pengelolaan-perpustakaan-standar": (14, {
        "memahami-snp": 8, "menilai-diri-dengan-standar": 8, "akreditasi-perpustakaan": 8, "perencanaan-tahunan": 8,
        "anggaran-dan-sumber-dana": 8, "kemitraan-dan-proposal-csr": 8, "exam": 30}, 15),
    "promosi-literasi": (12, {
        "merancang-strategi-promosi": 8, "media-sosial-dan-situs-web": 8, "kalender-konten": 8,
        "mengukur-jangkauan-dan-dampak": 8, "program-literasi-berbasis-inklusi-sosial": 8,
        "kemitraan-dan-keberlanjutan-program": 8, "exam": 27}, 15),
}


@pytest.fixture
def shipped(sync):
    report = sync(SHIPPED)
    assert not report.failed and not report.problems, report.problems
    return report


def _hand_in_and_accept_tasks(client, db, make_user, user, course):
    """The learner hands in every required practice task of the course (web); an admin accepts each."""
    from elearn.services.tasks import review_submission

    tasks = db.session.execute(select(ModuleTask.id, Module.slug).join(Module, Module.id == ModuleTask.module_id)
                               .where(Module.course_id == course.id, ModuleTask.required.is_(True))).all()
    assert len(tasks) >= 2, course.slug  # every shipped course has at least two practice tasks
    reviewer = make_user("admin")
    for task_id, module_slug in tasks:
        response = client.post(f"/courses/{course.slug}/{module_slug}/task/",
                               data={"text": "Rencana kerja lengkap sesuai rubrik.", "link": ""})
        assert response.status_code == 302, module_slug
        submission = db.session.scalar(select(TaskSubmission).where(TaskSubmission.task_id == task_id,
                                                                    TaskSubmission.user_id == user.id))
        rubric = db.session.get(ModuleTask, task_id).rubric
        review_submission(db.session, reviewer.id, submission, "accepted", "",
                          [(c["points"], "") for c in rubric])
        db.session.commit()


def test_every_shipped_course_syncs_with_its_modules_and_questions(db, shipped):
    courses = {c.slug: c for c in db.session.scalars(select(Course))}
    assert set(courses) == set(EXPECTED)
    for slug, (hours, quizzes, draw) in EXPECTED.items():
        course = courses[slug]
        assert course.hours == hours and course.language == "id"
        modules = db.session.scalars(select(Module).where(Module.course_id == course.id)).all()
        assert len(modules) == len(quizzes) - 1 and all(m.html and m.minutes > 0 for m in modules)
        found = {q.slug: q for q in db.session.scalars(select(Quiz).where(Quiz.course_id == course.id))}
        pretest = found.pop("pretest")
        assert pretest.kind == "pretest" and pretest.settings["max_attempts"] == 1
        assert {q["module"] for q in pretest.questions} == {m.slug for m in modules}, slug
        assert {s: len(q.questions) for s, q in found.items()} == quizzes, slug
        assert found["exam"].settings["draw"] == draw
        assert {m.slug for m in modules} | {"exam"} == set(quizzes)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_a_learner_completes_the_course_and_gets_the_certificate(client, db, shipped, make_user, login, slug):
    user = make_user(name="Siti Rahmawati")
    login(user)
    assert client.post(f"/courses/{slug}/enroll").status_code == 302
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    modules = db.session.scalars(select(Module).where(Module.course_id == course.id).order_by(Module.position)).all()
    for module in modules:
        page = client.get(f"/courses/{slug}/{module.slug}/")
        assert page.status_code == 200, (module.slug, page.status_code)
        _pass_quiz(client, db, slug, module.slug)
    assert db.session.scalar(select(Certificate.id)) is None  # the exam is still to pass
    _pass_quiz(client, db, slug, "exam")
    assert db.session.scalar(select(Certificate.id)) is None  # the required practice tasks are still to pass
    _hand_in_and_accept_tasks(client, db, make_user, user, course)
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == user.id))
    assert certificate is not None and certificate.course_slug == slug
    assert certificate.hours == EXPECTED[slug][0] and certificate.score == 100.0
    assert client.get(f"/courses/{slug}/").status_code == 200
    assert client.get(f"/certificates/{certificate.id}.pdf").mimetype == "application/pdf"
    assert "Sertifikat ini asli dan berlaku" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_a_learner_who_places_out_of_two_modules_completes_with_the_rest(client, db, shipped, make_user, login,
                                                                         slug):
    """The pre-test answered right for the first two modules and wrong for the others: those two count
    as complete (shown as mastered, in the matrix and the transcript); the rest and the exam are done."""
    user = make_user(name="Siti Rahmawati")
    login(user)
    client.post(f"/courses/{slug}/enroll")
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    modules = db.session.scalars(select(Module).where(Module.course_id == course.id).order_by(Module.position)).all()
    skipped = {m.slug for m in modules[:2]}
    response = client.post(f"/courses/{slug}/quiz/pretest/start")
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    attempt = db.session.get(QuizAttempt, attempt_id)
    right, wrong = answer_form(attempt, True), answer_form(attempt, False)
    form = {}
    for question in attempt.questions:
        source = right if question["module"] in skipped else wrong
        form.update({k: v for k, v in source.items() if k == f"q-{question['key']}" or k.startswith(f"q-{question['key']}-")
                     or k == f"q-{question['key']}[]"})
    client.post(f"/attempts/{attempt_id}/submit", data=form)
    page = client.get(f"/courses/{slug}/").get_data(as_text=True)
    assert page.count("<span>sudah dikuasai</span></strong>") == 2, [  # the module state tags
        line for line in page.splitlines() if "dikuasai" in line]
    assert client.post(f"/courses/{slug}/quiz/pretest/start").status_code == 302  # refused: taken once
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt).where(
        QuizAttempt.quiz_id == attempt.quiz_id)) == 1
    for module in modules[2:]:
        _pass_quiz(client, db, slug, module.slug)
    _pass_quiz(client, db, slug, "exam")
    _hand_in_and_accept_tasks(client, db, make_user, user, course)
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == user.id))
    assert certificate is not None and certificate.hours == EXPECTED[slug][0]
    transcript = client.get("/transcript/").get_data(as_text=True)
    assert "Dikuasai lewat tes penempatan" in transcript and modules[0].title in transcript
    client.post("/logout")
    login(make_user("admin", name="Admin Pusat"))
    matrix = client.get("/reports/matrix").get_data(as_text=True)
    row = re.search(r'<tr><th scope="row"><a [^>]*>Siti Rahmawati</a>.*?</tr>', matrix, re.S)
    assert row is not None, matrix[-3000:]
    assert row.group(0).count("(2 modul dikuasai)") == 1  # in this course's cell only
    rows = csv_rows(client.get("/reports/matrix?format=csv").data)
    placed = rows[0].index("Modul dikuasai (tes penempatan)")
    siti = {r[3]: (r[4], r[placed]) for r in rows[1:] if r[0] == "Siti Rahmawati"}
    assert siti[course.title] == ("Selesai", "2")
    assert all(value == "0" for title, (_state, value) in siti.items() if title != course.title)


def _pass_quiz(client, db, slug: str, quiz_slug: str) -> None:
    response = client.post(f"/courses/{slug}/quiz/{quiz_slug}/start")
    assert response.status_code == 302, response.data[:300]
    attempt_id = int(re.search(r"/attempts/(\d+)/", response.headers["Location"]).group(1))
    assert client.get(f"/attempts/{attempt_id}/").status_code == 200
    attempt = db.session.get(QuizAttempt, attempt_id)
    client.post(f"/attempts/{attempt_id}/submit", data=answer_form(attempt))
    db.session.refresh(attempt)
    assert attempt.state == "submitted" and attempt.score == 100.0 and attempt.passed, (quiz_slug, attempt.marks)


def test_the_studio_renders_every_shipped_module_as_sync_stored_it(db, shipped):
    """A shipped course uploaded to the studio previews exactly the HTML `courses sync` stored."""
    from elearn.services.course_versions import (content_hash, folder_files, latest_version, read_course_zip,
                                                 version_zip)
    from elearn.services.studio import check_draft

    for course in db.session.scalars(select(Course)):
        files = read_course_zip(version_zip(course.slug, folder_files(SHIPPED / course.slug)))
        assert latest_version(db.session, course.id).content_hash == content_hash(files)
        preview = check_draft(db.session, course, files, preview="*")
        assert preview.ok, preview.problems
        stored = {m.slug: m.html for m in db.session.scalars(select(Module).where(Module.course_id == course.id))}
        rendered = {re.sub(r"^\d{2}-|\.md$", "", p.path): p.html for p in preview.pages if p.path != "course.md"}
        assert rendered == stored, course.slug
        assert preview.pages[0].path == "course.md" and preview.pages[0].html == course.overview_html
