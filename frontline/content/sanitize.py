"""What a page's body may carry: an allowlist applied to its rendered HTML, and the report of what it removes.

Everything in a body comes from people outside the site's code (reporters, editors), so the build cleans every
page's HTML with ``Policy.clean`` (nh3, the binding of the Rust sanitizer ammonia). ``BodyScan`` renders a body's
Markdown the way the build does, cleans it with the same policy and reports what cleaning removed: the report
and the output agree because they are the same computation, not two lists of patterns kept in step."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nh3

from frontline.build.versions import installed_version

MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
"""Python-Markdown extensions MkDocs always enables before the configured ones."""

MarkdownSettings = tuple[tuple[str, Mapping[str, Any]], ...]
"""The Markdown extensions a site renders bodies with, in order: ``(name, config)`` pairs."""

TAGS = frozenset(
    {
        *("p", "br", "hr", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code"),
        *("a", "img", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small", "abbr"),
        *("kbd", "samp", "var", "q", "cite", "dfn", "time", "wbr", "ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
        *("details", "summary", "figure", "figcaption", "iframe"),
    }
)
"""What Python-Markdown and the site's extensions write (toc, tables, footnotes, admonitions, details,
highlighted code), a few inline elements people type, and iframes (whose source is checked)."""

ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "th": {"style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"},
    "ol": {"start"},
    "li": {"value"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "time": {"datetime"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy", "frameborder"},
}
_ALIGN_VALUES = {"left", "right", "center", "justify", "start", "end"}
_CELL_ALIGN = {"align": _ALIGN_VALUES}  # Python-Markdown's tables with use_align_attribute
HREF_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "xmp", "noembed", "noframes", "title"})
"""Elements whose text would show as junk (code, CSS) once the element is gone."""

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_IFRAME_CONTENT = re.compile(r'(<iframe(?:\s+[^\s="\'>/]+(?:="[^"]*")?)*\s*>).*?(</iframe>)', re.DOTALL)
_EDGE = "".join(chr(code) for code in range(0x21))  # what browsers strip from both ends of a URL
_URL_ATTRIBUTES = frozenset({"href", "src"})
_TAG_NAME = re.compile(r"[a-z][a-z0-9-]*")


def url_scheme(url: str) -> str | None:
    """The scheme a browser could read in ``url`` (lower case), ``None`` for a relative URL. Browsers drop
    surrounding spaces and control characters and every tab and newline before reading it; this drops every
    space and control character, so that no browser's quirk reads a scheme where this sees none."""
    match = _SCHEME.match(_SPACE_OR_CONTROL.sub("", url))
    return match.group(1).lower() if match else None


def is_site_relative(url: str) -> bool:
    """Whether ``url`` stays on the page's own host: no scheme and no ``//host`` (browsers read ``\\`` as ``/``)."""
    return url_scheme(url) is None and not _TAB_OR_NEWLINE.sub("", url.strip(_EDGE)).replace("\\", "/").startswith("//")


def iframe_host(url: str) -> str | None:
    """The host of an ``https://`` URL written plainly, ``None`` for anything else (another scheme, user info
    such as ``https://allowed.example@evil.example/``, a port, backslashes or control characters)."""
    text = url.strip(_EDGE)
    if any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or "@" in parts.netloc or port is not None or not parts.hostname:
        return None
    return parts.hostname.lower()


def _text_align_only(style: str) -> bool:
    declarations = [part.strip() for part in style.split(";") if part.strip()]
    for declaration in declarations:
        name, _, value = declaration.partition(":")
        if name.strip().lower() != "text-align" or value.strip().lower() not in _ALIGN_VALUES:
            return False
    return bool(declarations)


