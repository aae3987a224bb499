"""What a page weighs on the wire, as deploy/nginx sends it: the HTML and every stylesheet and script it
links, each gzip-compressed at the level binapustaka-app.conf sets (``gzip_comp_level``; files under
``gzip_min_length`` go uncompressed, as nginx sends them). Issue #17's budget: a module page's HTML + CSS
≤ 30 KB compressed. Scripts are counted apart: no page needs them to read, navigate, answer or submit.

Used by tests/web/test_page_weight.py (the budget, enforced) and bench/pages.py (the figures, printed).
``fetch(url) -> bytes`` is any client: Flask's test client in the tests, the same in the bench.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "binapustaka-app.conf"
#: Issue #17: a module page's HTML + CSS, compressed.
HTML_CSS_BUDGET = 30 * 1024


def nginx_gzip() -> tuple[int, int]:
    """(gzip_comp_level, gzip_min_length) from the shipped nginx configuration."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    level = int(re.search(r"^\s*gzip_comp_level\s+(\d+);", text, re.M).group(1))
    minimum = int(re.search(r"^\s*gzip_min_length\s+(\d+);", text, re.M).group(1))
    return level, minimum


def on_the_wire(body: bytes) -> int:
    """Bytes nginx sends for ``body`` (gzip at the configured level, small bodies as they are)."""
    level, minimum = nginx_gzip()
    return len(gzip.compress(body, compresslevel=level, mtime=0)) if len(body) >= minimum else len(body)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.css.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])


@dataclass
class Weight:
    url: str
    html: int = 0  # compressed bytes
    css: int = 0
    js: int = 0
    raw: int = 0  # all of it uncompressed
    files: dict[str, int] = field(default_factory=dict)  # each linked file, compressed

    @property
    def html_css(self) -> int:
        return self.html + self.css

    @property
    def total(self) -> int:
        return self.html + self.css + self.js


def weigh(fetch, url: str) -> Weight:
    """The page at ``url`` and the same-origin stylesheets and scripts it links, compressed as nginx sends them."""
    body = fetch(url)
    weight = Weight(url, html=on_the_wire(body), raw=len(body))
    links = _Links()
    links.feed(body.decode("utf-8", "replace"))
    for kind, hrefs in (("css", links.css), ("js", links.js)):
        for href in dict.fromkeys(hrefs):  # each file once, as the browser fetches it
            target = urljoin(url, href)
            assert not urlsplit(target).netloc or urlsplit(target).netloc == urlsplit(url).netloc, \
                f"{href}: nothing comes from another origin"
            data = fetch(urlsplit(target).path + ("?" + urlsplit(target).query if urlsplit(target).query else ""))
            sent = on_the_wire(data)
            weight.files[href] = sent
            weight.raw += len(data)
            setattr(weight, kind, getattr(weight, kind) + sent)
    return weight


def print_weights(weights: list[Weight], out=print) -> None:
    out("page weight, as deploy/nginx sends it (gzip level {}; KB = 1,024 bytes):".format(nginx_gzip()[0]))
    out(f"{'page':<56}{'HTML':>7}{'CSS':>7}{'JS':>7}{'HTML+CSS':>10}{'all':>7}{'raw':>8}")
    for w in weights:
        out(f"{w.url[:55]:<56}{w.html / 1024:>7.1f}{w.css / 1024:>7.1f}{w.js / 1024:>7.1f}"
            f"{w.html_css / 1024:>10.1f}{w.total / 1024:>7.1f}{w.raw / 1024:>8.1f}")
    out(f"budget: HTML + CSS ≤ {HTML_CSS_BUDGET // 1024} KB compressed: "
        + ("met" if all(w.html_css <= HTML_CSS_BUDGET for w in weights) else "NOT met"))
