"""HTML transformations on rendered fragments (never HTML assembly)."""

from __future__ import annotations

from html import escape

import lxml.html


def absolutize_links(fragment: str, base_url: str) -> str:
    """Rewrite every relative ``href``/``src``/``srcset`` in ``fragment`` against ``base_url``.

    Feed readers show content out of the site, where relative links break."""
    if not fragment.strip():
        return fragment
    container = lxml.html.fragment_fromstring(fragment, create_parent="div")
    container.make_links_absolute(base_url, resolve_base_href=False)
    leading = escape(container.text or "", quote=False)
    return leading + "".join(lxml.html.tostring(child, encoding="unicode") for child in container)
