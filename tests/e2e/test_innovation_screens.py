"""The innovation showcase on a 390 px phone: the filters and the cards (thumbnail, featured tag, measured
result) fit the screen, the thumbnails load lazily at their own size, the filters work without script."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in, wait_until

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 90)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def showcase(db, client, write_course, sync, make_user):
    from elearn.models import Course, Innovation, Unit, UnitSupervisor
    from elearn.services.enrollment import enroll

    write_course("literasi", modules=1,
                 title="Literasi Informasi untuk Pustakawan Sekolah dan Perpustakaan Desa di Kota Bontang")
    assert not sync().failed
    unit = Unit(name="Perpustakaan Umum Daerah Kota Bontang, Kecamatan Bontang Utara")
    db.session.add(unit)
    db.session.flush()
    learner = make_user(name="Nguyễn Thị Đào Ñoño Pustakawati Bontang Utara")
    learner.unit_id = unit.id
    supervisor = make_user("supervisor", name="Kepala Perpustakaan")
    db.session.add(UnitSupervisor(user_id=supervisor.id, unit_id=unit.id))
    enroll(db.session, learner.id, db.session.scalar(select(Course).where(Course.slug == "literasi")))
    db.session.commit()
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    for n, size in enumerate(((2400, 1600), (200, 900), (1600, 300))):
        response = client.post("/innovations/new", content_type="multipart/form-data", data={
            "title": f"Kelas literasi digital untuk pelajar SMP di Perpustakaan Kelurahan nomor {n}",
            "description": "Cerita_dengan_kata_yang_sangat_panjang_tanpa_spasi_untuk_menguji_pembungkusan_teks",
            "course": str(db.session.scalar(select(Course.id))), "publish": "y",
            "result_value": "1250,5", "result_unit": "pengunjung_kelas_literasi_digital",
            "result_text": "Pengunjung_kelas_literasi_digital_selama_enam_bulan_pertama_tanpa_spasi",
            "photo": (io.BytesIO(_png(*size)), "foto.png"), "photo_alt": "Pelajar belajar di perpustakaan"})
        assert response.status_code == 302
    client.post("/logout")
    client.post("/login", data={"email": supervisor.email, "password": PASSWORD})
    first = db.session.scalar(select(Innovation.id).order_by(Innovation.id))
    assert client.post(f"/innovations/{first}/feature", data={"featured": "1"}).status_code == 302
    client.post("/logout")
    return learner, unit.id, first


def test_showcase_cards_and_filters_fit_a_phone(browser, site_url, showcase):
    learner, unit_id, first = showcase
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    log_in(page, site_url, learner)
    page.goto(f"{site_url}/innovations/")
    assert page.locator(".card").count() == 3 and page.locator(".tag-featured").count() == 1
    page.select_option("select[name=unit]", str(unit_id))
    page.click("form.filters button[type=submit]")  # a plain GET form, no script involved
    page.wait_for_url(lambda url: f"unit={unit_id}" in url)
    assert page.locator(".card").count() == 3
    page.wait_for_load_state("load")
    for url in (page.url, f"{site_url}/innovations/{first}", f"{site_url}/innovations/{first}/edit"):
        page.goto(url)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)
    page.goto(f"{site_url}/innovations/")
    page.wait_for_load_state("load")
    boxes = page.eval_on_selector_all(
        ".card-photo", "els => els.map(e => [e.getAttribute('loading'), e.getBoundingClientRect().right, "
                       "e.naturalWidth, e.getBoundingClientRect().width, e.getBoundingClientRect().height])")
    assert len(boxes) == 3
    for loading, right, natural, _w, _h in boxes:
        assert loading == "lazy" and right <= PHONE["width"]
    page.locator(".card-photo").last.scroll_into_view_if_needed()
    wait_until(page, "[...document.querySelectorAll('.card-photo')].every(i => i.complete && i.naturalWidth)")
    context.close()