class Policy:
    """The allowlist for one site, built once per build: ``clean`` keeps what it allows and removes the rest."""

    def __init__(self, iframe_hosts: Iterable[str] = ()) -> None:
        self.iframe_hosts = frozenset(host.lower() for host in iframe_hosts)
        self._cleaner = nh3.Cleaner(
            tags=set(TAGS),
            clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            tag_attribute_values={"th": dict(_CELL_ALIGN), "td": dict(_CELL_ALIGN)},
            attribute_filter=self._filter,
            link_rel=None,  # output unchanged for ordinary links
            url_schemes=set(HREF_SCHEMES),
            filter_style_properties={"text-align"},
        )

    def clean(self, html: str) -> str:
        cleaned = self._cleaner.clean(html)
        if "<iframe" in cleaned:
            # An iframe's content is text to a browser, and nh3 writes it unescaped: markup there would become
            # elements to a parser that reads it otherwise (lxml, for the feeds). A browser never shows it.
            cleaned = _IFRAME_CONTENT.sub(r"\1\2", cleaned)
        return cleaned

    def allows(self, tag: str, name: str, value: str) -> bool:
        """The checks on values nh3 leaves to ``attribute_filter`` (values arrive with entities decoded)."""
        if name == "id":
            return not value.startswith("__")  # Material's own controls: __drawer, __search, __toc…
        if name == "href":
            return url_scheme(value) in (None, *HREF_SCHEMES)
        if name == "src":
            if tag == "iframe":
                return iframe_host(value) in self.iframe_hosts
            return is_site_relative(value)  # a page must not make the reader's browser ask another host
        if name == "style":
            return _text_align_only(value)
        return True

    def _filter(self, tag: str, name: str, value: str) -> str | None:
        return value if self.allows(tag, name, value) else None


# -- what cleaning removes ------------------------------------------------------------------------------------


