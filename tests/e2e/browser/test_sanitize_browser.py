"""Every corpus case, rendered as the build renders it and cleaned, in Chromium: no script runs (no dialog opens)
and the page asks no host but its own, even when the pointer passes over and focus moves through each element.

The build itself cannot publish these bodies (``check`` stops it), so each cleaned body is put in a plain page
served on 127.0.0.1. A control page with the bodies *uncleaned* shows the harness sees dialogs and requests."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser.conftest import serving
from tests.security_corpus import FLAGGED, INERT, SAFE
from tests.unit.test_sanitize import SCAN

CASES = {**FLAGGED, **INERT, **SAFE}
PAGE = '<!doctype html><html lang="vi"><meta charset="utf-8"><title>{title}</title><body><article>{body}</article>'


def _page(title: str, body: str) -> str:
    return PAGE.format(title=html.escape(title), body=body)


@pytest.fixture(scope="module")
def corpus_pages(tmp_path_factory):
    """``(base URL, {case: file name})``: one page per case with its cleaned HTML, and ``control.html``."""
    folder: Path = tmp_path_factory.mktemp("corpus-pages")
    names = {}
    for number, (case, body) in enumerate(sorted(CASES.items())):
        names[case] = f"case-{number}.html"
        (folder / names[case]).write_text(_page(case, SCAN.policy.clean(SCAN.render(body))), encoding="utf-8")
    control = SCAN.render(FLAGGED["img onerror"]) + SCAN.render(FLAGGED["image other host"])
    (folder / "control.html").write_text(_page("control", control), encoding="utf-8")
    (folder / "x").write_bytes(b"")  # what the relative URLs of the corpus ask for
    with serving(folder) as url:
        yield url, names


_POKE = """async () => {
    for (const element of document.querySelectorAll("article *")) {
        for (const type of ["mouseover", "mouseenter", "mousemove", "pointerover"]) {
            element.dispatchEvent(new MouseEvent(type, {bubbles: true}));
        }
        if (element.focus) element.focus();
    }
    await new Promise(requestAnimationFrame);
}"""
"""Events an inline handler (``onmouseover``, ``onfocus``…) would run on, sent to every element at once: the
handlers were removed, so none runs; a click is not sent, since following a link is the reader's choice."""


class _Visitor:
    """One browser context for every visit (a context per page costs more than the page); it refuses and records
    every request to a host other than 127.0.0.1."""

    def __init__(self, browser) -> None:
        self.offsite: list[str] = []
        self.context = browser.new_context()
        self.context.set_default_timeout(10_000)
        self.context.route("**/*", self._route)
        self.dialogs: list[str] = []
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.offsite.append(route.request.url)
            route.abort()

    def visit(self, url: str) -> tuple[list[str], list[str]]:
        """Load ``url``, point at and focus every element of its article; return the dialogs that opened and the
        requests to other hosts."""
        self.dialogs, self.offsite = [], []
        self.page.goto(url, wait_until="load")
        self.page.evaluate(_POKE)
        return self.dialogs, self.offsite


@pytest.fixture(scope="module")
def visitor(browser):
    visitor = _Visitor(browser)
    yield visitor
    visitor.context.close()


def test_the_harness_sees_script_and_offsite_requests(visitor, corpus_pages):
    base, _ = corpus_pages
    dialogs, offsite = visitor.visit(f"{base}/control.html")
    assert dialogs == ["1"]
    assert offsite == ["https://evil.example/pixel.gif"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_cleaned_case_runs_no_script_and_stays_on_site(visitor, corpus_pages, case):
    base, names = corpus_pages
    dialogs, offsite = visitor.visit(f"{base}/{names[case]}")
    assert dialogs == []
    if case == "allowed iframe":  # the one request a body may make elsewhere: the newsroom's video host
        assert all(urlsplit(url).hostname == "www.youtube.com" for url in offsite), offsite
    else:
        assert offsite == []
