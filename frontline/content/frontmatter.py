"""Split a Markdown file into YAML front matter and body, keeping line numbers.

Everything a reporter's editor can do to a file is handled here: a UTF-8 BOM,
CRLF line endings, NFD-decomposed Vietnamese, Windows-1258 files, a missing
closing ``---``. Problems are returned, not raised.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from frontline.content.problems import Problem

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


MAX_DEPTH = 20
"""How deeply front matter may nest lists and tables (a story needs 3)."""
MAX_FRONT_MATTER_CHARS = 100_000
"""Longest front matter of a story or campaign; ``stories/authors.yml`` is allowed more (``max_chars``)."""
_SAFE_TO_COMPOSE = 10_000
"""Text this short cannot nest deeper than libyaml's recursive composer survives, so it is composed
before its depth is measured; longer text is measured on the parser's events first (a deep enough
nesting crashes the composer with no Python exception to catch)."""
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Characters no page or feed may carry (XML refuses them): C0 controls but tab and newline, DEL, C1, non-characters."""

_MAX_CONTROL_LINES = 20

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: far faster


class _FrontMatterLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that leaves dates as text: ``frontline.content.dates`` parses them itself,
    so that ``2021-08-20T09:30`` and ``2021-08-20 09:30:00`` mean the same thing."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(slots=True)
class Document:
    """A parsed file: its front matter, the line of each key, and the body."""

    path: str
    meta: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    def line_of(self, key: str) -> int:
        """Line of ``key`` in the file, or the front matter's first line."""
        return self.key_lines.get(key, 1)

    def problem(self, key: str, message: str) -> Problem:
        return Problem(self.path, self.line_of(key), key, message)


def decode_text(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM), normalise newlines and to NFC.

    Raises ``UnicodeDecodeError`` for other encodings."""
    text = raw.decode("utf-8-sig")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def control_character_problems(text: str, display_path: str) -> list[Problem]:
    """A problem for each line holding a character that no page or feed can carry (the first one on the line)."""
    problems: list[Problem] = []
    line, counted_to, last_line = 1, 0, 0
    for match in _CONTROL.finditer(text):
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        if line == last_line:
            continue
        if len(problems) == _MAX_CONTROL_LINES:  # a file full of them needs one fix, not a thousand lines
            break
        last_line = line
        code = ord(match.group())
        hint = (
            "đây là dấu xuống dòng mềm của Word (Shift+Enter): thay bằng một dấu xuống dòng bình thường"
            if code == 0x0B
            else "xóa ký tự này (thường do dán từ Word hoặc một trang web), hoặc gõ lại đoạn này"
        )
        problems.append(
            Problem(display_path, line, "ký tự", f"có ký tự điều khiển U+{code:04X}, không hiển thị được; {hint}.")
        )
    return problems


def read_text(path: Path, display_path: str, max_bytes: int | None = None) -> tuple[str | None, list[Problem]]:
    """The text of ``path``, decoded (see ``decode_text``), with its problems: a file larger than ``max_bytes``
    or not UTF-8 gives no text; control characters are reported, then replaced by spaces so that the rest of
    the file can still be checked."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO named like a story must not stop the build
        with open(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None, [
                    Problem(
                        display_path, 1, "tệp", "đây không phải tệp văn bản thường: hãy xoá nó hoặc thay bằng tệp .md."
                    )
                ]
            raw = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as error:
        return None, [Problem(display_path, 1, "tệp", f"không đọc được tệp ({error.strerror}).")]
    if max_bytes is not None and len(raw) > max_bytes:
        return None, [
            Problem(
                display_path,
                1,
                "tệp",
                f"tệp lớn hơn {max_bytes} byte (giới hạn extra.frontline.max_story_bytes): bài viết "
                "không nên chứa dữ liệu nhúng; hãy đặt ảnh và tệp đính kèm thành tệp riêng.",
            )
        ]
    try:
        text = decode_text(raw)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                display_path,
                line,
                "mã hóa",
                "tệp không phải UTF-8 (có thể được lưu bằng Windows-1258 hoặc TCVN3). "
                "Hãy mở tệp và lưu lại với mã hóa UTF-8.",
            )
        ]
    problems = control_character_problems(text, display_path) if _CONTROL.search(text) else []
    if problems:
        text = _CONTROL.sub(" ", text)
    return text, problems


def read_document(path: Path, display_path: str, max_bytes: int | None = None) -> tuple[Document | None, list[Problem]]:
    """Read ``path`` and split it; ``display_path`` is how problems name the file."""
    text, problems = read_text(path, display_path, max_bytes)
    if text is None:
        return None, problems
    document, found = parse_document(text, display_path)
    return document, problems + found


