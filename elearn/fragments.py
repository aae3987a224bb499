"""Template fragments rendered once and reused while nothing that shapes them changes.

The layout's header and footer are the same for everyone with the same role and language, and a
module's text, table of contents and previous/next links change only when its course is synced
again. ``{% call cached(name, *key) %}…{% endcall %}`` renders its body the first time a key is
seen and reuses that HTML afterwards. The key must name every value the body reads (the request's
script root, which ``url_for`` reads, is added here).

Per-user values (a name, a CSRF token, the page to come back to) either stay outside the call or are
*holes*: ``{% call cached(name, *key, holes={'csrf': csrf_token()}) %}… {{ hole('csrf') }} …{% endcall %}``.
The body is rendered once with a marker where each hole is; each use puts that request's values in,
escaped (one pass, so a value is never read again for markers). A hole's value must not decide what
the body renders (that belongs in the key). A memo per app, so tests with different settings never
share one.
"""
from __future__ import annotations

import json
import re

from flask import Flask, has_request_context, request
from markupsafe import Markup, escape

from elearn.memo import Memo

# Control characters that neither templates nor escaped text produce around a hole's name.
_OPEN, _CLOSE = "\x1e", "\x1f"
_HOLE = re.compile(f"{_OPEN}([a-z_]+){_CLOSE}")


def hole(name: str) -> Markup:
    """Where a hole's value goes in a cached body."""
    return Markup(f"{_OPEN}{name}{_CLOSE}")


def fill(html: str, values: dict) -> Markup:
    """``html`` with each hole replaced by its value, escaped; a hole without a value is an error."""
    return Markup(_HOLE.sub(lambda found: str(escape(values[found.group(1)])), html))


def question_fingerprint(question) -> str:
    """Everything an attempt page's question reads to render itself but its number (a hole), as one
    string: key, type, title, prompt, form template and the type's shown parts (options in this attempt's
    order…). Two attempts whose question has the same fingerprint render it alike, until drafts are
    filled in, wherever it falls in their order."""
    return json.dumps([question.key, question.type, question.title, question.prompt_html,
                       question.template, question.parts], sort_keys=True, separators=(",", ":"), default=str)


def init_app(app: Flask) -> None:
    memo = Memo(maxsize=app.config["FRAGMENT_CACHE_SIZE"])
    # Questions in their own memo: an exam hour's many option orders must not push out the layout and
    # the module texts (30 questions of 4 options drawn by 1,000 learners: at most 720 entries of ~1 KB).
    questions = Memo(maxsize=app.config["QUESTION_FRAGMENT_CACHE_SIZE"])

    def cached(*key, caller, holes: dict | None = None) -> Markup:
        root = request.script_root if has_request_context() else ""
        html = memo.get_or_make((root, *key), caller)
        return fill(html, holes) if holes is not None else html

    def cached_question(question, locale, caller) -> Markup:
        """A question of an attempt page, rendered once per fingerprint and language while it has no
        drafts to fill in (a fresh attempt: the whole exam hour starting); with drafts, rendered. Its
        number is the hole ``number``."""
        html = caller() if question.values else questions.get_or_make((str(locale), question_fingerprint(question)),
                                                                      caller)
        return fill(html, {"number": question.number})

    app.jinja_env.globals["cached"] = cached
    app.jinja_env.globals["cached_question"] = cached_question
    app.jinja_env.globals["hole"] = hole
    app.extensions["elearn_fragments"] = memo
    app.extensions["elearn_question_fragments"] = questions
