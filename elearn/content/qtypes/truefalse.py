"""True/false: exactly ``- [x] Benar`` / ``- [ ] Salah`` (or True/False), recognised without a
declared type; never shuffled; GIFT ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}`` with ``#wrong#right``
feedback (upper case, as Moodle reads them)."""
from __future__ import annotations

from elearn.content.gift_syntax import escape_gift, split_feedback
from elearn.content.qtypes.base import Option, Question, register
from elearn.content.qtypes.choice import OneChoiceType

TRUE_WORDS = ("benar", "true")
FALSE_WORDS = ("salah", "false")
#: The options a GIFT true/false question becomes, per language of the converted quiz.
TRUE_FALSE_WORDS = {"id": ("Benar", "Salah"), "en": ("True", "False")}
_GIFT_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _is_true_false(options: list[Option]) -> bool:
    words = sorted(o.text.strip().lower() for o in options)
    return (len(options) == 2 and sum(o.correct for o in options) == 1
            and any(words == sorted([t, f]) for t, f in zip(TRUE_WORDS, FALSE_WORDS)))


@register
class TrueFalse(OneChoiceType):
    name = "truefalse"
    infer_order = 20
    gift_order = 40
    gift_inline = True
    shuffles_options = False  # "Benar" stays above "Salah"

    def claims(self, q: Question) -> bool:
        return _is_true_false(q.options)

    def check_options(self, q, correct, error) -> None:
        if not _is_true_false(q.options):
            error("a true/false question has exactly '- [x] Benar' and '- [ ] Salah' (or True/False), "
                  "one of them marked")

    def gift_claims(self, answers: str) -> bool:
        return split_feedback(answers)[0] in _GIFT_WORDS

    def from_gift(self, q: Question, block) -> bool:
        answer, _, feedbacks = block.text.partition("#")
        wrong_feedback, _, right_feedback = feedbacks.partition("#")
        truth = _GIFT_WORDS[answer.strip()]
        right, wrong = block.markdown(right_feedback), block.markdown(wrong_feedback)
        true_word, false_word = TRUE_FALSE_WORDS.get(block.lang, TRUE_FALSE_WORDS["id"])
        q.options = [Option(true_word, truth, right if truth else wrong, block.line),
                     Option(false_word, not truth, wrong if truth else right, block.line)]
        return True

    def to_gift(self, q: Question, note) -> list[str]:
        true_option = next(o for o in q.options if o.text.strip().lower() in TRUE_WORDS)
        false_option = next(o for o in q.options if o is not true_option)
        truth = true_option.correct
        right, wrong = (true_option, false_option) if truth else (false_option, true_option)
        feedback = ""
        if right.feedback or wrong.feedback:
            feedback = f"#{escape_gift(wrong.feedback)}#{escape_gift(right.feedback)}"
        return [("TRUE" if truth else "FALSE") + feedback]
