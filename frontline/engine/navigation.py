"""Material's primary navigation, rendered once per folder for pages outside the nav.

MkDocs renders the whole nav into every page. On a page outside the nav (a story, an index: thousands
of them) nothing in it is active, so the rendered nav depends only on where the page is: its links
are relative to the page's URL. Two pages in one folder get the same links, except to a nav page
inside one of the pages' own folder; such a page renders its own. Each build's template environment
gets its own memo (MkDocs makes a new environment for every build)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def primary_navigation() -> Callable[..., Markup]:
    """The ``{% call primary_navigation() %}…{% endcall %}`` template function wrapping the nav partial."""
    rendered: dict[str, Markup] = {}
    nav_urls: list[str] = []

    @pass_context
    def navigation(context: Context, caller: Callable[[], str]) -> Markup:
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None or page in nav.pages:
            return Markup(caller())  # a nav page: its own item is active
        if not nav_urls:
            nav_urls.extend(item.url for item in nav.pages)
        if any(url.startswith(page.url) for url in nav_urls):
            return Markup(caller())  # a nav page inside this page's folder: only this page links to it so
        folder = posixpath.dirname(page.url.rstrip("/"))
        html = rendered.get(folder)
        if html is None:
            html = rendered[folder] = Markup(caller())
        return html

    return navigation
