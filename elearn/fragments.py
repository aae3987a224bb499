"""Template fragments rendered once and reused while nothing that shapes them changes.

The layout's header and footer are the same for everyone with the same role and language, and a
module's text, table of contents and previous/next links change only when its course is synced
again. ``{% call cached(name, *key) %}…{% endcall %}`` renders its body the first time a key is
seen and reuses that HTML afterwards. The key must name every value the body reads (the request's
script root, which ``url_for`` reads, is added here); per-user values such as CSRF tokens and
progress stay outside the call. A memo per app, so tests with different settings never share one.
"""
from __future__ import annotations

from flask import Flask, has_request_context, request
from markupsafe import Markup

from elearn.memo import Memo


def init_app(app: Flask) -> None:
    memo = Memo(maxsize=app.config["FRAGMENT_CACHE_SIZE"])

    def cached(*key, caller) -> Markup:
        root = request.script_root if has_request_context() else ""
        return memo.get_or_make((root, *key), caller)

    app.jinja_env.globals["cached"] = cached
    app.extensions["elearn_fragments"] = memo
