"""HTML transformations on rendered fragments (never HTML assembly)."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urljoin

import lxml.html
import lxml.html.defs

_LINK_ATTRIBUTES = frozenset(lxml.html.defs.link_attrs | {"srcset", "content", "value", "style"})
"""Attributes whose value may hold a link lxml rewrites (``href``, ``src``, a ``style`` with ``url()``…)."""
_NAME_BEFORE = re.compile(r"([\w-]+)\s*$")  # xlink:href ends in href


def _may_hold_links(fragment: str) -> bool:
    """Whether some ``=`` in ``fragment`` follows a link attribute's name, or it holds a style sheet: lxml can
    find a link nowhere else, so prose (most stories' whole body) skips lxml's parse and serialization. Only the
    text before each ``=`` is looked at, whatever the tags and quotes around it (lxml reads broken markup too),
    since a regular expression trying each attribute name at each character cost more than lxml itself."""
    lowered = fragment.lower()
    if "<style" in lowered:
        return True
    equals = lowered.find("=")
    while equals != -1:
        name = _NAME_BEFORE.search(lowered, max(0, equals - 64), equals)
        if name is not None and name.group(1) in _LINK_ATTRIBUTES:
            return True
        equals = lowered.find("=", equals + 1)
    return False


def absolutize_links(fragment: str, base_url: str) -> str:
    """Rewrite every relative ``href``/``src``/``srcset`` (and the other links lxml knows) in ``fragment``
    against ``base_url``.

    Feed readers show content out of the site, where relative links break."""
    if not fragment.strip() or not _may_hold_links(fragment):
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
