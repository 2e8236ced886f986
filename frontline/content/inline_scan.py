"""Python-Markdown's inline patterns and block tests, scanned only where they can match.

A pattern that opens with a look-behind or an alternation (code spans, links) gets no help from the regex engine's
literal-prefix search, so Python-Markdown's scans try every position of every paragraph, mostly to find nothing.
Every match of such an expression contains some text (a backtick, a ``[``, a ``>``): where the text has none, the
scan is skipped. The result is the same by construction; ``tests/unit/test_inline_scan.py`` checks it over every demo
story and thousands of random texts made of Markdown's punctuation."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from re import Match, Pattern

from markdown import Markdown
from markdown import blockprocessors as blocks
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

BLOCK_NEEDED: dict[str, tuple[str, ...]] = {
    blocks.BlockQuoteProcessor.RE.pattern: (">",),
    blocks.HashHeaderProcessor.RE.pattern: ("#",),
    blocks.HRProcessor.SEARCH_RE.pattern: ("-", "_", "*"),  # three or more of one of them
    blocks.ReferenceProcessor.RE.pattern: ("]:",),
}
"""The same for the expressions block processors search a whole block with (their ``RE`` or ``SEARCH_RE``)."""
BLOCK_EXPRESSIONS = ("RE", "SEARCH_RE")


class _ScannedWhereItCanMatch:
    """A compiled expression whose ``finditer`` and ``search`` first look for a text it needs."""

    __slots__ = ("regex", "needed")

    def __init__(self, regex: Pattern[str], needed: tuple[str, ...]) -> None:
        self.regex = regex
        self.needed = needed

    # Plain loops, no helper nor any(): called dozens of times a story, a call's overhead shows.
    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[Match[str]]:
        for text in self.needed:
            if string.find(text, pos, endpos) != -1:
                return self.regex.finditer(string, pos, endpos)
        return iter(())

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Match[str] | None:
        for text in self.needed:
            if string.find(text, pos, endpos) != -1:
                return self.regex.search(string, pos, endpos)
        return None

    def __getattr__(self, name: str) -> object:  # match, pattern, flags…: the regex's own
        return getattr(self.regex, name)


def scan_only_where_patterns_can_match(md: Markdown) -> int:
    """Make ``md``'s listed inline patterns and block tests skip texts they cannot match; return how many were."""
    changed = 0
    for pattern in md.inlinePatterns:
        regex = pattern.compiled_re
        needed = NEEDED.get(regex.pattern) if isinstance(regex, Pattern) else None
        if needed:
            pattern.compiled_re = _ScannedWhereItCanMatch(regex, needed)
            changed += 1
    for processor in md.parser.blockprocessors:
        for name in BLOCK_EXPRESSIONS:
            regex = getattr(processor, name, None)
            needed = BLOCK_NEEDED.get(regex.pattern) if isinstance(regex, Pattern) else None
            if needed:
                setattr(processor, name, _ScannedWhereItCanMatch(regex, needed))  # this converter's only
                changed += 1
    return changed
