"""The innovation showcase: a learner shares an innovation grown from a course they follow; only published
ones are shown to everyone signed in, supervisors see those of their scope; the story cannot script; the
programme metrics count innovations shared."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.models import Course, Innovation, Unit, UnitSupervisor


@pytest.fixture
def world(db, make_user, write_course, sync):
    city, other = Unit(name="Dinas Perpustakaan Kota"), Unit(name="Perpustakaan Sekolah")
    db.session.add_all([city, other])
    db.session.flush()
    people = {"learner": make_user(name="Lina Learner"), "colleague": make_user(name="Kiki Colleague"),
              "head_city": make_user("supervisor", name="Hana Head"),
              "head_other": make_user("supervisor", name="Oni Other"),
              "admin": make_user("admin", name="Ada Admin")}
    people["learner"].unit_id, people["colleague"].unit_id = city.id, other.id
    db.session.add_all([UnitSupervisor(unit_id=city.id, user_id=people["head_city"].id),
                        UnitSupervisor(unit_id=other.id, user_id=people["head_other"].id)])
    write_course("kursus-i", modules=1, title="Kursus Literasi")
    write_course("kursus-lain", modules=1, title="Kursus Lain")
    report = sync()
    assert not report.failed, report.problems
    from elearn.services.enrollment import enroll

    enroll(db.session, people["learner"].id, db.session.scalar(select(Course).where(Course.slug == "kursus-i")))
    db.session.commit()
    return people


def course_id(db, slug):
    return db.session.scalar(select(Course.id).where(Course.slug == slug))


def relogin(client, login, user):
    client.post("/logout")
    login(user)


def share(client, db, publish=False, **extra):
    data = {"title": "Kelas literasi Sabtu", "description": "Kelas **literasi** untuk 30 pelajar tiap Sabtu.",
            "course": str(course_id(db, "kursus-i")), "link": "https://contoh.bontangkota.go.id/foto"}
    if publish:
        data["publish"] = "y"
    data.update(extra)
    return client.post("/innovations/new", data=data)


def test_share_publish_and_who_sees_it(db, client, login, world):
    login(world["learner"])
    assert share(client, db).status_code == 302
    innovation = db.session.scalar(select(Innovation))
    assert innovation.published_at is None and "<strong>literasi</strong>" in innovation.html
    url = f"/innovations/{innovation.id}"
    assert client.get(url).status_code == 200
    assert "Kelas literasi Sabtu" in client.get("/innovations/mine").get_data(as_text=True)
    # unpublished: the colleague and another unit's supervisor see nothing; the learner's supervisor and admin do
    for who, status in (("colleague", 404), ("head_other", 404), ("head_city", 200), ("admin", 200)):
        relogin(client, login, world[who])
        assert client.get(url).status_code == status, who
        assert "Kelas literasi Sabtu" not in client.get("/innovations/").get_data(as_text=True)
    relogin(client, login, world["head_city"])
    assert "Kelas literasi Sabtu" in client.get("/innovations/scope").get_data(as_text=True)
    assert client.post(f"{url}/publish", data={"publish": "1"}).status_code == 403  # only the author
    relogin(client, login, world["head_other"])
    assert "Kelas literasi Sabtu" not in client.get("/innovations/scope").get_data(as_text=True)
    relogin(client, login, world["colleague"])
    assert client.get("/innovations/scope").status_code == 403
    assert client.post(f"{url}/publish", data={"publish": "1"}).status_code == 404
    # published: everyone signed in sees it
    relogin(client, login, world["learner"])
    assert client.post(f"{url}/publish", data={"publish": "1"}).status_code == 302
    relogin(client, login, world["colleague"])
    assert client.get(url).status_code == 200
    assert "Kelas literasi Sabtu" in client.get("/innovations/").get_data(as_text=True)
    client.post("/logout")
    assert client.get(url).status_code in (302, 401)
    # withdrawn: hidden again
    relogin(client, login, world["learner"])
    client.post(f"{url}/publish", data={"publish": "0"})
    relogin(client, login, world["colleague"])
    assert client.get(url).status_code == 404
    assert client.get("/innovations/999999").status_code == 404


def test_form_errors_and_courses_not_followed(db, client, login, world):
    login(world["learner"])
    for extra in ({"course": str(course_id(db, "kursus-lain"))}, {"link": "javascript:alert(1)"},
                  {"title": "  "}, {"description": "x" * 20000}):
        response = share(client, db, **extra)
        assert response.status_code == 200, extra
        assert 'class="error' in response.get_data(as_text=True) or "Not a valid choice" in response.get_data(
            as_text=True)
    assert db.session.scalar(select(Innovation)) is None
    relogin(client, login, world["colleague"])  # enrolled nowhere
    assert "Daftar ke sebuah kursus" in client.get("/innovations/new").get_data(as_text=True)


def test_the_story_cannot_script(db, client, login, world):
    login(world["learner"])
    evil = '<script>alert(1)</script> <img src=x onerror=alert(2)> [klik](javascript:alert(3))'
    share(client, db, publish=True, title='<script>alert("t")</script>', description=evil)
    innovation = db.session.scalar(select(Innovation))
    relogin(client, login, world["colleague"])
    for url in (f"/innovations/{innovation.id}", "/innovations/"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "javascript:" not in html


def test_programme_metrics_count_innovations_shared(db, client, login, world):
    login(world["learner"])
    share(client, db, publish=True)
    share(client, db, title="Belum dibagikan")
    relogin(client, login, world["head_city"])
    assert "<dt>Inovasi dibagikan</dt><dd>1</dd>" in client.get("/reports/programme").get_data(as_text=True)
    from tabular import csv_rows

    rows = csv_rows(client.get("/reports/programme?format=csv").data)
    column = rows[0].index("Inovasi dibagikan")
    assert sum(int(r[column]) for r in rows[1:]) == 1
    relogin(client, login, world["head_other"])  # the learner is not in this scope
    assert "<dt>Inovasi dibagikan</dt><dd>0</dd>" in client.get("/reports/programme").get_data(as_text=True)


def _page_figures(html: str) -> dict:
    """The programme page's totals and its monthly table: {label: total}, {month: [cells]}."""
    import re

    totals = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", html))
    months = {m: re.findall(r"<td>([^<]*)</td>", cells)
              for m, cells in re.findall(r'<tr><th scope="row">(\d{4}-\d\d)</th>(.*?)</tr>', html)}
    return totals, months