class _Parts(HTMLParser):
    """Every element and attribute of a fragment, as a multiset of ``(tag, attribute, value)``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: Counter[tuple[str, str, str]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts[(tag, "", "")] += 1
        for name, value in attrs:
            written = value or ""
            if name == "style":  # nh3 rewrites the text-align it keeps as text-align:left
                written = re.sub(r"\s+", "", written).rstrip(";").lower()
            self.parts[(tag, name, written)] += 1

    handle_startendtag = handle_starttag

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """``<![`` and a name Python's parser does not know (``<![x](…)``: a "<" typed before an image) is a bogus
        comment up to the next ``>``, as browsers and nh3 read it; the parser of Python 3.11 raises instead."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1


def parts_of(html: str) -> Counter[tuple[str, str, str]]:
    parser = _Parts()
    parser.feed(html)
    parser.close()
    return parser.parts


def removed_parts(before: str, after: str) -> list[tuple[str, str, str]]:
    """What ``before`` has and ``after`` lacks, in the order of ``before``: ``(tag, "", "")`` for an element,
    ``(tag, attribute, value)`` for an attribute. An attribute of an element that is gone is not listed."""
    missing = parts_of(before) - parts_of(after)
    gone_tags = {tag for tag, name, _ in missing if not name}
    return [(tag, name, value) for tag, name, value in missing if not (name and tag in gone_tags)]


@dataclass(frozen=True, slots=True)
class Finding:
    line: int
    """Line within the body, from 1."""
    message: str


def _shown(url: str, limit: int = 40) -> str:
    text = "".join("\ufffd" if ord(ch) < 0x20 else ch for ch in url.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message(policy: Policy, tag: str, name: str, value: str) -> str:
    if not name:
        if not _TAG_NAME.fullmatch(tag):
            return (
                f"'<{_shown(tag)}>' sẽ bị loại khỏi bài khi xuất bản; "
                "nếu đó là liên kết, hãy viết [chữ hiển thị](https://…)."
            )
        return f"thẻ <{tag}> sẽ bị loại khỏi bài khi xuất bản; hãy xóa nó."
    if name.startswith("on"):
        return f"thuộc tính {name}= (mã JavaScript) sẽ bị loại khỏi bài khi xuất bản; hãy xóa nó."
    if name == "src" and tag == "iframe":
        host = iframe_host(value)
        if host is None:
            return (
                f"địa chỉ iframe '{_shown(value)}' sẽ bị loại: iframe phải có dạng https://máy-chủ/… "
                "(không có '@', cổng hay dấu '\\'); hãy dùng mã nhúng gốc của trang video."
            )
        allowed = ", ".join(sorted(policy.iframe_hosts)) or "(chưa có máy chủ nào)"
        return (
            f"iframe từ '{host}' không nằm trong danh sách được phép ({allowed}) và sẽ bị loại; "
            "nhờ ban biên tập thêm máy chủ này vào extra.frontline.iframe_hosts nếu cần."
        )
    if name == "src" and url_scheme(value) in (None, "http", "https"):
        return (
            f"ảnh phải nằm trong dự án (không lấy từ máy chủ khác): '{_shown(value)}' sẽ bị loại; "
            "hãy lưu ảnh cạnh bài viết và dùng đường dẫn tương đối, ví dụ images/anh.jpg."
        )
    if name in _URL_ATTRIBUTES:
        scheme = url_scheme(value)
        return (
            f"đường dẫn '{scheme + ':…' if scheme else _shown(value)}' không được phép; "
            "dùng liên kết http(s) hoặc đường dẫn trong trang."
        )
    if name == "id" and value.startswith("__") and re.fullmatch(r"h[1-6]", tag):
        return (
            f"mã id='{_shown(value)}' của tiêu đề này dành cho giao diện trang và sẽ bị loại; "
            "hãy bỏ '__' ở đầu tiêu đề hoặc tự đặt mã, ví dụ { #ten-muc }."
        )
    if name == "id" and value.startswith("__"):
        return f"mã id='{_shown(value)}' dành cho giao diện trang và sẽ bị loại; hãy đặt tên không bắt đầu bằng '__'."
    if name == "style":
        return "thuộc tính style= sẽ bị loại khỏi bài khi xuất bản (chỉ bảng được căn lề cột); hãy xóa nó."
    return f"thuộc tính {name}= trên thẻ <{tag}> sẽ bị loại khỏi bài khi xuất bản; hãy xóa nó."


def _line_in(body: str, needles: Iterable[str]) -> int:
    folded = body.lower()
    for needle in needles:
        if needle and (at := folded.find(needle.lower())) >= 0:
            return folded.count("\n", 0, at) + 1
    return 1


def _needles(tag: str, name: str, value: str) -> list[str]:
    if not name:
        return [f"<{tag}"]
    found = [value, value[:20]] if name in _URL_ATTRIBUTES and value.strip() else []
    return [*found, f"{name}=", name, f"<{tag}"]


_MAY_CHANGE = ("<", "{", "[", "&", "__", "\\", "```", "~~~")
"""What a body must contain for cleaning to remove anything from its HTML: raw HTML, entities, attribute lists,
links and images; ``__`` or an escaped ``\\_`` for a heading whose generated id would start with ``__``; fenced
code, whose options (line anchors) can write such ids. Prose has none of them."""


_INLINE_LINK = re.compile(r"\]\((?=([^)\n]*)(\)?))")  # every "](", to its ")" on the same line if any
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]]*\]:(\s*\S*)", re.MULTILINE)
_TITLE = r'(?:\s+"[^"\\]*")?\s*'
_PLAIN_HREF = re.compile(
    r"\s*(?:https?://[A-Za-z0-9.-]+(?:[/?#][^\s\"'<>\\`]*)?|(?:mailto|tel):[^\s\"'<>\\`:]+|[^\s\"'<>\\`:]+)" + _TITLE
)
_PLAIN_SRC = re.compile(r"\s*(?!//)[^\s\"'<>\\`:]+" + _TITLE)


