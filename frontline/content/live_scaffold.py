"""``frontline live new`` and ``frontline live add``: a live page's folder, and one update file at the current time.

Each update is a file of its own, named by its moment and its first author, so reporters adding updates at once
(from a phone terminal, the browser editor) never write the same file. What is written is checked as the build
checks it; a mistake is told before anything is written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from frontline.content.dates import DateError, parse_when
from frontline.content.frontmatter import read_document
from frontline.content.live import INDEX, live_dir
from frontline.content.loader import Layout
from frontline.content.names import id_rules, is_valid_id


class LiveScaffoldError(ValueError):
    """A mistake in what was asked, told in Vietnamese."""


def _yaml_text(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), keeping Vietnamese as is."""
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class NewLivePage:
    id: str
    title: str
    campaign: str | None = None
    location: str | None = None
    summary: str | None = None


def create_live_page(layout: Layout, page: NewLivePage, now: datetime) -> Path:
    """``stories/live/<id>/index.md``, starting now; never overwrites."""
    if not is_valid_id(page.id):
        raise LiveScaffoldError(f"mã trang '{page.id}' không hợp lệ: {id_rules(page.id)}.")
    title = " ".join(page.title.split())
    if not title:
        raise LiveScaffoldError("Tiêu đề không được để trống.")
    lines = [
        "---",
        f"title: {_yaml_text(title)}",
        f"start: {now.replace(microsecond=0).isoformat()}",
        "# end: 2021-07-19T23:00         # thêm khi kết thúc tường thuật (trang thôi hiện 'Trực tiếp')",
        f"summary: {_yaml_text(page.summary or f'Tường thuật trực tiếp: {title}.')}",
    ]
    lines.append(f"campaign: {page.campaign}" if page.campaign else "# campaign: ma-chien-dich")
    lines.append(f"location: {_yaml_text(page.location)}" if page.location else "# location: Tỉnh hoặc thành phố")
    lines.append("---")
    folder = live_dir(layout) / page.id
    path = folder / INDEX
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def _page_window(layout: Layout, live_id: str) -> tuple[datetime | None, datetime | None]:
    """The live page's ``start`` and ``end`` as written (None where missing or unreadable: ``check`` says why)."""
    index = live_dir(layout) / live_id / INDEX
    document, _ = read_document(index, layout.display(index))
    moments: list[datetime | None] = []
    for key in ("start", "end"):
        value = document.meta.get(key) if document is not None else None
        try:
            moments.append(parse_when(value)[0] if value not in (None, "") else None)
        except DateError:
            moments.append(None)
    return moments[0], moments[1]


def add_update(
    layout: Layout,
    live_id: str,
    body: str,
    authors: tuple[str, ...],
    now: datetime,
    *,
    pinned: bool = False,
    title: str | None = None,
) -> Path:
    """Write one update at ``now`` into the live page's folder and return its path."""
    if not is_valid_id(live_id) or not (live_dir(layout) / live_id / INDEX).is_file():
        raise LiveScaffoldError(
            f"Không có trang trực tiếp '{live_id}' ({layout.display(live_dir(layout))}/{live_id}/index.md); "
            f'tạo bằng: frontline live new {live_id} "Tiêu đề"'
        )
    text = body.strip()
    if not text:
        raise LiveScaffoldError("Nội dung cập nhật không được để trống.")
    start, end = _page_window(layout, live_id)
    moment = now.replace(microsecond=0)
    if start is not None and moment < start:
        raise LiveScaffoldError(f"Trang '{live_id}' bắt đầu lúc {start:%Y-%m-%d %H:%M}; chưa thể thêm cập nhật.")
    if end is not None and moment > end:
        raise LiveScaffoldError(
            f"Trang '{live_id}' đã kết thúc lúc {end:%Y-%m-%d %H:%M}; hãy xóa hoặc dời end trong index.md "
            "nếu cần tường thuật tiếp."
        )
    lines = ["---", f"time: {moment.isoformat()}", f"authors: [{', '.join(authors)}]"]
    if title and " ".join(title.split()):
        lines.append(f"title: {_yaml_text(' '.join(title.split()))}")
    if pinned:
        lines.append("pinned: true")
    lines.append("---")
    content = "\n".join(lines) + "\n\n" + text + "\n"
    folder = live_dir(layout) / live_id
    stem = f"{moment:%Y%m%d-%H%M%S}-{authors[0]}"
    for number in range(1, 1000):
        path = folder / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(content)
        except FileExistsError:
            continue  # another reporter's update in the same second
        return path
    raise LiveScaffoldError("Quá nhiều cập nhật trong cùng một giây; hãy thử lại.")
