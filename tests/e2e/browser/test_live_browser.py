"""A live page open in Chromium follows itself: an update added with ``frontline live add`` and built shows up as a
"1 cập nhật mới" button without a reload, and a click puts the update at the top of the stream. The page passes
axe and fits a phone's width."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.browser.conftest import DESKTOP, EXTERNAL, NOW, TIMEOUT_MS, published
from tests.live_fixture import LIVE_ID, LIVE_URL, make_live_site

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def live_url(tmp_path):
    site = make_live_site(tmp_path / "newsroom")
    with published(site) as url:
        yield site, url + LIVE_URL


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(EXTERNAL, lambda route: route.abort())
    yield context
    context.close()


def test_a_new_update_appears_behind_a_button_without_a_reload(live_url, context):
    site, url = live_url
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "?fl-poll=1")  # the script polls every second instead of 30
    page.evaluate("window.notReloaded = true")
    stream = page.locator(".fl-live__updates > article")
    expect(stream).to_have_count(4)
    button = page.locator(".fl-live__more")
    expect(button).to_be_hidden()
    command = [sys.executable, "-m", "frontline.cli", "-f", str(site.root / "mkdocs.yml"), "live", "add", LIVE_ID]
    command += [
        "Đã có thêm 30 bác sĩ tới hỗ trợ.",
        "--author",
        "duc",
        "--title",
        "Thêm bác sĩ",
        "--now",
        "2021-05-21T11:45",
    ]
    added = subprocess.run(command, capture_output=True, text=True, timeout=60, env={**os.environ})
    assert added.returncode == 0, added.stderr
    assert site.build(now=NOW).returncode == 0
    expect(button).to_be_visible()
    expect(button).to_have_text("1 cập nhật mới")
    expect(stream).to_have_count(4)  # nothing moved under the reader before the click
    button.click()
    expect(button).to_be_hidden()
    expect(stream).to_have_count(5)
    first = stream.first
    expect(first).to_have_attribute("id", "cap-nhat-20210521-114500-duc")
    expect(first.locator(".fl-update__title")).to_have_text("Thêm bác sĩ")
    expect(first.locator(".fl-update__body")).to_have_text("Đã có thêm 30 bác sĩ tới hỗ trợ.")
    expect(first.locator("time")).to_have_text("11:45")
    expect(first.locator(".fl-update__authors")).to_have_text("Trần Minh Đức")
    assert page.evaluate("window.notReloaded") is True
    assert errors == []


def test_an_ended_page_has_no_script_and_a_finished_badge(tmp_path, context):
    site = make_live_site(tmp_path / "newsroom", end="2021-05-21T20:00")
    with published(site) as url:
        requests: list[str] = []
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url + LIVE_URL + "?fl-poll=1")
        expect(page.locator(".fl-live-badge")).to_have_text("Đã kết thúc")
        page.wait_for_timeout(1500)  # a poll would have asked for updates.json by now
        assert not any(request.endswith("updates.json") for request in requests)


def test_the_live_page_passes_axe_and_fits_a_phone(live_url, browser):
    _, url = live_url
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        context.set_default_timeout(TIMEOUT_MS)
        context.route(EXTERNAL, lambda route: route.abort())
        try:
            page = context.new_page()
            page.goto(url)
            violations = Axe().run(page).response["violations"]
            blocking = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
            assert blocking == [], (viewport, blocking)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, viewport
        finally:
            context.close()