def _plain_links_only(body: str) -> bool:
    """Whether the only mark in ``body`` that could change its HTML is ``[`` (links, images, footnotes), and every
    link is plainly allowed: http(s), mail or phone, or a path without a colon; an image's, a path on the site.
    Reporters' stories link out often: these need no rendering to be known clean (tests compare both ways)."""
    if any(mark in body for mark in _MAY_CHANGE if mark != "["):
        return False
    plain = _PLAIN_SRC if "![" in body else _PLAIN_HREF  # with an image, every target held to an image's rule
    for match in _INLINE_LINK.finditer(body):
        if not match.group(2) or not plain.fullmatch(match.group(1)):
            return False
    references = [match.group(1) for match in _REFERENCE.finditer(body)]
    if body.count("]:") != len(references):
        # A definition this cannot read, such as one in a quote, a list item or an admonition (`> [x]: url`),
        # which Markdown still reads as a reference: only rendering tells what its link will be.
        return False
    return all(reference.strip() and plain.fullmatch(reference) for reference in references)


class BodyScan:
    """Renders Markdown bodies as the build does and reports what ``policy`` would remove from them."""

    def __init__(self, policy: Policy, markdown: MarkdownSettings = ()) -> None:
        self.policy = policy
        self.markdown = markdown or tuple((name, {}) for name in MKDOCS_BUILTIN_EXTENSIONS)
        self._converter = None

    def render(self, body: str) -> str:
        if self._converter is None:  # Python-Markdown only when a body needs it: `frontline check` stays quick
            import markdown

            self._converter = markdown.Markdown(
                extensions=[name for name, _ in self.markdown],
                extension_configs={name: dict(config) for name, config in self.markdown if config},
            )
        return self._converter.reset().convert(body)

    def findings(self, body: str) -> list[Finding]:
        """What cleaning would remove from ``body``'s HTML, each once with the body line it is written on."""
        # A heading's id is its text made ASCII (NFKD): '＿＿x', '_đ_x' or '_!_x' give '__x', Material's own; a body
        # with an underscore, however written, is rendered.
        quiet = not any(mark in body for mark in _MAY_CHANGE) or _plain_links_only(body)
        if quiet and "_" not in unicodedata.normalize("NFKD", body):
            return []
        return self.rendered_findings(body)

    def rendered_findings(self, body: str) -> list[Finding]:
        """``findings`` without the shortcut for bodies that cannot need it (what tests compare it with)."""
        html = self.render(body)
        found: dict[Finding, None] = {}
        for tag, name, value in removed_parts(html, self.policy.clean(html)):
            line = _line_in(body, _needles(tag, name, value))
            found.setdefault(Finding(line, _message(self.policy, tag, name, value)))
        return sorted(found, key=lambda finding: finding.line)


def markdown_settings(extensions: Iterable[Any], configs: Mapping[str, Any] | None = None) -> MarkdownSettings:
    """``(name, config)`` pairs from MkDocs' validated config (a list of names and ``mdx_configs``)."""
    configs = configs or {}
    return tuple((str(name), dict(configs.get(name) or {})) for name in extensions if isinstance(name, str))


def markdown_settings_from_yaml(raw: Mapping[str, Any]) -> MarkdownSettings:
    """The same pairs read from mkdocs.yml as written (``markdown_extensions``: names, or ``{name: config}``),
    after MkDocs' own built-in extensions as MkDocs orders them."""
    written = raw.get("markdown_extensions") or []
    items: list[tuple[str, Any]] = []
    if isinstance(written, Mapping):
        items = [(str(name), config) for name, config in written.items()]
    elif isinstance(written, list):
        for item in written:
            if isinstance(item, str):
                items.append((item, {}))
            elif isinstance(item, Mapping):
                items.extend((str(name), config) for name, config in item.items())
    settings: dict[str, Mapping[str, Any]] = {name: {} for name in MKDOCS_BUILTIN_EXTENSIONS}
    for name, config in items:
        settings[name] = dict(config) if isinstance(config, Mapping) else {}
    return tuple(settings.items())


def policy_digest() -> str:
    """This module's code and nh3's version: a page cleaned under another policy is not reused from a cache."""
    h = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16)
    h.update(version_key().encode())
    return h.hexdigest()


def version_key() -> str:
    """The libraries whose versions change what a scan finds."""
    names = ("nh3", "markdown", "pymdown-extensions", "pygments")
    return ";".join(f"{name}={installed_version(name)}" for name in names)
