"""axe-core on the built demo site: no serious or critical violations on the pages readers land on."""

from __future__ import annotations

import warnings

import pytest
from axe_playwright_python.sync_playwright import Axe

BLOCKING = {"serious", "critical"}
PAGES = {
    "home": "/",
    "story": None,  # the first story of the home page's latest list, found at run time
    "campaign": "/campaigns/bac-giang-2021/",
    "places-index": "/places/",
    "place-listing": "/places/da-nang/",
    "subscribe": "/theo-doi/",
    "search": "/tim-kiem/",
    "search-results": "/tim-kiem/?q=da+nang",
    "live": "/truc-tiep/tphcm-ai-o-dau-o-yen-do/",
}
# Pages whose content arrives after load: axe runs once this selector is visible.
READY = {"search-results": ".fl-search__results a"}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def describe(violation: dict, page: str) -> str:
    targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"][:2]]
    return (
        f"{violation['id']} ({violation['impact']}) on {page}: {len(violation['nodes'])} node(s), "
        f"e.g. {targets} - {violation['help']}"
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(name, page, axe, home_story_path, shoot):
    url = PAGES[name] or home_story_path
    response = page.goto(url)
    assert response is not None, f"{url}: no response"
    assert response.status == 200, f"{url}: HTTP {response.status}"
    if name in READY:
        page.locator(READY[name]).first.wait_for(state="visible")
    shoot(page, "page")
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    report = [("BLOCKING " if v in blocking else "") + describe(v, url) for v in violations]
    if blocking:
        pytest.fail(f"{len(blocking)} serious/critical axe violation(s) on {url}:\n" + "\n".join(report), pytrace=False)
    for line in report:
        warnings.warn(f"axe: {line}", stacklevel=1)
