"""Text pre-passes that let authors write the way they already do elsewhere.

- Nested lists indented by 2 spaces (Python-Markdown alone needs 4): list indentation is
  re-based to 4 spaces per level.
- Pandoc/Quarto fenced divs ``::: class [title]`` … ``:::`` (nested with more colons) become
  HTML boxes whose inside is still Markdown (md_in_html); ``solution`` becomes ``<details>``.
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
_DIV = re.compile(r"^(?P<colons>:{3,})\s*(?:\{?\.?(?P<cls>[A-Za-z][\w-]*)\}?)?(?:\s+(?P<title>.*?))?\s*$")
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
    """Turn ``:::`` fenced divs into HTML boxes; returns (text, [(line, message, severity)])."""
    out: list[str] = []
    problems: list[tuple[int, str, str]] = []
    stack: list[tuple[str, int]] = []  # (closing tag, line opened)
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _DIV.match(line)
        if not match:
            out.append(line)
            continue
        cls, title = match["cls"], (match["title"] or "").strip()
        if cls is None and not title:
            if not stack:
                problems.append((number, "closing ':::' without an opening fenced div", "error"))
                continue
            tag, _ = stack.pop()
            out += ["", f"</{tag}>", ""]
            continue
        cls = (cls or "callout").lower()
        if cls not in BOX_KINDS:
            problems.append((number, f"unknown box type '{cls}' (known: {', '.join(BOX_KINDS)}); shown as a callout",
                             "warning"))
            cls = "callout"
        if cls == "solution":
            label = html.escape(title or SOLUTION_LABEL.get(language, SOLUTION_LABEL["id"]))
            out += ["", '<details class="box box-solution" markdown="1">', f"<summary>{label}</summary>", ""]
            stack.append(("details", number))
        else:
            out += ["", f'<div class="box box-{cls}" markdown="1">', ""]
            if title:
                out += [f'<p class="box-title">{html.escape(title)}</p>', ""]
            stack.append(("div", number))
    for tag, opened in reversed(stack):
        problems.append((opened, "fenced div is never closed (add a ':::' line)", "error"))
        out += ["", f"</{tag}>", ""]
    return "\n".join(out), problems


def image_attributes(text: str) -> str:
    """``![a](src){alt='Longer'}`` → ``![Longer](src)``."""
    return _IMG_ATTR.sub(lambda m: f"![{m['long']}]({m['src']})", text)
