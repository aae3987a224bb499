"""Course images for light pages: smaller copies of wide images, and the ``<img>`` attributes that use them.

Rules (issue 17, "Light pages"):
- a raster image (PNG, JPEG, WebP) wider than a width of ``WIDTHS`` gets a copy resized to that width
  (1,600 px for large screens, 800 px for phones); nothing is ever upscaled, other files (GIF, PDF,
  SVG …) are left as they are, and the original stays what its link downloads;
- a copy's path follows one naming rule, ``derivative_path``: inside the hidden folder
  ``assets/.sized/<width>/`` that no author file can use (hidden files are not course content), so the
  page's HTML can name the copies from the original's size alone, before they are stored;
- every course image gets ``width``/``height`` (no layout jump while loading), and a resized one a
  ``srcset`` listing the copies and the original with ``sizes`` for the module column; ``loading="lazy"``
  is set on every image by the sanitizer.

Pure functions of bytes and text (Pillow reads and writes the images); storing is ``course_sync``'s.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path

from PIL import Image

#: The widths of the resized copies, largest first.
WIDTHS = (1600, 800)
#: Where the copies live: ``assets/.sized/<width>/<the original's path under assets/>``.
SIZED_FOLDER = "assets/.sized/"
#: The module column is at most 48rem wide (``.wrap``); on a phone the image spans the screen.
SIZES = "(max-width: 48rem) 100vw, 48rem"
#: File names that are resized, and the Pillow format each is written back in.
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
_IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)\s*/?>")
_ATTR = re.compile(r'(?P<name>[a-zA-Z][\w:-]*)="(?P<value>[^"]*)"')


@dataclass(frozen=True)
class ImageSize:
    """A course image's pixel size and the widths of its resized copies (largest first)."""
    path: str
    width: int
    height: int
    copies: tuple[int, ...] = ()


def is_derivative(path: str) -> bool:
    """Whether ``path`` names a resized copy (not a file of the course folder)."""
    return path.startswith(SIZED_FOLDER)


def derivative_path(path: str, width: int) -> str:
    """The path of the ``width`` px copy of ``path`` ("assets/foto/peta.png" →
    "assets/.sized/800/foto/peta.png")."""
    return f"{SIZED_FOLDER}{width}/{path.removeprefix('assets/')}"


def measure(path: str, data: bytes | Path) -> ImageSize | None:
    """The size of the raster image stored at ``path`` (a PNG, JPEG or WebP, by name and content), read
    from its bytes or its file (only the header is read), with the copy widths it gets; None for any
    other file or bytes Pillow cannot read."""
    if Path(path).suffix.lower() not in _FORMATS:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as image:
                width, height = image.size
    except Exception:  # not an image, truncated, a decompression bomb: served as it is, never resized
        return None
    return ImageSize(path, width, height, tuple(w for w in WIDTHS if w < width))


def resize(size: ImageSize, data: bytes) -> dict[str, bytes]:
    """The resized copies of the image ``data`` (measured as ``size``): copy path → bytes, in the
    original's format; EXIF (the camera's orientation tag) is kept so the copy shows as the original."""
    copies: dict[str, bytes] = {}
    if not size.copies:
        return copies
    fmt = _FORMATS[Path(size.path).suffix.lower()]
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        exif = image.info.get("exif")
        source = image
        if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
            source = image.convert("RGB")
        elif image.mode == "P":
            source = image.convert("RGBA")
        for width in size.copies:
            height = max(1, round(size.height * width / size.width))
            resized = source.resize((width, height), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            options = {"quality": 82} if fmt in ("JPEG", "WEBP") else {}
            if exif and fmt in ("JPEG", "WEBP"):
                options["exif"] = exif
            resized.save(out, fmt, **options)
            copies[derivative_path(size.path, width)] = out.getvalue()
    return copies


def responsive_images(html: str, sizes: dict[str, ImageSize]) -> str:
    """``html`` with every ``<img>`` of a course image (``src`` "assets/…" or "../assets/…" in ``sizes``)
    given its ``width``/``height`` (unless the author gave them) and, when it has copies, a ``srcset``
    of the copies and the original with ``sizes``. Other images are left as they are. Runs on the
    Markdown output before the sanitizer, which allows these attributes."""
    if not sizes or "<img" not in html:
        return html

    def rewrite(match: re.Match) -> str:
        attrs = {m["name"].lower(): unescape(m["value"]) for m in _ATTR.finditer(match["attrs"])}
        src = attrs.get("src", "")
        prefix = "../" if src.startswith("../") else ""
        found = sizes.get(src.removeprefix(prefix))
        if found is None:
            return match.group(0)
        if "width" not in attrs and "height" not in attrs:
            attrs["width"], attrs["height"] = str(found.width), str(found.height)
        if found.copies and not re.search(r"[\s,]", src):  # a srcset URL cannot hold a space or comma
            candidates = [f"{prefix}{derivative_path(found.path, w)} {w}w" for w in reversed(found.copies)]
            attrs["srcset"] = ", ".join([*candidates, f"{src} {found.width}w"])
            attrs["sizes"] = SIZES
        return "<img " + " ".join(f'{name}="{escape(value)}"' for name, value in attrs.items()) + ">"

    return _IMG.sub(rewrite, html)
