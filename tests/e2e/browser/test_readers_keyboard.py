"""A keyboard reader's first Tab on any page is a skip link, in Vietnamese, that leads past the menus into the
content; the page furniture Material writes in English or misnames is Vietnamese and says what it does."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/", "/campaigns/bac-giang-2021/", "/places/da-nang/", "/huong-dan-phong-vien/"])
def test_the_first_tab_skips_to_the_content(page, page_errors, path):
    page.goto(path)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Đi tới nội dung")
    box = skip.bounding_box()
    assert box is not None and box["width"] > 0 and box["y"] >= 0  # shown once focused
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("fl-content")
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('fl-content').contains(document.activeElement)")
    assert page_errors == []


def test_a_story_reached_from_the_skip_link_in_one_tab(page, home_story_path):
    page.goto(home_story_path)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert page.evaluate("document.querySelector('article').contains(document.activeElement)"), focused.inner_text()


def test_material_furniture_speaks_vietnamese(page, demo_site):
    page.goto("/404.html")
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
    page.goto("/")
    footer = page.locator("footer").inner_text()
    assert "Made with" not in footer and "Làm bằng" in footer
    top = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "Lên đầu trang" in top and "Trở lại mục lục" not in top


def _luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_a_focused_link_reads_on_white(page):
    for path, selector in (("/", ".md-content a[href]"), ("/huong-dan-phong-vien/", ".md-nav--secondary a[href]")):
        page.goto(path)
        page.add_style_tag(content="* { transition: none !important; }")  # the colour at once, not mid-fade
        link = page.locator(selector).first
        link.focus()
        color = link.evaluate("element => getComputedStyle(element).color")
        contrast = (1.05) / (_luminance(color) + 0.05)  # against white, WCAG's formula
        assert contrast >= 4.5, (selector, color, contrast)
