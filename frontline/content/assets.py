"""The files a story publishes besides its page: its lead image and what its body links to.

Only these leave ``stories/`` for the site: a stray note, a draft's photo or a symlink to a file of the
build machine stays where it is. A link is followed only to a regular file inside the project (a symlink
may point within it, never out of it)."""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from frontline.build.paths import inside as _inside
from frontline.content.model import Story
from frontline.content.urls import STORY_PREFIX

if TYPE_CHECKING:  # the loader imports this module
    from frontline.content.loader import Layout


PUBLISHABLE_SUFFIXES = frozenset(
    {
        *(".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"),
        *(".pdf", ".txt", ".csv", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp"),
        *(".mp3", ".m4a", ".ogg", ".oga", ".wav", ".mp4", ".m4v", ".webm", ".ogv", ".zip"),
    }
)
"""What a story may publish from stories/: files a browser shows or downloads, never runs. A page (``.html``), an
SVG image or a script opened at its own address on the site's origin could run script there, and no cleaning of
pages reaches it."""


def publishable(path: str) -> bool:
    return posixpath.splitext(path)[1].lower() in PUBLISHABLE_SUFFIXES


def refused_kind_message(target: str) -> str:
    suffix = posixpath.splitext(local_path(target) or target)[1].lower() or "(không có đuôi)"
    return (
        f"tệp '{target}' ({suffix}) không được xuất bản từ stories/: trang web, ảnh SVG hay tệp mã mở ở địa chỉ "
        "riêng có thể chạy mã trên trang. Hãy dùng ảnh JPEG, PNG, WebP, GIF, tệp PDF hoặc âm thanh, video."
    )


_INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)  # not [^footnote]:
_HTML = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def link_targets(markdown: str) -> Iterator[str]:
    """Every link or image target written in ``markdown``: inline, by reference, or in raw HTML."""
    # Each expression only where its text can be: most bodies are prose, where a scan finds nothing slowly.
    if "](" in markdown:
        for match in _INLINE.finditer(markdown):
            yield match.group(1)
    if "]:" in markdown:
        for match in _REFERENCE.finditer(markdown):
            yield match.group(1)
    if "=" in markdown:
        for match in _HTML.finditer(markdown):
            yield next(group for group in match.groups() if group is not None)


def local_path(target: str) -> str | None:
    """The site-relative file a link written as ``target`` names, or ``None`` for another site, an anchor,
    a mail address or an absolute path (which MkDocs leaves as written)."""
    parts = urlsplit(html.unescape(target).strip())  # as Markdown reads it: &#106;avascript: is no path
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "\\")):
        return None
    return unquote(parts.path)


@dataclass(frozen=True, slots=True)
class Asset:
    src_uri: str
    """Where MkDocs knows it: ``stories/…``, as story pages link to it."""
    path: str
    """The file read (inside the project)."""


def story_assets(story: Story, stories_dir: str, root: str) -> Iterator[Asset]:
    """The files under ``stories_dir`` that ``story`` publishes: its lead image and the non-Markdown files
    its body links to, when each is a regular file whose real path is inside the project ``root``."""
    folder = os.path.relpath(stories_dir, root).replace(os.sep, "/")
    return _story_assets(story, folder, root, os.path.realpath(root))


def _story_assets(story: Story, folder: str, root: str, real_root: str) -> Iterator[Asset]:
    base = posixpath.dirname(story.source)  # project-relative, as problems name files
    wanted: list[str] = []
    if story.image is not None and story.image.site_path.startswith(STORY_PREFIX):
        wanted.append(posixpath.join(folder, story.image.site_path.removeprefix(STORY_PREFIX)))
    for target in link_targets(story.body) if story.may_link else ():
        relative = local_path(target)
        if relative is not None and "\x00" not in relative and not relative.endswith(".md"):  # %00: no file
            wanted.append(posixpath.normpath(posixpath.join(base, relative)))
    for project_path in dict.fromkeys(wanted):
        if not project_path.startswith(folder + "/"):
            continue  # a file of docs/, which MkDocs publishes itself
        path = os.path.join(root, project_path)
        if not publishable(project_path) or not _inside(os.path.realpath(path), real_root) or not os.path.isfile(path):
            continue
        yield Asset(STORY_PREFIX + project_path.removeprefix(folder + "/"), path)


