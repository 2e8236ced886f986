"""A pinned update added to a live page open in Chromium reaches "Đáng chú ý" without a reload: after the click on
"1 cập nhật mới", it heads the stream and, as a copy linking to it, the pinned section, made when the page had none."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import DESKTOP, EXTERNAL, NOW, TIMEOUT_MS, published
from tests.live_fixture import LIVE_ID, LIVE_URL, make_live_site, update

pytestmark = pytest.mark.e2e


def test_a_new_pinned_update_reaches_the_pinned_section_without_a_reload(tmp_path, browser):
    site = make_live_site(tmp_path / "newsroom")
    # No update pinned when the page is first built: the script makes the section.
    site.write(f"stories/live/{LIVE_ID}/0900-tiep-nhan.md", update("2021-05-20T09:00", "Tiếp nhận bệnh nhân."))
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(EXTERNAL, lambda route: route.abort())
    with published(site) as url:
        errors: list[str] = []
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url + LIVE_URL + "?fl-poll=1")
        page.evaluate("window.notReloaded = true")
        expect(page.locator(".fl-live__pinned")).to_have_count(0)
        command = [sys.executable, "-m", "frontline.cli", "-f", str(site.root / "mkdocs.yml"), "live", "add", LIVE_ID]
        command += ["Phong tỏa toàn huyện từ 0 giờ.", "--author", "ha", "--title", "Phong tỏa", "--pinned"]
        added = subprocess.run([*command, "--now", "2021-05-21T12:00"], capture_output=True, text=True, timeout=60)
        assert added.returncode == 0, added.stderr
        assert site.build(now=NOW).returncode == 0
        button = page.locator(".fl-live__more")
        expect(button).to_have_text("1 cập nhật mới")
        button.click()
        pinned = page.locator(".fl-live__pinned")
        expect(pinned.locator("h2")).to_have_text("Đáng chú ý")
        copy = pinned.locator("article")
        expect(copy).to_have_count(1)
        expect(copy).to_have_attribute("data-pinned", "20210521-120000-ha")
        expect(copy.locator(".fl-update__title")).to_have_text("Phong tỏa")
        expect(copy.locator(".fl-update__pin")).to_have_text("Đáng chú ý")
        expect(copy.locator("a.fl-update__time")).to_have_attribute("href", "#cap-nhat-20210521-120000-ha")
        expect(copy.locator("time")).to_have_text("12:00 · Thứ Sáu, 21/5/2021")  # as live.html prints a pinned copy
        expect(page.locator(".fl-live__updates > article").first).to_have_id("cap-nhat-20210521-120000-ha")
        assert page.locator(".fl-live__pinned + .fl-live__stream").count() == 1  # where live.html puts it
        assert page.evaluate("window.notReloaded") is True
        assert errors == []
    context.close()
