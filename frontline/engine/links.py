"""MkDocs' ``url`` template filter, with a short way for the links every page writes.

Every page passes the filter about twenty site-relative paths, and MkDocs normalizes the path and the page's URL
on each call. A plain path (no ``.``, ``..`` or empty part) whose first part differs from the first part of the
page's folder shares nothing with that folder, so MkDocs' answer is simply one ``../`` per folder part before it;
anything else goes to MkDocs' filter."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from frontline.engine.navigation import Parts, link_folder

_PLAIN_PATH = re.compile(r"[\w\-]+(?:\.[\w\-]+)*(?:/[\w\-]+(?:\.[\w\-]+)*)*/?")


def relative_url_filter(mkdocs_filter: Callable[[Context, Any], str]) -> Callable[..., str]:
    """The ``url`` filter: ``mkdocs_filter``'s result, worked out without it for plain paths."""
    folders: dict[str, Parts] = {}  # page URL → its links' folder, once per page (a build's pages are finite)

    @pass_context
    def url(context: Context, value: Any) -> str:
        page = context.get("page")
        path = str(value)
        if page is not None and _PLAIN_PATH.fullmatch(path):
            folder = folders.get(page.url)
            if folder is None:
                folder = folders[page.url] = link_folder(page.url)
            if not folder or path.partition("/")[0] != folder[0]:
                return "../" * len(folder) + path
        return mkdocs_filter(context, value)

    return url
