"""Issue 17, "Light pages": wide course images are resized when a course is published (1,600 and 800 px
copies, never upscaled, originals kept), and the module HTML names them in srcset with width, height and
loading="lazy"; other files are left alone."""
from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from elearn.content.images import derivative_path
from elearn.content.sanitize import sanitize_html
from elearn.models import Course, CourseAsset, Module


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 10)).save(out, "JPEG")
    return out.getvalue()


def _publish(write_course, sync, db, files: dict[str, bytes], body: str):
    folder = write_course(modules=1, bodies={1: body})
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    report = sync()
    assert not report.failed, report.problems
    assets = {a.path: a for a in db.session.scalars(select(CourseAsset))}
    return assets, db.session.scalar(select(Module)).html


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def test_a_wide_image_gets_1600_and_800_copies_and_keeps_its_original(write_course, sync, db):
    big = _png(3000, 1500)
    assets, html = _publish(write_course, sync, db, {"assets/peta.png": big}, "![Peta kota](assets/peta.png)\n")
    assert assets["assets/peta.png"].content == big  # the original, as the link downloads it
    assert _size(assets[derivative_path("assets/peta.png", 1600)].content) == (1600, 800)
    assert _size(assets[derivative_path("assets/peta.png", 800)].content) == (800, 400)
    assert all(a.mime_type == "image/png" for a in assets.values())
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'width="3000"' in img and 'height="1500"' in img and 'loading="lazy"' in img
    assert ('srcset="../assets/.sized/800/peta.png 800w, ../assets/.sized/1600/peta.png 1600w, '
            '../assets/peta.png 3000w"') in img
    assert 'sizes="(max-width: 48rem) 100vw, 48rem"' in img


def test_a_copy_is_served_like_any_course_image(client, write_course, sync, db, make_user, login):
    _publish(write_course, sync, db, {"assets/foto/a.jpg": _jpeg(2000, 1000)}, "![Foto](assets/foto/a.jpg)\n")
    login(make_user())
    response = client.get("/courses/kursus-uji/assets/.sized/800/foto/a.jpg")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/jpeg"
    assert _size(response.data) == (800, 400)


def test_a_small_image_is_never_upscaled_but_gets_its_size(write_course, sync, db):
    small = _png(500, 300)
    assets, html = _publish(write_course, sync, db, {"assets/ikon.png": small}, "![Ikon](assets/ikon.png)\n")
    assert set(assets) == {"assets/ikon.png"} and assets["assets/ikon.png"].content == small
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'width="500"' in img and 'height="300"' in img and 'loading="lazy"' in img and "srcset" not in img


def test_an_image_between_the_widths_gets_only_the_smaller_copy(write_course, sync, db):
    assets, html = _publish(write_course, sync, db, {"assets/a.webp": _webp(1200, 600)}, "![A](assets/a.webp)\n")
    assert set(assets) == {"assets/a.webp", derivative_path("assets/a.webp", 800)}
    assert 'srcset="../assets/.sized/800/a.webp 800w, ../assets/a.webp 1200w"' in html


def _webp(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 0, 0)).save(out, "WEBP")
    return out.getvalue()


def test_other_files_are_left_alone(write_course, sync, db):
    pdf = b"%PDF-1.4\n" + b"x" * 5000
    gif = _png(2000, 100)  # named .gif: GIFs are never resized, whatever they hold
    assets, html = _publish(write_course, sync, db, {"assets/panduan.pdf": pdf, "assets/anim.gif": gif},
                            "[Panduan](assets/panduan.pdf) ![Animasi](assets/anim.gif)\n")
    assert set(assets) == {"assets/panduan.pdf", "assets/anim.gif"} and assets["assets/panduan.pdf"].content == pdf
    assert "srcset" not in html and 'href="../assets/panduan.pdf"' in html


def test_a_changed_original_remakes_its_copies_and_a_removed_one_takes_them_away(write_course, sync, db):
    folder = write_course(modules=1, bodies={1: "![Peta](assets/peta.png)\n"})
    (folder / "assets").mkdir()
    (folder / "assets" / "peta.png").write_bytes(_png(2000, 2000))
    sync()
    (folder / "assets" / "peta.png").write_bytes(_png(3200, 1600))
    sync()
    copy = db.session.scalar(select(CourseAsset).where(CourseAsset.path == derivative_path("assets/peta.png", 1600)))
    assert _size(copy.content) == (1600, 800)
    (folder / "01-modul-1.md").write_text("---\ntitle: Modul 1\nminutes: 10\n---\nTanpa gambar.\n", encoding="utf-8")
    (folder / "assets" / "peta.png").unlink()
    sync()
    assert db.session.scalars(select(CourseAsset.path)).all() == []
    assert db.session.scalar(select(Course)).retired_at is None


def test_a_course_published_before_resizing_gets_its_copies_at_the_next_sync(write_course, sync, db):
    assets, _html = _publish(write_course, sync, db, {"assets/peta.png": _png(2000, 1000)}, "![P](assets/peta.png)\n")
    for path in (derivative_path("assets/peta.png", 1600), derivative_path("assets/peta.png", 800)):
        db.session.delete(assets[path])
    module = db.session.scalar(select(Module))
    module.html = '<p><img alt="P" src="../assets/peta.png" loading="lazy"></p>'
    db.session.commit()
    report = sync()  # the folder did not change
    assert report.courses[0].outcome == "updated"
    assert "srcset" in db.session.scalar(select(Module)).html
    assert len(db.session.scalars(select(CourseAsset)).all()) == 3


def test_hidden_files_in_the_assets_folder_are_not_course_content(write_course, sync, db):
    folder = write_course(modules=1)
    (folder / "assets" / ".sized" / "1600").mkdir(parents=True)
    (folder / "assets" / ".sized" / "1600" / "x.png").write_bytes(_png(10, 10))
    (folder / "assets" / "y.png").write_bytes(_png(10, 10))
    sync()
    assert db.session.scalars(select(CourseAsset.path)).all() == ["assets/y.png"]


def test_the_sanitizer_keeps_only_relative_srcsets():
    kept = sanitize_html('<img src="b.png" srcset="a.png 800w, ../b.png 1600w">')
    assert 'srcset="a.png 800w, ../b.png 1600w"' in kept
    assert "srcset" not in sanitize_html('<img src="b.png" srcset="javascript:alert(1) 1x">')
    assert "srcset" not in sanitize_html('<img src="b.png" srcset="a.png 1x, //evil.example/x.png 2x">')
    assert "srcset" not in sanitize_html('<img src="b.png" srcset="https://evil.example/x.png 2x">')
    assert 'loading="lazy"' in sanitize_html('<img src="b.png" loading="eager">')
