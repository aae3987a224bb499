"""`flask courses …` and `flask users …`."""
from __future__ import annotations

from sqlalchemy import select

from elearn.models import Course, User


def test_courses_check_passes_on_valid_folder(app, write_course, tmp_path):
    write_course()
    result = app.test_cli_runner().invoke(args=["courses", "check", str(tmp_path / "courses")])
    assert result.exit_code == 0, result.output


def test_courses_check_reports_path_line_and_exits_1(app, write_course, tmp_path):
    folder = write_course()
    (folder / "02-modul-2.md").write_text("---\ntitle: Modul 2\nminutes: lama\n---\nIsi.\n")
    result = app.test_cli_runner().invoke(args=["courses", "check", str(tmp_path / "courses")])
    assert result.exit_code == 1
    assert "courses/kursus-uji/02-modul-2.md:3:" in result.output


def test_courses_check_does_not_touch_database(app, db, write_course, tmp_path):
    write_course()
    app.test_cli_runner().invoke(args=["courses", "check", str(tmp_path / "courses")])
    assert db.session.scalar(select(Course.id)) is None


def test_courses_check_missing_directory(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["courses", "check", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "not a directory" in result.output


def test_courses_sync_prints_summary_and_is_idempotent(app, write_course, tmp_path):
    write_course()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["courses", "sync", str(tmp_path / "courses")])
    assert first.exit_code == 0, first.output
    assert "courses: 1 added, 0 updated, 0 unchanged, 0 retired, 0 failed" in first.output
    assert "modules: 3 added" in first.output
    second = runner.invoke(args=["courses", "sync"])  # default: COURSES_DIR
    assert "courses: 0 added, 0 updated, 1 unchanged" in second.output
    assert "modules: 0 added, 0 updated, 3 unchanged, 0 retired" in second.output


def test_courses_sync_exits_1_when_a_course_fails(app, write_course, tmp_path):
    folder = write_course()
    (folder / "course.md").write_text("---\ntitle: x\n")
    result = app.test_cli_runner().invoke(args=["courses", "sync", str(tmp_path / "courses")])
    assert result.exit_code == 1
    assert "kursus-uji: failed" in result.output


def test_users_create_reads_password_from_stdin(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Rina@Example.org", "--name", "Rina Wati", "--role", "trainer", "--password-stdin"],
        input="sandi-yang-cukup-panjang\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.role) == ("rina@example.org", "Rina Wati", "trainer")
    assert "sandi-yang-cukup-panjang" not in user.password_hash


def test_users_create_prompts_for_password(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", "a@example.org", "--name", "A"],
                                          input="sandi-yang-cukup-panjang\nsandi-yang-cukup-panjang\n")
    assert result.exit_code == 0, result.output


def test_users_create_refuses_weak_password_and_duplicates(app, db):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "a@example.org", "--name", "A", "--password-stdin"], input="pendek\n")
    assert weak.exit_code == 1 and "at least 8" in weak.output
    common = runner.invoke(args=["users", "create", "a@example.org", "--name", "A", "--password-stdin"],
                           input="perpustakaan\n")
    assert common.exit_code == 1 and "too common" in common.output
    runner.invoke(args=["users", "create", "a@example.org", "--name", "A", "--password-stdin"],
                  input="sandi-yang-cukup-panjang\n")
    dup = runner.invoke(args=["users", "create", "A@example.org", "--name", "A", "--password-stdin"],
                        input="sandi-yang-cukup-panjang\n")
    assert dup.exit_code == 1 and "already exists" in dup.output
    assert db.session.scalar(select(User.email)) == "a@example.org"


def test_users_create_rejects_unknown_role(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "a@example.org", "--name", "A", "--role", "boss"])
    assert result.exit_code == 2


def test_the_demo_trainer_owns_the_courses_without_staff(app, db, write_course, sync, make_user):
    """A newcomer's `make run` syncs the shipped courses (which name no trainer), then makes the demo
    accounts: the demo trainer's studio must show those courses; a course with staff is left alone."""
    from elearn.models import Course
    from elearn.services.course_staff import staff_role

    owner = make_user("trainer", email="tia@example.org")
    write_course("tanpa-staf", modules=1)
    write_course("dengan-staf", modules=1, extra_front="trainers: [tia@example.org]")
    sync()
    result = app.test_cli_runner().invoke(args=["users", "demo"])
    assert result.exit_code == 0 and "owns the 1 course(s) that had no staff: tanpa-staf" in result.output
    trainer = db.session.scalar(select(User).where(User.email == "pelatih@demo.binapustaka.id"))
    ids = {c.slug: c.id for c in db.session.scalars(select(Course))}
    assert staff_role(db.session, trainer.id, ids["tanpa-staf"]) == "owner"
    assert staff_role(db.session, trainer.id, ids["dengan-staf"]) is None
    assert staff_role(db.session, owner.id, ids["dengan-staf"]) == "owner"
    again = app.test_cli_runner().invoke(args=["users", "demo"])
    assert again.exit_code == 0 and "owns" not in again.output


