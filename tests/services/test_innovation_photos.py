"""services.photos: judged by the bytes, never upscaled, at most 1600 px wide, upright, without metadata."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from elearn.services import photos
from elearn.services.photos import PhotoRefused, prepare_photo, scaled_size


def image_bytes(fmt: str, size=(100, 50), mode="RGB", **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode != "P" else 1).save(out, fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize("fmt,mime", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
def test_each_accepted_format_keeps_its_format_and_is_made_1600_wide(fmt, mime):
    photo = prepare_photo(image_bytes(fmt, (3200, 1000)), 10**8)
    stored = Image.open(io.BytesIO(photo.content))
    assert (stored.format, stored.size, photo.mime_type, photo.width, photo.height) == (fmt, (1600, 500), mime,
                                                                                         1600, 500)
    assert Image.open(io.BytesIO(photo.thumb)).size == (320, 100)


def test_exif_orientation_is_applied_then_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    exif[0x010F] = "KameraRahasia"
    photo = prepare_photo(image_bytes("JPEG", (400, 200), exif=exif.tobytes()), 10**8)
    stored = Image.open(io.BytesIO(photo.content))
    assert stored.size == (200, 400) and dict(stored.getexif()) == {} and b"KameraRahasia" not in photo.content


def test_png_text_chunks_are_dropped_and_palette_images_kept_readable():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "Lokasi rumah saya")
    photo = prepare_photo(image_bytes("PNG", (2000, 100), mode="P", pnginfo=info), 10**8)
    assert b"Lokasi rumah saya" not in photo.content and Image.open(io.BytesIO(photo.content)).width == 1600


@pytest.mark.parametrize("data,code", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "photo_type"),
    (b"<html><body>foto</body></html>", "photo_type"),
    (image_bytes("GIF"), "photo_type"),
    (b"%PDF-1.4 bukan foto", "photo_type"),
    (b"\xff\xd8\xff" + b"\0" * 100, "photo_broken"),
    (b"RIFF\0\0\0\0WEBPVP8 rusak", "photo_broken"),
])
def test_anything_else_is_refused_by_its_content(data, code):
    with pytest.raises(PhotoRefused) as refused:
        prepare_photo(data, 10**8)
    assert refused.value.code == code


def test_too_many_bytes_or_pixels_is_too_large(monkeypatch):
    data = image_bytes("PNG", (100, 100))
    with pytest.raises(PhotoRefused) as refused:
        prepare_photo(data, len(data) - 1)
    assert refused.value.code == "photo_too_large"
    monkeypatch.setattr(photos, "PHOTO_MAX_PIXELS", 9999)
    with pytest.raises(PhotoRefused) as refused:
        prepare_photo(data, 10**8)
    assert refused.value.code == "photo_too_large"


def test_scaled_size_never_upscales():
    assert scaled_size(300, 200, 1600) == (300, 200)
    assert scaled_size(3000, 1, 1600) == (1600, 1)
    assert scaled_size(1601, 900, 1600) == (1600, 899)
