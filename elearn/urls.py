"""URL helpers shared by blueprints: safe redirects, the id converter, page numbers."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request
from werkzeug.routing import IntegerConverter

#: Every primary key is a 32-bit INTEGER on PostgreSQL; SQLite cannot even bind 20-digit numbers.
MAX_ID = 2**31 - 1
#: Far past any real list; keeps OFFSET arithmetic inside the database's integer range.
MAX_PAGE = 100_000


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


class IdConverter(IntegerConverter):
    """``<id:name>``: a database id; anything outside 1..MAX_ID does not match the route (404)."""

    def __init__(self, map, **kwargs):  # noqa: A002 (Werkzeug's parameter name)
        super().__init__(map, min=1, max=MAX_ID)


def clamp_page(value, pages: int | None = None) -> int:
    """A page number from user input: 1 when missing or not a number, at most ``pages`` (or MAX_PAGE)."""
    try:
        page = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(page, pages or MAX_PAGE, MAX_PAGE))


def page_arg(pages: int | None = None) -> int:
    """The request's ``?page=``, clamped (see clamp_page)."""
    return clamp_page(request.args.get("page"), pages)
