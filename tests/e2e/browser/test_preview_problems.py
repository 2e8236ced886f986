"""``frontline preview`` with a mistake in a story: every page it serves still answers, shows the problems as
``check`` prints them (file, line, field, message), as text, and the page mends itself when the file is saved."""

from __future__ import annotations

import json
import time

import pytest

from tests.cli import start_frontline
from tests.e2e.browser.conftest import DESKTOP, EXTERNAL, TIMEOUT_MS
from tests.e2e.test_preview import _free_port, _get
from tests.sites import make_site, story

pytestmark = pytest.mark.e2e

BROKEN = """---
title: Bài có ngày viết sai
date: "<img src=x onerror=window.__hacked=1>"
authors: [ha]
---

Nội dung.
"""


def _wait_until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"not within {seconds}s: {what}")


@pytest.fixture
def preview(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/dung.md", story("Bài đúng", "2021-05-20T09:30"))
    port = _free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with (tmp_path / "preview.log").open("wb") as output:
        server = start_frontline(
            "preview",
            "-a",
            f"127.0.0.1:{port}",
            cwd=site.root,
            env={"TMPDIR": str(temporary)},
            stdout=output,
            stderr=output,
        )
    try:
        base = f"http://127.0.0.1:{port}/tin/"
        _wait_until(lambda: "Bài đúng" in (_get(base) or ""), 60, "the first preview build")
        yield site, base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _problems(base: str) -> list[str] | None:
    """The preview's problems as served, None while it serves no list."""
    served = _get(base + "_xem-truoc/loi.json")
    return None if served is None else json.loads(served)


def test_a_mistake_shows_on_every_page_and_goes_when_mended(preview, browser):
    site, base = preview
    assert _problems(base) == []  # served, and empty
    broken = site.write("stories/2021/05/hong.md", BROKEN)
    problems = _wait_until(lambda: _problems(base), 60, "the rebuild after the broken story")
    assert len(problems) == 1 and problems[0]["text"].startswith("stories/2021/05/hong.md:3: date: ")
    assert problems[0]["warning"] is False

    context = browser.new_context(base_url=base, locale="vi-VN", viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    context.route(EXTERNAL, lambda route: route.abort())
    try:
        page = context.new_page()
        for address in ("", "2021/05/bai-dung/", "khong-co-trang-nay/"):  # the home page, a story, the 404 page
            page.goto(base + address)  # answers: the server does not hold requests while content is wrong
            banner = page.locator(".fl-preview-problems")
            banner.wait_for()
            assert banner.get_attribute("role") == "alert"
            assert "stories/2021/05/hong.md:3: date:" in banner.inner_text()
            assert "<img src=x onerror=window.__hacked=1>" in banner.inner_text()  # printed, not parsed
            assert banner.locator("img").count() == 0
            assert page.evaluate("window.__hacked") is None

        page.goto(base + "2021/05/bai-dung/")
        page.locator(".fl-preview-problems").wait_for()
        broken.write_text(story("Bài đã sửa ngày", "2021-05-21T08:00"), encoding="utf-8")
        # The open page reloads itself after the rebuild (MkDocs' livereload) and the banner is gone.
        page.locator(".fl-preview-problems").wait_for(state="detached", timeout=60_000)
        assert _problems(base) == []
        assert "Bài đã sửa ngày" in (_get(base) or "")
    finally:
        context.close()
