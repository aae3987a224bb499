"""THE sanitizer: every piece of HTML that comes from course content passes through here.

An allowlist (nh3, the binding to the Rust sanitizer ammonia). It never admits ``svg``/``math``,
raw-text elements (style, script, textarea, xmp, noscript, iframe …), comments or ``style``
attributes — every published bleach/ammonia bypass needed one of them. URLs: http, https,
mailto and relative only (``srcset`` relative only). Every ``id`` is forced into the ``c-`` namespace (and same-page
``#`` links with it) so content cannot clobber the ids of the page around it.
"""
from __future__ import annotations

import re

import nh3

ID_PREFIX = "c-"

BOX_KINDS = ("callout", "challenge", "solution", "objectives", "keypoints", "note", "tip", "warning", "example")
ADMONITION_KINDS = ("note", "tip", "warning", "important", "danger", "hint", "attention", "caution", "error")

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "pre", "code", "kbd", "samp", "var", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small",
    "sub", "sup", "abbr", "cite", "q", "a", "img", "figure", "figcaption", "details", "summary", "div", "span",
}
CLEAN_CONTENT_TAGS = {
    "script", "style", "iframe", "object", "embed", "noscript", "xmp", "textarea", "template", "svg", "math",
    "form", "select", "noembed", "noframes", "title", "frameset", "applet",
}
ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start", "type"},
    "details": {"open"},
}
BOX_CLASSES = {"box"} | {f"box-{k}" for k in BOX_KINDS}
ALLOWED_CLASSES = {
    "div": BOX_CLASSES | {"admonition", "footnote", "toc"} | set(ADMONITION_KINDS),
    "details": BOX_CLASSES,
    "p": {"box-title", "admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
    "sup": {"footnote-ref"},
    "li": set(),
}
URL_SCHEMES = {"http", "https", "mailto"}
_RELATIVE_URL = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\\\s]+$")
_EXTERNAL_LINK = re.compile(r'<a href="(?P<url>(?:https?:)?//[^"]*)"')


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    if attr == "srcset":  # the resized copies of a course image: never another site, never a scheme
        urls = [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
        return value if urls and all(_RELATIVE_URL.match(url) for url in urls) else None
    if attr == "id":
        value = value.strip()
        if not value:
            return None
        return value if value.startswith(ID_PREFIX) else ID_PREFIX + value
    if attr == "href" and value.startswith("#") and len(value) > 1 and not value.startswith("#" + ID_PREFIX):
        return "#" + ID_PREFIX + value[1:]
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel=None,
    url_schemes=URL_SCHEMES,
    allowed_classes=ALLOWED_CLASSES,
    set_tag_attribute_values={"img": {"loading": "lazy"}},
)


def sanitize_html(html: str) -> str:
    """Clean ``html`` with the allowlist above; external links get ``rel="noopener nofollow"``."""
    cleaned = _cleaner.clean(html)
    return _EXTERNAL_LINK.sub(lambda m: f'<a href="{m["url"]}" rel="noopener nofollow"', cleaned)
