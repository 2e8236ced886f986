"""Material's page furniture that depends only on how deep a page sits, rendered once per depth.

Some blocks of Material's ``base.html`` (its stylesheets, fonts, analytics, the ``__config`` JSON with
its translations, the scripts) read nothing of the page but its links, which MkDocs makes relative
to the page (the ``url`` filter). A link from a page to ``assets/…`` climbs to the site's root
(``base_url``) and down again, unless the page itself sits under ``assets/``: then MkDocs shortens it.
So pages with the same ``base_url`` get the same HTML, except pages under the top folder of one of
the links (``assets/``, or that of an ``extra_css``, ``extra_javascript`` or polyfill file, the theme's
logo or ``extra.homepage``), which render their own. ``overrides/main.html`` wraps each such block's
``super()`` in ``{% call same_at_depth("name") %}``.

Material's header reads the page only for its title, which it prints as it is (MkDocs' templates do not
escape): ``{% call same_at_depth("header", titled=True) %}`` learns the HTML around the title from the first
page at a depth whose title it holds once, trusts it once a page with another title renders the same, and
from then on gives each page that HTML around its own title (a title that escaping would change renders
its own header). Each build's template environment gets its own memo (MkDocs makes a new environment for
every build)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from frontline.engine.navigation import link_folder

MATERIAL_ASSETS = "assets"
"""The folder of every file Material's blocks link to (stylesheets, scripts, the search worker)."""


def _top_folders(config: Any) -> set[str]:
    extra = config.get("extra") or {}
    paths: Iterable[Any] = [*config.get("extra_css", []), *config.get("extra_javascript", [])]
    theme = config.get("theme")
    paths = [*paths, *(extra.get("polyfills") or []), theme.get("logo") if theme else None, extra.get("homepage")]
    tops = {str(path).lstrip("/").split("/", 1)[0] for path in paths if path and "/" in str(path).lstrip("/")}
    return tops | {MATERIAL_ASSETS}


def _shown_title(page: Any) -> str:
    """The page's title as Material's header prints it: its ``title`` meta, else its title."""
    meta = getattr(page, "meta", None)
    return str(meta["title"] if meta and meta.get("title") else page.title)


def same_at_depth() -> Callable[..., Markup]:
    """The ``{% call same_at_depth(name, titled=False) %}{{ super() }}{% endcall %}`` template function."""
    rendered: dict[tuple[str, str], Markup] = {}
    around_title: dict[tuple[str, str, bool], _AroundTitle] = {}
    tops: set[str] | None = None  # worked out once per build

    @pass_context
    def block(context: Context, name: str, caller: Callable[[], str], titled: bool = False) -> Markup:
        nonlocal tops
        page, config = context.get("page"), context.get("config")
        if tops is None:
            tops = _top_folders(config) if config is not None else {MATERIAL_ASSETS}
        folder = link_folder(page.url) if page is not None else ()
        if folder and folder[0] in tops:
            return Markup(caller())  # its links into its own top folder are shortened: its own
        depth = str(context.get("base_url"))  # 404.html, which has no page, gets an absolute one
        if not titled:
            html = rendered.get((name, depth))
            if html is None:
                html = rendered[name, depth] = Markup(caller())
            return html
        title = _shown_title(page) if page is not None else ""
        if not title or escape(title) != title:
            return Markup(caller())  # no title to fill in, or one an escaping template would print otherwise
        # Material prints the title meta or the title from two branches of an if: kept apart, though alike.
        key = (name, depth, bool(page.meta and page.meta.get("title")))
        known = around_title.get(key)
        if known is not None and known.trusted:
            return Markup(known.before + title + known.after)
        html = caller()
        if known is None:
            if html.count(title) == 1:
                before, _, after = html.partition(title)
                around_title[key] = _AroundTitle(before, after, learnt_from=title)
        elif title != known.learnt_from:  # a second title: trusted once it comes out as rendered
            if known.before + title + known.after == html:
                known.trusted = True
            else:
                around_title[key] = _AroundTitle("", "", learnt_from=None)  # never again: render each page
        return Markup(html)

    return block


@dataclass
class _AroundTitle:
    """The header's HTML before and after the title, as learnt from a page whose title it held once."""

    before: str
    after: str
    learnt_from: str | None
    trusted: bool = False


def translations(environment: Environment, language: str) -> Callable[[str], str]:
    """The ``material_translation(key)`` template function behind ``overrides/partials/language.html``:
    Material's lookup (``lang.t(key) or fallback.t(key) or key``), each key looked up once."""
    own = environment.get_template(f"partials/languages/{language}.html").module
    english = environment.get_template("partials/languages/en.html").module
    known: dict[str, str] = {}

    def translation(key: str) -> str:
        if key not in known:
            known[key] = str(own.t(key)) or str(english.t(key)) or key
        return known[key]

    return translation
