"""Markdown → sanitized HTML, with the table of contents and site-relative links."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as html_escape

import markdown
from markdown.extensions.toc import slugify_unicode

from elearn.content.images import ImageSize, responsive_images
from elearn.content.sanitize import ID_PREFIX, sanitize_html
from elearn.content.textprep import fenced_divs, image_attributes, normalise_list_indent, unwrap_box_heads

_MODULE_FILE = re.compile(r"^(?:\./)?(?P<file>\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.md)(?:#(?P<frag>.*))?$")
_GLOSSARY_FILE = re.compile(r"^(?:\./)?glossary\.md(?:#(?P<frag>.*))?$")
_ATTR_URL = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"]*)"')
_FIGURE = re.compile(r"<p>(?P<img><img (?=[^>]*\btitle=\"(?P<title>[^\"]*)\")[^>]*>)</p>")
_SINGLE_PARAGRAPH = re.compile(r"^<p>(?P<inner>.*)</p>$", re.S)

EXTENSIONS = ["tables", "fenced_code", "toc", "admonition", "footnotes", "def_list", "sane_lists", "md_in_html",
              "abbr"]
EXTENSION_CONFIGS = {
    "toc": {"slugify": slugify_unicode, "toc_depth": "2-3"},
    "tables": {"use_align_attribute": True},
    "footnotes": {"BACKLINK_TITLE": ""},
}


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]
    #: Link and image targets found, before rewriting: for the checker's broken-link report.
    links: tuple[str, ...] = field(default=())
    #: Fenced-div problems: (line relative to the text, message, severity).
    problems: tuple[tuple[int, str, str], ...] = field(default=())


def _flatten(tokens, out):
    for token in tokens:
        out.append(TocEntry(token["level"], ID_PREFIX + token["id"], token["name"]))
        _flatten(token.get("children", []), out)
    return out


def rewrite_url(url: str, page: str, module_files: dict[str, str]) -> str:
    """Module file names → the module's page, ``glossary.md`` → the glossary page, ``assets/…`` →
    the course's asset URL; relative to where the page lives (/courses/<c>/<m>/ for a module,
    the glossary and a task, /courses/<c>/ for the overview)."""
    up = "../" if page == "module" else ""
    match = _MODULE_FILE.match(url)
    if match and match["file"] in module_files:
        target = f"{up}{module_files[match['file']]}/"
        return target + (f"#{ID_PREFIX}{match['frag']}" if match["frag"] else "")
    if match := _GLOSSARY_FILE.match(url):
        return f"{up}glossary/" + (f"#{ID_PREFIX}{match['frag']}" if match["frag"] else "")
    stripped = url[2:] if url.startswith("./") else url
    if stripped.startswith("assets/"):
        return up + stripped
    return url


def render_markdown(text: str, *, page: str = "module", module_files: dict[str, str] | None = None,
                    language: str = "id", images: dict[str, ImageSize] | None = None) -> Rendered:
    """Render ``text`` and sanitize it. See the module docstring of elearn.content for the format.
    The course's images (``images``, by path "assets/…") get their size and resized copies
    (``elearn.content.images.responsive_images``).

    A pure function of its arguments, so recent results are kept (``RENDER_CACHE_SIZE``, per process):
    the studio's preview re-checks a whole draft on every keystroke, and only the edited text is new."""
    return _render(text, page, tuple(sorted((module_files or {}).items())), language,
                   tuple(sorted((images or {}).items())))


#: Rendered texts kept per process (they are immutable); big enough for a course being edited.
RENDER_CACHE_SIZE = 256


@lru_cache(maxsize=RENDER_CACHE_SIZE)
def _render(text: str, page: str, module_file_pairs: tuple[tuple[str, str], ...], language: str,
            image_pairs: tuple[tuple[str, ImageSize], ...] = ()) -> Rendered:
    module_files = dict(module_file_pairs)
    prepared, problems = fenced_divs(normalise_list_indent(image_attributes(text)), language)
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    raw = unwrap_box_heads(md.convert(prepared))
    raw = _FIGURE.sub(lambda m: f"<figure>{m['img']}<figcaption>{m['title']}</figcaption></figure>", raw)
    links: list[str] = []

    def rewrite(m: re.Match) -> str:
        url = m["url"]
        links.append(url)
        return f'{m["attr"]}="{rewrite_url(url, page, module_files)}"'

    raw = responsive_images(_ATTR_URL.sub(rewrite, raw), dict(image_pairs))
    toc = tuple(_flatten(md.toc_tokens, []))
    return Rendered(sanitize_html(raw), toc, tuple(links), tuple(problems))


def render_block(text: str) -> str:
    """Markdown (several paragraphs allowed) to sanitized HTML; links as on a module page."""
    return render_markdown(text, page="module").html if text.strip() else ""


def render_inline(text: str) -> str:
    """A one-line Markdown fragment (a quiz option) to sanitized HTML without the <p> wrapper."""
    html = render_block(text).strip()
    match = _SINGLE_PARAGRAPH.match(html)
    return match["inner"] if match and "<p>" not in match["inner"] else html


def render_user_markdown(text: str) -> str:
    """What a person typed (a task answer), as sanitized HTML: Markdown without raw HTML (every ``<``
    and ``&`` is shown as typed), then the one sanitizer like every other HTML of the site."""
    return render_block(html_escape(text, quote=False))
