"""A person's training transcript: every completion with its certificate, and JP per year.

What it lists: every certificate (valid, expired, withdrawn or revoked, a reissued one next to the one
it superseded, so the record is complete) and every completion of a course that gives no certificate.
What it adds up comes from the one JP rule (services.lesson_hours): a revoked certificate is listed
but earns nothing; a superseded one earns nothing because its replacement does. Approved training
outside the platform is listed too, marked "di luar platform" (pending and rejected records are not).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import Certificate, Completion, Course, ExternalTraining
from elearn.services.dates import start_instant
from elearn.services.lesson_hours import approved_external, jp_by_year


@dataclass
class TranscriptEntry:
    course_title: str
    course_version: str
    completed_at: datetime
    hours: int
    score: float | None
    #: None for a course that gives no certificate
    certificate: Certificate | None = None
    #: modules the learner placed out of by the pre-test (recognised prior learning)
    placed_out: list[str] = field(default_factory=list)
    #: training outside the platform (approved): who organised it; completed_at is its last day
    outside: bool = False
    organiser: str = ""

    def state_at(self, now: datetime) -> str:
        """"valid", "expired", "withdrawn", "revoked", or "completed" (no certificate)."""
        return self.certificate.state_at(now) if self.certificate is not None else "completed"

    @property
    def counts(self) -> bool:
        """Whether this line earns its JP: a completion without certificate, or a certificate that was not
        revoked (a superseded one is revoked: its replacement, a line of its own, earns them). The totals
        come from services.lesson_hours, which applies the same rule in SQL (completion.counts)."""
        return self.certificate is None or self.certificate.revoked_at is None


@dataclass
class Transcript:
    entries: list[TranscriptEntry] = field(default_factory=list)
    #: [(year, JP)] newest year first
    hours_by_year: list[tuple[int, int]] = field(default_factory=list)
    total_hours: int = 0

    @property
    def certificates(self) -> list[Certificate]:
        return [e.certificate for e in self.entries if e.certificate is not None]


def transcript(session: Session, user_id: int, time_zone: str) -> Transcript:
    """The person's transcript; five queries."""
    completions = {(c.enrollment_id, c.cycle): (c, title) for c, title in session.execute(
        select(Completion, Course.title).join(Course, Course.id == Completion.course_id)
        .where(Completion.user_id == user_id))}
    entries, certified = [], set()
    for c in session.scalars(select(Certificate).where(Certificate.user_id == user_id)):
        certified.add((c.enrollment_id, c.cycle))  # a reissued completion has two certificates: both listed
        completion = completions.get((c.enrollment_id, c.cycle), (None, None))[0]
        entries.append(TranscriptEntry(c.course_title, c.course_version, c.completed_at, c.hours, c.score, c,
                                       list(completion.placed_out or []) if completion else []))
    for key, (completion, title) in completions.items():
        if key in certified:
            continue
        entries.append(TranscriptEntry(title, completion.course_version, completion.completed_at,
                                       completion.hours, completion.score, None, list(completion.placed_out or [])))
    for title, organiser, end_on, hours in session.execute(
            select(ExternalTraining.title, ExternalTraining.organiser, ExternalTraining.end_on, ExternalTraining.hours)
            .where(ExternalTraining.user_id == user_id, approved_external())):
        entries.append(TranscriptEntry(title, "", start_instant(end_on, time_zone), hours, None, outside=True,
                                       organiser=organiser))
    entries.sort(key=lambda e: e.completed_at, reverse=True)
    years = jp_by_year(session, user_id, time_zone)
    return Transcript(entries, years, sum(h for _y, h in years))
