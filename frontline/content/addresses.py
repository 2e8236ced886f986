"""The addresses stories were last published at, so that a build notices a published story moving (a new slug, a
corrected date in another month) and a reader's old link, or a feed reader's stored one, would break.

The build keeps them beside its caches (``.cache/frontline/addresses.json``; a CI that keeps that folder keeps
them); a build that finds none checks nothing. A moved story is a problem until its old address is in its
``aliases`` (the build then writes a redirect there), so the fix lives in the story itself, not in a cache."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from frontline.content.model import Story
from frontline.content.problems import Problem

ADDRESSES_FILE = "addresses.json"

_ADDRESS = re.compile(r"(?!.*(^|/)\.\.?/)[0-9A-Za-z._~%-]+(/[0-9A-Za-z._~%-]+)*/")
"""What a story's address can be (``2021/05/ten-bai/``): a cache file holding anything else is not believed, since
the address is printed and suggested as an alias."""


_LOADED: dict[str, tuple[tuple[int, int, int, int], dict[str, str]]] = {}
"""The file as this process last read it (its status, what it held): a preview's rebuild reads it again only when it
changed (it holds an address for every story of the archive)."""


def load_addresses(path: Path) -> dict[str, str]:
    """Story id → the address it was last published at; nothing when the file is missing or not ours. The mapping
    returned is shared with later calls: not to be changed."""
    try:
        status = os.stat(path)
        signature = (status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_size)
        known = _LOADED.get(str(path))
        if known is not None and known[0] == signature:
            return known[1]
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    addresses = {
        key: value
        for key, value in data.items()
        if isinstance(key, str) and isinstance(value, str) and _ADDRESS.fullmatch(value)
    }
    _LOADED[str(path)] = (signature, addresses)
    return addresses


def save_addresses(path: Path, published: Iterable[Story], previous: dict[str, str]) -> None:
    """The published stories' addresses, with those of stories no longer published kept (a story taken down and
    published again later is still checked)."""
    addresses = {**previous, **{story.id: story.url for story in published}}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(addresses, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
    partial.replace(path)


def moved_stories(root: Path, published: Iterable[Story], previous: dict[str, str]) -> list[Problem]:
    """A problem for each published story whose address changed without its old one among its aliases."""
    if not previous:
        return []
    problems = []
    for story in published:
        old = previous.get(story.id)
        if old is None or old == story.url or old in story.aliases:
            continue
        field, line = _where(root / story.source, "date" if _month(old) != _month(story.url) else "slug")
        problems.append(
            Problem(
                story.source,
                line,
                field,
                f"bài đã đăng ở địa chỉ {old} nay chuyển sang {story.url}: liên kết cũ của bạn đọc sẽ hỏng. "
                f"Thêm aliases: [{old}] vào thông tin đầu bài (trang sẽ chuyển hướng), hoặc đặt lại như cũ.",
            )
        )
    return problems


_FIELD = re.compile(r"^(slug|date|title)\s*:")


def _month(url: str) -> list[str]:
    return url.strip("/").split("/")[:2]


def _where(path: Path, cause: str) -> tuple[str, int]:
    """The line of the field that moved the address: ``date`` when the month changed, else ``slug`` (``title``
    when the slug is made from it)."""
    found: dict[str, int] = {}
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if number > 1 and line.rstrip() == "---":
                    break
                if (match := _FIELD.match(line)) and match.group(1) not in found:
                    found[match.group(1)] = number
    except OSError:
        pass
    for field in (cause, "slug", "title"):
        if field in found:
            return field, found[field]
    return cause, 1
