"""The stylesheet stays small: every page loads it, on slow phone connections too (issue #20)."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

CSS = Path(__file__).parents[1] / "elearn" / "static" / "css"
LIMIT = 20 * 1024  # bytes, gzip-compressed


def test_stylesheets_stay_under_20_kb_compressed():
    files = sorted(CSS.glob("*.css"))
    assert files, "no stylesheet found"
    total = sum(len(gzip.compress(path.read_bytes(), compresslevel=6)) for path in files)
    assert total < LIMIT, f"stylesheets are {total} bytes gzipped (limit {LIMIT})"


def test_stylesheets_load_nothing_from_elsewhere():
    for path in CSS.glob("*.css"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), f"{path.name} loads a foreign file"
