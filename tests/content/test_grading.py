"""Grading is a pure function of the stored question and the response."""
from __future__ import annotations

import pytest

from elearn.content.grading import GRADERS, grade


def choice(*marks, scoring="all", type_="single"):
    return {"type": type_, "scoring": scoring, "options": [{"correct": m, "text": str(i)} for i, m in enumerate(marks)]}


def test_every_type_has_a_grader():
    assert set(GRADERS) == {"single", "multiple", "truefalse", "short", "numeric", "matching"}


@pytest.mark.parametrize("response,score", [(0, 1.0), ("0", 1.0), (1, 0.0), (None, 0.0), ("x", 0.0), (9, 0.0),
                                            (-1, 0.0)])
def test_single_choice(response, score):
    assert grade(choice(True, False, False), response) == score


def test_multiple_all_or_nothing():
    q = choice(True, True, False, type_="multiple")
    assert grade(q, ["0", "1"]) == 1.0
    assert grade(q, ["0"]) == 0.0
    assert grade(q, ["0", "1", "2"]) == 0.0
    assert grade(q, []) == 0.0


def test_multiple_partial_credit_subtracts_wrong_picks():
    q = choice(True, True, False, False, type_="multiple", scoring="partial")
    assert grade(q, ["0"]) == 0.5
    assert grade(q, ["0", "1"]) == 1.0
    assert grade(q, ["0", "2"]) == 0.0  # 1/2 right − 1/2 wrong
    assert grade(q, ["2", "3"]) == 0.0  # never below zero
    assert grade(q, ["0", "1", "2"]) == 0.5


def test_short_answer_is_case_and_whitespace_insensitive_unless_exact():
    q = {"type": "short", "answers": ["Dublin Core"], "exact": False}
    assert grade(q, "  dublin   CORE ") == 1.0
    assert grade(q, "Dublin") == 0.0
    assert grade(q, "") == 0.0
    exact = {"type": "short", "answers": ["Dublin Core"], "exact": True}
    assert grade(exact, "dublin core") == 0.0
    assert grade(exact, "Dublin Core ") == 1.0


def test_numeric_with_tolerance_range_and_decimal_comma():
    q = {"type": "numeric", "answers": [[3.13, 3.15], [10, 20]]}
    assert grade(q, "3.14") == 1.0
    assert grade(q, "3,14") == 1.0
    assert grade(q, "15") == 1.0
    assert grade(q, "3.2") == 0.0
    assert grade(q, "tiga") == 0.0
    assert grade(q, None) == 0.0


def test_numeric_reads_indonesian_thousands_dots():
    """2.760 is two thousand seven hundred and sixty in Indonesian, not 2.76."""
    q = {"type": "numeric", "answers": [[2760, 2760]]}
    assert grade(q, "2760") == grade(q, "2.760") == grade(q, "2 760") == 1.0
    assert grade(q, "2.76") == 0.0
    decimal = {"type": "numeric", "answers": [[1234.5, 1234.5]]}
    assert grade(decimal, "1.234,5") == grade(decimal, "1,234.5") == grade(decimal, "1234,5") == 1.0


def test_matching_all_or_partial():
    q = {"type": "matching", "pairs": [["TIFF", "master"], ["JPEG", "akses"]], "rights": ["akses", "master"],
         "scoring": "all"}
    assert grade(q, ["1", "0"]) == 1.0
    assert grade(q, ["1", "1"]) == 0.0
    assert grade(q, [None, None]) == 0.0
    assert grade(dict(q, scoring="partial"), ["1", "1"]) == 0.5
    assert grade(q, ["5", "x"]) == 0.0
