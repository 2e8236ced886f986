"""Material's primary navigation, rendered once for all the pages outside the nav that it links alike.

MkDocs renders the whole nav into every page. On a page outside the nav (a story, a listing) no item is active,
so the nav differs only by its links, which MkDocs makes relative to the page's folder: two folders as deep as
each other that share as many leading parts with each link target (``2021/05/bai-1/`` and ``2024/11/bai-9/``)
get the same links, and that is the memo's key (one memo per build, as MkDocs makes a new environment for each)."""

from __future__ import annotations

import os.path
import posixpath
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

Parts = tuple[str, ...]


def _parts(url: str) -> Parts:
    return tuple(part for part in posixpath.normpath("/" + url).split("/") if part)


def link_folder(page_url: str) -> Parts:
    """The folder a page's relative links start from: its URL, less a last part that names a file."""
    head, _, last = page_url.rpartition("/")
    return _parts(head if "." in last else page_url)


def _nav_urls(items: Iterable[Any]) -> Iterable[str]:
    for item in items:
        if getattr(item, "url", None) is not None:
            yield item.url
        yield from _nav_urls(getattr(item, "children", None) or ())


def primary_navigation() -> Callable[..., Markup]:
    """The ``{% call primary_navigation() %}…{% endcall %}`` template function wrapping the nav partial."""
    rendered: dict[tuple[int, tuple[int, ...]], Markup] = {}
    targets: list[Parts] | None = None  # every link target the nav partial writes, once per build

    @pass_context
    def navigation(context: Context, caller: Callable[[], str]) -> Markup:
        page, nav, config = context.get("page"), context.get("nav"), context.get("config")
        if page is None or nav is None or config is None or page in nav.pages:
            return Markup(caller())  # a nav page: its own item is active
        nonlocal targets
        if targets is None:
            extra = [config["extra"].get("homepage"), config["theme"].get("logo")]
            targets = [_parts(url) for url in [*_nav_urls(nav.items), *extra] if isinstance(url, str)]
        folder = link_folder(page.url)
        key = (len(folder), tuple(len(os.path.commonprefix([folder, target])) for target in targets))
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = Markup(caller())
        return html

    return navigation
