"""The bounded memo behind the PDF and page-fragment caches."""
from __future__ import annotations

from elearn.memo import Memo


def test_memo_makes_each_value_once_and_drops_the_least_recently_used():
    memo, made = Memo(maxsize=2), []

    def make(value):
        return lambda: made.append(value) or value

    assert memo.get_or_make("a", make("A")) == "A"
    assert memo.get_or_make("a", make("other")) == "A"
    memo.get_or_make("b", make("B"))
    memo.get_or_make("a", make("other"))  # "a" is now the most recent
    memo.get_or_make("c", make("C"))  # drops "b"
    assert len(memo) == 2
    assert memo.get_or_make("b", make("B again")) == "B again"
    assert made == ["A", "B", "C", "B again"]
    memo.clear()
    assert len(memo) == 0