def test_programme_page_and_exports_agree_on_innovations_carried_out_and_shared(db, client, login, world):
    """Carried out: action plans marked carried out, counted in that month (whenever submitted); shared:
    innovations published, in the month published. Page totals, page table, CSV and XLSX give one figure."""
    from datetime import datetime, timezone

    from elearn.models import ActionPlan
    from tabular import csv_rows, xlsx_rows

    def at(y, m, d):
        return datetime(y, m, d, 4, 0, tzinfo=timezone.utc)  # noon in Bontang

    learner, kursus = world["learner"], course_id(db, "kursus-i")
    for submitted, done in ((at(2025, 12, 20), at(2026, 1, 10)), (at(2026, 2, 3), at(2026, 3, 4)),
                            (at(2026, 3, 1), None), (at(2025, 11, 2), at(2025, 11, 30))):
        db.session.add(ActionPlan(user_id=learner.id, course_id=kursus, kind="literacy_class", title="Rencana",
                                  description="Kelas literasi", submitted_at=submitted, carried_out_at=done))
    for published in (at(2025, 12, 30), at(2026, 1, 15), at(2026, 1, 20), None):
        db.session.add(Innovation(user_id=learner.id, course_id=kursus, title="Inovasi", description="x", html="x",
                                  created_at=at(2025, 12, 1), published_at=published))
    db.session.commit()
    login(world["head_city"])
    expected = {2025: {"Rencana aksi inovasi diajukan": 2, "Rencana aksi terlaksana": 1, "Inovasi dibagikan": 1},
                2026: {"Rencana aksi inovasi diajukan": 2, "Rencana aksi terlaksana": 2, "Inovasi dibagikan": 2}}
    columns = {"Rencana aksi inovasi diajukan": ("Rencana aksi diajukan", 4),
               "Rencana aksi terlaksana": ("Rencana aksi terlaksana", 5),
               "Inovasi dibagikan": ("Inovasi dibagikan", 13)}
    for year, figures in expected.items():
        totals, table = _page_figures(client.get(f"/reports/programme?year={year}").get_data(as_text=True))
        exports = [csv_rows(client.get(f"/reports/programme?year={year}&format=csv").data),
                   xlsx_rows(client.get(f"/reports/programme?year={year}&format=xlsx").data)]
        for label, want in figures.items():
            header, cell = columns[label]
            assert int(totals[label]) == want, (year, label)
            assert sum(int(cells[cell]) for cells in table.values()) == want, (year, label)
            for rows in exports:
                index = rows[0].index(header)
                by_month = {r[0]: int(r[index]) for r in rows[1:]}
                assert sum(by_month.values()) == want, (year, label)
                assert by_month == {m: int(cells[cell]) for m, cells in table.items()}, (year, label)
    _totals, table = _page_figures(client.get("/reports/programme?year=2026").get_data(as_text=True))
    assert (table["2026-01"][5], table["2026-03"][5], table["2026-01"][13]) == ("1", "1", "2")
