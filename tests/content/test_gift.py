"""Moodle GIFT import and export, built on docs/examples/contoh.gift (the whole syntax)."""
from __future__ import annotations

from pathlib import Path

import pytest

from elearn.content.gift import export_gift, import_gift, parse_gift
from elearn.content.quiz import parse_numeric_answer, parse_quiz

SAMPLE_PATH = Path(__file__).resolve().parents[2] / "docs" / "examples" / "contoh.gift"
SAMPLE = SAMPLE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample():
    return {q.title: q for q in parse_gift(SAMPLE, "contoh.gift").questions}


@pytest.fixture(scope="module")
def sample_result():
    return parse_gift(SAMPLE, "contoh.gift")


def messages(result, line=None):
    return [p.message for p in result.problems if line is None or p.line == line]


def test_sample_converts_every_supported_question(sample_result):
    assert len(sample_result.questions) == 18
    assert sample_result.skipped == 2
    assert not [p for p in sample_result.problems if p.severity == "error"]


def test_multiple_choice_with_feedback_and_general_feedback(sample):
    q = sample["Elemen inti Dublin Core"]
    assert q.type == "single"
    assert [(o.text, o.correct) for o in q.options] == [("15", True), ("10", False), ("25", False)]
    assert q.options[0].feedback == "Tepat, Dublin Core Simple memiliki 15 elemen."
    assert q.explanation.startswith("Dublin Core (ISO 15836)")


def test_partial_credit_on_a_wrong_option_is_reported(sample, sample_result):
    q = sample["Kolom judul MARC"]
    assert [o.correct for o in q.options] == [True, False, False]
    assert any("partial credit 50% for '246'" in m for m in messages(sample_result, 14))


def test_markdown_format_is_kept(sample):
    assert sample["Kolom judul MARC"].prompt == "Dalam **MARC 21**, judul dicatat pada ruas ..."
    assert "*variasi*" in sample["Kolom judul MARC"].options[1].feedback


def test_html_format_and_untitled_question(sample):
    q = next(q for t, q in sample.items() if t.startswith("Format berkas mana"))
    assert q.prompt.startswith("<p>Format berkas")
    assert q.options[0].text == "<b>TIFF</b> tanpa kompresi lossy"  # per-answer [html] marker removed


def test_plain_format_escapes_markdown(sample):
    assert sample["Teks polos"].prompt == r"Apa arti tanda \*bintang\* dalam penelusuran?"


def test_moodle_format_short_answer(sample):
    q = sample["Format moodle"]
    assert (q.type, [o.text for o in q.options]) == ("short", ["IOS"])


def test_multiple_answers_with_weights(sample):
    q = sample["Aturan 3-2-1"]
    assert (q.type, q.scoring) == ("multiple", "partial")
    assert [o.correct for o in q.options] == [True, True, False]
    assert q.options[2].feedback == "Justru ini yang dihindari."


def test_unequal_weights_are_reported_as_approximated(sample, sample_result):
    assert [o.correct for o in sample["Bobot tidak sama"].options] == [True, True, False]
    assert any("70%, 30%, 0%" in m for m in messages(sample_result, 34))
    assert not messages(sample_result, 27)  # 50/50/-100 is exactly our partial rule


@pytest.mark.parametrize("title,truth", [("Checksum", True), ("Cadangan cukup satu", False),
                                         ("Migrasi format", True), ("Disket", False)])
def test_true_false_forms(sample, title, truth):
    q = sample[title]
    assert q.type == "truefalse"
    assert [(o.text, o.correct) for o in q.options] == [("Benar", truth), ("Salah", not truth)]


def test_true_false_wrong_and_right_feedback(sample):
    benar, salah = sample["Cadangan cukup satu"].options
    assert benar.feedback.startswith("Keliru")  # shown to whoever answered wrongly (true)
    assert salah.feedback.startswith("Benar, satu cadangan")
    assert sample["Disket"].explanation == "Media usang sulit dibaca perangkat masa kini."


