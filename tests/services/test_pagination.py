"""services.pagination.paginate: the page's rows and the total in one query; clamped pages; DISTINCT counted right."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select

from elearn.models import User
from elearn.services.pagination import paginate


@pytest.fixture
def people(db, make_user):
    return [make_user(name=f"Orang {n:02d}") for n in range(1, 24)]  # 23 people


@pytest.fixture
def statements(db):
    seen: list[str] = []

    def hit(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", hit)
    yield seen
    event.remove(db.engine, "before_cursor_execute", hit)


def test_a_page_and_its_total_come_in_one_query(db, people, statements):
    query = select(User.name).order_by(User.name)
    page = paginate(db.session, query, 2, 10)
    assert len(statements) == 1
    assert page.items == [(f"Orang {n:02d}",) for n in range(11, 21)]
    assert (page.page, page.pages, page.total, page.page_size) == (2, 3, 23, 10)


def test_scalars_and_the_last_page(db, people):
    page = paginate(db.session, select(User).order_by(User.name), 3, 10, scalars=True)
    assert [u.name for u in page.items] == ["Orang 21", "Orang 22", "Orang 23"]
    assert (page.page, page.pages, page.total) == (3, 3, 23)


def test_a_page_past_the_end_is_clamped_to_the_last(db, people, statements):
    page = paginate(db.session, select(User.name).order_by(User.name), 99, 10)
    assert (page.page, page.pages, page.total) == (3, 3, 23)
    assert page.items[-1] == ("Orang 23",)
    assert len(statements) == 3  # the empty page, the count, the last page


def test_nothing_to_show(db):
    page = paginate(db.session, select(User.name), 1, 10)
    assert (page.items, page.page, page.pages, page.total) == ([], 1, 1, 0)
    assert paginate(db.session, select(User.name), 5, 10).page == 1


def test_a_distinct_query_counts_distinct_rows(db, people):
    page = paginate(db.session, select(User.role).distinct().order_by(User.role), 1, 10)
    assert page.items == [("learner",)] and page.total == 1


@pytest.mark.parametrize("page_number", [1, 2, 3, 99])
def test_the_total_counted_by_a_subquery_agrees_with_the_window(db, people, statements, page_number):
    from elearn.models import Unit

    unit = Unit(name="Perpustakaan Kota Bontang")
    db.session.add(unit)
    db.session.flush()
    for person in people[::2]:  # 12 of the 23 in a unit: a join and a filter, as the questions list has
        person.unit_id = unit.id
    db.session.commit()
    query = (select(User.name, Unit.name).join(Unit, Unit.id == User.unit_id)
             .where(User.name != "Orang 03").order_by(User.name.desc()))
    statements.clear()
    by_index = paginate(db.session, query, page_number, 5, total_by_index=True)
    assert len(statements) == (1 if page_number < 99 else 3)
    assert by_index == paginate(db.session, query, page_number, 5)
    assert by_index.total == 11 and by_index.pages == 3
