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


def test_a_memo_bounded_by_size_keeps_what_fits_and_never_a_value_larger_than_itself():
    memo, made = Memo(maxsize=10, getsizeof=len), []

    def make(value):
        return lambda: made.append(value) or value

    memo.get_or_make("a", make(b"123456"))
    memo.get_or_make("b", make(b"1234"))
    assert len(memo) == 2
    memo.get_or_make("c", make(b"12345"))  # 15 bytes would not fit: "a" goes
    assert memo.get_or_make("b", make(b"other")) == b"1234"
    assert memo.get_or_make("huge", make(b"x" * 11)) == b"x" * 11
    assert memo.get_or_make("huge", make(b"y" * 11)) == b"y" * 11  # made again: never kept
    assert made == [b"123456", b"1234", b"12345", b"x" * 11, b"y" * 11]