def parse_document(
    text: str, display_path: str, max_chars: int = MAX_FRONT_MATTER_CHARS
) -> tuple[Document | None, list[Problem]]:
    """Split already-decoded text into front matter and body.

    Front matter longer than ``max_chars``, nested deeper than ``MAX_DEPTH`` or using YAML anchors and
    aliases (which can make a few hundred bytes expand to gigabytes) is refused before it is built."""
    if not text.strip():
        return None, [
            Problem(display_path, 1, "tệp", "tệp rỗng. Bài viết cần phần thông tin đầu bài giữa hai dòng ---.")
        ]
    lines = text.split("\n")
    if lines[0].rstrip(" \t") != "---":  # as MkDocs reads it: no space before the rule
        return None, [
            Problem(
                display_path,
                1,
                "front matter",
                "tệp phải bắt đầu bằng một dòng --- rồi đến phần thông tin đầu bài (title, date, authors…), "
                "đóng lại bằng một dòng --- khác.",
            )
        ]
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip(" \t") in ("---", "...")), None)
    if closing is None:
        return None, [
            Problem(
                display_path,
                1,
                "front matter",
                "thiếu dòng --- đóng phần thông tin đầu bài. Thêm một dòng chỉ có --- "
                "sau trường cuối cùng, trước nội dung bài.",
            )
        ]
    yaml_text = "\n".join(lines[1:closing]) + "\n"
    if len(yaml_text) > max_chars:
        return None, [
            Problem(
                display_path,
                1,
                "front matter",
                f"phần thông tin đầu bài dài {len(yaml_text)} ký tự, quá giới hạn {max_chars}; "
                "hãy chuyển phần dài vào nội dung bài (sau dòng --- thứ hai).",
            )
        ]
    document = Document(path=display_path, body="\n".join(lines[closing + 1 :]), body_line=closing + 2)
    problems: list[Problem] = []
    try:
        suspect = len(yaml_text) > _SAFE_TO_COMPOSE or "&" in yaml_text or "*" in yaml_text
        if suspect and (refused := _refused_structure(yaml_text, display_path)):
            return None, [refused]
        loader = _FrontMatterLoader(yaml_text)
        try:
            try:
                node = loader.get_single_node()
            except RecursionError:  # PyYAML's own composer, without libyaml, recurses in Python
                return None, [_too_deep(display_path, 2)]
            if node is not None and (deep := _deeper_than(node, MAX_DEPTH)) is not None:
                return None, [_too_deep(display_path, deep.start_mark.line + 2)]
            try:
                data = loader.construct_document(node) if node is not None else {}
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
                # A value with a type written out that PyYAML's constructor cannot make (``!!int x``,
                # ``!!timestamp 2021-02-30``, ``!!bool có``): it raises these, not a YAMLError.
                return None, [_bad_typed_value(loader, node, display_path)]
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error)
        written = yaml_text.split("\n")[mark.line] if mark is not None and mark.line < yaml_text.count("\n") + 1 else ""
        return None, [Problem(display_path, line, "YAML", _yaml_advice(reason, written))]
    if not isinstance(data, dict):
        return None, [
            Problem(display_path, 2, "front matter", "phần thông tin đầu bài phải là các dòng 'trường: giá trị'.")
        ]
    seen: set[str] = set()
    for key_node, _ in node.value if node is not None else []:
        key = str(key_node.value)
        line = key_node.start_mark.line + 2
        if key in seen:
            problems.append(Problem(display_path, line, key, "trường này bị khai báo hai lần; xóa một dòng."))
        seen.add(key)
        document.key_lines.setdefault(key, line)
    document.meta = {str(key): value for key, value in data.items()}
    controls: list[Problem] = []
    for key, value in document.meta.items():
        # Escapes (``"\\e"``, ``"\\x0b"``) make control characters the raw text did not hold: refused like those,
        # since no page, feed or terminal should get them.
        if _holds_control(value):
            controls.append(
                Problem(
                    display_path,
                    document.key_lines.get(key, 2),
                    key,
                    "giá trị có ký tự điều khiển (viết bằng mã thoát YAML như \\e, \\x0b hay \\u0000): hãy xoá chúng.",
                )
            )
    if controls:  # the file is not read further: what reaches a page must not hold them
        return None, problems + controls
    return document, problems


def _holds_control(value: object, depth: int = 0) -> bool:
    if isinstance(value, str):
        return _CONTROL.search(value) is not None
    if isinstance(value, dict) and depth < MAX_DEPTH:
        return any(_holds_control(k, depth + 1) or _holds_control(v, depth + 1) for k, v in value.items())
    if isinstance(value, list) and depth < MAX_DEPTH:
        return any(_holds_control(item, depth + 1) for item in value)
    return False


def _too_deep(display_path: str, line: int) -> Problem:
    return Problem(
        display_path,
        line,
        "YAML",
        f"danh sách hoặc bảng lồng nhau quá {MAX_DEPTH} tầng; chỉ cần vài tầng, "
        "ví dụ tags: [a, b]. Kiểm tra các dấu [ ] { } và dấu - đầu dòng.",
    )


