"""Every private name of MkDocs (and ProperDocs) that Frontline uses, imported here and nowhere else.

They are not MkDocs' public API, so a release may change them without notice; tests/unit/test_mkdocs_private.py pins
each one's source in both engines, so such a release fails a test instead of building a subtly different site.
Under ProperDocs, ``mkdocs`` names ProperDocs' own modules, so these are the running engine's."""

from __future__ import annotations

from typing import Any

from mkdocs.commands.build import _build_page as build_page
from mkdocs.commands.build import _populate_page as populate_page
from mkdocs.structure.pages import _ExtractAnchorsTreeprocessor as ExtractAnchorsTreeprocessor
from mkdocs.structure.pages import _ExtractTitleTreeprocessor as ExtractTitleTreeprocessor
from mkdocs.structure.pages import _RawHTMLPreprocessor as RawHTMLPreprocessor
from mkdocs.structure.pages import _RelativePathTreeprocessor as RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

__all__ = [
    "ExtractAnchorsTreeprocessor",
    "ExtractTitleTreeprocessor",
    "RawHTMLPreprocessor",
    "RelativePathTreeprocessor",
    "build_page",
    "get_data",
    "get_toc",
    "populate_page",
    "register",
]


_collect_raw_html_anchors = RawHTMLPreprocessor.run


def _collect_raw_html_anchors_or_none(self: Any, lines: list[str]) -> list[str]:
    """MkDocs' collector of the anchors raw HTML declares parses a page's whole Markdown as HTML, and Python 3.11's
    parser raises on ``<![`` followed by anything but a known section: a "<" typed before an image (``<![ảnh](…)``)
    stopped the build with a traceback. Such a page then declares no anchors in raw HTML (a link to one is reported
    as missing); its Markdown renders as it would have."""
    try:
        return _collect_raw_html_anchors(self, lines)
    except AssertionError:
        self.present_anchor_ids = set()
        return lines


RawHTMLPreprocessor.run = _collect_raw_html_anchors_or_none  # every page of the build: Frontline's and MkDocs' own


def register(extension: Any, md: Any) -> None:
    """Add one of MkDocs' page extensions above to a Markdown converter, as ``Page.render`` does."""
    extension._register(md)