def published_assets(stories: Iterable[Story], stories_dir: str, root: str) -> dict[str, Asset]:
    """``src_uri`` → asset for every file the ``stories`` publish, once each."""
    found: dict[str, Asset] = {}
    folder, real_root = os.path.relpath(stories_dir, root).replace(os.sep, "/"), os.path.realpath(root)
    for story in stories:
        for asset in _story_assets(story, folder, root, real_root):
            found.setdefault(asset.src_uri, asset)
    return found


def broken_links(markdown: str, source: str, layout: Layout) -> tuple[list[tuple[int, str]], list[str]]:
    """``(line within body, message)`` for each link of a story body (``source``: its project-relative path) to a
    file of the project that the build cannot publish, and every path looked at (for the story memo).

    A link resolves as MkDocs resolves it from the story's page (``stories/…`` among the site's files): into
    ``stories_dir`` or else ``docs_dir``. A Markdown page must exist; any other file must be a regular file whose
    real path is inside the project (a symlink leading out is never published)."""
    if "](" not in markdown and "]:" not in markdown and "=" not in markdown:
        return [], []  # no link (most bodies): nothing to look at
    root, stories_dir, docs_dir = str(layout.root), str(layout.stories_dir), str(layout.docs_dir)
    folder = os.path.relpath(stories_dir, root).replace(os.sep, "/")
    site_base = posixpath.dirname(STORY_PREFIX + source.removeprefix(folder + "/"))
    real_root = os.path.realpath(root)
    found: list[tuple[int, str]] = []
    looked: list[str] = []
    for target in dict.fromkeys(link_targets(_without_code(markdown))):
        relative = local_path(target)
        if relative is None or not posixpath.splitext(relative)[1]:
            continue  # MkDocs checks a link only when its last part names a file (``../bai-truoc/`` is an address)
        site_path = posixpath.normpath(posixpath.join(site_base, relative))
        if site_path.startswith("../") or site_path == "..":
            message = f"liên kết '{target}' trỏ ra ngoài trang; dùng đường dẫn tới tệp trong stories/ hoặc docs/."
        else:
            if site_path.startswith(STORY_PREFIX):
                path = os.path.join(stories_dir, site_path.removeprefix(STORY_PREFIX))
            else:
                path = os.path.join(docs_dir, site_path)
            looked.append(path)
            if site_path.startswith(STORY_PREFIX) and not site_path.endswith(".md") and not publishable(site_path):
                message = refused_kind_message(target)
            elif os.path.isfile(path) and _inside(os.path.realpath(path), real_root):
                continue
            elif os.path.exists(path) or os.path.islink(path):
                message = (
                    f"liên kết '{target}' dẫn tới tệp ngoài dự án (liên kết tượng trưng); tệp này không được xuất bản."
                )
            else:
                message = (
                    f"không có tệp '{target}' (tính từ thư mục của bài). Kiểm tra tên tệp, kể cả chữ hoa/thường, "
                    "hoặc xóa liên kết."
                )
        found.append((_line_of(markdown, target), message))
    return found, looked


_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`\n]*`")


def _without_code(markdown: str) -> str:
    """``markdown`` with fenced and indented code and code spans blanked, lines kept: links shown as code are
    examples, not links."""
    lines, fenced = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            lines.append("")
        elif fenced or line.startswith(("    ", "\t")):
            lines.append("")
        else:
            lines.append(_CODE_SPAN.sub("", line))
    return "\n".join(lines)


def _line_of(markdown: str, text: str) -> int:
    at = markdown.find(text)
    return markdown.count("\n", 0, at) + 1 if at != -1 else 1
