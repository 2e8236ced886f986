"""Python-Markdown's inline patterns, scanned only where they can match.

Python-Markdown runs each inline pattern over each paragraph with ``finditer``. A pattern that
opens with a look-behind or an alternation (code spans, links) gets no help from the regex
engine's literal-prefix search, so it tries every position of the text: in the benchmark's
Vietnamese stories, a third of a story's conversion time went on scans that found nothing.
Each such pattern needs a text its every match contains (a backtick, a ``[``); where the rest
of the paragraph has none, the scan is skipped. The result is the same by construction, and
``tests/test_inline_scan.py`` checks it over every demo story and thousands of random texts
made of Markdown's punctuation."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from re import Match, Pattern

from markdown import Markdown
from markdown import inlinepatterns as patterns

NEEDED: dict[str, tuple[str, ...]] = {
    patterns.BACKTICK_RE: ("`",),  # both alternatives are, or look ahead to, a backtick
    patterns.LINK_RE: ("[",),  # REFERENCE_RE is the same expression
    patterns.IMAGE_LINK_RE: ("![",),  # and IMAGE_REFERENCE_RE
    patterns.ESCAPE_RE: ("\\",),
    patterns.AUTOLINK_RE: ("<",),
    patterns.AUTOMAIL_RE: ("<",),
    patterns.HTML_RE: ("<",),
    patterns.ENTITY_RE: ("&",),
    patterns.LINE_BREAK_RE: ("  \n",),
}
"""An inline pattern's regular expression (Python-Markdown 3.11's source text) → what every match of it
contains, one of them at least. A pattern not listed here is scanned as Python-Markdown scans it."""


class _ScannedWhereItCanMatch:
    """A compiled inline pattern whose ``finditer`` first looks for a text it needs."""

    __slots__ = ("regex", "needed")

    def __init__(self, regex: Pattern[str], needed: tuple[str, ...]) -> None:
        self.regex = regex
        self.needed = needed

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[Match[str]]:
        if any(string.find(text, pos, endpos) != -1 for text in self.needed):
            return self.regex.finditer(string, pos, endpos)
        return iter(())

    def __getattr__(self, name: str) -> object:  # match, search, pattern, flags…: the regex's own
        return getattr(self.regex, name)


def scan_only_where_patterns_can_match(md: Markdown) -> int:
    """Make ``md``'s listed inline patterns skip texts they cannot match; return how many were."""
    changed = 0
    for pattern in md.inlinePatterns:
        regex = pattern.compiled_re
        needed = NEEDED.get(regex.pattern) if isinstance(regex, Pattern) else None
        if needed:
            pattern.compiled_re = _ScannedWhereItCanMatch(regex, needed)
            changed += 1
    return changed
