"""A course as one file to read without the site: an EPUB (EbookLib) and a PDF (fpdf2).

Rules:
- who may download is who may read the modules: an enrolled learner gets the modules they may open now
  (a module locked behind its prerequisites stays out, as for "Simpan untuk dibaca offline"; the
  colophon names what was left out), trainers and admins get every module; anyone else gets nothing;
- the book is made from the stored, sanitized module HTML (and the glossary), one chapter per module in
  course order; quizzes are not included, so no answer can appear;
- images are the course's own assets, embedded (the 1,600 px copy of a wide image, else the original);
  any other image is replaced by its description, and no URL is ever fetched;
- a colophon says the course, its version number and date, and where it came from (the institution,
  the site and the course's address); the file name holds the version too.

Books are made on request and kept (``_BOOKS``, 32 MB of files per process, least recently used dropped
first) under everything that shapes them: the version's number and content hash, the modules included and
the language of the colophon. The shipped courses make files of 35 KB (EPUB) to 150 KB (PDF); images are
embedded as their 1,600 px copies.
"""
from __future__ import annotations

import base64
import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from html import escape, unescape

from ebooklib import epub
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from fpdf import FPDF, FontFace, TextStyle
from fpdf.errors import FPDFException
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.content.images import WIDTHS, derivative_path, is_derivative
from elearn.memo import Memo
from elearn.models import Course, CourseAsset, Module
from elearn.services.course_versions import latest_version
from elearn.services.offline import open_module_slugs
from elearn.services.print_fonts import FONTS, MAIN, add_fonts, printable

_log = logging.getLogger(__name__)
#: Made files by (format, book key), up to 32 MB in all per process (a larger file is made on each request).
_BOOKS = Memo(maxsize=32 * 1024 * 1024, getsizeof=len)
#: The formats offered, with their media types.
FORMATS = {"epub": "application/epub+zip", "pdf": "application/pdf"}
_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'(?P<name>[a-zA-Z][\w:-]*)="(?P<value>[^"]*)"')
_CELL = re.compile(r"<(?P<tag>td|th)\b(?P<attrs>[^>]*)>(?P<inner>.*?)</(?P=tag)>", re.S)
_TAG = re.compile(r"<[^>]+>")
_HREF = re.compile(r'href="(?P<url>[^"]*)"')
_MODULE_LINK = re.compile(r"^\.\./(?P<slug>[a-z0-9-]+)/(?:#(?P<frag>.*))?$")
#: The PDF's page: A4 portrait with 20 mm margins, and the widest an image may be printed (points).
_MARGIN_MM = 20
_TEXT_WIDTH_PT = (210 - 2 * _MARGIN_MM) * 72 / 25.4
#: Code in the embedded font too (fpdf2's default, Courier, draws Latin-1 only).
_TAG_STYLES = {"code": FontFace(family="DejaVu"), "pre": TextStyle(t_margin=4, font_family="DejaVu")}


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str
    #: stored sanitized HTML, links as on the module page (``../assets/…``, ``../<module>/``)
    html: str


@dataclass(frozen=True)
class BookImage:
    data: bytes
    media_type: str
    width: int
    height: int


@dataclass(frozen=True)
class CourseBook:
    """What a downloaded course holds (plain values; the EPUB and PDF are made from it)."""
    slug: str
    title: str
    summary: str
    language: str
    authors: tuple[str, ...]
    institution: str
    site_name: str
    #: the course page's full address: where the book came from, and the base of its site links
    course_url: str
    version_number: int | None
    version_date: datetime | None
    version_hash: str
    chapters: tuple[Chapter, ...]
    glossary: Chapter | None
    #: module titles the reader may not open yet, so not included
    left_out: tuple[str, ...]
    course_id: int

    @property
    def version_label(self) -> str:
        return f"v{self.version_number}" if self.version_number is not None else "v0"

    def file_name(self, fmt: str) -> str:
        """A safe download name: the course slug (a-z, 0-9, -) and the version."""
        return f"{self.slug}-{self.version_label}.{fmt}"

    def key(self) -> tuple:
        """Everything that shapes the file (a reverted course has an old hash under a new number)."""
        return (self.slug, self.version_number, self.version_hash, tuple(c.slug for c in self.chapters),
                self.course_url, self.institution, self.site_name, str(get_locale()))


def course_book(session: Session, user_id: int, staff: bool, course: Course, *, course_url: str,
                institution: str, site_name: str) -> CourseBook | None:
    """The book of ``course`` for this person, or None when they may not read it (not enrolled and not
    staff). ``staff`` (trainers, admins) get every module; a learner the modules open to them now."""
    modules = list(session.scalars(select(Module).where(Module.course_id == course.id, Module.retired_at.is_(None))
                                   .order_by(Module.position)))
    readable = {m.slug for m in modules} if staff else open_module_slugs(session, user_id, course.id)
    if readable is None:
        return None
    version = latest_version(session, course.id)
    return CourseBook(
        slug=course.slug, title=course.title, summary=course.summary or "", language=course.language,
        authors=tuple(course.authors or ()), institution=institution, site_name=site_name, course_url=course_url,
        version_number=version.number if version else None,
        version_date=version.created_at if version else course.updated_at,
        version_hash=version.content_hash if version else course.source_hash,
        chapters=tuple(Chapter(m.slug, m.title, m.html) for m in modules if m.slug in readable),
        glossary=Chapter("glossary", course.glossary_title, course.glossary_html or "")
        if course.glossary_title else None,
        left_out=tuple(m.title for m in modules if m.slug not in readable),
        course_id=course.id)


