"""The fonts the PDFs embed, and the one rule for characters none of them can draw.

DejaVu Sans draws Latin, Greek, Cyrillic, Arabic, Hebrew and many symbols; vendored Noto fonts
add the scripts of the region (Javanese, Balinese, Sundanese, Buginese/Lontara) and emoji (Noto
Color Emoji). fpdf2 falls back from DejaVu to them character by character. A character that no
vendored font has (Chinese, Devanagari, …) would be left out of the PDF by fpdf2 with only a log
line; instead every printed text goes through ``printable``, which shows it as U+FFFD (�), and the
certificate and verify pages apply the same function, so the PDF and the page always agree.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "fonts"
REPLACEMENT = "\ufffd"
#: The main family and its files (regular, bold).
MAIN = ("DejaVu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
#: Fallback families in the order they are tried: (fpdf family, regular file, bold file or None).
FALLBACKS = (
    ("NotoJavanese", "NotoSansJavanese-Regular.ttf", "NotoSansJavanese-Bold.ttf"),
    ("NotoBalinese", "NotoSansBalinese-Regular.ttf", "NotoSansBalinese-Bold.ttf"),
    ("NotoSundanese", "NotoSansSundanese-Regular.ttf", "NotoSansSundanese-Bold.ttf"),
    ("NotoBuginese", "NotoSansBuginese-Regular.ttf", None),
    ("NotoEmoji", "NotoColorEmoji.ttf", None),
)


def font_files() -> list[Path]:
    """Every vendored font file."""
    return [FONTS / name for _family, *files in (MAIN, *FALLBACKS) for name in files if name]


@cache
def _cmap(file_name: str) -> frozenset[int]:
    font = TTFont(FONTS / file_name, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@cache
def _coverage() -> frozenset[int]:
    covered = set(_cmap(MAIN[1]))
    for _family, regular, _bold in FALLBACKS:
        covered |= _cmap(regular)
    return frozenset(covered)


def printable(text: str | None) -> str:
    """``text`` as the PDFs print it: a character no embedded font draws becomes U+FFFD (�), never
    silently dropped. Pages that tell people to compare with the PDF show this same text."""
    covered = _coverage()
    return "".join(ch if ord(ch) in covered or ch in "\n\t" else REPLACEMENT for ch in text or "")


def add_fonts(pdf: FPDF, texts) -> None:
    """Register DejaVu Sans and the fallbacks that some of ``texts`` needs (the emoji font is large:
    it is only loaded for a document that prints an emoji)."""
    pdf.add_font(MAIN[0], "", str(FONTS / MAIN[1]))
    pdf.add_font(MAIN[0], "B", str(FONTS / MAIN[2]))
    needed = {ord(ch) for text in texts for ch in text or ""} - _cmap(MAIN[1])
    families = []
    for family, regular, bold in FALLBACKS:
        if needed & _cmap(regular):
            pdf.add_font(family, "", str(FONTS / regular))
            if bold:
                pdf.add_font(family, "B", str(FONTS / bold))
            families.append(family)
    if families:
        pdf.set_fallback_fonts(families, exact_match=False)
