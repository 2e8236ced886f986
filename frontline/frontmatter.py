"""Split a Markdown file into YAML front matter and body, keeping line numbers.

Everything a reporter's editor can do to a file is handled here: a UTF-8 BOM,
CRLF line endings, NFD-decomposed Vietnamese, Windows-1258 files, a missing
closing ``---``. Problems are returned, not raised.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from frontline.problems import Problem

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: ~10× faster


class _FrontMatterLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that leaves dates as text: ``frontline.dates`` parses them itself,
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


def read_document(path: Path, display_path: str) -> tuple[Document | None, list[Problem]]:
    """Read ``path`` and split it; ``display_path`` is how problems name the file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(display_path, 1, "tệp", f"không đọc được tệp ({error.strerror}).")]
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
    return parse_document(text, display_path)


def parse_document(text: str, display_path: str) -> tuple[Document | None, list[Problem]]:
    """Split already-decoded text into front matter and body."""
    if not text.strip():
        return None, [
            Problem(display_path, 1, "tệp", "tệp rỗng. Bài viết cần phần thông tin đầu bài giữa hai dòng ---.")
        ]
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, [
            Problem(
                display_path,
                1,
                "front matter",
                "tệp phải bắt đầu bằng một dòng --- rồi đến phần thông tin đầu bài (title, date, authors…), "
                "đóng lại bằng một dòng --- khác.",
            )
        ]
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
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
    document = Document(path=display_path, body="\n".join(lines[closing + 1 :]), body_line=closing + 2)
    problems: list[Problem] = []
    try:
        loader = _FrontMatterLoader(yaml_text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error)
        return None, [
            Problem(
                display_path,
                line,
                "YAML",
                f"lỗi cú pháp YAML ({reason}). Kiểm tra dấu hai chấm, thụt lề và dấu ngoặc kép; "
                "giá trị có dấu ':' hoặc '#' cần đặt trong ngoặc kép.",
            )
        ]
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
    return document, problems
