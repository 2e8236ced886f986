"""Material's templates copied into overrides/ stay Material's but for the lines Frontline changes: an upgrade of
Material that changes them fails here, so the copy is refreshed rather than left behind."""

from __future__ import annotations

from pathlib import Path

import material

from tests.readers_tools import REPO

MATERIAL = Path(material.__file__).parent / "templates"
OVERRIDES = REPO / "overrides"


def _code(text: str) -> list[str]:
    """The template's lines without its leading comment (Material's "generated" note, or ours)."""
    lines = text.splitlines()
    if lines[0].startswith("{#-"):
        end = next(index for index, line in enumerate(lines) if line.rstrip().endswith("-#}"))
        lines = lines[end + 1 :]
    return lines


def test_base_html_is_materials_but_for_the_toggles_autocomplete():
    ours = _code((OVERRIDES / "base.html").read_text(encoding="utf-8"))
    theirs = _code((MATERIAL / "base.html").read_text(encoding="utf-8"))
    assert [line.replace(' autocomplete="off"', "") if "md-toggle" in line else line for line in theirs] == ours


def test_toc_html_is_materials_but_for_the_label_of_a_page_outside_the_nav():
    ours = _code((OVERRIDES / "partials" / "toc.html").read_text(encoding="utf-8"))
    theirs = _code((MATERIAL / "partials" / "toc.html").read_text(encoding="utf-8"))
    start = ours.index("    {% if page in nav.pages %}")
    end = ours.index("    {% endif %}", start)
    assert ours[:start] + ours[start + 1 : start + 5] + ours[end + 1 :] == theirs