def course_images(session: Session, course_id: int) -> dict[str, BookImage]:
    """The course's raster images by original path ("assets/…"), each as its 1,600 px copy when it has
    one: what a book embeds."""
    rows = {path: (content, mime) for path, content, mime in session.execute(
        select(CourseAsset.path, CourseAsset.content, CourseAsset.mime_type)
        .where(CourseAsset.course_id == course_id, CourseAsset.mime_type.in_(
            ("image/png", "image/jpeg", "image/webp", "image/gif"))))}
    images = {}
    for path, (content, mime) in rows.items():
        if is_derivative(path):
            continue
        content, mime = rows.get(derivative_path(path, WIDTHS[0]), (content, mime))
        try:
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
        except Exception:  # bytes that are no image: left out, its description stays
            continue
        images[path] = BookImage(bytes(content), mime, width, height)
    return images


def course_file(session: Session, book: CourseBook, fmt: str) -> bytes:
    """The book as ``fmt`` ("epub" or "pdf"), made once per book key (images are read only then)."""
    make = {"epub": build_epub, "pdf": build_pdf}[fmt]
    return _BOOKS.get_or_make((fmt, book.key()), lambda: make(book, course_images(session, book.course_id)))


def _colophon(book: CourseBook) -> list[str]:
    """The lines of the colophon: course, version and date, where it came from, what is left out."""
    date = format_date(book.version_date, "long") if book.version_date else "—"
    lines = [book.title,
             _("Versi kursus %(number)s, diterbitkan %(date)s", number=book.version_number or "—", date=date),
             _("Kode versi: %(hash)s", hash=book.version_hash[:12]),
             _("Dari %(site)s, %(institution)s: %(url)s", site=book.site_name, institution=book.institution,
               url=book.course_url)]
    if book.authors:
        lines.append(_("Penyusun: %(names)s", names=", ".join(book.authors)))
    lines.append(_("Kuis dan ujian tidak disertakan; kerjakan di situs."))
    if book.left_out:
        lines.append(_("Modul yang belum terbuka untuk Anda tidak disertakan: %(titles)s",
                       titles=", ".join(book.left_out)))
    return lines


def _attrs(tag: str) -> dict[str, str]:
    return {m["name"].lower(): unescape(m["value"]) for m in _ATTR.finditer(tag)}


def _links(html: str, book: CourseBook, chapter_files: dict[str, str]) -> str:
    """Links of the module page rewritten for a file: other chapters to ``chapter_files`` (slug → file
    name; empty: to the site), everything else of the site as a full address under the course page."""

    def rewrite(match: re.Match) -> str:
        url = unescape(match["url"])
        if url.startswith(("#", "http://", "https://", "mailto:")):
            return match.group(0)
        module = _MODULE_LINK.match(url)
        if module and module["slug"] in chapter_files:
            target = chapter_files[module["slug"]] + (f"#{module['frag']}" if module["frag"] else "")
        else:
            target = book.course_url + url.removeprefix("../")
        return f'href="{escape(target)}"'

    return _HREF.sub(rewrite, html)


def _image_of(images: dict[str, BookImage], tag: str) -> tuple[str, BookImage | None, str]:
    """(course path, its embedded image or None, description) of an ``<img>`` tag."""
    attrs = _attrs(tag)
    path = attrs.get("src", "").removeprefix("../")
    return path, images.get(path), attrs.get("alt") or attrs.get("title") or ""


def _titled(title: str, html: str) -> str:
    """The chapter with its title as heading, unless the module's text begins with one (as most do)."""
    return html if html.lstrip().startswith("<h1") else f"<h1>{escape(title)}</h1>{html}"


def _description(alt: str) -> str:
    word = _("Gambar")
    return f"<em>[{escape(word)}{': ' + escape(alt) if alt else ''}]</em>"


