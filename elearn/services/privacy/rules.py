"""How one column of a person's rows is anonymised. The registry (``registry.py``) names a rule per
column; ``anonymise.py`` applies them. A rule either sets a value that does not depend on the row
(one UPDATE for all the person's rows) or computes the new value from the row (``reads``)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from elearn.content.quiz import parse_number

#: Replaces a removed value inside structured data (audit details), so the shape stays readable.
REMOVED = "[dihapus]"
#: Question types whose answers are option indexes: anonymous statistics need them and they hold no
#: free text. Any other type (short text, and types added later until they say otherwise) loses its
#: answer; numeric answers stay when they are a number.
INDEX_ANSWER_TYPES = frozenset({"single", "truefalse", "multiple", "matching"})
#: Keys of audit details that hold a person's name, address, NIP or free text.
PERSONAL_DETAIL_KEYS = frozenset({"name", "email", "nip", "note", "comment"})


def pseudonym_name(user_id: int) -> str:
    """The stable name an anonymised person gets (ids stay, so counts stay right)."""
    return f"Peserta terhapus #{user_id}"


def pseudonym_email(user_id: int) -> str:
    """Unique and unroutable (RFC 2606 reserves .invalid), so nothing can be sent or log in with it."""
    return f"deleted-{user_id}@binapustaka.invalid"


@dataclass(frozen=True)
class Context:
    """What a rule may know about the anonymisation under way."""

    user_id: int
    now: datetime
    #: The person's name, email and NIP before anonymisation: only to find and remove them, never stored.
    needles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """``describe`` says what happens (docs, inventory); ``compute(ctx, row)`` gives the new value; ``reads``
    lists the columns of the row it needs (empty: the value is the same for every row)."""

    describe: str
    compute: Callable[[Context, dict], Any]
    reads: tuple[str, ...] = field(default=())


def constant(value, describe: str | None = None) -> Rule:
    return Rule(describe or f"set to {value!r}", lambda ctx, row: value)


NULL = constant(None, "removed (NULL)")
EMPTY = constant("", "cleared (empty text)")
FALSE = constant(False, "set to false")
NOW = Rule("set to the moment of anonymisation", lambda ctx, row: ctx.now)
PSEUDONYM = Rule('replaced by "Peserta terhapus #<id>"', lambda ctx, row: pseudonym_name(ctx.user_id))
UNROUTABLE_EMAIL = Rule("replaced by deleted-<id>@binapustaka.invalid",
                        lambda ctx, row: pseudonym_email(ctx.user_id))
UNUSABLE_PASSWORD = Rule("replaced by an unusable value (no password can match)",
                         lambda ctx, row: "!" + secrets.token_hex(16))


def anonymous_answers(questions: list, responses: dict | None) -> dict:
    """The answers that anonymous question statistics need: chosen option indexes (and numbers for
    numeric questions). Typed text is free text and goes."""
    kept: dict = {}
    kinds = {q.get("key"): q.get("type") for q in questions or [] if isinstance(q, dict)}
    for key, value in (responses or {}).items():
        kind = kinds.get(key)
        if kind in INDEX_ANSWER_TYPES:
            kept[key] = _indexes(value)
        elif kind == "numeric" and isinstance(value, str) and parse_number(value) is not None:
            kept[key] = value.strip()
    return kept


def _indexes(value):
    """Only integers (or None) survive: whatever else a client sent is not an option index."""
    if isinstance(value, list):
        return [_index(v) for v in value]
    return _index(value)


def _index(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


ANONYMOUS_ANSWERS = Rule("typed answers removed; chosen option indexes and numbers kept for question statistics",
                         lambda ctx, row: anonymous_answers(row["questions"], row["responses"]),
                         reads=("questions", "responses"))


def scrub(value, needles: tuple[str, ...], key: str | None = None):
    """``value`` (JSON data) without the person's name, email or NIP and without free-text fields."""
    if isinstance(value, dict):
        return {k: scrub(v, needles, k) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, needles) for v in value]
    if isinstance(value, str):
        if key in PERSONAL_DETAIL_KEYS:
            return REMOVED
        folded = value.casefold()
        if any(needle in folded for needle in needles):
            return REMOVED
    return value


SCRUB_DETAIL = Rule("names, emails, NIPs and free-text notes removed from the details",
                    lambda ctx, row: scrub(row["detail"] or {}, ctx.needles), reads=("detail",))
