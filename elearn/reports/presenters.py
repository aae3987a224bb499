"""Report results as people read them: export tables (headers + rows) and charts, in the reader's
language. The numbers come from the report services unchanged; this module only lays them out."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from elearn.reports.charts import bar_chart
from elearn.services.certificates import mask_nip
from elearn.services.dates import local_date
from elearn.services.reports import CourseResults, HoursReport, Matrix, ProgrammeMetrics


@dataclass
class Table:
    """A download: file name (without extension), column headers, rows (a list, or an iterator
    that yields them as they are computed, for large exports)."""

    name: str
    headers: list[str]
    rows: Iterable[list]


def state_labels() -> dict[str, str]:
    return {
        "not_enrolled": "—", "not_started": _("Belum mulai"), "in_progress": _("Berjalan"),
        "completed": _("Selesai"), "completed_before": _("Selesai sebelum periode"),
        "revoked": _("Sertifikat dicabut"), "assigned": _("Ditugaskan"), "overdue": _("Terlambat"),
    }


def nip_cell(nip: str | None, include_nip: bool) -> str:
    """The NIP as an export shows it: masked as on the public verify page unless the supervisor asked
    for it in full (a choice the report route records in the audit log)."""
    return (nip if include_nip else mask_nip(nip)) or ""


def matrix_table(pages: Iterable[Matrix], time_zone: str, include_nip: bool = False) -> Table:
    """The matrix export, one row per person and course; ``pages`` are consumed as the rows are written."""
    labels = state_labels()
    headers = [_("Nama"), _("NIP"), _("Unit"), _("Kursus"), _("Status"), _("Kemajuan (%)"), _("Selesai"),
               _("Batas waktu"), _("Modul dikuasai (tes penempatan)")]

    def rows():
        for data in pages:
            for r in data.rows:
                for i, c in enumerate(r.cells):
                    yield [r.name, nip_cell(r.nip, include_nip), r.unit or "", data.courses[i][2], labels[c.state],
                           c.percent, local_date(c.completed_at, time_zone) if c.completed_at else "", c.due or "",
                           c.placed_out]

    return Table("matriks-penyelesaian", headers, rows())


def course_table(results: CourseResults) -> Table:
    def blank(value):
        return "" if value is None else value

    rows = [[_("Terdaftar"), results.enrolled], [_("Selesai"), results.completed],
            [_("Tingkat penyelesaian (%)"), results.completion_rate],
            [_("Median hari sampai selesai"), blank(results.median_days)],
            [_("Rata-rata nilai akhir"), blank(results.average_score)],
            [_("Kepuasan (1–5)"), blank(results.satisfaction)],
            [_("Jumlah penilaian"), results.ratings]]
    rows += [[_("Nilai %(low)s–%(high)s", low=i * 10, high=i * 10 + 9 if i < 9 else 100), n]
             for i, n in enumerate(results.score_buckets)]
    rows += [[_("%(quiz)s · %(question)s (persen benar)", quiz=quiz, question=stat.title), stat.percent_correct]
             for quiz, stat in results.weak_questions]
    return Table(f"hasil-{results.course.slug}", [_("Ukuran"), _("Nilai")], rows)


def course_charts(results: CourseResults) -> dict[str, Markup | None]:
    months = results.completions_by_month
    return {
        "months": bar_chart(_("Penyelesaian per bulan"), [m for m, _n in months], [n for _m, n in months],
                            headers=(_("Bulan"), _("Selesai"))) if months else None,
        "scores": bar_chart(_("Sebaran nilai akhir"),
                            [f"{i * 10}–{i * 10 + 9 if i < 9 else 100}" for i in range(10)], results.score_buckets,
                            headers=(_("Nilai akhir"), _("Orang")))
        if results.average_score is not None else None,
    }


def hours_table(report: HoursReport, include_nip: bool = False) -> Table:
    headers = [_("Nama"), _("NIP"), _("Unit"), _("Tahun"), _("JP"), _("Target JP"), _("Capaian (%)"),
               _("JP di luar platform (termasuk dalam JP)")]
    rows = [[r.name, nip_cell(r.nip, include_nip), r.unit or "", report.year, r.hours, r.target, r.percent, r.outside]
            for r in report.rows]
    return Table(f"jam-pelajaran-{report.year}", headers, rows)


def hours_chart(report: HoursReport) -> Markup | None:
    if not report.by_unit:
        return None
    return bar_chart(_("Rata-rata JP per unit, tahun %(year)s", year=report.year),
                     [u for u, _v in report.by_unit], [v for _u, v in report.by_unit],
                     headers=(_("Unit"), _("Rata-rata JP")), target=report.target,
                     target_label=_("target %(jp)s JP", jp=report.target))


def programme_table(metrics: ProgrammeMetrics) -> Table:
    headers = [_("Bulan"), _("Peserta aktif"), _("Pendaftaran"), _("Penyelesaian"), _("Kepuasan (1–5)"),
               _("Jumlah penilaian"), _("Rencana aksi diajukan"), _("Rencana aksi terlaksana"),
               _("Sesi pendampingan"), _("Jam pendampingan"), _("Tugas praktik dikirim"), _("Tugas praktik diterima"),
               _("Pertanyaan diajukan"), _("Pertanyaan terjawab"), _("Median jam hingga jawaban pertama"),
               _("Inovasi dibagikan")]
    rows = [[m.month, m.participants, m.enrollments, m.completions,
             m.satisfaction if m.satisfaction is not None else "", m.ratings, m.plans_submitted,
             m.plans_carried_out, m.mentoring_sessions, m.mentoring_hours, m.tasks_submitted, m.tasks_accepted,
             m.questions_asked, m.questions_answered,
             m.median_hours_to_answer if m.median_hours_to_answer is not None else "", m.innovations_shared]
            for m in metrics.months]
    return Table(f"metrik-program-{metrics.year}", headers, rows)


def programme_chart(metrics: ProgrammeMetrics) -> Markup:
    return bar_chart(_("Peserta aktif per bulan"), [m.month for m in metrics.months],
                     [m.participants for m in metrics.months], headers=(_("Bulan"), _("Peserta aktif")))


def questions_chart(metrics: ProgrammeMetrics) -> Markup:
    return bar_chart(_("Pertanyaan modul diajukan per bulan"), [m.month for m in metrics.months],
                     [m.questions_asked for m in metrics.months], headers=(_("Bulan"), _("Pertanyaan diajukan")))


def innovations_chart(metrics: ProgrammeMetrics) -> Markup:
    return bar_chart(_("Inovasi dibagikan per bulan"), [m.month for m in metrics.months],
                     [m.innovations_shared for m in metrics.months], headers=(_("Bulan"), _("Inovasi dibagikan")))


def mentoring_chart(metrics: ProgrammeMetrics) -> Markup:
    return bar_chart(_("Jam pendampingan per bulan"), [m.month for m in metrics.months],
                     [m.mentoring_hours for m in metrics.months], headers=(_("Bulan"), _("Jam pendampingan")))
