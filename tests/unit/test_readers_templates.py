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


MATERIAL_SKIP = """    <div data-md-component="skip">
      {% if page.toc | first is defined %}
        {% set skip = page.toc | first %}
        <a href="{{ skip.url | url }}" class="md-skip">
          {{ lang.t("action.skip") }}
        </a>
      {% endif %}
    </div>"""
OUR_SKIP = """    <div data-md-component="skip">
      <a href="#fl-content" class="md-skip">
        {{ lang.t("action.skip") }}
      </a>
    </div>"""
CONTENT = '<div class="md-content" data-md-component="content">'


def test_base_html_is_materials_but_for_the_toggles_and_the_skip_link():
    ours = _code((OVERRIDES / "base.html").read_text(encoding="utf-8"))
    theirs = (MATERIAL / "base.html").read_text(encoding="utf-8")
    assert theirs.count(MATERIAL_SKIP) == theirs.count(CONTENT) == 1
    theirs = theirs.replace(MATERIAL_SKIP, OUR_SKIP).replace(CONTENT, CONTENT[:-1] + ' id="fl-content" tabindex="-1">')
    theirs_lines = [line.replace(' autocomplete="off"', "") if "md-toggle" in line else line for line in _code(theirs)]
    assert theirs_lines == ours


def test_copyright_and_vietnamese_are_materials_but_for_their_words():
    ours = _code((OVERRIDES / "partials" / "copyright.html").read_text(encoding="utf-8"))
    theirs = _code((MATERIAL / "partials" / "copyright.html").read_text(encoding="utf-8"))
    assert [line.replace("Made with", "Làm bằng") for line in theirs] == ours
    ours = _code((OVERRIDES / "partials" / "languages" / "vi.html").read_text(encoding="utf-8"))
    theirs = _code((MATERIAL / "partials" / "languages" / "vi.html").read_text(encoding="utf-8"))
    changed = {
        '"action.skip": "Bỏ qua",': '"action.skip": "Đi tới nội dung",',
        '"top": "Trở lại mục lục"': '"top": "Lên đầu trang"',
    }
    assert [changed.get(line.strip(), line.strip()) for line in theirs] == [line.strip() for line in ours]


def test_toc_html_is_materials_but_for_the_label_of_a_page_outside_the_nav():
    ours = _code((OVERRIDES / "partials" / "toc.html").read_text(encoding="utf-8"))
    theirs = _code((MATERIAL / "partials" / "toc.html").read_text(encoding="utf-8"))
    start = ours.index("    {% if page in nav.pages %}")
    end = ours.index("    {% endif %}", start)
    assert ours[:start] + ours[start + 1 : start + 5] + ours[end + 1 :] == theirs
