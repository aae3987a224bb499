"""The innovation showcase's photo, measured result, filters and featuring: a photo is judged by its bytes
(PNG, JPEG, WebP), made at most 1600 px wide without its metadata and shown only to whoever may read the
innovation; the showcase filters by the author's unit (with sub-units) and by the course it grew from;
supervisors of the author and admins feature one (audited), nobody else."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from elearn.models import AuditEvent, Course, Innovation, Unit, UnitSupervisor


@pytest.fixture
def world(db, make_user, write_course, sync):
    city = Unit(name="Dinas Perpustakaan Kota")
    school = Unit(name="Perpustakaan Sekolah")
    db.session.add_all([city, school])
    db.session.flush()
    branch = Unit(name="Perpustakaan Kelurahan Loktuan", parent_id=city.id)
    db.session.add(branch)
    db.session.flush()
    people = {"learner": make_user(name="Lina Learner"), "colleague": make_user(name="Kiki Colleague"),
              "head_city": make_user("supervisor", name="Hana Head"),
              "head_school": make_user("supervisor", name="Oni Other"),
              "admin": make_user("admin", name="Ada Admin")}
    people["learner"].unit_id, people["colleague"].unit_id = branch.id, school.id
    db.session.add_all([UnitSupervisor(unit_id=city.id, user_id=people["head_city"].id),
                        UnitSupervisor(unit_id=school.id, user_id=people["head_school"].id)])
    write_course("kursus-i", modules=1, title="Kursus Literasi")
    write_course("kursus-lain", modules=1, title="Kursus Layanan Digital")
    report = sync()
    assert not report.failed, report.problems
    from elearn.services.enrollment import enroll

    enroll(db.session, people["learner"].id, db.session.scalar(select(Course).where(Course.slug == "kursus-i")))
    enroll(db.session, people["colleague"].id, db.session.scalar(select(Course).where(Course.slug == "kursus-lain")))
    db.session.commit()
    people["units"] = {"city": city.id, "branch": branch.id, "school": school.id}
    return people


def course_id(db, slug):
    return db.session.scalar(select(Course.id).where(Course.slug == slug))


def relogin(client, login, user):
    client.post("/logout")
    login(user)


def picture(fmt: str = "JPEG", size=(2400, 1200), secret: str = "") -> bytes:
    """An image; with ``secret``, EXIF holding a camera make and a GPS position."""
    image = Image.new("RGB", size, (30, 110, 80))
    options = {}
    if secret:
        exif = Image.Exif()
        exif[0x010F] = secret  # Make
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = "S", (0.0, 7.0, 52.0)
        options["exif"] = exif.tobytes()
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def share(client, db, slug="kursus-i", publish=True, photo=None, name="foto.jpg", **extra):
    data = {"title": "Kelas literasi Sabtu", "description": "Kelas literasi untuk pelajar tiap Sabtu.",
            "course": str(course_id(db, slug)), "result_value": "45", "result_unit": "pengunjung",
            "result_text": "kelas literasi dalam sebulan"}
    if publish:
        data["publish"] = "y"
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), name)
        data["photo_alt"] = "Pelajar membaca bersama di perpustakaan"
    data.update(extra)
    return client.post("/innovations/new", data=data, content_type="multipart/form-data")


def only_innovation(db) -> Innovation:
    db.session.expire_all()
    return db.session.scalar(select(Innovation))


def test_a_big_photo_is_resized_stripped_and_served_to_readers(db, client, login, world):
    login(world["learner"])
    assert share(client, db, photo=picture(secret="KameraRahasiaGPS")).status_code == 302
    innovation = only_innovation(db)
    stored = Image.open(io.BytesIO(innovation.photo))
    assert (stored.format, stored.size) == ("JPEG", (1600, 800))
    assert (innovation.photo_width, innovation.photo_height, innovation.photo_type) == (1600, 800, "image/jpeg")
    assert dict(stored.getexif()) == {} and b"KameraRahasiaGPS" not in innovation.photo
    assert Image.open(io.BytesIO(innovation.photo_thumb)).size == (320, 160)
    relogin(client, login, world["colleague"])
    url = f"/innovations/{innovation.id}/photo/{innovation.photo_key}"
    page = client.get(f"/innovations/{innovation.id}").get_data(as_text=True)
    assert (f'<img src="{url}" alt="Pelajar membaca bersama di perpustakaan" width="1600" height="800">'
            in page)
    card = client.get("/innovations/").get_data(as_text=True)
    assert (f'src="{url}/thumb" alt="Pelajar membaca bersama di perpustakaan" width="320" height="160" '
            'loading="lazy"' in card)
    response = client.get(url)
    assert response.status_code == 200 and response.data == innovation.photo
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert client.get(url + "/thumb").data == innovation.photo_thumb
    assert client.get(f"/innovations/{innovation.id}/photo/0000000000000000").status_code == 404


def test_a_small_photo_is_not_upscaled_and_keeps_its_format(db, client, login, world):
    login(world["learner"])
    assert share(client, db, photo=picture("PNG", (300, 200)), name="kecil.png").status_code == 302
    innovation = only_innovation(db)
    assert Image.open(io.BytesIO(innovation.photo)).size == (300, 200)
    assert Image.open(io.BytesIO(innovation.photo_thumb)).size == (300, 200)
    assert innovation.photo_type == "image/png"


@pytest.mark.parametrize("content,name", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "foto.svg"),
    (b"<!doctype html><html><script>alert(1)</script></html>", "foto.png"),
    (b"GIF89a" + b"\0" * 40, "foto.gif"),
    (b"\x89PNG\r\n\x1a\n" + b"bukan gambar", "rusak.png"),
])
def test_a_photo_that_is_not_png_jpeg_or_webp_is_refused_and_nothing_stored(db, client, login, world, content,
                                                                             name):
    login(world["learner"])
    response = share(client, db, photo=content, name=name)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Foto tidak disimpan." in html and 'id="photo-error"' in html
    assert "Kelas literasi untuk pelajar tiap Sabtu." in html  # what was typed is kept in the form
    assert only_innovation(db) is None


def test_too_large_photo_and_missing_description_refused(app, db, client, login, world):
    login(world["learner"])
    response = share(client, db, photo=picture(), photo_alt=" ")
    assert "Tuliskan apa yang terlihat di foto." in response.get_data(as_text=True)
    app.config["INNOVATION_PHOTO_MAX_BYTES"] = 1000
    response = share(client, db, photo=picture())
    assert "Foto terlalu besar." in response.get_data(as_text=True)
    assert only_innovation(db) is None


def test_the_photo_of_an_unpublished_or_withdrawn_innovation_is_hidden(db, client, login, world):
    login(world["learner"])
    share(client, db, publish=False, photo=picture())
    innovation = only_innovation(db)
    url = f"/innovations/{innovation.id}/photo/{innovation.photo_key}"
    assert client.get(url).status_code == 200  # the author
    for who, status in (("colleague", 404), ("head_school", 404), ("head_city", 200), ("admin", 200)):
        relogin(client, login, world[who])
        assert client.get(url).status_code == status, who
        assert client.get(url + "/thumb").status_code == status, who
    relogin(client, login, world["learner"])
    client.post(f"/innovations/{innovation.id}/publish", data={"publish": "1"})
    relogin(client, login, world["colleague"])
    assert client.get(url).status_code == 200
    relogin(client, login, world["learner"])
    client.post(f"/innovations/{innovation.id}/publish", data={"publish": "0"})
    relogin(client, login, world["colleague"])
    assert client.get(url).status_code == 404
    client.post("/logout")
    assert client.get(url).status_code in (302, 401)


def test_the_author_edits_replaces_and_removes_the_photo(db, client, login, world):
    login(world["learner"])
    share(client, db, photo=picture())
    innovation = only_innovation(db)
    old_key = innovation.photo_key
    edit = f"/innovations/{innovation.id}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert 'value="45"' in form and 'value="pengunjung"' in form
    data = {"title": "Kelas literasi Minggu", "description": "Pindah ke hari Minggu.",
            "course": str(course_id(db, "kursus-i")), "result_value": "12,5", "result_unit": "%",
            "result_text": "kenaikan peminjaman", "photo_alt": "Foto baru"}
    refused = client.post(edit, data={**data, "photo": (io.BytesIO(b"<svg/>"), "x.png")},
                          content_type="multipart/form-data")
    assert refused.status_code == 200 and "Foto tidak disimpan." in refused.get_data(as_text=True)
    assert only_innovation(db).photo_key == old_key and only_innovation(db).title == "Kelas literasi Sabtu"
    assert client.post(edit, data={**data, "photo": (io.BytesIO(picture("WEBP", (800, 600))), "baru.webp")},
                       content_type="multipart/form-data").status_code == 302
    innovation = only_innovation(db)
    assert innovation.photo_type == "image/webp" and innovation.photo_key != old_key
    assert (innovation.title, innovation.result_value, innovation.result_unit) == ("Kelas literasi Minggu", 12.5, "%")
    assert client.get(f"/innovations/{innovation.id}/photo/{old_key}").status_code == 404
    assert client.post(edit, data={**data, "remove_photo": "y"}).status_code == 302
    innovation = only_innovation(db)
    assert innovation.photo is None and innovation.photo_key == "" and innovation.photo_alt == ""
    for who, status in (("colleague", 403), ("head_city", 403)):  # published: they may read, not edit
        relogin(client, login, world[who])
        assert client.get(edit).status_code == status, who
        assert client.post(edit, data=data).status_code == status, who
    assert only_innovation(db).title == "Kelas literasi Minggu"


def test_the_measured_result_is_shown_and_checked(db, client, login, world):
    login(world["learner"])
    share(client, db)
    innovation = only_innovation(db)
    for url in (f"/innovations/{innovation.id}", "/innovations/"):
        assert "Hasil: 45 pengunjung · kelas literasi dalam sebulan" in client.get(url).get_data(as_text=True)
    for extra, message in (({"result_value": "banyak"}, "Tuliskan angka"),
                           ({"result_value": "-3"}, "Tuliskan angka"),
                           ({"result_value": "", "result_unit": "orang"}, "Tuliskan angkanya bila mengisi satuan."),
                           ({"result_text": "x" * 201}, "Isian maksimal 200 karakter."),
                           ({"result_unit": "x" * 41}, "Isian maksimal 40 karakter.")):
        response = share(client, db, title="Kedua", **extra)
        assert response.status_code == 200 and message in response.get_data(as_text=True), extra
    assert db.session.scalar(select(Innovation).where(Innovation.title == "Kedua")) is None
    for typed, stored in (("1.200", 1200), ("2.500.000", 2500000), ("12,5", 12.5), ("12.5", 12.5),
                          ("1.200,5", 1200.5)):
        assert share(client, db, title=f"Angka {typed}", result_value=typed).status_code == 302, typed
        assert db.session.scalar(select(Innovation.result_value).where(Innovation.title == f"Angka {typed}")) == \
            stored, typed
    for typed in ("1,200.5", "1.2.3", "1,2,3"):
        assert share(client, db, title="Ketiga", result_value=typed).status_code == 200, typed


def test_the_showcase_filters_by_unit_with_sub_units_and_by_topic(db, client, login, world):
    login(world["learner"])  # unit: the branch, below the city
    share(client, db, title="Inovasi Loktuan")
    relogin(client, login, world["colleague"])  # unit: the school
    share(client, db, slug="kursus-lain", title="Inovasi Sekolah")
    units, courses = world["units"], {s: course_id(db, s) for s in ("kursus-i", "kursus-lain")}
    page = client.get("/innovations/").get_data(as_text=True)
    assert "Inovasi Loktuan" in page and "Inovasi Sekolah" in page
    assert 'method="get"' in page and "Perpustakaan Kelurahan Loktuan" in page and "Kursus Layanan Digital" in page
    for query, shown, hidden in ((f"unit={units['city']}", "Inovasi Loktuan", "Inovasi Sekolah"),
                                 (f"unit={units['branch']}", "Inovasi Loktuan", "Inovasi Sekolah"),
                                 (f"unit={units['school']}", "Inovasi Sekolah", "Inovasi Loktuan"),
                                 (f"course={courses['kursus-lain']}", "Inovasi Sekolah", "Inovasi Loktuan"),
                                 (f"unit={units['city']}&course={courses['kursus-i']}", "Inovasi Loktuan",
                                  "Inovasi Sekolah")):
        html = client.get(f"/innovations/?{query}").get_data(as_text=True)
        assert shown in html and hidden not in html, query
    html = client.get(f"/innovations/?unit={units['city']}&course={courses['kursus-lain']}").get_data(as_text=True)
    assert "Belum ada inovasi." in html
    for junk in ("unit=abc", "unit=999999", "course=-1&page=x"):  # ignored, shown as a form error, never a 500
        response = client.get(f"/innovations/?{junk}")
        assert response.status_code == 200 and "Inovasi Loktuan" in response.get_data(as_text=True), junk


def test_supervisors_in_scope_and_admins_feature_others_may_not(db, client, login, world):
    login(world["learner"])
    share(client, db, title="Inovasi Loktuan")
    relogin(client, login, world["colleague"])
    share(client, db, slug="kursus-lain", title="Inovasi Sekolah")
    loktuan = db.session.scalar(select(Innovation).where(Innovation.title == "Inovasi Loktuan"))
    feature = f"/innovations/{loktuan.id}/feature"
    # the colleague's innovation is newer, so shown first until the learner's is featured
    html = client.get("/innovations/").get_data(as_text=True)
    assert html.index("Inovasi Sekolah") < html.index("Inovasi Loktuan") and "Unggulan" not in html
    for who in ("colleague", "learner", "head_school"):  # learners, and a supervisor outside the author's scope
        relogin(client, login, world[who])
        assert client.post(feature, data={"featured": "1"}).status_code == 403, who
        assert "Jadikan unggulan" not in client.get(f"/innovations/{loktuan.id}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Innovation, loktuan.id).featured_at is None
    relogin(client, login, world["head_city"])  # the branch is below the city
    assert "Jadikan unggulan" in client.get(f"/innovations/{loktuan.id}").get_data(as_text=True)
    assert client.post(feature, data={"featured": "1"}).status_code == 302
    html = client.get("/innovations/").get_data(as_text=True)
    assert html.index("Inovasi Loktuan") < html.index("Inovasi Sekolah") and "Unggulan" in html
    assert "Unggulan" in client.get(f"/innovations/{loktuan.id}").get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "innovation.featured"))
    assert (event.actor_id, event.subject_id, event.detail["innovation_id"]) == (
        world["head_city"].id, world["learner"].id, loktuan.id)
    relogin(client, login, world["admin"])
    assert client.post(feature, data={"featured": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Innovation, loktuan.id).featured_at is None
    assert db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "innovation.unfeatured")) == \
        world["admin"].id
    client.post(feature, data={"featured": "1"})
    relogin(client, login, world["learner"])  # withdrawing ends the featuring; unpublished cannot be featured
    client.post(f"/innovations/{loktuan.id}/publish", data={"publish": "0"})
    db.session.expire_all()
    assert db.session.get(Innovation, loktuan.id).featured_at is None
    assert db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "innovation.unfeatured")
                              .order_by(AuditEvent.id)).all() == [world["admin"].id, world["learner"].id]
    relogin(client, login, world["admin"])
    response = client.post(feature, data={"featured": "1"}, follow_redirects=True)
    assert "Hanya inovasi yang tampil di galeri yang dapat diunggulkan." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Innovation, loktuan.id).featured_at is None
    relogin(client, login, world["head_school"])  # may not even read the withdrawn one
    assert client.post(feature, data={"featured": "1"}).status_code == 404


def test_anonymisation_removes_the_photo_and_its_description_and_keeps_the_count(db, client, login, world):
    from elearn.services.privacy.anonymise import anonymise_person

    login(world["learner"])
    share(client, db, photo=picture())
    innovation = only_innovation(db)
    url = f"/innovations/{innovation.id}/photo/{innovation.photo_key}"
    anonymise_person(db.session, world["learner"].id, actor_id=world["admin"].id)
    db.session.commit()
    innovation = only_innovation(db)
    assert (innovation.photo, innovation.photo_thumb, innovation.photo_key, innovation.photo_alt,
            innovation.result_text) == (None, None, "", "", "")
    assert innovation.published_at is not None and innovation.result_value == 45
    relogin(client, login, world["colleague"])
    assert client.get(url).status_code == 404
    assert 'class="card-photo"' not in client.get("/innovations/").get_data(as_text=True)


def test_a_carried_out_action_plan_is_shared_only_when_its_author_chooses(db, client, login, world):
    from elearn.models import ActionPlan
    from elearn.models._types import utcnow

    kursus = course_id(db, "kursus-i")

    def plan(who, title, done):
        row = ActionPlan(user_id=world[who].id, course_id=kursus, kind="literacy_class", title=title,
                         description=f"Cerita {title}", carried_out_at=utcnow() if done else None)
        db.session.add(row)
        db.session.commit()
        return row.id

    done, waiting, others = (plan("learner", "Kelas literasi Sabtu", True), plan("learner", "Pameran buku", False),
                             plan("colleague", "Bedah buku sekolah", True))
    login(world["learner"])
    assert only_innovation(db) is None  # carrying a plan out shares nothing by itself
    plans_page = client.get("/action-plans/").get_data(as_text=True)
    assert f"/innovations/new?plan={done}" in plans_page and f"plan={waiting}" not in plans_page
    form = client.get(f"/innovations/new?plan={done}").get_data(as_text=True)
    assert 'value="Kelas literasi Sabtu"' in form and "Cerita Kelas literasi Sabtu" in form
    assert f'<option selected value="{done}">' in form and "Pameran buku" not in form
    for foreign in (waiting, others):
        form = client.get(f"/innovations/new?plan={foreign}").get_data(as_text=True)
        assert "Cerita Pameran buku" not in form and "Bedah buku sekolah" not in form, foreign
        response = share(client, db, action_plan=str(foreign))
        assert response.status_code == 200 and 'id="action_plan-error"' in response.get_data(as_text=True)
    from elearn.services.innovations import InnovationError, share_innovation

    for foreign in (waiting, others):  # the rule itself, not only the form's choices
        with pytest.raises(InnovationError) as refused:
            share_innovation(db.session, world["learner"].id, "Judul", "Cerita", kursus, action_plan_id=foreign)
        assert refused.value.code == "bad_plan"
        db.session.rollback()
    assert only_innovation(db) is None
    assert share(client, db, action_plan=str(done)).status_code == 302
    innovation = only_innovation(db)
    assert innovation.action_plan_id == done
    db.session.get(ActionPlan, done).carried_out_at = None  # the supervisor takes the mark back: edits still work
    db.session.commit()
    edit = f"/innovations/{innovation.id}/edit"
    assert f'<option selected value="{done}">' in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data={"title": "Kelas literasi Sabtu", "description": "Cerita",
                                   "course": str(kursus), "action_plan": str(done)}).status_code == 302
    assert only_innovation(db).action_plan_id == done
    db.session.get(ActionPlan, done).carried_out_at = utcnow()
    db.session.commit()
    relogin(client, login, world["colleague"])
    assert 'Dari rencana aksi "Kelas literasi Sabtu", terlaksana' in client.get(
        f"/innovations/{innovation.id}").get_data(as_text=True)
