"""Domain events are announced once their transaction commits, and never when it rolls back."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from elearn.services import events


@pytest.fixture
def heard():
    got: list[str] = []

    def listen():
        got.append("x")

    events.subscribe("test.happened", listen)
    yield got
    events._subscribers.pop("test.happened", None)


def test_announced_after_commit_only(db, heard):
    events.note(db.session, "test.happened")
    db.session.execute(text("SELECT 1"))
    assert heard == []
    db.session.commit()
    assert heard == ["x"]
    db.session.commit()
    assert heard == ["x"]  # announced once


def test_nothing_announced_when_the_transaction_rolls_back(db, heard):
    db.session.execute(text("SELECT 1"))
    events.note(db.session, "test.happened")
    db.session.rollback()
    db.session.commit()
    assert heard == []


def test_a_released_savepoint_does_not_announce_early_nor_a_rolled_back_one_forget(db, heard):
    db.session.execute(text("SELECT 1"))
    events.note(db.session, "test.happened")
    with db.session.begin_nested():
        db.session.execute(text("SELECT 1"))
    assert heard == []
    savepoint = db.session.begin_nested()
    savepoint.rollback()
    db.session.commit()
    assert heard == ["x"]


def test_subscribing_twice_counts_once(db, heard):
    events.subscribe("test.happened", events._subscribers["test.happened"][0])
    events.note(db.session, "test.happened")
    db.session.commit()
    assert heard == ["x"]
