"""Plain-text summaries taken from a story's Markdown body."""

from __future__ import annotations

import re

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")
_TAG = re.compile(r"<[^>]+>")
_BLOCKS = re.compile(r"\n\s*\n")
_BLOCK_MARKER = re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.MULTILINE)
_SKIP = re.compile(r"^(#|>|!\[|\s*[-*+] |\s*\d+\. |```|~~~|\||<)")


def first_paragraph_text(markdown: str) -> str:
    """The first prose paragraph of ``markdown`` as plain text (headings, lists, quotes skipped)."""
    for block in _BLOCKS.split(markdown.strip()):
        block = block.strip()
        if not block or _SKIP.match(block):
            continue
        text = _LINK.sub(r"\1", block)
        text = _EMPHASIS.sub(r"\2", text)
        text = _TAG.sub("", text)
        return " ".join(text.split())
    return ""


def leading_words(markdown: str, limit: int) -> str:
    """The first ``limit`` words of ``markdown`` as plain text (what the search index holds). Blocks are
    read until there are enough words: markup does not run from one block into the next."""
    words: list[str] = []
    for block in _BLOCKS.split(markdown):
        text = _LINK.sub(r"\1", block)
        text = _EMPHASIS.sub(r"\2", text)
        text = _TAG.sub(" ", text)
        words += _BLOCK_MARKER.sub(" ", text).split()
        if len(words) >= limit:
            break
    return " ".join(words[:limit])
