"""Refuse what a story body must never carry: scripts, event handlers, javascript: URLs,
and iframes from hosts the newsroom has not allowed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urlsplit

_MARKDOWN_LINK = re.compile(r"\]\(\s*<?\s*([^)\s>]+)", re.IGNORECASE)
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)", re.MULTILINE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
_FENCE = re.compile(r"^(```|~~~)")


def _is_javascript_url(url: str) -> bool:
    compact = re.sub(r"[\s\x00-\x1f]", "", url).lower()
    return compact.startswith(("javascript:", "vbscript:", "data:text/html"))


class _BodyScanner(HTMLParser):
    def __init__(self, iframe_hosts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.iframe_hosts = iframe_hosts
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in ("script", "object", "embed"):
            self.found.append((line, f"không được nhúng thẻ <{tag}> vào bài viết; hãy xóa nó."))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, f"thuộc tính {name}= (mã JavaScript) không được phép trong bài; hãy xóa nó."))
            elif name in _URL_ATTRIBUTES and value and _is_javascript_url(value):
                self.found.append((line, "đường dẫn javascript: không được phép; dùng liên kết http(s)."))
        if tag == "iframe":
            src = dict(attrs).get("src") or ""
            host = (urlsplit(src).hostname or "").lower()
            if urlsplit(src).scheme not in ("https", "http") or not _host_allowed(host, self.iframe_hosts):
                allowed = ", ".join(sorted(self.iframe_hosts)) or "(chưa có máy chủ nào)"
                self.found.append(
                    (
                        line,
                        f"iframe từ '{host or src}' không nằm trong danh sách được phép ({allowed}); "
                        "nhờ ban biên tập thêm vào extra.frontline.iframe_hosts nếu cần.",
                    )
                )

    handle_startendtag = handle_starttag


def _host_allowed(host: str, allowed: frozenset[str]) -> bool:
    return any(host == item or host.endswith("." + item) for item in allowed)


def _without_code(markdown: str) -> str:
    """Blank out fenced and indented code and inline code spans, keeping line numbers."""
    lines, fenced = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line.strip()):
            fenced = not fenced
            lines.append("")
        elif fenced or line.startswith(("    ", "\t")):
            lines.append("")
        else:
            lines.append(re.sub(r"`[^`]*`", "", line))
    return "\n".join(lines)


def unsafe_body_parts(markdown: str, iframe_hosts: Iterable[str] = ()) -> list[tuple[int, str]]:
    """``(line within body, message)`` for every unsafe construct in ``markdown``."""
    text = _without_code(markdown)
    scanner = _BodyScanner(frozenset(host.lower() for host in iframe_hosts))
    scanner.feed(text)
    scanner.close()
    found = list(scanner.found)
    for pattern in (_MARKDOWN_LINK, _REFERENCE_LINK):
        for match in pattern.finditer(text):
            if _is_javascript_url(match.group(1)):
                line = text.count("\n", 0, match.start()) + 1
                found.append((line, "đường dẫn javascript: không được phép; dùng liên kết http(s)."))
    return sorted(set(found))
