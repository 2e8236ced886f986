"""Fixtures for the browser tests: one local HTTP server and one Chromium per worker.

The demo site (``tests/e2e/conftest.py``'s ``demo_site``, built once per run with a fixed clock) is served on
127.0.0.1 from a background thread, and driven with Playwright's sync API. Screenshots go to
``test-artifacts/screenshots/`` at the repository root, or to ``$FRONTLINE_SCREENSHOTS``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from tests.sites import REPO, FixtureSite

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOW = "2021-12-31T00:00:00+07:00"
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
# Anything not on the local server (Google Fonts, the demo's https://tuyendau.example.vn/ links) is refused,
# so a page never waits on the network and every run sees the same thing.
EXTERNAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/]).+://")

SCREENSHOTS_KEY = pytest.StashKey[Path]()


def screenshots_folder() -> Path:
    configured = os.environ.get("FRONTLINE_SCREENSHOTS")
    folder = Path(configured) if configured else REPO / "test-artifacts" / "screenshots"
    return folder.resolve()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    folder = config.stash.get(SCREENSHOTS_KEY, None)
    if folder is not None:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"Screenshots: {folder}")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>`` serving ``folder`` from a background thread (no trailing slash)."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"frontline-server-{folder.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def published(site: FixtureSite) -> Iterator[str]:
    """``site`` built, then served at ``http://127.0.0.1:<port>/tin/`` like its ``site_url``."""
    result = site.build()
    assert result.returncode == 0, result.stderr
    www = site.root.parent / "www"
    www.mkdir()
    (www / "tin").symlink_to(site.site_dir, target_is_directory=True)
    with serving(www) as url:
        yield url + "/tin/"


@pytest.fixture(scope="session")
def base_url(demo_site) -> Iterator[str]:
    """``http://127.0.0.1:<port>`` serving the built demo site (no trailing slash)."""
    with serving(demo_site) as url:
        yield url


def _html(site_dir: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def _site_path(page_url: str, href: str) -> str:
    """The site-relative path (``/2021/05/slug/``) of ``href`` as written on the page at ``page_url``."""
    return "/" + urljoin("https://site.invalid" + page_url, href).removeprefix("https://site.invalid/")


@pytest.fixture(scope="session")
def home_story_path(demo_site) -> str:
    """The first story of the home page's 'latest' list, as the accessibility test is asked to use."""
    link = _html(demo_site, "/").select_one(".fl-latest .fl-card__title a")
    assert link is not None, "home page has no .fl-latest .fl-card__title a"
    return _site_path("/", link["href"])


@pytest.fixture(scope="session")
def campaign_story_path(demo_site) -> str:
    """The first story on the Bắc Giang timeline: a story that has a byline and a campaign badge."""
    campaign = "/campaigns/bac-giang-2021/"
    link = _html(demo_site, campaign).select_one(".fl-entry[data-kind=story] a.fl-entry__title")
    assert link is not None, f"{campaign} has no story entry"
    return _site_path(campaign, link["href"])


@pytest.fixture(scope="session")
def screenshots(request) -> Path:
    folder = screenshots_folder()
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[SCREENSHOTS_KEY] = folder
    return folder


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):  # .ci/run installs Chromium: missing there is a failure, not a skip
            pytest.fail(f"CI must provide Chromium at {CHROMIUM}")
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}, which does not exist")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser, base_url) -> Iterator[Callable[..., object]]:
    """Factory for browser contexts that only reach the local server; all are closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=base_url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(EXTERNAL, lambda route: route.abort())
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript errors of the ``page`` fixture, in order."""
    return []


@pytest.fixture
def page(new_context, page_errors):
    """A desktop-sized page (1280×900: Material shows its navigation tabs) that records uncaught JS errors."""
    page = new_context().new_page()
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    return page


@pytest.fixture
def shoot(screenshots, request) -> Callable[..., Path]:
    """``shoot(page, "step")`` saves a full-page PNG named after the test and the step."""
    test = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name.removeprefix("test_")).strip("-")

    def take(page, step: str, *, full_page: bool = True) -> Path:
        path = screenshots / f"{test}--{step}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return take
