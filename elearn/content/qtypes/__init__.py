"""Question types: one module per type, each owning everything that differs between types.

``QUESTION_TYPES`` maps a type name to its one ``QuestionType`` instance; ``get_type(name)`` looks one
up. The Markdown parser, the snapshot, the attempt services and views, the attempt template, the
GIFT converter and the test helpers all ask the registry; none of them names a type.

How to add a question type (one module here plus one template):

1. Create ``elearn/content/qtypes/<name>.py`` with a ``@register``-ed subclass of ``QuestionType``
   (see ``base.py`` for what each method promises; ``choice.py`` and ``short.py`` are small models).
   Set ``infer_order`` if undeclared questions may be recognised as it, ``gift_order`` if it has a
   GIFT form, ``honours`` for the heading attributes (``scoring``, ``exact``) it uses.
2. Create ``elearn/quiz/templates/quiz/types/<name>.html``: the inputs of one question, named
   ``q-{{ q.key }}`` (or ``q-{{ q.key }}-…``) as your ``read_form`` expects; ``q.parts`` is what
   your ``shown`` returned. Translatable words go through ``_()``.
3. Document the syntax in ``docs/authoring.md``.

Every module of this package is imported below, so a new module registers itself; nothing else
changes. ``tests/content/test_qtypes.py`` shows a throw-away type taken through parse → snapshot
→ form → grade → describe.
"""
from __future__ import annotations

import importlib
import pkgutil

from elearn.content.qtypes.base import (
    QUESTION_TYPES,
    Option,
    Question,
    QuestionType,
    UnknownQuestionType,
    get_type,
    gift_type,
    infer_type,
    register,
)

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["QUESTION_TYPES", "Option", "Question", "QuestionType", "UnknownQuestionType", "get_type",
           "gift_type", "infer_type", "register"]
