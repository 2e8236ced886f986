"""Material's page furniture that depends only on how deep a page sits, rendered once per depth.

Some blocks of Material's ``base.html`` (its stylesheets, fonts, analytics, the ``__config`` JSON with
its translations, the scripts) read nothing of the page but its links, which MkDocs makes relative
to the page (the ``url`` filter): pages with the same ``base_url`` (the way back to the site's root)
get the same HTML. ``overrides/main.html`` wraps each such block's ``super()`` in
``{% call same_at_depth("name") %}``. Each build's template environment gets its own memo (MkDocs
makes a new environment for every build)."""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def same_at_depth() -> Callable[..., Markup]:
    """The ``{% call same_at_depth(name) %}{{ super() }}{% endcall %}`` template function."""
    rendered: dict[tuple[str, str], Markup] = {}

    @pass_context
    def block(context: Context, name: str, caller: Callable[[], str]) -> Markup:
        key = (name, str(context.get("base_url")))  # 404.html, which has no page, gets an absolute one
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = Markup(caller())
        return html

    return block
