"""Photos people upload to be shown on the site (the innovation showcase).

Rules
- The type is judged by the bytes (services.course_versions.sniff_asset_type, the one content-type check of
  uploads shown on the site), never by the file name: only PNG, JPEG and WebP; an SVG or an HTML page named
  ``.png`` is refused (``photo_type``). Pillow must then read it as that same format (else ``photo_broken``).
- At most ``max_bytes`` as uploaded (``photo_too_large``) and PHOTO_MAX_PIXELS pixels (a decompression bomb:
  ``photo_too_large``).
- It is turned upright by its EXIF orientation, made at most ``max_width`` pixels wide (never wider than it
  was: a small photo is not upscaled) and written again in its own format, without its metadata (EXIF, XMP,
  text chunks: GPS position, camera, time), keeping only the colour profile. A thumbnail of THUMB_WIDTH is
  made alike. ``key`` (a digest of the result) changes with the photo, so its address can be cached long.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from elearn.services.course_versions import sniff_asset_type

MAX_WIDTH = 1600
THUMB_WIDTH = 320
PHOTO_MAX_PIXELS = 40_000_000
#: sniffed suffix -> (Pillow format, MIME type)
PHOTO_TYPES = {".png": ("PNG", "image/png"), ".jpg": ("JPEG", "image/jpeg"), ".webp": ("WEBP", "image/webp")}


class PhotoRefused(Exception):
    """``code``: photo_type, photo_too_large, photo_broken."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Photo:
    content: bytes
    thumb: bytes
    mime_type: str
    width: int
    height: int
    key: str


def scaled_size(width: int, height: int, max_width: int) -> tuple[int, int]:
    """(width, height) at most ``max_width`` wide, proportions kept, never larger than given."""
    if width <= max_width:
        return width, height
    return max_width, max(1, round(height * max_width / width))


def _encode(image: Image.Image, size: tuple[int, int], pil_format: str, icc: bytes | None) -> bytes:
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    # nothing of the original's metadata is written: only what is passed here
    image.info = {}
    options = {"icc_profile": icc} if icc else {}
    if pil_format == "JPEG":
        options.update(quality=85, optimize=True)
    elif pil_format == "WEBP":
        options.update(quality=85)
    else:
        options.update(optimize=True)
    out = io.BytesIO()
    image.save(out, pil_format, **options)
    return out.getvalue()


def prepare_photo(data: bytes, max_bytes: int, max_width: int = MAX_WIDTH) -> Photo:
    """The photo as it will be stored and shown (see the module rules); raises PhotoRefused."""
    if len(data) > max_bytes:
        raise PhotoRefused("photo_too_large")
    kind = PHOTO_TYPES.get(sniff_asset_type(data) or "")
    if kind is None:
        raise PhotoRefused("photo_type")
    pil_format, mime_type = kind
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format != pil_format:
                raise PhotoRefused("photo_broken")
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise PhotoRefused("photo_too_large")
            image.load()
            icc = image.info.get("icc_profile")
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused("photo_too_large") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise PhotoRefused("photo_broken") from None
    if pil_format == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    size = scaled_size(image.width, image.height, max_width)
    content = _encode(image, size, pil_format, icc)
    thumb = _encode(image, scaled_size(image.width, image.height, THUMB_WIDTH), pil_format, icc)
    return Photo(content, thumb, mime_type, size[0], size[1], hashlib.sha256(content).hexdigest()[:16])
