"""Certificate and transcript PDFs (fpdf2, fonts embedded and subset, QR code by segno).

Strings come from the translation catalogs in the language asked for (the learner's), so a
certificate reads in Indonesian by default and in English for learners who chose English.
Names and titles go through ``print_fonts.printable`` (the verify page shows the same text), and
the verification link is the short ``/v/<code>`` on one line, a link annotation and the QR code.
"""
from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF

from elearn.memo import Memo
from elearn.models import Certificate
from elearn.services.print_fonts import add_fonts, printable

#: Rendered certificates by everything that shapes them (a cache, not state: any host can rebuild).
_RENDERED = Memo(maxsize=256)
#: The verification link is printed on one line: its font shrinks down to this size to fit.
_SMALLEST_LINK_PT = 5.5


def _pdf(orientation: str, texts) -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_auto_page_break(auto=orientation == "portrait", margin=15)
    add_fonts(pdf, texts)
    pdf.set_creator("BinaPustaka")
    return pdf


def _one_line_link(pdf: FPDF, url: str, x: float, y: float, width: float, size: float) -> None:
    """``url`` on one line at (x, y), as a link annotation; the font shrinks until it fits ``width``."""
    pdf.set_font("DejaVu", "", size)
    while pdf.get_string_width(url) > width and size > _SMALLEST_LINK_PT:
        size -= 0.25
        pdf.set_font("DejaVu", "", size)
    pdf.set_xy(x, y)
    pdf.cell(width, 4.5, url, align="L", link=url)


def local_score(score: float | None, lang: str) -> str:
    return "—" if score is None else format_decimal(score, format="#,##0.##", locale=lang)


def _date(moment: datetime, lang: str, zone: ZoneInfo) -> str:
    return format_date(moment.astimezone(zone).date(), "long", locale=lang)


