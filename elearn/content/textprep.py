"""Text pre-passes that let authors write the way they already do elsewhere.

- Nested lists indented by 2 spaces (Python-Markdown alone needs 4): list indentation is
  re-based to 4 spaces per level.
- Pandoc/Quarto fenced divs ``::: class [title]`` … ``:::`` (nested with more colons) become
  HTML boxes whose inside is still Markdown (md_in_html); ``solution`` becomes ``<details>``.
  A fence indented inside a list item (as Carpentries lessons write them) makes a box inside that
  item; ``unwrap_box_heads`` tidies the rendered HTML of such boxes.
- ``![alt](src){alt='Longer'}`` image attributes.
Each pass returns the new text; ``fenced_divs`` also reports problems as (line, message, severity)
with line numbers relative to the text given.
"""
from __future__ import annotations

import html
import re

from elearn.content.sanitize import BOX_KINDS

_FENCE = re.compile(r"^\s*(```|~~~)")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d+[.)])(?P<rest>\s+.*|)$")
_DIV = re.compile(r"^(?P<indent>[ \t]*)(?P<colons>:{3,})\s*(?:\{?\.?(?P<cls>[A-Za-z][\w-]*)\}?)?"
                  r"(?:\s+(?P<title>.*?))?\s*$")
# Inside a list item Python-Markdown reads a box's tags as inline HTML: a line holding a tag and text
# comes out wrapped in <p>, which HTML parsers turn into empty paragraphs around it.
_WRAPPED_BOX_HEAD = re.compile(r'<p>(?P<head><p class="box-title">[^<]*</p>'
                               r'|<details class="box box-solution"[^>]*>\s*<summary>[^<]*</summary>)</p>')
_IMG_ATTR = re.compile(r"(!\[)(?P<alt>[^\]]*)(\]\((?P<src>[^)]*)\))\{\s*alt\s*=\s*(?P<q>['\"])(?P<long>.*?)(?P=q)\s*\}")

SOLUTION_LABEL = {"id": "Solusi", "en": "Solution"}


def normalise_list_indent(text: str) -> str:
    """Re-indent list items and their continuation lines to 4 spaces per nesting level."""
    out: list[str] = []
    stack: list[int] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence:
            out.append(line)
            continue
        item = _ITEM.match(line)
        if item and item["rest"] is not None:
            indent = len(item["indent"].expandtabs(4))
            while stack and indent < stack[-1]:
                stack.pop()
            if not stack or indent > stack[-1]:
                stack.append(indent)
            out.append(" " * (4 * (len(stack) - 1)) + line.lstrip())
            continue
        if stack:
            if not line.strip():
                out.append(line)
                continue
            indent = len(line) - len(line.lstrip(" "))
            if indent == 0:
                stack = []
                out.append(line)
                continue
            while stack and indent <= stack[-1]:
                stack.pop()
            out.append(" " * (4 * len(stack)) + line.lstrip())
            continue
        out.append(line)
    return "\n".join(out)


def fenced_divs(text: str, language: str = "id") -> tuple[str, list[tuple[int, str, str]]]:
    """Turn ``:::`` fenced divs into HTML boxes; returns (text, [(line, message, severity)]).

    A fence may be indented inside a list item (Carpentries lessons put ``::: instructor`` under a
    numbered step): the box then keeps the fence's indentation and stays inside the item. Run it
    after ``normalise_list_indent``. Outside a list a fence starts at the margin; indented, it is text.
    """
    out: list[str] = []
    problems: list[tuple[int, str, str]] = []
    stack: list[tuple[str, int, str]] = []  # (closing tag, line opened, indentation)
    in_fence = in_list = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.strip() and not line[0].isspace():
            item = _ITEM.match(line)
            in_list = bool(item and item["rest"] is not None)  # a line at the margin starts or ends a list
        match = None if in_fence else _DIV.match(line)
        if match and match["indent"] and not in_list:
            match = None  # indented outside a list: text (or, by 4 spaces, an indented code block)
        if not match:
            out.append(line)
            continue
        pad = match["indent"]
        cls, title = match["cls"], (match["title"] or "").strip()
        if cls is None and not title:
            if not stack:
                problems.append((number, "closing ':::' without an opening fenced div", "error"))
                continue
            tag, _, opened_pad = stack.pop()
            out += ["", f"{opened_pad}</{tag}>", ""]
            continue
        cls = (cls or "callout").lower()
        if cls not in BOX_KINDS:
            problems.append((number, f"unknown box type '{cls}' (known: {', '.join(BOX_KINDS)}); shown as a callout",
                             "warning"))
            cls = "callout"
        if cls == "solution":
            label = html.escape(title or SOLUTION_LABEL.get(language, SOLUTION_LABEL["id"]))
            out += ["", f'{pad}<details class="box box-solution" markdown="1">', f"{pad}<summary>{label}</summary>", ""]
            stack.append(("details", number, pad))
        else:
            out += ["", f'{pad}<div class="box box-{cls}" markdown="1">', ""]
            if title:
                out += [f'{pad}<p class="box-title">{html.escape(title)}</p>', ""]
            stack.append(("div", number, pad))
    for tag, opened, pad in reversed(stack):
        problems.append((opened, "fenced div is never closed (add a ':::' line)", "error"))
        out += ["", f"{pad}</{tag}>", ""]
    return "\n".join(out), problems


def unwrap_box_heads(html_text: str) -> str:
    """Remove the <p> that Python-Markdown puts around a box title or a solution's summary when the
    box sits in a list item (the HTML of ``fenced_divs``, after rendering and before sanitizing)."""
    return _WRAPPED_BOX_HEAD.sub(lambda m: m["head"], html_text)


def image_attributes(text: str) -> str:
    """``![a](src){alt='Longer'}`` → ``![Longer](src)``."""
    return _IMG_ATTR.sub(lambda m: f"![{m['long']}]({m['src']})", text)
