"""The campaigns' TimelineJS exports in the real TimelineJS (the version tests/tools/package.json pins), in
Chromium, in Vietnamese: no page error, one slide per event, every event its own id, media only images."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.e2e.browser.conftest import DESKTOP, EXTERNAL, TIMEOUT_MS, serving
from tests.readers_tools import REPO, TIMELINEJS, tool

pytestmark = pytest.mark.e2e

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


@pytest.fixture(scope="module")
def harness(demo_site, tmp_path_factory) -> Iterator[str]:
    """The demo site under ``/site/``, TimelineJS under ``/tl/`` and the page showing an export, on one server."""
    www = tmp_path_factory.mktemp("timelinejs")
    (www / "site").symlink_to(demo_site, target_is_directory=True)
    (www / "tl").symlink_to(tool(TIMELINEJS), target_is_directory=True)
    (www / "index.html").symlink_to(REPO / "tests" / "tools" / "timeline.html")
    with serving(www) as url:
        yield url


def test_every_campaign_timeline_shows_in_timelinejs(browser, demo_site, harness):
    exports = sorted(demo_site.glob("campaigns/*/timeline.json"))
    assert len(exports) == 4
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(EXTERNAL, lambda route: route.abort())  # the stories' images are on the site's own domain
    try:
        for export in exports:
            data = json.loads(export.read_text(encoding="utf-8"))
            events = data["events"]
            ids = [event.get("unique_id") for event in events]
            assert None not in ids and len(set(ids)) == len(ids), export
            for event in events:
                if "media" in event:
                    assert event["media"]["url"].lower().endswith(IMAGE_TYPES), event["media"]
            page = context.new_page()
            errors: list[str] = []
            locales: list[str] = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            page.on("request", lambda request, locales=locales: locales.append(request.url))
            page.goto(f"{harness}/index.html?data=/site/{export.relative_to(demo_site).as_posix()}")
            page.wait_for_selector(".tl-slide-titleslide")
            page.wait_for_function(
                f"document.querySelectorAll('.tl-slider-item-container > .tl-slide').length === {len(events) + 1}"
            )
            slides = page.eval_on_selector_all(
                ".tl-slider-item-container > .tl-slide:not(.tl-slide-titleslide)", "slides => slides.map(s => s.id)"
            )
            assert sorted(slides) == sorted(ids), export
            assert page.locator(".tl-timemarker").count() == len(events)
            dates = page.eval_on_selector_all(".tl-headline-date", "dates => dates.map(d => d.textContent)")
            assert dates and any("Tháng" in date for date in dates), dates[:3]  # TimelineJS's Vietnamese months
            assert any(url.endswith("/locale/vi.json") for url in locales), locales  # asked in Vietnamese
            assert not page.locator(".tl-media iframe").count()  # no page shown as media
            assert errors == [], f"{export}: {errors}"
            page.close()
    finally:
        context.close()
