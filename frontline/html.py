"""HTML transformations on rendered fragments (never HTML assembly)."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urljoin

import lxml.html
import lxml.html.defs

_LINK_ATTRIBUTES = sorted(lxml.html.defs.link_attrs | {"srcset", "content", "value", "style"})
_LINK_MARKUP = re.compile(
    r"<(?:style|(?:[^>\"']|\"[^\"]*\"|'[^']*')*?\b(?:" + "|".join(map(re.escape, _LINK_ATTRIBUTES)) + r")\s*=)",
    re.IGNORECASE,
)
"""A tag with an attribute that may hold a link lxml rewrites (``href``, ``src``, a ``style`` with ``url()``…), or a
style sheet. A fragment without one, like most stories' prose, has nothing to rewrite and skips lxml's parse and
serialization (0.12 ms a story). The search opens on ``<``, so the regex engine jumps from tag to tag."""


def absolutize_links(fragment: str, base_url: str) -> str:
    """Rewrite every relative ``href``/``src``/``srcset`` (and the other links lxml knows) in ``fragment``
    against ``base_url``.

    Feed readers show content out of the site, where relative links break."""
    if not fragment.strip() or not _LINK_MARKUP.search(fragment):
        return fragment
    container = lxml.html.fragment_fromstring(fragment, create_parent="div")
    container.make_links_absolute(base_url, resolve_base_href=False)
    for element in container.iter("img", "source"):  # lxml leaves srcset alone
        if srcset := element.get("srcset"):
            element.set("srcset", ", ".join(_absolute_candidate(part, base_url) for part in srcset.split(",")))
    leading = escape(container.text or "", quote=False)
    return leading + "".join(lxml.html.tostring(child, encoding="unicode") for child in container)


def _absolute_candidate(candidate: str, base_url: str) -> str:
    """One ``srcset`` candidate (``url 640w``) with its URL made absolute."""
    url, _, descriptor = candidate.strip().partition(" ")
    return f"{urljoin(base_url, url)} {descriptor.strip()}".strip()
