"""Links people type (evidence of a training, a hand-in's shared folder): one rule for which are accepted."""
from __future__ import annotations

from urllib.parse import urlsplit

#: longest link stored (the columns hold 500 characters)
LINK_MAX = 500


def is_web_link(link: str) -> bool:
    """An http(s) address with a host, at most LINK_MAX characters: never ``javascript:``, ``data:`` or a
    bare word that a browser would resolve against our own site."""
    parts = urlsplit(link)
    return len(link) <= LINK_MAX and parts.scheme in ("http", "https") and bool(parts.netloc)
