"""The certificate PDF agrees with its verify page: one-line short link, every character printed, signatory."""
from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader

from tests.web.test_certificates import complete, only_certificate

JAVANESE = "ꦱꦶꦠꦶ"


@pytest.fixture
def certified(client, db, write_course, sync, make_user, login):
    """certified(name) -> the certificate of a learner called ``name`` who completed a course."""

    def make(name: str = "Siti Aminah", **settings):
        write_course(modules=2)
        assert not sync().failed
        user = make_user(name=name)
        login(user)
        complete(client)
        return only_certificate(db)

    return make


def _pdf(client, certificate):
    return PdfReader(io.BytesIO(client.get(f"/certificates/{certificate.id}.pdf").data)).pages[0]


def _verify_facts(client, certificate) -> dict[str, str]:
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page, re.S)
    return {dt: html.unescape(re.sub(r"<[^>]+>", "", dd)).strip() for dt, dd in pairs}


def test_pdf_prints_a_short_verify_link_on_one_line_as_a_link_annotation(app, client, certified):
    """Defect 13.5: the URL wrapped onto two lines, was no link, and its first line said "not genuine"."""
    app.config["PUBLIC_URL"] = "https://binapustaka.perpustakaan.bontangkota.go.id"
    c = certified()
    short = f"https://binapustaka.perpustakaan.bontangkota.go.id/v/{c.code}"
    page = _pdf(client, c)
    assert short in page.extract_text().splitlines()
    links = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert links == [short]
    response = client.get(f"/v/{c.code}")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"/verify/{c.code}")


def test_short_link_of_an_unknown_code_leads_to_not_found(client):
    response = client.get("/v/" + "A" * 32, follow_redirects=True)
    assert response.status_code == 404


def test_pdf_prints_every_character_of_the_name_that_the_verify_page_shows(client, certified):
    """Defect 13.6: the PDF dropped Javanese script and emoji that the verify page showed."""
    c = certified(name=f"Siti {JAVANESE} Aminah 😀")
    facts = _verify_facts(client, c)
    assert facts["Nama"] == f"Siti {JAVANESE} Aminah 😀"
    assert facts["Nama"] in _pdf(client, c).extract_text()


def test_a_character_no_font_has_is_printed_and_shown_alike_never_dropped(client, certified):
    c = certified(name="Wang 王小明 Siti")
    facts = _verify_facts(client, c)
    assert facts["Nama"] == "Wang \ufffd\ufffd\ufffd Siti"  # the documented normalisation
    assert facts["Nama"] in _pdf(client, c).extract_text()


def test_printable_keeps_what_the_fonts_draw_and_marks_the_rest():
    from elearn.services.print_fonts import printable

    assert printable("Nguyễn Thị Đào Ñoño ΑΩ Жж") == "Nguyễn Thị Đào Ñoño ΑΩ Жж"
    assert printable(f"{JAVANESE} ᮞᮤᮒᮤ ᬲᬶᬢᬶ 👍🏽") == f"{JAVANESE} ᮞᮤᮒᮤ ᬲᬶᬢᬶ 👍🏽"
    assert printable("東京") == "\ufffd\ufffd"


def test_every_vendored_font_has_its_licence():
    from elearn.services.print_fonts import FONTS, font_files

    for path in font_files():
        family = "DejaVu" if path.name.startswith("DejaVu") else "Noto"
        assert (FONTS / f"LICENSE-{family}.txt").is_file(), path


def test_empty_signatory_name_prints_no_leading_comma(app, client, certified):
    """Defect 13.7: with SIGNATORY_NAME empty the pages printed ", Kepala Dinas …"."""
    app.config["SIGNATORY_NAME"] = ""
    c = certified()
    assert c.signatory_name in ("", None)
    assert _verify_facts(client, c)["Penandatangan"] == c.signatory_title
    page = client.get(f"/certificates/{c.id}/").get_data(as_text=True)
    assert f"<dd>{c.signatory_title}</dd>" in page and "<dd>, " not in page


def test_signatory_name_and_title_are_joined_with_a_comma(app, client, certified):
    app.config["SIGNATORY_NAME"] = "Dra. Hj. Siti Aminah"
    c = certified()
    assert _verify_facts(client, c)["Penandatangan"] == f"Dra. Hj. Siti Aminah, {c.signatory_title}"


def test_pdf_prints_the_course_version_and_published_version_number_the_verify_page_shows(client, db, certified):
    """Issue 14: the PDF names the course version the learner completed, as /verify does ("versi 1.0,
    terbitan 1"); a later publish does not change the printed number."""
    c = certified()
    assert c.course_version == "1.0" and c.course_version_number == 1
    facts = _verify_facts(client, c)
    assert "versi 1.0, terbitan 1" in facts["Kursus"]
    text = " ".join(_pdf(client, c).extract_text().split())
    assert "versi 1.0, terbitan 1" in text


def test_pdf_without_a_recorded_version_number_prints_only_the_version(client, db, certified):
    c = certified()
    c.course_version_number = None  # certificates issued before versions were recorded
    db.session.commit()
    text = " ".join(_pdf(client, c).extract_text().split())
    assert "versi 1.0" in text and "terbitan" not in text
