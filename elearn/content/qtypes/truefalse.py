"""True/false: exactly ``- [x] Benar`` / ``- [ ] Salah`` (or True/False), recognised without a
declared type; never shuffled."""
from __future__ import annotations

from elearn.content.qtypes.base import Option, Question, register
from elearn.content.qtypes.choice import OneChoiceType

TRUE_WORDS = ("benar", "true")
FALSE_WORDS = ("salah", "false")


def _is_true_false(options: list[Option]) -> bool:
    words = sorted(o.text.strip().lower() for o in options)
    return (len(options) == 2 and sum(o.correct for o in options) == 1
            and any(words == sorted([t, f]) for t, f in zip(TRUE_WORDS, FALSE_WORDS)))


@register
class TrueFalse(OneChoiceType):
    name = "truefalse"
    infer_order = 20
    shuffles_options = False  # "Benar" stays above "Salah"

    def claims(self, q: Question) -> bool:
        return _is_true_false(q.options)

    def check_options(self, q, correct, error) -> None:
        if not _is_true_false(q.options):
            error("a true/false question has exactly '- [x] Benar' and '- [ ] Salah' (or True/False), "
                  "one of them marked")
