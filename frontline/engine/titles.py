"""Page titles and other front-matter text as Material prints them: escaped.

MkDocs' Jinja environment does not autoescape, and Material prints ``page.meta.title``, ``page.title`` (the header,
the nav, the footer) and a few other front-matter values as they are. Front matter is text written by people, so
each such value is given to the templates as ``Markup`` of its escaped text: printed, it shows the text."""

from __future__ import annotations

import html
from typing import Any

from markupsafe import Markup, escape

TEXT_META = (
    "title",
    "description",
    "author",
    "subtitle",
    "status",
    "revision_date",
    "git_revision_date_localized",
    "git_creation_date_localized",
)
"""Front-matter keys whose values Material prints unescaped (base.html, partials/header.html, nav-item.html, and
partials/source-file.html the dates, which any page of docs/ may set in its front matter)."""


def as_markup(text: Any) -> Markup:
    """``text`` as HTML that shows it (a value already ``Markup`` is HTML already)."""
    return text if isinstance(text, Markup) else Markup(escape(str(text)))


def escape_meta(meta: dict[str, Any]) -> None:
    """Escape the front-matter values Material prints, in place. ``None`` and booleans are left as they are:
    templates test them (``{% if page.meta.title %}``), and their text is no one's."""
    for key in TEXT_META:
        value = meta.get(key)
        if value is not None and not isinstance(value, bool):
            meta[key] = as_markup(value)


def escape_rendered_title(page: Any) -> None:
    """Once a page is rendered, fix its title as escaped text when no front matter gave it.

    MkDocs takes it from the first heading: the heading's HTML with its tags stripped and its entities kept
    (``mkdocs.utils.rendering.get_heading_text``), so ``# a &lt;b&gt; & c`` gives ``a &lt;b&gt; &amp; c``. That is
    made text (entities decoded) and escaped once; a ``<`` that the stripping left alone is escaped with it.
    A title from the file's name is text already. Material's ``<title>`` prints ``page.title | striptags``,
    which decodes the entities again: ``overrides/main.html`` prints it escaped instead."""
    title = page.title
    if title is None or isinstance(title, Markup):
        return
    text = html.unescape(title) if title == getattr(page, "_title_from_render", None) else title
    page.title = as_markup(text)