def test_users_demo_is_idempotent(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "demo"]).exit_code == 0
    result = runner.invoke(args=["users", "demo"])
    assert "pustakawan@demo.binapustaka.id" in result.output
    assert len(db.session.scalars(select(User)).all()) == 4
    from elearn.models import Unit, UnitSupervisor

    unit = db.session.scalar(select(Unit))
    supervisor = db.session.scalar(select(User).where(User.role == "supervisor"))
    learner = db.session.scalar(select(User).where(User.role == "learner"))
    assert learner.unit_id == unit.id == supervisor.unit_id
    assert db.session.scalar(select(UnitSupervisor.unit_id).where(UnitSupervisor.user_id == supervisor.id)) == unit.id


def test_quiz_import_gift_writes_a_checked_quiz_and_reports_skips(app, tmp_path):
    from elearn.content.quiz import parse_quiz

    gift = tmp_path / "bank.gift"
    gift.write_text("::A::Satu tambah satu?{=2 ~3}\n\n::B::Esai.{}\n", encoding="utf-8")
    out = tmp_path / "01-modul.quiz.md"
    result = app.test_cli_runner().invoke(args=["quiz", "import-gift", str(gift), "--out", str(out), "--title", "K"])
    assert result.exit_code == 0, result.output
    assert f"{gift}:3: warning: skipped: 'B' is an essay question" in result.output
    assert "1 question(s) converted, 1 skipped" in result.output
    quiz, problems = parse_quiz(out.read_text(encoding="utf-8"), str(out))
    assert problems == [] and quiz.settings["title"] == "K"


