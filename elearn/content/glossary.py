"""The course glossary: ``glossary.md``, a page of the course (/courses/<course>/glossary/).

Front matter ``title:`` (e.g. "Glosarium"), then Markdown whose terms form a definition list,
alphabetical, each term once:

```markdown
Basis data
:   Kumpulan data terstruktur …
```

Rendered and sanitized like the overview; links are relative to the glossary page, which sits
at the depth of a module page. Pure functions: text in, a ``GlossarySource`` and Problems out;
the term checks run on the rendered HTML, so they see exactly the terms the page shows.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from elearn.content.frontmatter import split_front_matter
from elearn.content.problems import Problem
from elearn.content.render import Rendered

GLOSSARY_FILE = "glossary.md"
GLOSSARY_REQUIRED = ("title",)
GLOSSARY_OPTIONAL = ()

_TERM = re.compile(r"<dt>(?P<term>.*?)</dt>", re.S)
_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"[*_`]")


@dataclass
class GlossarySource:
    title: str
    body: str
    body_line: int
    path: str = ""
    #: the path as shown in problems (relative to the checked root's parent)
    path_shown: str = ""
    sha256: str = ""


def parse_glossary(text: str, path: str) -> tuple[GlossarySource | None, list[Problem]]:
    """Front matter and body of a glossary file; None when there are errors."""
    meta, body, body_line, problems = split_front_matter(text, path)
    if problems:
        return None, problems
    title = meta.get("title")
    if title in (None, ""):
        problems.append(Problem(path, 1, "missing front-matter key 'title'"))
    elif not isinstance(title, str):
        problems.append(Problem(path, meta.line("title"), "title must be text"))
    for key in meta:
        if key not in GLOSSARY_REQUIRED and key not in GLOSSARY_OPTIONAL:
            problems.append(Problem(path, meta.line(key), f"unknown front-matter key '{key}'", "warning"))
    if not body.strip():
        problems.append(Problem(path, body_line, "the glossary is empty: write its terms below the front matter"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return GlossarySource(title=title.strip(), body=body, body_line=body_line), problems


def sort_key(term: str) -> str:
    """The alphabetical key of a term: case and accents ignored (``Éra`` sorts with ``era``)."""
    decomposed = unicodedata.normalize("NFKD", term.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def glossary_terms(rendered: Rendered) -> list[str]:
    """The terms the rendered glossary defines (every ``<dt>``), as plain text, in page order."""
    return [html.unescape(_TAG.sub("", m["term"])).strip() for m in _TERM.finditer(rendered.html)]


def term_problems(glossary: GlossarySource, rendered: Rendered) -> list[Problem]:
    """No terms at all (an error); a term defined twice or out of alphabetical order (warnings)."""
    terms = glossary_terms(rendered)
    if not terms:
        return [Problem(glossary.path_shown, glossary.body_line,
                        "the glossary has no terms: write each term on its own line, its definition on the "
                        "next line after ':   '")]
    problems: list[Problem] = []
    lines = glossary.body.split("\n")
    cursor = 0
    first_seen: dict[str, int] = {}
    previous = None
    for term in terms:
        # terms appear in source order: look for each one after the previous one's line
        index = next((i for i in range(cursor, len(lines)) if _MARKUP.sub("", lines[i]).strip() == term), None)
        if index is not None:
            cursor = index + 1
        line = glossary.body_line + (index if index is not None else cursor)
        key = sort_key(term)
        if key in first_seen:
            problems.append(Problem(glossary.path_shown, line,
                                    f"the term '{term}' is defined twice (first on line {first_seen[key]})", "warning"))
        elif previous is not None and key < sort_key(previous):
            problems.append(Problem(glossary.path_shown, line,
                                    f"the term '{term}' is out of alphabetical order: it stands after '{previous}'",
                                    "warning"))
        first_seen.setdefault(key, line)
        previous = term
    return problems