def test_true_false_words_follow_language():
    result = parse_gift("Q{T}", "q.gift", lang="en")
    assert [o.text for o in result.questions[0].options] == ["True", "False"]


def test_short_answer_accepts_several_and_reports_partial(sample, sample_result):
    q = sample["Singkatan OPAC"]
    assert [o.text for o in q.options] == ["Online Public Access Catalog", "Online Public Access Catalogue"]
    assert "Online Public Access Catalog: Tepat." in q.explanation
    assert any("'Public Catalog' worth 50% is left out" in m for m in messages(sample_result, 52))


def test_numerical_tolerance_range_and_multiple(sample, sample_result):
    assert [o.text for o in sample["Resolusi teks"].options] == ["300 +- 100"]
    assert [o.text for o in sample["Rentang resolusi"].options] == ["400..600"]
    assert [o.text for o in sample["Beberapa jawaban angka"].options] == ["3"]
    assert any("2:0 worth 50%" in m for m in messages(sample_result, 64))


def test_matching_and_reported_distractor(sample, sample_result):
    q = sample["Pasangkan format"]
    assert q.type == "matching"
    assert q.pairs == [("TIFF", "master arsip"), ("JPEG", "salinan akses"), ("PDF/A", "dokumen arsip")]
    assert any("pengecoh tambahan" in m for m in messages(sample_result, 70))


def test_missing_word_becomes_a_blank(sample):
    q = sample["Standar memiliki 15 elemen inti."]
    assert q.prompt == "Standar _____ memiliki 15 elemen inti."
    assert [o.text for o in q.options if o.correct] == ["Dublin Core"]


def test_escapes(sample):
    q = sample["Karakter khusus: escape"]
    assert q.prompt == "Dalam GIFT, tanda ~ = # { } dan : harus di-escape.\nBaris kedua."
    assert q.options[0].text == "Benar, dengan garis miring terbalik \\"


def test_categories_are_kept(sample, sample_result):
    assert sample_result.categories == ["$course$/top/Manajemen Sumber Daya Digital/Metadata",
                                        "$course$/top/Manajemen Sumber Daya Digital/Preservasi"]
    assert sample["Elemen inti Dublin Core"].category.endswith("/Metadata")
    assert sample["Checksum"].category.endswith("/Preservasi")


def test_essay_and_description_are_reported_with_their_line(sample_result):
    skipped = [p for p in sample_result.problems if p.message.startswith("skipped")]
    assert [(p.line, "essay" in p.message or "description" in p.message) for p in skipped] == [(96, True),
                                                                                                  (99, True)]
    assert all(p.severity == "warning" for p in skipped)


def test_converted_quiz_passes_our_check_and_keeps_meaning():
    markdown, result = import_gift(SAMPLE, "contoh.gift", title="Contoh")
    quiz, problems = parse_quiz(markdown, "contoh.quiz.md")
    assert problems == [] and quiz is not None
    assert len(quiz.questions) == len(result.questions)
    by_title = {q.title: q for q in quiz.questions}
    assert by_title["Pasangkan format"].pairs == result.questions[13].pairs
    assert by_title["Resolusi teks"].answers == [(200.0, 400.0)]
    assert by_title["Singkatan OPAC"].answers == ["Online Public Access Catalog", "Online Public Access Catalogue"]
    assert by_title["Elemen inti Dublin Core"].category.endswith("/Metadata")


def test_prompt_lines_that_look_like_answers_are_escaped():
    markdown, _ = import_gift("::Daftar::[markdown]Perhatikan:\\n- [x] bukan jawaban\\n## bukan soal{=ya ~tidak}",
                              "q.gift")
    quiz, problems = parse_quiz(markdown, "q.quiz.md")
    assert problems == []
    assert [o.text for o in quiz.questions[0].options] == ["ya", "tidak"]


