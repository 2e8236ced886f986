"""On a phone (390×844 CSS pixels), no page of any kind scrolls sideways: the demo site's every page and the pages
of a fixture site with the kinds the demo lacks (a listing's second page, a story with a table of contents,
every field holding markup, a very long word)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser.conftest import EXTERNAL, TIMEOUT_MS
from tests.readers_tools import every_kind_served, page_paths

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def every_kind(every_kind_site, tmp_path_factory) -> Iterator[tuple[Path, str]]:
    with every_kind_served(every_kind_site, tmp_path_factory.mktemp("kinds")) as served:
        yield served


def wider_than_the_phone(browser, origin: str, paths: list[str], ready: dict[str, str]) -> list[str]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(EXTERNAL, lambda route: route.abort())
    page = context.new_page()
    wide = []
    try:
        for path in paths:
            page.goto(origin + path, wait_until="load")
            if path in ready:
                page.wait_for_selector(ready[path])
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide.append(f"{path}: {width} px")
    finally:
        context.close()
    return wide


def test_no_page_of_the_demo_scrolls_sideways_on_a_phone(browser, demo_site, base_url):
    paths = page_paths(demo_site)
    assert len(paths) > 100 and "/campaigns/bac-giang-2021/" in paths
    search = "/tim-kiem/?q=b%E1%BB%87nh+vi%E1%BB%87n"  # "bệnh viện": results shown below the form
    paths += [search, "/campaigns/bac-giang-2021/#noi-bac-giang"]
    wide = wider_than_the_phone(browser, base_url, paths, {search: ".fl-search__results a"})
    assert wide == [], f"{len(wide)} of {len(paths)} pages scroll sideways at 390 px:\n" + "\n".join(wide)


def test_no_page_of_any_kind_scrolls_sideways_on_a_phone(browser, every_kind):
    site_dir, origin = every_kind
    paths = page_paths(site_dir)
    assert "/authors/ha/page/2/" in paths and "/dong-dau/" in paths
    wide = wider_than_the_phone(browser, origin, paths, {})
    assert wide == [], f"{len(wide)} of {len(paths)} pages scroll sideways at 390 px:\n" + "\n".join(wide)