def _draw_qr(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    qr = segno.make(text, error="m")
    matrix = list(qr.matrix)
    modules = len(matrix) + 8  # quiet zone of 4 modules on each side
    cell = size / modules
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        run_start = None
        for col_index, dark in enumerate(list(row) + [0]):
            if dark and run_start is None:
                run_start = col_index
            elif not dark and run_start is not None:
                pdf.rect(x + (run_start + 4) * cell, y + (row_index + 4) * cell,
                         (col_index - run_start) * cell, cell, style="F")
                run_start = None


def certificate_pdf(certificate: Certificate, *, lang: str, verify_url: str, time_zone: str,
                    state: str) -> bytes:
    """The certificate as A4 landscape PDF; cached in memory per (certificate, state, language, URL)."""
    key = (certificate.id, certificate.serial, certificate.code, state, lang, verify_url, time_zone,
           certificate.course_version_number, certificate.revoked_at, certificate.expires_at, certificate.withdrawn_at, certificate.learner_name,
           certificate.learner_nip)
    render = partial(_render_certificate, certificate, lang=lang, verify_url=verify_url, time_zone=time_zone,
                     state=state)
    if certificate.id is None:
        return render()
    return _RENDERED.get_or_make(key, render)


def _render_certificate(certificate: Certificate, *, lang: str, verify_url: str, time_zone: str,
                        state: str) -> bytes:
    zone = ZoneInfo(time_zone)
    name, title = printable(certificate.learner_name), printable(certificate.course_title)
    institution, city = printable(certificate.institution), printable(certificate.city)
    signatory_name, signatory_title = printable(certificate.signatory_name), printable(certificate.signatory_title)
    with force_locale(lang):
        pdf = _pdf("landscape", (name, title, institution, city, signatory_name, signatory_title))
        pdf.set_title(_("Sertifikat %(serial)s", serial=certificate.serial))
        pdf.set_author(institution)
        pdf.add_page()
        width = pdf.w
        pdf.set_draw_color(20, 83, 45)
        pdf.set_line_width(1.2)
        pdf.rect(8, 8, width - 16, pdf.h - 16)
        pdf.set_line_width(0.3)
        pdf.rect(11, 11, width - 22, pdf.h - 22)

        pdf.set_text_color(20, 83, 45)
        pdf.set_font("DejaVu", "B", 13)
        pdf.set_xy(20, 20)
        pdf.cell(width - 40, 7, institution.upper(), align="C")
        pdf.set_font("DejaVu", "B", 34)
        pdf.set_xy(20, 33)
        pdf.cell(width - 40, 16, _("SERTIFIKAT"), align="C")
        pdf.set_text_color(40, 40, 40)
        pdf.set_font("DejaVu", "", 11)
        pdf.set_xy(20, 50)
        pdf.cell(width - 40, 6, _("Nomor: %(serial)s", serial=certificate.serial), align="C")

        pdf.set_font("DejaVu", "", 13)
        pdf.set_xy(20, 64)
        pdf.cell(width - 40, 7, _("diberikan kepada"), align="C")
        pdf.set_font("DejaVu", "B", 26)
        pdf.set_xy(20, 73)
        pdf.multi_cell(width - 40, 12, name, align="C")
        y = pdf.get_y()
        if certificate.learner_nip:
            pdf.set_font("DejaVu", "", 11)
            pdf.set_xy(20, y)
            pdf.cell(width - 40, 6, _("NIP %(nip)s", nip=certificate.learner_nip), align="C")
            y += 7
        pdf.set_font("DejaVu", "", 13)
        pdf.set_xy(20, y + 4)
        pdf.cell(width - 40, 7, _("telah menyelesaikan kursus"), align="C")
        pdf.set_font("DejaVu", "B", 18)
        pdf.set_xy(30, y + 13)
        pdf.multi_cell(width - 60, 9, title, align="C")
        # the same course version the verify page shows: the front-matter version and, when recorded,
        # the number of the published version (terbitan) the learner completed
        version = _("versi %(version)s", version=certificate.course_version)
        if certificate.course_version_number:
            version += ", " + _("terbitan %(n)s", n=certificate.course_version_number)
        facts = [version, _("%(hours)s JP (jam pelajaran)", hours=certificate.hours)]
        if certificate.score is not None:
            facts.append(_("nilai akhir %(score)s", score=local_score(certificate.score, lang)))
        facts.append(_("selesai %(date)s", date=_date(certificate.completed_at, lang, zone)))
        pdf.set_font("DejaVu", "", 12)
        pdf.set_xy(20, pdf.get_y() + 2)
        pdf.cell(width - 40, 7, " · ".join(facts), align="C")
        if certificate.expires_at is not None:
            pdf.set_xy(20, pdf.get_y() + 7)
            pdf.set_font("DejaVu", "", 10)
            pdf.cell(width - 40, 6, _("Berlaku sampai %(date)s", date=_date(certificate.expires_at, lang, zone)),
                     align="C")

        # signature block, right
        sign_x, sign_w = width - 115, 95
        pdf.set_font("DejaVu", "", 11)
        pdf.set_xy(sign_x, 150)
        pdf.cell(sign_w, 6, f"{city}, {_date(certificate.issued_at, lang, zone)}", align="C")
        pdf.set_xy(sign_x, 156)
        pdf.multi_cell(sign_w, 5.5, signatory_title or institution, align="C")
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_xy(sign_x, 182)
        pdf.multi_cell(sign_w, 6, signatory_name or " ", align="C")

        # verification block, left
        _draw_qr(pdf, verify_url, 20, 146, 40)
        pdf.set_font("DejaVu", "", 8.5)
        pdf.set_xy(63, 152)
        pdf.multi_cell(100, 4.5, _("Periksa keaslian sertifikat ini dengan memindai kode QR atau membuka:"),
                       align="L")
        _one_line_link(pdf, verify_url, 63, pdf.get_y() + 1, sign_x - 63 - 2, 8.5)
        pdf.set_font("DejaVu", "", 8.5)
        pdf.set_xy(63, pdf.get_y() + 5.5)
        pdf.multi_cell(110, 4.5, _("Kode verifikasi: %(code)s", code=certificate.code_display), align="L")
        if state != "valid":
            stamps = {"revoked": _("DICABUT"), "withdrawn": _("DITARIK"), "expired": _("KEDALUWARSA")}
            pdf.set_text_color(170, 20, 20)
            pdf.set_font("DejaVu", "B", 30)
            pdf.set_xy(20, 104)
            pdf.cell(width - 40, 14, stamps[state], align="C")
        return bytes(pdf.output())


def transcript_pdf(name: str, nip: str | None, transcript, *, lang: str, time_zone: str, institution: str,
                   now: datetime) -> bytes:
    zone = ZoneInfo(time_zone)
    name, institution = printable(name), printable(institution)
    titles = [printable(e.course_title) for e in transcript.entries] + [
        printable(t) for e in transcript.entries for t in e.placed_out] + [
        printable(e.organiser) for e in transcript.entries if e.outside]
    with force_locale(lang):
        pdf = _pdf("portrait", (name, institution, *titles))
        pdf.set_title(_("Transkrip pelatihan"))
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 7, institution, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "B", 20)
        pdf.cell(0, 12, _("Transkrip pelatihan"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        pdf.cell(0, 6, name + (f" · NIP {nip}" if nip else ""), new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, _("Dicetak %(date)s", date=_date(now, lang, zone)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, _("Jam pelajaran (JP) per tahun"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        if transcript.hours_by_year:
            for year, hours in transcript.hours_by_year:
                pdf.cell(40, 6, str(year))
                pdf.cell(0, 6, _("%(hours)s JP", hours=hours), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.cell(0, 6, _("Belum ada."), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, _("Kursus yang diselesaikan"), new_x="LMARGIN", new_y="NEXT")
        headings = (_("Nomor"), _("Kursus"), _("JP"), _("Nilai"), _("Selesai"), _("Status"))
        states = {"valid": _("Berlaku"), "revoked": _("Dicabut"), "expired": _("Kedaluwarsa"),
                  "withdrawn": _("Ditarik atas permintaan pemegangnya"), "completed": _("Selesai (tanpa sertifikat)")}
        with pdf.table(col_widths=(30, 62, 12, 14, 34, 24), text_align="LEFT", line_height=5.5) as table:
            pdf.set_font("DejaVu", "", 9)
            row = table.row()
            for heading in headings:
                row.cell(heading)
            for entry in transcript.entries:
                row = table.row()
                serial = entry.certificate.serial if entry.certificate is not None else "—"
                row.cell(serial or "")
                placed = ("\n" + _("Dikuasai lewat tes penempatan: %(modules)s",
                                    modules=", ".join(printable(t) for t in entry.placed_out))
                          if entry.placed_out else "")
                if entry.outside:
                    row.cell(printable(entry.course_title) + " " + _("(di luar platform: %(organiser)s)",
                                                                      organiser=printable(entry.organiser)))
                else:
                    row.cell(f"{printable(entry.course_title)} (v{entry.course_version})" + placed)
                row.cell(str(entry.hours) if entry.counts else _("%(hours)s (tidak dihitung)", hours=entry.hours))
                row.cell(local_score(entry.score, lang))
                row.cell(_date(entry.completed_at, lang, zone))
                row.cell(states[entry.state_at(now)])
        return bytes(pdf.output())