@pytest.mark.parametrize("text,message", [
    ("::Judul tanpa penutup {=a ~b}", "not closed with '::'"),
    ("Soal {=a ~b", "not closed with '}'"),
    ("Soal =a ~b}", "without an opening '{'"),
    ("Soal {#abc}", "not a number"),
])
def test_syntax_errors_give_line_and_no_output(text, message):
    markdown, result = import_gift("// komentar\n\n" + text, "bad.gift")
    assert markdown is None
    errors = [p for p in result.problems if p.severity == "error"]
    assert errors and errors[0].line == 3 and message in errors[0].message


def test_nothing_convertible_is_an_error():
    markdown, result = import_gift("Esai {}\n", "esai.gift")
    assert markdown is None
    assert any(p.severity == "error" and "no question" in p.message for p in result.problems)


def test_export_then_import_round_trips():
    markdown, _ = import_gift(SAMPLE, "contoh.gift", title="Contoh")
    quiz, _ = parse_quiz(markdown, "contoh.quiz.md")
    gift, notes = export_gift(quiz)
    again = parse_gift(gift, "again.gift")
    assert not [p for p in again.problems if p.severity == "error"] and again.skipped == 0

    def shape(q):
        options = [(parse_numeric_answer(o.text) if q.type == "numeric" else o.text, o.correct, o.feedback)
                   for o in q.options]
        return (q.title, q.type, q.prompt, options, q.pairs, q.explanation, q.category)
    original = parse_gift(SAMPLE, "contoh.gift").questions
    assert [shape(q) for q in again.questions] == [shape(q) for q in original]


def test_export_writes_rules_as_comments_and_reports_what_gift_cannot_hold():
    quiz, _ = parse_quiz(
        "---\npass_mark: 80\ntime_limit_minutes: 20\n---\n"
        "## Kata {type=short exact=true}\n\nTulis OPAC.\n\n- [x] OPAC\n\n"
        "## Pilih {type=multiple}\n\nPilih.\n\n- [x] a\n- [x] b\n- [ ] c\n", "k.quiz.md")
    gift, notes = export_gift(quiz)
    assert "// rules (set them on the Moodle quiz): pass_mark: 80, time_limit_minutes: 20" in gift
    assert "~%50%a" in gift and "~%-100%c" in gift
    assert any("exact matching" in n.message for n in notes)
    assert any("all-or-nothing" in n.message for n in notes)


def test_export_escapes_special_characters():
    quiz, _ = parse_quiz("## Tanda {type=single}\n\nApa arti a:b {x} ~ = #?\n\n- [x] 1 = 1\n- [ ] 2\n", "e.quiz.md")
    gift, _ = export_gift(quiz)
    assert r"Apa arti a\:b \{x\} \~ \= \#?" in gift
    assert r"=1 \= 1" in gift
    assert parse_gift(gift, "e.gift").questions[0].prompt == "Apa arti a:b {x} ~ = #?"


def test_wildcard_accepting_any_answer_is_reported_not_kept():
    result = parse_gift("::W::Any animal?{=Frog =*#Anything goes}", "w.gift")
    assert [o.text for o in result.questions[0].options] == ["Frog"]
    assert any("the answer '*' (any answer) is left out" in p.message for p in result.problems)


@pytest.mark.parametrize("text,message", [
    ("Soal {#3:abc}", "not a number, value:tolerance or low..high: '3:abc'"),
    ("Soal {=a -> 1 =b -> 2 =c}", "a matching answer is written '=left -> right': 'c'"),
])
def test_malformed_answers_are_errors_with_their_line(text, message):
    markdown, result = import_gift("// x\n\n" + text, "bad.gift")
    assert markdown is None
    assert [(p.line, p.message.split(": ", 1)[1]) for p in result.problems if p.severity == "error"] == [(3, message)]


def test_numerical_wrong_answer_value_is_reported_as_ignored():
    result = parse_gift("::N::Dua?{#2 ~3#Hampir}", "n.gift")
    assert result.questions[0].explanation == "Jawaban lain: Hampir"
    assert any("'~3' only gives feedback for other answers" in p.message for p in result.problems)