def test_quiz_import_gift_converts_the_file_moodle_exports(app, tmp_path):
    """Moodle's own test file, with '~#feedback' in a numerical question, converts; its essay is reported."""
    from pathlib import Path

    gift = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "moodle-gift" / "questions.gift.txt"
    out = tmp_path / "01-modul.quiz.md"
    result = app.test_cli_runner().invoke(args=["quiz", "import-gift", str(gift), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{gift}:2: warning: skipped: 'Q8' is an essay question" in result.output
    assert "8 question(s) converted, 1 skipped" in result.output
    assert "- [x] 3 +- 2" in out.read_text(encoding="utf-8")


def test_quiz_import_gift_refuses_to_overwrite(app, tmp_path):
    gift = tmp_path / "bank.gift"
    gift.write_text("Q{T}\n", encoding="utf-8")
    out = tmp_path / "kuis.quiz.md"
    out.write_text("isi lama", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["quiz", "import-gift", str(gift), "--out", str(out)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert out.read_text(encoding="utf-8") == "isi lama"


def test_quiz_import_gift_error_exits_1_with_line(app, tmp_path):
    gift = tmp_path / "bad.gift"
    gift.write_text("// x\n\nSoal {=a\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["quiz", "import-gift", str(gift)])
    assert result.exit_code == 1
    assert f"{gift}:3: error:" in result.output
    missing = app.test_cli_runner().invoke(args=["quiz", "import-gift", str(tmp_path / "nope.gift")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_quiz_export_gift(app, tmp_path):
    quiz = tmp_path / "k.quiz.md"
    quiz.write_text("## Ibu kota {type=short}\n\nIbu kota Kaltim?\n\n- [x] Samarinda\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["quiz", "export-gift", str(quiz)])
    assert result.exit_code == 0, result.output
    assert "::Ibu kota::[markdown]Ibu kota Kaltim?{\n\t=Samarinda\n}" in result.output
    quiz.write_text("## Rusak\n\nTanpa jawaban.\n", encoding="utf-8")
    broken = app.test_cli_runner().invoke(args=["quiz", "export-gift", str(quiz)])
    assert broken.exit_code == 1 and f"{quiz}:1: error" in broken.output


def test_courses_check_prints_claimed_and_estimated_hours_and_warns(app, write_course, tmp_path):
    write_course()  # 4 JP claimed for three one-line modules
    result = app.test_cli_runner().invoke(args=["courses", "check", str(tmp_path / "courses")])
    assert result.exit_code == 0, result.output  # a warning, not an error
    assert ("courses/kursus-uji: 4 JP claimed, 0.0 JP estimated (0 min: reading 0, quizzes 0, exam 0, tasks 0)"
            in result.output)
    assert "courses/kursus-uji/course.md:6: warning: hours: 4 JP claimed exceeds the estimate" in result.output


def _live_slugs(db):
    return set(db.session.scalars(select(Course.slug).where(Course.retired_at.is_(None))))


def test_courses_sync_reports_a_course_broken_while_rendering_and_syncs_the_rest(app, db, write_course, tmp_path):
    """Defect 13.1: UnboundLocalError lost every other course's update of the run."""
    write_course("kursus-rusak", bodies={1: "[rusak](assets/tidak-ada.png)\n"})
    write_course("kursus-baik")
    result = app.test_cli_runner().invoke(args=["courses", "sync", str(tmp_path / "courses")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "courses/kursus-rusak/01-modul-1.md:7: error: link to a missing asset 'assets/tidak-ada.png'" in result.output
    assert "kursus-rusak: failed" in result.output
    assert "kursus-baik: added" in result.output
    assert _live_slugs(db) == {"kursus-baik"}


def test_courses_sync_of_another_folder_retires_nothing(app, db, write_course, tmp_path):
    """Defect 13.2: `courses sync DIR` with one new course retired every other live course."""
    write_course("kursus-a")
    write_course("kursus-b")
    runner = app.test_cli_runner()
    runner.invoke(args=["courses", "sync", str(tmp_path / "courses")])
    write_course("kursus-baru", root=tmp_path / "lain")
    result = runner.invoke(args=["courses", "sync", str(tmp_path / "lain")])
    assert result.exit_code == 0, result.output
    assert "0 retired" in result.output
    assert _live_slugs(db) == {"kursus-a", "kursus-b", "kursus-baru"}


def test_courses_sync_dry_run_prints_what_would_change_and_changes_nothing(app, db, write_course, tmp_path):
    import shutil

    write_course("kursus-a")
    write_course("kursus-b")
    runner = app.test_cli_runner()
    runner.invoke(args=["courses", "sync", str(tmp_path / "courses")])
    shutil.rmtree(tmp_path / "courses" / "kursus-b")
    write_course("kursus-c")
    result = runner.invoke(args=["courses", "sync", "--dry-run", str(tmp_path / "courses")])
    assert result.exit_code == 0, result.output
    assert "dry run: nothing was changed" in result.output
    assert "kursus-b: retired" in result.output and "kursus-c: added" in result.output
    assert _live_slugs(db) == {"kursus-a", "kursus-b"}


def test_courses_sync_asks_before_retiring(app, db, write_course, tmp_path):
    import shutil

    write_course("kursus-a")
    write_course("kursus-b")
    runner = app.test_cli_runner()
    runner.invoke(args=["courses", "sync", str(tmp_path / "courses")])
    shutil.rmtree(tmp_path / "courses" / "kursus-b")
    write_course("kursus-c")
    declined = runner.invoke(args=["courses", "sync", str(tmp_path / "courses")], input="n\n")
    assert "Retire 1 course(s) no longer in" in declined.output and "kursus-b" in declined.output
    assert "kept 1 course(s) live" in declined.output
    assert _live_slugs(db) == {"kursus-a", "kursus-b", "kursus-c"}  # the rest was synced
    accepted = runner.invoke(args=["courses", "sync", str(tmp_path / "courses")], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "kursus-b: retired" in accepted.output
    assert _live_slugs(db) == {"kursus-a", "kursus-c"}


def test_courses_sync_yes_retires_without_asking(app, db, write_course, tmp_path):
    import shutil

    write_course("kursus-a")
    write_course("kursus-b")
    runner = app.test_cli_runner()
    runner.invoke(args=["courses", "sync", str(tmp_path / "courses")])
    shutil.rmtree(tmp_path / "courses" / "kursus-b")
    result = runner.invoke(args=["courses", "sync", "--yes", str(tmp_path / "courses")])
    assert result.exit_code == 0, result.output
    assert "Retire" not in result.output
    assert _live_slugs(db) == {"kursus-a"}
