"""One way to cut a list or a query into pages: the page number is clamped into [1, pages]."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence
from weakref import WeakKeyDictionary

from sqlalchemy import Select, bindparam, func, literal_column, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    items: list = field(default_factory=list)
    page: int = 1
    pages: int = 1
    total: int = 0
    page_size: int = 50


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size)) if page_size > 0 else 1


def clamp(page: int, pages: int) -> int:
    return min(max(1, page), pages)


#: The page statement built from a query, kept while the query lives: a caller that keeps its query (a
#: module-level statement with bind parameters, given ``params``) pays for building it once, not per request.
_built: WeakKeyDictionary = WeakKeyDictionary()


def _page_statement(query: Select, total_by_index: bool) -> Select:
    known = _built.get(query, {}).get(total_by_index)
    if known is not None:
        return known
    if total_by_index:
        counted = query.with_only_columns(literal_column("1"), maintain_column_froms=True).order_by(None)
        total = select(func.count()).select_from(counted.subquery()).scalar_subquery()
    else:
        total = func.count().over()
    statement = (query.add_columns(total.label("_total"))
                 .limit(bindparam("_page_limit")).offset(bindparam("_page_offset")))
    _built.setdefault(query, {})[total_by_index] = statement
    return statement


def paginate(session: Session, query: Select, page: int, page_size: int, *, scalars: bool = False,
             total_by_index: bool = False, params: dict | None = None) -> Page:
    """One page of a SELECT (rows as tuples, or scalars) with the total count.

    One query in the usual case: the total rides along as ``count(*) OVER ()`` on the page's rows. A
    second query only when the page asked for is past the end (no rows came back: the total is counted,
    the page clamped and read again) or for a DISTINCT query (its window would count rows before DISTINCT).

    ``total_by_index``: the total rides along as a scalar subquery counting the same rows instead. A
    window has every matching row built and sorted before the page is cut; the subquery is counted once,
    so a query whose filter and order an index serves reads only one page of rows (the module page's
    questions: 0.30 → 0.04 ms with 200 questions on SQLite).

    ``params``: values of the query's bind parameters (a query built once with ``bindparam``)."""
    if query._distinct:
        return _paginate_counting_first(session, query, page, page_size, scalars, params)
    page = max(1, page)
    rows = session.execute(_page_statement(query, total_by_index),
                           {**(params or {}), "_page_limit": page_size, "_page_offset": (page - 1) * page_size}).all()
    if not rows and page > 1:
        return _paginate_counting_first(session, query, page, page_size, scalars, params)
    total = rows[0][-1] if rows else 0
    items = [row[0] for row in rows] if scalars else [tuple(row[:-1]) for row in rows]
    return Page(items, page, page_count(total, page_size), total, page_size)


def _paginate_counting_first(session: Session, query: Select, page: int, page_size: int, scalars: bool,
                             params: dict | None) -> Page:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()), params) or 0
    pages = page_count(total, page_size)
    page = clamp(page, pages)
    result = session.execute(query.limit(page_size).offset((page - 1) * page_size), params)
    items = list(result.scalars()) if scalars else [tuple(r) for r in result]
    return Page(items, page, pages, total, page_size)


def paginate_list(items: Sequence, page: int, page_size: int) -> Page:
    """One page of an in-memory sequence."""
    pages = page_count(len(items), page_size)
    page = clamp(page, pages)
    return Page(list(items[(page - 1) * page_size: page * page_size]), page, pages, len(items), page_size)