def build_epub(book: CourseBook, images: dict[str, BookImage]) -> bytes:
    """The EPUB 3: a colophon, the navigation, one chapter per module, the glossary; images embedded."""
    doc = epub.EpubBook()
    doc.set_identifier(f"{book.course_url}#{book.version_label}-{book.version_hash[:12]}")
    doc.set_title(book.title)
    doc.set_language(book.language)
    for author in book.authors or (book.institution,):
        doc.add_author(author)
    doc.add_metadata("DC", "publisher", book.institution)
    doc.add_metadata("DC", "source", book.course_url)
    if book.summary:
        doc.add_metadata("DC", "description", book.summary)
    if book.version_date:
        doc.add_metadata("DC", "date", book.version_date.date().isoformat())
    style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                          content=b"img{max-width:100%;height:auto}figure{margin:1em 0}")
    doc.add_item(style)

    used: dict[str, BookImage] = {}

    def image(match: re.Match) -> str:
        path, found, alt = _image_of(images, match.group(0))
        if found is None:
            return _description(alt)
        used[path] = found
        return f'<img src="{escape(path)}" alt="{escape(alt)}"/>'

    def page(uid: str, title: str, body: str) -> epub.EpubHtml:
        item = epub.EpubHtml(uid=uid, title=title, file_name=f"{uid}.xhtml", lang=book.language)
        item.content = _titled(title, body)
        item.add_item(style)
        doc.add_item(item)
        return item

    colophon = page("colophon", book.title, "".join(f"<p>{escape(line)}</p>" for line in _colophon(book)[1:]))
    # numbered names: a module slug can never clash with the colophon, the nav or the glossary
    uids = {c.slug: f"m{n:02d}-{c.slug}" for n, c in enumerate(book.chapters, 1)}
    uids |= {"glossary": "glossary"} if book.glossary else {}
    files = {slug: f"{uid}.xhtml" for slug, uid in uids.items()}
    chapters = [page(uids[c.slug], c.title, _IMG.sub(image, _links(c.html, book, files)))
                for c in (*book.chapters, *([book.glossary] if book.glossary else []))]
    for number, (path, found) in enumerate(sorted(used.items()), 1):
        doc.add_item(epub.EpubItem(uid=f"image{number}", file_name=path, media_type=found.media_type,
                                   content=found.data))
    doc.toc = [colophon, *chapters]
    doc.add_item(epub.EpubNcx())
    doc.add_item(epub.EpubNav())
    doc.spine = [colophon, "nav", *chapters]
    out = io.BytesIO()
    epub.write_epub(out, doc)
    return out.getvalue()


def _plain_text(title: str, html: str) -> str:
    """The title and the text of ``html``, a paragraph per block: what is printed when the markup cannot be."""
    blocks = re.split(r"</(?:p|h\d|li|tr|pre|figure|blockquote|div|dt|dd)>", html)
    texts = (" ".join(unescape(_TAG.sub(" ", block)).split()) for block in blocks)
    return "\n\n".join([title, *(text for text in texts if text)])


def _plain_cells(html: str) -> str:
    """Table cells as plain text: fpdf2 prints a cell's text in one style, not markup inside it."""
    def flatten(match: re.Match) -> str:
        text = " ".join(unescape(_TAG.sub(" ", match["inner"])).split())
        return f"<{match['tag']}{match['attrs']}>{escape(text)}</{match['tag']}>"

    return _CELL.sub(flatten, html)


def build_pdf(book: CourseBook, images: dict[str, BookImage]) -> bytes:
    """The PDF: the same colophon and chapters, each module on a new page; images scaled to fit the
    page width, links to the site as full addresses."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=_MARGIN_MM)
    sections = [*book.chapters, *([book.glossary] if book.glossary else [])]
    add_fonts(pdf, [*_colophon(book), *(c.title for c in sections), *(c.html for c in sections)])
    # no italic DejaVu is vendored: emphasis prints upright rather than dropping characters
    pdf.add_font("DejaVu", "I", str(FONTS / MAIN[1]))
    pdf.add_font("DejaVu", "BI", str(FONTS / MAIN[2]))
    pdf.set_creator(book.site_name)
    pdf.set_title(printable(book.title))
    pdf.set_author(printable(", ".join(book.authors or (book.institution,))))
    pdf.set_lang(book.language)

    def image(match: re.Match) -> str:
        _path, found, alt = _image_of(images, match.group(0))
        if found is None:
            return _description(alt)
        width = min(_TEXT_WIDTH_PT, found.width * 0.75)  # 96 px per inch, never wider than the page
        height = width * found.height / found.width
        data = base64.b64encode(found.data).decode("ascii")
        return f'<img src="data:{found.media_type};base64,{data}" width="{width:.1f}" height="{height:.1f}">'

    pdf.add_page()
    lines = _colophon(book)
    pdf.write_html(f"<h1>{escape(printable(lines[0]))}</h1>" + "".join(
        f"<p>{escape(printable(line))}</p>" for line in lines[1:]), font_family="DejaVu", tag_styles=_TAG_STYLES)
    for section in sections:
        pdf.add_page()
        body = _IMG.sub(image, _plain_cells(_links(printable(section.html), book, {})))
        try:
            pdf.write_html(_titled(printable(section.title), body), font_family="DejaVu", tag_styles=_TAG_STYLES)
        except (NotImplementedError, FPDFException, ValueError):  # markup fpdf2 cannot lay out: the text
            _log.warning("course %s, module %s: printed as plain text", book.slug, section.slug, exc_info=True)
            pdf.add_page()
            pdf.set_font("DejaVu", "", 11)
            pdf.multi_cell(0, 5.5, printable(_plain_text(section.title, section.html)))
    return bytes(pdf.output())
