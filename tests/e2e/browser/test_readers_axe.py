"""axe-core (the version tests/tools/package.json pins) in Chromium, on one page of every kind of the demo site and
of a fixture site with the kinds the demo lacks, at desktop and phone width: no violation of serious or critical
impact."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser.conftest import DESKTOP, EXTERNAL, TIMEOUT_MS
from tests.readers_tools import AXE_JS, every_kind_served, one_of_each_kind, page_paths, tool

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
SEARCH = "/tim-kiem/?q=b%E1%BB%87nh+vi%E1%BB%87n"  # "bệnh viện": results shown under the form
READY = {SEARCH: ".fl-search__results a"}


@pytest.fixture(scope="module")
def every_kind(every_kind_site, tmp_path_factory) -> Iterator[tuple[Path, str]]:
    with every_kind_served(every_kind_site, tmp_path_factory.mktemp("kinds")) as served:
        yield served


def blocking_violations(browser, origin: str, paths: list[str]) -> list[str]:
    axe = tool(AXE_JS).read_text(encoding="utf-8")
    found = []
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        context.set_default_timeout(TIMEOUT_MS)
        context.route(EXTERNAL, lambda route: route.abort())
        page = context.new_page()
        try:
            for path in paths:
                page.goto(origin + path, wait_until="load")
                if path in READY:
                    page.wait_for_selector(READY[path])
                page.evaluate(axe)
                results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                for violation in results["violations"]:
                    if violation["impact"] in BLOCKING:
                        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
                        found.append(
                            f"{path} at {viewport['width']} px: {violation['id']} ({violation['impact']}), "
                            f"{len(violation['nodes'])} node(s) e.g. {targets}: {violation['help']}"
                        )
        finally:
            context.close()
    return found


def test_one_page_of_each_kind_of_the_demo_has_no_serious_violation(browser, demo_site, base_url):
    paths = [*one_of_each_kind(demo_site), SEARCH]
    assert {"/", "/campaigns/", "/tim-kiem/", "/404.html", "/huong-dan-phong-vien/"} <= set(paths)
    found = blocking_violations(browser, base_url, paths)
    assert found == [], "\n".join(found)


def test_one_page_of_each_kind_with_markup_everywhere_has_no_serious_violation(browser, every_kind):
    site_dir, origin = every_kind
    stories = [path for path in page_paths(site_dir) if path.startswith("/2021/")]
    paths = sorted({*one_of_each_kind(site_dir), *stories})
    assert "/authors/ha/page/2/" in paths and "/2021/05/bai-viet/" in paths
    found = blocking_violations(browser, origin, paths)
    assert found == [], "\n".join(found)
