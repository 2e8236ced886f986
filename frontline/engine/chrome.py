"""Material's page furniture that depends only on how deep a page sits, rendered once per depth.

Some blocks of Material's ``base.html`` (its stylesheets, fonts, analytics, the ``__config`` JSON with
its translations, the scripts) read nothing of the page but its links, which MkDocs makes relative
to the page (the ``url`` filter). A link from a page to ``assets/…`` climbs to the site's root
(``base_url``) and down again, unless the page itself sits under ``assets/``: then MkDocs shortens it.
So pages with the same ``base_url`` get the same HTML, except pages under the top folder of one of
the links (``assets/``, or that of an ``extra_css``, ``extra_javascript`` or polyfill file), which
render their own. ``overrides/main.html`` wraps each such block's ``super()`` in
``{% call same_at_depth("name") %}``. Each build's template environment gets its own memo (MkDocs
makes a new environment for every build)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from frontline.engine.navigation import link_folder

MATERIAL_ASSETS = "assets"
"""The folder of every file Material's blocks link to (stylesheets, scripts, the search worker)."""


def _top_folders(config: Any) -> set[str]:
    extra = config.get("extra") or {}
    paths: Iterable[Any] = [*config.get("extra_css", []), *config.get("extra_javascript", [])]
    paths = [*paths, *(extra.get("polyfills") or [])]
    tops = {str(path).lstrip("/").split("/", 1)[0] for path in paths if "/" in str(path).lstrip("/")}
    return tops | {MATERIAL_ASSETS}


def same_at_depth() -> Callable[..., Markup]:
    """The ``{% call same_at_depth(name) %}{{ super() }}{% endcall %}`` template function."""
    rendered: dict[tuple[str, str], Markup] = {}
    tops: set[str] | None = None  # worked out once per build

    @pass_context
    def block(context: Context, name: str, caller: Callable[[], str]) -> Markup:
        nonlocal tops
        page, config = context.get("page"), context.get("config")
        if tops is None:
            tops = _top_folders(config) if config is not None else {MATERIAL_ASSETS}
        folder = link_folder(page.url) if page is not None else ()
        if folder and folder[0] in tops:
            return Markup(caller())  # its links into its own top folder are shortened: its own
        key = (name, str(context.get("base_url")))  # 404.html, which has no page, gets an absolute one
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = Markup(caller())
        return html

    return block
