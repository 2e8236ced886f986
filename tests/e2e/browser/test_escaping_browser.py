"""The hostile fixture site (every text field written with markup, tests/sites.py ``make_hostile_site``) in
Chromium: no page opens a dialog (the fields' ``alert(…)``) or asks anything of a host but the local server
(an injected ``<img src=x>`` would fetch ``x``), and the fields show as their text."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import DESKTOP, TIMEOUT_MS, published
from tests.sites import HOSTILE_HEADING, hostile, make_hostile_site

SITE_NAME = "Tuyến đầu thử nghiệm"
MATERIALS_OWN = re.compile(r"https://example\.vn/tin/(.*/)?sitemap\.xml")
"""Material's script asks for the sitemap at the site's address (its ``site_url``): the site itself, not a field."""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    site = make_hostile_site(tmp_path_factory.mktemp("hostile-browser") / "newsroom")
    with published(site) as url:
        yield url


def test_no_field_runs_or_fetches_anything_in_a_browser(browser, hostile_url):
    dialogs: list[str] = []
    elsewhere: list[str] = []
    injected: list[str] = []
    errors: list[str] = []
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)

    def request(route):
        url = route.request.url
        if urlsplit(url).hostname != "127.0.0.1":
            if not MATERIALS_OWN.fullmatch(url):
                elsewhere.append(url)
            return route.abort()
        if urlsplit(url).path.endswith("/x"):
            injected.append(url)
        return route.continue_()

    context.route("**/*", request)
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        titles = {
            "campaigns/bac-giang/": hostile("campaign.title"),
            "tieu-de/": hostile("docs.title"),
            "dong-dau/": HOSTILE_HEADING,
            "2021/05/bai-viet/": hostile("story.title"),
        }
        for path, title in titles.items():
            response = page.goto(hostile_url + path, wait_until="load")
            assert response is not None and response.ok, path
            assert page.title() == f"{title} - {SITE_NAME}", path
            expect(page.locator("article h1").first).to_have_text(title)
        page.goto(hostile_url + "campaigns/bac-giang/")
        place = page.locator(".fl-filter a[data-place]").filter(has_text="story.location")
        place.click()
        expect(page.locator(".fl-filter__status")).to_have_text(f"Đang hiện 1 bài ở {hostile('story.location')}.")
        page.goto(hostile_url + "tim-kiem/?q=da+nang")
        # The two stories and the two pages of docs/ whose titles say "Đà Nẵng" (search indexes every page).
        expect(page.get_by_role("status")).to_have_text("Tìm thấy 4 kết quả cho “da nang”.")
        links = page.locator(".fl-search__title a")
        expect(links).to_have_count(4)
        assert {hostile("story.title"), hostile("story2.title"), hostile("docs.title")} <= set(links.all_inner_texts())
        expect(page.locator(".fl-search__results").locator("script, img, b")).to_have_count(0)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert dialogs == [] and elsewhere == [] and injected == [] and errors == [], (dialogs, elsewhere, injected, errors)
