"""GIFT import against Moodle's own test data (tests/content/fixtures/moodle-gift/, see its README):
what Moodle's tests expect of each file (type, answers, feedback, weights), and what we make of it.

Moodle fractions are restated from giftformat_test.php. Our single choice gives 1 to its one right
option and 0 to the others; our partial multiple choice gives 1/n to each of n right options and
−1/m to each of m wrong ones. Where Moodle's fractions differ, the import must say so in a warning.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from elearn.content.gift import import_gift, parse_gift
from elearn.content.quiz import parse_quiz

FIXTURES = Path(__file__).parent / "fixtures" / "moodle-gift"
MOODLE_TYPES = {"multichoice": ("single", "multiple"), "truefalse": ("truefalse",), "shortanswer": ("short",),
                "numerical": ("numeric",), "match": ("matching",)}


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def convert(name: str):
    """(questions, problems) of a fixture; the whole file must convert into a quiz that passes our check."""
    text = read(name)
    markdown, result = import_gift(text, name)
    assert markdown is not None, [str(p) for p in result.problems]
    quiz, problems = parse_quiz(markdown, "converted.quiz.md")
    assert quiz is not None and not problems, problems
    return result.questions, result.problems


def warnings(problems) -> list[str]:
    assert not [p for p in problems if p.severity == "error"]
    return [p.message for p in problems]


def our_fractions(q) -> list[float]:
    """What each option is worth in BinaPustaka, as a Moodle fraction."""
    if q.type != "multiple":
        return [1.0 if o.correct else 0.0 for o in q.options]
    right = sum(o.correct for o in q.options)
    wrong = len(q.options) - right
    return [1 / right if o.correct else -1 / wrong for o in q.options]


def assert_choice_as_moodle(q, problems, qtype, answers, fractions, feedback):
    assert q.type in MOODLE_TYPES[qtype]
    assert [o.text for o in q.options] == answers
    assert [o.feedback for o in q.options] == feedback
    assert [o.correct for o in q.options] == [f > 0 for f in fractions]
    if our_fractions(q) != pytest.approx(fractions):
        assert any("Moodle weights" in m or "partial credit" in m for m in warnings(problems)), fractions


# --- the two cases, exactly as reported -----------------------------------------------------

def test_numerical_with_feedback_for_wrong_answers_imports():
    """Defect 15: Moodle writes '~#feedback' in numerical questions for any other answer."""
    text = "::Q5:: What is a number from 1 to 5? {#\n=3:2\n~#Completely wrong}\n"
    markdown, result = import_gift(text, "q5.gift", lang="en")
    assert markdown is not None, [str(p) for p in result.problems]
    [q] = result.questions
    assert (q.type, [o.text for o in q.options]) == ("numeric", ["3 +- 2"])
    assert q.explanation == "Any other answer: Completely wrong"
    quiz, _ = parse_quiz(markdown, "q5.quiz.md")
    assert quiz.questions[0].answers == [(1.0, 5.0)]


def test_short_answer_written_without_equals_is_its_one_right_answer():
    """Defect 15: Moodle imports '{One}' as a short answer whose one accepted answer is 'One'."""
    result = parse_gift("::S::Write one.{One}\n", "s.gift")
    assert result.skipped == 0 and not result.problems
    [q] = result.questions
    assert (q.type, [(o.text, o.correct) for o in q.options]) == ("short", [("One", True)])


def test_multiple_choice_text_before_the_first_marker_is_an_option_as_in_moodle():
    [q] = parse_gift("Q{maybe ~no =yes}", "q.gift").questions
    assert [(o.text, o.correct) for o in q.options] == [("maybe", False), ("no", False), ("yes", True)]


def test_true_false_words_are_upper_case_as_in_moodle():
    """Moodle reads only T, TRUE, F, FALSE; '{true}' is a short answer whose answer is 'true'."""
    [upper, lower] = parse_gift("A{TRUE}\n\nB{true}\n", "tf.gift").questions
    assert (upper.type, lower.type, [o.text for o in lower.options]) == ("truefalse", "short", ["true"])


# --- giftformat_test.php: each test_import_* and each test_export_* (what Moodle writes) ---------------

ESSAYS = ["test_import_essay", "test_import_backslash", "test_import_pre_content", "test_import_question_with_tags",
          "test_export_essay", "test_export_backslash"]


@pytest.mark.parametrize("name", ESSAYS)
def test_moodle_essays_are_reported_not_imported(name):
    """Moodle imports these as essays; BinaPustaka grades automatically only, and says so."""
    markdown, result = import_gift(read(f"giftformat_test/{name}.gift"), name)
    assert markdown is None and result.skipped == 1
    assert any(p.severity == "warning" and "essay question" in p.message for p in result.problems)
    assert [p.message for p in result.problems if p.severity == "error"] == ["no question could be converted"]


@pytest.mark.parametrize("name", ["test_import_match", "test_export_match"])
def test_match(name):
    [q], problems = convert(f"giftformat_test/{name}.gift")
    first = ("An activity supporting asynchronous discussions." if name == "test_import_match"
             else '<div class="frog">An activity supporting asynchronous discussions.</div>')
    assert q.type == "matching" and q.title == "Moodle activities"
    assert q.prompt == "Match the <b>activity</b> to the description."
    assert q.pairs == [(first, "Forum"),
                       ("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
                       ("A bank of record entries which participants can add to.", "Database"),
                       ("A collection of web pages that anyone can add to or edit.", "Wiki")]
    # Moodle keeps '= -> Chat' as a fifth, unmatched answer; our matching has no distractors.
    assert any("distractor 'Chat' is left out" in m for m in warnings(problems))


@pytest.mark.parametrize("name", ["test_import_multichoice", "test_export_multichoice"])
def test_multichoice(name):
    [q], problems = convert(f"giftformat_test/{name}.gift")
    assert_choice_as_moodle(q, problems, "multichoice", ["yellow", "red", "blue"], [1, 0, 0],
                            ["right; good!", "wrong, it's yellow", "wrong, it's yellow"])
    assert q.type == "single" and q.prompt == "What's between orange and green in the spectrum?"


def test_multichoice_multi():
    [q], problems = convert("giftformat_test/test_import_multichoice_multi.gift")
    assert_choice_as_moodle(q, problems, "multichoice", ["yellow", "red", "off-beige", "blue"], [0.5, -1, 0.5, -1],
                            ["right; good!", "wrong", "right; good!", "wrong"])
    assert (q.type, q.scoring) == ("multiple", "partial")


@pytest.mark.parametrize("name", ["test_import_multichoice_multi_tricky", "test_export_multichoice_multi_tricky"])
def test_multichoice_multi_tricky(name):
    [q], problems = convert(f"giftformat_test/{name}.gift")
    feedback = "wrong" if "import" in name else "wrong, it's yellow"
    assert_choice_as_moodle(q, problems, "multichoice", ["yellow", "red", "blue"], [1, -0.5, -0.5],
                            ["right; good!", feedback, feedback])
    assert q.type == "multiple" and problems == []  # Moodle's weights are exactly our partial credit


@pytest.mark.parametrize("name", ["test_import_numerical", "test_export_numerical"])
def test_numerical(name):
    """Moodle: answers ['3', '*'], tolerance [2, ''], fractions [1, 0], feedback ['', 'Completely wrong']."""
    [q], problems = convert(f"giftformat_test/{name}.gift")
    assert (q.type, [o.text for o in q.options]) == ("numeric", ["3 +- 2"])
    assert q.explanation == "Jawaban lain: Completely wrong"  # '*' at 0 %: the feedback for any other answer
    assert warnings(problems) == ["'Q5': per-answer feedback of a numerical question is kept in the explanation"]


@pytest.mark.parametrize("name,general", [
    ("test_import_shortanswer", ""), ("test_export_shortanswer", ""),
    ("test_import_shortanswer_with_general_feedback", "Here is some general feedback!"),
    ("test_export_shortanswer_with_general_feedback", "Here is some general feedback!"),
])
def test_shortanswer(name, general):
    """Moodle: answers Frog, Cat, *; fractions 1, 0.5, 0; feedback Good!, What is it…, Completely wrong."""
    [q], problems = convert(f"giftformat_test/{name}.gift")
    assert (q.type, [o.text for o in q.options]) == ("short", ["Frog"])
    assert q.explanation == "\n\n".join(filter(None, [general, "Frog: Good!", "Jawaban lain: Completely wrong"]))
    assert warnings(problems) == [
        "'Shortanswer': the answer 'Cat' worth 50% is left out (BinaPustaka lists only fully accepted answers)",
        "'Shortanswer': per-answer feedback of a short-answer question is kept in the explanation"]


@pytest.mark.parametrize("name,truth,true_feedback,false_feedback", [
    ("test_import_truefalse", False, "42 is the Ultimate Answer.", "You gave the right answer."),
    ("test_export_truefalse", True, "You gave the right answer.", "42 is the Ultimate Answer."),
    ("test_import_truefalse_true_answer1", True, "", ""),
    ("test_import_truefalse_true_answer2", True, "", ""),
    ("test_export_question_with_tags_and_idnumber", True, "This is the right answer.", "This is the wrong answer."),
])
def test_truefalse(name, truth, true_feedback, false_feedback):
    """Moodle: correctanswer, feedbacktrue and feedbackfalse (a '[html]' marker is a format, not text)."""
    [q], problems = convert(f"giftformat_test/{name}.gift")
    assert q.type == "truefalse"
    assert [(o.text, o.correct, o.feedback) for o in q.options] == [("Benar", truth, true_feedback),
                                                                    ("Salah", not truth, false_feedback)]
    if name == "test_export_question_with_tags_and_idnumber":
        assert q.explanation == "You should have selected true."
        assert warnings(problems) == ["'True/false question': Moodle's [id:…] and [tag:…] comments are not kept"]


# --- the fixture files Moodle's Behat tests import ------------------------------------------------

def test_questions_gift_txt():
    """Moodle imports 9 questions; we convert the 8 that are not an essay and report the essay."""
    questions, problems = convert("questions.gift.txt")
    assert [(q.title, q.type) for q in questions] == [
        ("Moodle activities", "matching"), ("Q2", "single"), ("colours", "multiple"), ("Q5", "numeric"),
        ("Shortanswer", "short"), ("Q1", "truefalse"), ("2-08 TSL", "truefalse"), ("2-08 TSL", "truefalse")]
    messages = [(p.line, p.message) for p in problems]
    assert (2, "skipped: 'Q8' is an essay question (empty answer block); BinaPustaka grades automatically only") \
        in messages
    by_title = {q.title: q for q in questions}
    assert [o.feedback for o in by_title["Q2"].options] == ["right; good!", "wrong, it's yellow", "wrong, it's yellow"]
    assert [o.text for o in by_title["Q5"].options] == ["3 +- 2"]
    q1 = by_title["Q1"]
    assert [o.correct for o in q1.options] == [False, True]
    assert q1.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."


def test_questions_in_category_gift_txt():
    """Moodle imports 4 questions into '$course$/Default for New Features'; so do we."""
    questions, problems = convert("questions_in_category.gift.txt")
    assert [(q.title, q.type) for q in questions] == [
        ("Moodle activities", "matching"), ("Greeting", "single"), ("Moodle user", "short"),
        ("Moodle acronym", "truefalse")]
    assert {q.category for q in questions} == {"$course$/Default for New Features"}
    greeting = questions[1]
    assert greeting.prompt.startswith('<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">'
                                      'Listen to this greeting:</a>')
    assert [(o.text, o.correct) for o in greeting.options] == [
        ("English", False), ("French", True), ("German", False), ("Spanish", False)]
    assert greeting.options[1].feedback == "Yes, well done!"
    assert [o.text for o in questions[2].options] == ["Moodler"]  # '=%100%Moodler#'
    assert [o.correct for o in questions[3].options] == [True, False]
    assert warnings(problems) == ["'Moodle activities': the extra distractor 'Chat' is left out "
                                  "(a matching question here pairs every right-hand item)"]


def test_examples_txt_every_example_converts():
    questions, problems = convert("examples.txt")
    assert len(questions) == 43 and not [p for p in problems if p.severity == "error"]
    by_prompt = {q.prompt: q for q in questions}
    two = by_prompt["Two plus two equals _____ ."]
    assert (two.type, [o.text for o in two.options]) == ("short", ["four", "4"])
    pi = [q for q in questions if q.prompt == "What is the value of pi (to 3 decimal places)? _____ ."]
    assert [[o.text for o in q.options] for q in pi] == [["3.1415 +- 0.0005"], ["3.141..3.142"]]
    control = next(q for q in questions if q.title == "GIFT Control Characters")
    assert [o.text for o in control.options] == ["~", "=", "#", "{", "}", "\\"]
    assert [o.correct for o in control.options] == [False] * 5 + [True]
    born = next(q for q in questions if q.title == "Numerical example")
    assert [o.text for o in born.options] == ["1822"]
    assert any("'Numerical example': the answer 1822:2 worth 50% is left out" in m for m in warnings(problems))