def _refused_structure(yaml_text: str, display_path: str) -> Problem | None:
    """Anchors, aliases and deep nesting, found on the parser's events: these come one after another
    whatever the nesting, so measuring them is safe where composing the nodes would not be."""
    loader = _FrontMatterLoader(yaml_text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 2
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                name = event.anchor
                return Problem(
                    display_path,
                    line,
                    "YAML",
                    f"không dùng neo YAML (&{name}) hay tham chiếu (*{name}): "
                    "hãy viết thẳng giá trị ở từng chỗ. Nếu '&' hoặc '*' là một phần của chữ, đặt giá trị "
                    'trong ngoặc kép, ví dụ title: "A & B".',
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return _too_deep(display_path, line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # the same text fails to compose next, which reports the syntax error with its line
    finally:
        loader.dispose()
    return None


def _bad_typed_value(loader: Any, root: yaml.Node, display_path: str) -> Problem:
    """The problem of the first scalar whose written tag (``!!int``…) its constructor cannot read."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError, yaml.YAMLError):
                shown = node.tag.replace("tag:yaml.org,2002:", "!!")
                return Problem(
                    display_path,
                    node.start_mark.line + 2,
                    "YAML",
                    f"giá trị '{node.value[:40]}' không đọc được theo kiểu {shown} ghi trước nó; "
                    "hãy xóa phần !!… và viết giá trị bình thường.",
                )
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        else:
            stack.extend(reversed(node.value))
    return Problem(display_path, 2, "YAML", "phần thông tin đầu bài có giá trị không đọc được; hãy kiểm tra lại.")


def _deeper_than(root: yaml.Node, limit: int) -> yaml.Node | None:
    """The first node nested more than ``limit`` collections deep, walked without recursion."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > limit:
            return node
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.append((value, depth + 1))
                stack.append((key, depth + 1))
        else:
            stack.extend((item, depth + 1) for item in reversed(node.value))
    return None


_ENGINE_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.MULTILINE | re.DOTALL)
"""How MkDocs finds a page's front matter (``mkdocs.utils.meta.YAML_RE``)."""


# Campaigns and docs pages are read again by every preview rebuild, and PyYAML's pure-Python loader (MkDocs' own) is
# slow: an unchanged text gets the answer it got before.
@functools.lru_cache(maxsize=4096)
def engine_front_matter(text: str, display_path: str) -> tuple[int | None, Problem | None]:
    """The line (from 1) after which MkDocs takes a page's text as its body, or None when MkDocs reads no front
    matter and renders the whole text: its block is missing, or not a mapping to PyYAML's SafeLoader (which, unlike
    the loader here, reads ``2021-02-30`` as a date and fails). A block with anchors or nesting too deep is refused
    (the Problem) before PyYAML would expand it as MkDocs does."""
    match = _ENGINE_FRONT_MATTER.match(text)
    if match is None:
        return None, None
    refused = _refused_structure(match.group(1), display_path)
    if refused is not None:
        return None, refused
    try:
        data = yaml.load(match.group(1), Loader=yaml.SafeLoader)
    except Exception:  # noqa: BLE001 - anything PyYAML raises means MkDocs renders the block
        return None, None
    return (text.count("\n", 0, match.end()) if isinstance(data, dict) else None), None


def _yaml_advice(reason: str, written: str) -> str:
    """PyYAML's complaint told as what to do, in Vietnamese; its own English kept as the detail. A tab is the
    commonest (editors insert one for indentation, and YAML accepts only spaces)."""
    detail = f" (chi tiết: {reason})"
    if "\t" in reason or "\\t" in reason or "\t" in written:
        column = written.index("\t") + 1 if "\t" in written else 0
        where = f" ở cột {column}" if column else ""
        return (
            f"lỗi cú pháp YAML: dòng này có ký tự Tab{where}: YAML chỉ nhận dấu cách để thụt lề; "
            f"hãy thay Tab bằng dấu cách.{detail}"
        )
    if "mapping values are not allowed" in reason:
        return (
            "lỗi cú pháp YAML: giá trị có dấu ':' cần đặt trong ngoặc kép, ví dụ title: \"COVID-19: chốt chặn mới\"."
            + detail
        )
    if "expected ',' or ']'" in reason or "expected ',' or '}'" in reason:
        return "lỗi cú pháp YAML: danh sách trong [ ] (hoặc { }) chưa đóng, hoặc thiếu dấu phẩy giữa các mục." + detail
    return (
        "lỗi cú pháp YAML: kiểm tra dấu hai chấm, thụt lề và dấu ngoặc kép; "
        "giá trị có dấu ':' hoặc '#' cần đặt trong ngoặc kép." + detail
    )
