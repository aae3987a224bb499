"""Writes the README's before/after pictures (dashboard, matrix, verify at 390 and 1280 px) to docs/screens/.

Not a test (pytest does not collect it by itself); run it by name, with the label of the code it shows:

    SCREENS_LABEL=after .venv/bin/python -m pytest tests/e2e/readme_screens.py -q

"before" was made the same way from commit 24b8e21 (the interface before the design system): a
temporary worktree of that commit with this file and test_screenshots.py copied into its tests/e2e,
run with this venv and SCREENS_OUT pointing at this checkout's docs/screens. Same fixture data and
steadied text as the screenshot regression test.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.test_screenshots import _context, shoot, world  # noqa: F401  (world is a fixture)

pytestmark = pytest.mark.e2e

OUT = Path(os.environ.get("SCREENS_OUT", Path(__file__).parents[2] / "docs" / "screens"))
LABEL = os.environ.get("SCREENS_LABEL", "after")


@pytest.mark.parametrize("width", (390, 1280))
def test_write_readme_screens(browser, site_url, world, width):
    OUT.mkdir(parents=True, exist_ok=True)
    for name, who, url in (("dashboard", "learner", "/"), ("matrix", "supervisor", "/reports/matrix"),
                           ("verify", None, f"/verify/{world['certificate'].code}")):
        context, page = _context(browser, site_url, world[who] if who else None, width)
        assert page.goto(site_url + url).status == 200
        shoot(page, world["certificate"]).save(OUT / f"{name}-{width}-{LABEL}.png", optimize=True)
        context.close()
