"""The personal-data registry: for every table that holds personal data or points at a person, which
columns the "my data" archive exports, how anonymisation treats each column (and why a column stays),
and which columns hold personal data (the processing record ``privacy inventory`` prints).

One entry per table, declared here and nowhere else: the archive (``export.py``), anonymisation
(``anonymise.py``) and the inventory (``retention.py``) read it, and ``coverage_problems`` (run by
tests/services/test_privacy_registry.py) fails the build when a table referencing ``users.id`` or a
column of a registered table is not declared. A new feature adds one ``TablePolicy`` to ``POLICIES``.

Shape, after Moodle's privacy metadata (``add_database_table(table, fields, summary)``) but carrying
the export and deletion rules too:
- ``links``: the columns that tie a row to a person. ``owner(col)``: the rows are that person's
  (exported; anonymised by the column rules, or deleted). ``actor(col, why)``: the person acted on
  someone else's row (not exported unless it holds nothing of anyone else; the id stays).
- ``columns``: every column of the table, each ``Col(export=…, anonymise=RULE | kept="why",
  personal="category")``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import MetaData, Table

from elearn.services.privacy.rules import (ANONYMOUS_ANSWERS, EMPTY, FALSE, NOW, NULL, PSEUDONYM, SCRUB_DETAIL,
                                           UNROUTABLE_EMAIL, UNUSABLE_PASSWORD, Rule, constant)
from elearn.services.quiz_views import readable_answers


@dataclass(frozen=True)
class Col:
    """One column. ``export``: True, or why the archive leaves it out. Exactly one of ``anonymise`` (a
    rule applied to the person's rows) and ``kept`` (why it stays as it is). ``personal``: the kind of
    personal data it holds (for the inventory), empty when it holds none."""

    export: bool | str = True
    anonymise: Rule | None = None
    kept: str = ""
    personal: str = ""


@dataclass(frozen=True)
class Link:
    column: str
    owner: bool
    #: owner links: delete the person's rows instead of applying the column rules
    delete: bool = False
    #: actor links: whether the rows are exported, and why (not) / why they stay
    export: bool = True
    why: str = ""
    #: actor links: rules applied to rows where the person acted (e.g. their IP address)
    rules: dict[str, Rule] = field(default_factory=dict)
    #: extra condition on exported rows: f(table, user_id) -> SQL condition
    export_where: Callable | None = None


def owner(column: str, *, delete: bool = False) -> Link:
    return Link(column, owner=True, delete=delete)


def actor(column: str, why: str, *, export: bool = False, rules: dict[str, Rule] | None = None,
          export_where: Callable | None = None) -> Link:
    return Link(column, owner=False, export=export, why=why, rules=rules or {}, export_where=export_where)


@dataclass(frozen=True)
class TablePolicy:
    table: str
    #: what the table is, for people (archive README), Indonesian msgid
    title: object
    #: why the data is processed (processing record, docs)
    purpose: str
    #: how long it is kept
    retention: str
    links: tuple[Link, ...]
    columns: dict[str, Col]
    #: f(row with every column) -> extra fields for the archive (e.g. readable quiz answers)
    export_extra: Callable[[dict], dict] | None = None
    #: for personal data no person link reaches: who handles it, and how
    not_linked: str = ""

    def owner_links(self) -> list[Link]:
        return [link for link in self.links if link.owner]

    def exported(self) -> list[str]:
        return [name for name, col in self.columns.items() if col.export is True]

    def personal(self) -> dict[str, str]:
        return {name: col.personal for name, col in self.columns.items() if col.personal}

    def rules(self) -> dict[str, Rule]:
        return {name: col.anonymise for name, col in self.columns.items() if col.anonymise is not None}


def _kept(why: str) -> Col:
    return Col(kept=why)


ID = _kept("identifier: rows stay linked, so every count and figure stays right")
WHEN = _kept("date of what happened: reports count by day, month and year")
FIGURE = _kept("a figure reports add up (no personal detail without the name)")
CONTENT = _kept("course content or settings, not about the person")
SECRET = "a secret (hash) that is of no use to the person and a risk if copied"
OTHERS = "identifies another person (the one who acted)"


def _audit_about_person(table: Table, user_id: int):
    """Audit rows the person did that concern nobody else (their rows with another subject are that
    person's record)."""
    return (table.c.subject_id.is_(None)) | (table.c.subject_id == user_id)


def _readable_answers(row: dict) -> dict:
    return {"answers": readable_answers(row["questions"], row["responses"], row["marks"])}


POLICIES: tuple[TablePolicy, ...] = (
    TablePolicy(
        "users", _l("Akun dan profil"),
        "identify the person, let them log in, print their name and NIP on certificates",
        "until the person's deletion request is approved (then anonymised)",
        links=(owner("id"),),
        columns={
            "id": ID,
            "email": Col(anonymise=UNROUTABLE_EMAIL, personal="email"),
            "name": Col(anonymise=PSEUDONYM, personal="name"),
            "password_hash": Col(export=SECRET, anonymise=UNUSABLE_PASSWORD),
            "role": _kept("decides which reports count the person (admins are not learners)"),
            "active": Col(anonymise=FALSE),
            "nip": Col(anonymise=NULL, personal="NIP (employee number)"),
            "unit_id": _kept("unit figures (JP per unit, supervisors' scope) stay right"),
            "locale": _kept("interface language: not personal once the name is gone"),
            "created_at": WHEN,
            "last_login_at": Col(anonymise=NULL, personal="activity (last login)"),
            "privacy_notice_version": _kept("proof that the notice was shown"),
            "privacy_notice_at": _kept("proof that the notice was shown"),
            "anonymised_at": Col(anonymise=NOW),
            "inactive_flagged_at": Col(anonymise=NULL),
            "session_epoch": Col(export="a security counter, nothing about the person",
                                 kept="raised when sessions end; an anonymised account has none left"),
        }),
    TablePolicy(
        "password_resets", _l("Tautan kata sandi sekali pakai"),
        "let an admin hand a person a one-time password link",
        "deleted at once when expired or used (privacy prune)",
        links=(owner("user_id", delete=True),
               actor("created_by_id", "links the admin gave to other people; the admin's id stays")),
        columns={"id": ID, "user_id": ID, "token_hash": Col(export=SECRET, kept=SECRET),
                 "created_by_id": Col(export=OTHERS, kept=OTHERS), "created_at": WHEN, "expires_at": WHEN,
                 "used_at": WHEN}),
    TablePolicy(
        "audit_events", _l("Log audit (kejadian tentang akun Anda)"),
        "security and accountability: logins, changes, who opened whose records",
        "kept; IP addresses removed after PRIVACY_AUDIT_IP_DAYS, login events deleted after "
        "PRIVACY_LOGIN_EVENT_DAYS (privacy prune)",
        links=(owner("subject_id"),
               actor("actor_id", "what the person did: exported when it concerns nobody else; their IP removed",
                     export=True, rules={"ip": NULL}, export_where=_audit_about_person)),
        columns={"id": ID, "at": WHEN, "action": _kept("what happened (no personal detail)"),
                 "actor_id": ID, "subject_id": ID,
                 "ip": Col(anonymise=NULL, personal="IP address"),
                 "detail": Col(anonymise=SCRUB_DETAIL, personal="details (an email typed at login, changed names)")}),
    TablePolicy(
        "enrollments", _l("Pendaftaran kursus"), "follow the person's training", "kept as training records",
        links=(owner("user_id"),),
        columns={"id": ID, "user_id": ID, "course_id": ID, "enrolled_at": WHEN, "left_at": WHEN,
                 "completed_at": WHEN, "cycle": FIGURE, "cycle_started_at": WHEN, "last_module_id": ID}),
    TablePolicy(
        "module_progress", _l("Kemajuan modul"), "progress and completion", "kept as training records",
        links=(owner("user_id"),),
        columns={"id": ID, "user_id": ID, "module_id": ID, "started_at": WHEN, "last_seen_at": WHEN,
                 "completed_at": WHEN, "placed_out_at": WHEN}),
    TablePolicy(
        "completions", _l("Penyelesaian kursus dan jam pelajaran (JP)"),
        "lesson hours (JP) and completion figures the office reports", "kept as training records",
        links=(owner("user_id"),),
        columns={"id": ID, "user_id": ID, "course_id": ID, "enrollment_id": ID, "cycle": FIGURE,
                 "completed_at": WHEN, "hours": FIGURE, "course_version": FIGURE, "score": FIGURE,
                 "placed_out": FIGURE}),
    TablePolicy(
        "completion_checks", _l("Penyelesaian kursus yang sedang dicatat"),
        "record a passed final exam's course completion seconds after the submit (COMPLETION_QUEUE)",
        "deleted as soon as the completion is recorded (seconds); with the person's deletion",
        links=(owner("user_id", delete=True),),
        columns={"id": ID, "user_id": ID, "enrollment_id": ID, "queued_at": WHEN}),
    TablePolicy(
        "certificates", _l("Sertifikat"),
        "prove a completion to anyone who checks the code", "kept; withdrawn (name removed) on deletion",
        links=(owner("user_id"), actor("revoked_by_id", "certificates the person revoked as supervisor or admin")),
        columns={
            "id": ID, "serial": _kept("public number of the certificate"),
            "code": _kept("verification code: the public page says the certificate was withdrawn"),
            "user_id": ID, "course_id": ID, "enrollment_id": ID, "cycle": FIGURE,
            "learner_name": Col(anonymise=PSEUDONYM, personal="name as printed"),
            "learner_nip": Col(anonymise=NULL, personal="NIP as printed"),
            "course_slug": CONTENT, "course_title": CONTENT, "course_version": CONTENT, "course_version_number": CONTENT,
            "hours": FIGURE, "score": FIGURE, "institution": CONTENT, "city": CONTENT, "signatory_name": CONTENT,
            "signatory_title": CONTENT, "completed_at": WHEN, "issued_at": WHEN, "expires_at": WHEN,
            "revoked_at": WHEN, "revoked_reason": _kept("public reason category"),
            "revoked_by_id": Col(export=OTHERS, kept=OTHERS), "reissue": FIGURE, "superseded_by_id": ID,
            "withdrawn_at": Col(anonymise=NOW), "withdrawn_reason": Col(anonymise=constant("holder_request")),
        }),
    TablePolicy(
        "quiz_attempts", _l("Percobaan kuis dan jawaban"),
        "grade quizzes, decide completion, anonymous question statistics", "kept; typed answers removed on deletion",
        links=(owner("user_id"),),
        columns={
            "id": ID, "quiz_id": ID, "user_id": ID, "number": FIGURE, "state": FIGURE, "quiz_version": FIGURE,
            "course_version_number": FIGURE,
            "started_at": WHEN, "deadline_at": WHEN, "submitted_at": WHEN, "late": FIGURE,
            "questions": Col(export="the questions with their answer key: course content, and exporting it would "
                                    "leak the key (the archive lists each question with the person's answer)",
                             kept="course content with the answer key"),
            "responses": Col(anonymise=ANONYMOUS_ANSWERS, personal="answers (typed short answers are free text)"),
            "marks": FIGURE, "score": FIGURE, "passed": FIGURE, "rules": CONTENT,
        },
        export_extra=_readable_answers),
    TablePolicy(
        "course_feedback", _l("Penilaian kursus"), "course satisfaction figures", "kept; comment removed on deletion",
        links=(owner("user_id"),),
        columns={"id": ID, "user_id": ID, "course_id": ID, "rating": FIGURE,
                 "comment": Col(anonymise=EMPTY, personal="free text"), "created_at": WHEN, "updated_at": WHEN}),
    TablePolicy(
        "action_plans", _l("Rencana aksi inovasi"), "programme metrics (plans submitted and carried out)",
        "kept; texts removed on deletion",
        links=(owner("user_id"),
               actor("commented_by_id", "comments on other people's plans, written in an official role: the "
                                        "comment belongs to that person's record")),
        columns={"id": ID, "user_id": ID, "course_id": ID, "kind": FIGURE,
                 "title": Col(anonymise=EMPTY, personal="free text"),
                 "description": Col(anonymise=EMPTY, personal="free text"),
                 "planned_on": WHEN, "submitted_at": WHEN,
                 "supervisor_comment": Col(anonymise=EMPTY, personal="free text about the person"),
                 "commented_by_id": Col(export=OTHERS, kept=OTHERS), "carried_out_at": WHEN}),
    TablePolicy(
        "assignments", _l("Penugasan yang Anda buat"), "assigned training with due dates", "kept",
        links=(actor("created_by_id", "assignments the person created as supervisor: no one else's personal "
                                      "data; the note is written in an official role and stays for learners",
                     export=True),),
        columns={"id": ID, "course_id": ID, "unit_id": ID, "due_on": WHEN, "recurrence_months": FIGURE,
                 "note": _kept("a note to learners written in an official role"), "created_by_id": ID,
                 "created_at": WHEN, "cancelled_at": WHEN}),
    TablePolicy(
        "assignment_members", _l("Penugasan untuk Anda"), "who an assignment reaches", "kept",
        links=(owner("user_id"),),
        columns={"assignment_id": ID, "user_id": ID}),
    TablePolicy(
        "unit_supervisors", _l("Unit yang Anda bina"), "who supervises which unit",
        "until an admin changes it; deleted on deletion",
        links=(owner("user_id", delete=True),),
        columns={"user_id": ID, "unit_id": ID, "created_at": WHEN}),
    TablePolicy(
        "mentor_pairs", _l("Pendampingan (mentor dan mentee)"),
        "who mentors whom, and from when: a mentor may view their current mentees' records",
        "kept (the history of who could see what)",
        links=(owner("mentee_id"),
               actor("mentor_id", "the person mentored someone else: the pair is that mentee's record", export=True),
               actor("created_by_id", "pairs made as admin or supervisor for other people")),
        columns={"id": ID, "mentor_id": ID, "mentee_id": ID, "start_on": WHEN,
                 "end_on": WHEN, "created_by_id": Col(export=OTHERS, kept=OTHERS),
                 "created_at": WHEN}),
    TablePolicy(
        "mentoring_sessions", _l("Sesi pendampingan"), "mentoring meetings; confirmed ones are programme mentoring hours",
        "kept for the figures; topic, notes and next step removed on deletion",
        links=(owner("mentee_id"),
               actor("mentor_id", "sessions the person held as mentor: notes about someone else")),
        columns={"id": ID, "pair_id": ID, "mentor_id": Col(export=OTHERS, kept=OTHERS), "mentee_id": ID,
                 "held_on": WHEN, "minutes": FIGURE,
                 "topic": Col(anonymise=EMPTY, personal="free text about the person"),
                 "notes": Col(anonymise=EMPTY, personal="free text about the person"),
                 "next_step": Col(anonymise=EMPTY, personal="free text about the person"),
                 "recorded_at": WHEN, "confirmed_at": WHEN}),
    TablePolicy(
        "task_submissions", _l("Tugas praktik yang Anda kirim"),
        "practice tasks handed in and reviewed: a required task must be accepted for the course to complete",
        "kept (completions rest on them); answer, link and comment removed on deletion",
        links=(owner("user_id"),
               actor("reviewer_id", "hand-ins of other people the person reviewed as mentor or trainer")),
        columns={"id": ID, "task_id": ID, "user_id": ID, "number": FIGURE,
                 "text": Col(anonymise=EMPTY, personal="free text"), "html": Col(export="a rendering of text",
                                                                                 anonymise=EMPTY,
                                                                                 personal="free text"),
                 "link": Col(anonymise=EMPTY, personal="a link the person gave"),
                 "submitted_at": WHEN, "state": FIGURE, "reviewer_id": Col(export=OTHERS, kept=OTHERS),
                 "reviewed_at": WHEN, "comment": Col(anonymise=EMPTY, personal="free text about the person"),
                 "pass_points": CONTENT}),
    TablePolicy(
        "task_scores", _l("Nilai rubrik tugas praktik Anda"),
        "the points and comments each review of a practice task gave per rubric criterion; "
        "acceptance needs the task's pass mark",
        "kept with the hand-in (the decision rests on them); the reviewers' comments removed on deletion",
        links=(owner("user_id"),),
        columns={"id": ID, "submission_id": ID, "user_id": ID, "position": CONTENT, "criterion": CONTENT,
                 "max_points": CONTENT, "points": FIGURE,
                 "comment": Col(anonymise=EMPTY, personal="free text about the person")}),
    TablePolicy(
        "module_questions", _l("Pertanyaan Anda tentang modul"),
        "questions asked on a module page, answered by trainers and mentors; counted in the programme figures",
        "kept for the figures; the question text removed on deletion",
        links=(owner("user_id"),
               actor("hidden_by_id", "questions of other people the person hid as trainer or admin")),
        columns={"id": ID, "module_id": ID, "user_id": ID,
                 "text": Col(anonymise=EMPTY, personal="free text"),
                 "html": Col(export="a rendering of text", anonymise=EMPTY, personal="free text"),
                 "asked_at": WHEN, "edited_at": WHEN, "hidden_at": WHEN,
                 "hidden_by_id": Col(export=OTHERS, kept=OTHERS),
                 "hidden_reason": Col(anonymise=EMPTY, personal="free text about the person")}),
    TablePolicy(
        "module_answers", _l("Jawaban Anda atas pertanyaan modul"),
        "answers given to learners' module questions as trainer, admin or mentor",
        "kept for the figures (time to first answer); the answer text removed on deletion",
        links=(owner("user_id"),
               actor("hidden_by_id", "answers of other people the person hid as trainer or admin")),
        columns={"id": ID, "question_id": ID, "user_id": ID,
                 "text": Col(anonymise=EMPTY, personal="free text"),
                 "html": Col(export="a rendering of text", anonymise=EMPTY, personal="free text"),
                 "answered_at": WHEN, "edited_at": WHEN, "accepted_at": WHEN, "hidden_at": WHEN,
                 "hidden_by_id": Col(export=OTHERS, kept=OTHERS),
                 "hidden_reason": Col(anonymise=EMPTY, personal="free text about the person")}),
    TablePolicy(
        "question_follows", _l("Pertanyaan modul yang Anda ikuti"),
        "who is told of new and accepted answers to a module question",
        "kept while the question exists; deleted on deletion",
        links=(owner("user_id", delete=True),),
        columns={"id": ID, "question_id": ID, "user_id": ID, "followed_at": WHEN}),
    TablePolicy(
        "question_reports", _l("Laporan Anda atas pertanyaan dan jawaban modul"),
        "posts people reported to the course staff, who hide the post or dismiss the report",
        "kept as the record of moderation; the reason removed on deletion",
        links=(owner("user_id"),
               actor("resolved_by_id", "reports of other people the person handled as trainer or admin")),
        columns={"id": ID, "question_id": ID, "answer_id": ID, "post": ID, "user_id": ID,
                 "reason": Col(anonymise=EMPTY, personal="free text"),
                 "reported_at": WHEN, "resolved_at": WHEN, "resolved_by_id": Col(export=OTHERS, kept=OTHERS),
                 "outcome": FIGURE}),
    TablePolicy(
        "innovations", _l("Inovasi layanan yang Anda bagikan"),
        "service innovations the person wrote up; published ones are shown to everyone signed in and counted",
        "kept for the programme figures (innovations shared); title, story, link, result text and photo removed "
        "on deletion",
        links=(owner("user_id"),
               actor("featured_by_id", "innovations of other people the person featured as supervisor or admin")),
        columns={"id": ID, "user_id": ID, "course_id": ID,
                 "title": Col(anonymise=EMPTY, personal="free text"),
                 "description": Col(anonymise=EMPTY, personal="free text"),
                 "html": Col(export="a rendering of description", anonymise=EMPTY, personal="free text"),
                 "link": Col(anonymise=EMPTY, personal="a link the person gave"),
                 "created_at": WHEN, "published_at": WHEN,
                 "result_text": Col(anonymise=EMPTY, personal="free text"),
                 "result_value": FIGURE, "result_unit": FIGURE,
                 "photo": Col(export="the photo itself, shown on the innovation page", anonymise=NULL,
                              personal="a photo the person uploaded (may show people)"),
                 "photo_thumb": Col(export="a smaller copy of photo", anonymise=NULL,
                                    personal="a photo the person uploaded (may show people)"),
                 "photo_type": FIGURE, "photo_width": FIGURE, "photo_height": FIGURE,
                 "photo_key": Col(export="a digest of photo, part of its address", anonymise=EMPTY),
                 "photo_alt": Col(anonymise=EMPTY, personal="free text"),
                 "action_plan_id": ID, "featured_at": WHEN, "featured_by_id": Col(export=OTHERS, kept=OTHERS)}),
    TablePolicy(
        "task_files", _l("Berkas tugas praktik yang Anda kirim"),
        "files handed in with a practice task, for its reviewers",
        "kept with the hand-in; deleted on deletion",
        links=(owner("user_id", delete=True),),
        columns={"id": ID, "submission_id": ID, "user_id": ID,
                 "name": Col(personal="a file name the person gave"), "kind": FIGURE, "size": FIGURE,
                 "content": Col(export="the file itself, downloadable from the task page",
                                personal="a file the person handed in"),
                 "created_at": WHEN}),
    TablePolicy(
        "external_trainings", _l("Pelatihan di luar platform"),
        "lesson hours (JP) earned outside the platform, once a supervisor approved them",
        "kept for the JP figures; evidence and notes removed on deletion",
        links=(owner("user_id"),
               actor("decided_by_id", "records of other people the person decided as supervisor or admin")),
        columns={"id": ID, "user_id": ID, "kind": FIGURE, "title": Col(anonymise=EMPTY, personal="free text"),
                 "organiser": _kept("the body that ran the training (an organisation, not a person)"),
                 "start_on": WHEN, "end_on": WHEN, "hours": FIGURE,
                 "evidence_link": Col(anonymise=EMPTY, personal="a link to the person's certificate"),
                 "evidence_note": Col(anonymise=EMPTY, personal="free text"), "state": FIGURE, "created_at": WHEN,
                 "decided_by_id": Col(export=OTHERS, kept=OTHERS), "decided_at": WHEN,
                 "reason": _kept("the supervisor's decision, written in an official role")}),
    TablePolicy(
        "privacy_requests", _l("Permintaan hapus akun dan terbit ulang sertifikat"),
        "handle the person's requests; proof of the decision", "kept; the person's reason removed on deletion",
        links=(owner("user_id"), actor("decided_by_id", "requests of other people the admin decided")),
        columns={"id": ID, "user_id": ID, "kind": FIGURE, "certificate_id": ID,
                 "reason": Col(anonymise=EMPTY, personal="free text"), "state": FIGURE, "requested_at": WHEN,
                 "decided_at": WHEN, "decided_by_id": Col(export=OTHERS, kept=OTHERS),
                 "decision_reason": _kept("the controller's decision, written by an admin"), "seen_at": WHEN}),
    TablePolicy(
        "data_exports", _l("Arsip data saya"), "deliver the person's data archive",
        "deleted when expired (PRIVACY_EXPORT_HOURS) and on deletion",
        links=(owner("user_id", delete=True),),
        columns={"id": ID, "user_id": ID, "state": FIGURE, "requested_at": WHEN, "claimed_at": WHEN,
                 "built_at": WHEN, "expires_at": WHEN, "locale": FIGURE, "size": FIGURE, "error": FIGURE,
                 "content": Col(export="the archive itself", personal="a copy of all the above")}),
    TablePolicy(
        "login_throttles", _l("Percobaan masuk yang gagal"),
        "stop password guessing on an account (services.login_throttle)",
        "a success forgets them; privacy prune deletes them after LOGIN_FAILURE_MEMORY_SECONDS; "
        "anonymisation deletes the person's",
        links=(),
        columns={"id": ID, "email": Col(kept="the key of the count, deleted as the retention says",
                                        personal="an email typed at login (perhaps nobody's)"),
                 "failures": FIGURE, "last_failure_at": WHEN, "blocked_until": WHEN},
        not_linked="keyed by the email typed, not by account: anonymisation deletes the rows with the "
                   "person's email, privacy prune the ones older than LOGIN_FAILURE_MEMORY_SECONDS"),
    TablePolicy(
        "notifications", _l("Pemberitahuan"),
        "tell the person about assigned courses, due dates, expiring certificates and decisions, in the app "
        "and by email when they chose it",
        "as long as the account exists; anonymisation deletes the person's",
        links=(owner("user_id", delete=True),),
        columns={"id": ID, "user_id": ID, "kind": Col(kept="what kind of message"),
                 "params": Col(kept="course titles, dates and counts the message is built from",
                               personal="what the person was reminded of"),
                 "link": Col(kept="a page of the site"), "dedup_key": Col(kept="what the notice was about"),
                 "created_at": WHEN, "read_at": WHEN, "email_state": Col(kept="whether it was emailed"),
                 "email_attempts": FIGURE, "email_next_at": WHEN, "email_sent_at": WHEN,
                 "email_error": Col(kept="SMTP error class and code, no address")}),
    TablePolicy(
        "notification_preferences", _l("Pilihan pemberitahuan"),
        "send by email only the kinds of notification the person wants",
        "as long as the account exists; anonymisation deletes the person's",
        links=(owner("user_id", delete=True),),
        columns={"user_id": ID, "kind": Col(kept="which kind"), "email": Col(kept="the person's choice"),
                 "weekday": Col(kept="the day the person wants their weekly digest"), "updated_at": WHEN}),
    TablePolicy(
        "courses", _l("Kursus"), "the curriculum", "as long as the course exists",
        links=(),
        columns={name: CONTENT for name in (
            "id", "slug", "title", "summary", "language", "version", "hours", "level", "topics", "prerequisites",
            "overview_html", "glossary_title", "glossary_html", "source_hash", "retired_at", "created_at",
            "updated_at", "source_kind", "source_path")} | {
            "authors": Col(kept="published authorship", personal="authors' names (published with the course)"),
            "settings": Col(kept="course settings", personal="trainers' emails (front matter 'trainers:')")},
        not_linked="comes from the course folders: change the course's front matter and run `courses sync`"),
    TablePolicy(
        "course_staff", _l("Staf kursus (pemilik dan penyunting)"),
        "who authors a course in the trainer studio and sees its results",
        "as long as the person is staff of the course; anonymisation deletes the person's rows",
        links=(owner("user_id", delete=True),
               actor("added_by_id", "staff the person added to a course as admin or owner; the id stays")),
        columns={"id": ID, "course_id": ID, "user_id": ID, "role": _kept("owner or editor of the course"),
                 "added_by_id": Col(export=OTHERS, kept=OTHERS), "added_at": WHEN}),
    TablePolicy(
        "course_versions", _l("Versi kursus yang Anda terbitkan"),
        "the history of each course: who published which version, when, and why", "as long as the course exists",
        links=(actor("created_by_id", "versions of a course the person published as its trainer: course content "
                                      "written in an official role; the id stays so the history stays honest",
                     export=True),),
        columns={"id": ID, "course_id": ID, "number": FIGURE, "source": CONTENT, "created_by_id": ID,
                 "created_at": WHEN, "note": _kept("a change note written in an official role"),
                 "content_hash": CONTENT}),
    TablePolicy(
        "course_drafts", _l("Draf kursus yang Anda sunting"),
        "the studio's working copy of a course: which version it started from, who started and last saved it",
        "until it is published or discarded",
        links=(actor("created_by_id", "a course draft the person started as its trainer: course content written "
                                      "in an official role, shared with the other staff of the course"),
               actor("updated_by_id", "a course draft the person saved last as its trainer: course content "
                                      "written in an official role, shared with the other staff of the course")),
        columns={"id": ID, "course_id": ID, "base_number": FIGURE, "created_by_id": ID, "created_at": WHEN,
                 "updated_by_id": ID, "updated_at": WHEN}),
    TablePolicy(
        "draft_files", _l("Berkas draf kursus"), "the files of a course draft (path and stored content)",
        "until the draft is published or discarded",
        links=(),
        columns={"draft_id": ID, "path": CONTENT, "blob_sha256": CONTENT},
        not_linked="course content: its trainers edit or discard the draft in the studio"),
)

REGISTRY: dict[str, TablePolicy] = {policy.table: policy for policy in POLICIES}


def _references_users(column) -> bool:
    return any(fk.column.table.name == "users" and fk.column.name == "id" for fk in column.foreign_keys)


def coverage_problems(metadata: MetaData, registry: dict[str, TablePolicy] | None = None) -> list[str]:
    """Every way the registry fails to cover the schema, as ``table.column: problem`` lines ([] when
    covered): a table referencing users.id without a policy, a column not declared, a personal column
    kept as it is, a link or rule naming an unknown column, a policy for a table that does not exist."""
    registry = REGISTRY if registry is None else registry
    problems: list[str] = []
    for table in metadata.sorted_tables:
        user_columns = [c.name for c in table.columns if _references_users(c)]
        policy = registry.get(table.name)
        if policy is None:
            if user_columns or table.name == "users":
                problems.append(f"{table.name}: references users.id ({', '.join(user_columns) or 'id'}) but has no "
                                f"TablePolicy in elearn/services/privacy/registry.py")
            continue
        problems.extend(_table_problems(table, policy, user_columns))
    for name in sorted(set(registry) - set(metadata.tables)):
        problems.append(f"{name}: a TablePolicy for a table that does not exist")
    return problems


def _table_problems(table: Table, policy: TablePolicy, user_columns: list[str]) -> list[str]:
    name = table.name
    actual = {c.name for c in table.columns}
    declared = set(policy.columns)
    found = [f"{name}.{c}: column not declared in its TablePolicy (export? anonymise or keep?)"
             for c in sorted(actual - declared)]
    found += [f"{name}.{c}: declared but the table has no such column" for c in sorted(declared - actual)]
    links = {link.column for link in policy.links}
    found += [f"{name}.{c}: references users.id but is not a link (owner or actor)" for c in user_columns
              if c not in links]
    found += [f"{name}.{c}: link names an unknown column" for c in sorted(links - actual)]
    deletes = any(link.owner and link.delete for link in policy.owner_links())
    for column, col in policy.columns.items():
        if col.export is not True and not (isinstance(col.export, str) and col.export.strip()):
            found.append(f"{name}.{column}: not exported without saying why")
        if not deletes and (col.anonymise is None) == (not col.kept):
            found.append(f"{name}.{column}: needs exactly one of anonymise=RULE or kept='why'")
        if col.personal and not deletes and col.anonymise is None and policy.owner_links():
            found.append(f"{name}.{column}: holds personal data ({col.personal}) but anonymisation keeps it")
        for read in col.anonymise.reads if col.anonymise else ():
            if read not in actual:
                found.append(f"{name}.{column}: its rule reads unknown column {read}")
    for link in policy.links:
        if not link.owner and not link.why.strip():
            found.append(f"{name}.{link.column}: actor link without saying why")
        found += [f"{name}.{c}: actor rule for an unknown column" for c in link.rules if c not in actual]
    if policy.personal() and not policy.owner_links() and not policy.not_linked.strip():
        found.append(f"{name}: holds personal data but no owner link reaches it and not_linked says nothing")
    return found
