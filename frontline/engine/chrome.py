"""Material's page furniture that depends only on how deep a page sits, rendered once per depth.

Blocks of Material's ``base.html`` that print nothing of the page but links relative to it (stylesheets, scripts,
the ``__config`` JSON) come out alike for every page with the same ``base_url``, so thousands of story pages can
share one rendering (``overrides/main.html`` wraps each in ``{% call same_at_depth("name") %}``). The header also
prints the title: its HTML around the title is reused only once a second title has rendered exactly so."""

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
    """The top folders of the files the blocks link to: MkDocs shortens a link from a page under one of them,
    so such a page renders its own blocks."""
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
    """The ``{% call same_at_depth(name, titled=False) %}{{ super() }}{% endcall %}`` template function, with its
    own memo (MkDocs makes a new template environment, and so a new function, for every build)."""
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
