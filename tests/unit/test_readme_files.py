"""The README's links to files of the repository (its screenshots, the guide) lead to files that exist."""

from __future__ import annotations

import re

from tests.sites import REPO

LINK = re.compile(r"\]\(((?:docs|scripts|tests|cms|overrides|frontline)/[^)#\s]+)\)")


def test_every_file_the_readme_links_exists():
    linked = LINK.findall((REPO / "README.md").read_text(encoding="utf-8"))
    assert len([name for name in linked if name.startswith("docs/assets/anh-trang/")]) == 10
    assert [name for name in linked if not (REPO / name).is_file()] == []
