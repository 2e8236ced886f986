"""``frontline new``: a new story file with complete front matter."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from frontline.content.loader import NEW_STORY_PLACEHOLDERS, Layout
from frontline.content.slugs import slugify_vi

STORY_TEMPLATE = """\
---
title: {title}
date: {date}
authors: [{authors}]
id: {id}
draft: true  # xóa dòng này (hoặc đặt false) khi bài đã sẵn sàng xuất bản
{optional}# summary: Một câu tóm tắt (mặc định là đoạn đầu tiên)
# tags: [chủ đề 1, chủ đề 2]
# image: images/anh.jpg         # ảnh đầu bài, đặt cạnh bài viết
# image_alt: Mô tả ảnh cho người khiếm thị
# image_caption: "Chú thích. Ảnh: Tên tác giả"
# milestone: true               # đánh dấu mốc trên dòng thời gian chiến dịch
# updated: 2021-08-21T08:00     # lần cập nhật quan trọng gần nhất
---

{opening}

## Diễn biến

{main}
"""


@dataclass(frozen=True, slots=True)
class NewStory:
    title: str
    authors: tuple[str, ...]
    campaign: str | None = None
    location: str | None = None
    unit: str | None = None
    slug: str | None = None
    """The file name and address, when the title has no letters to make them from."""


def _yaml_text(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), keeping Vietnamese as is."""
    return json.dumps(value, ensure_ascii=False)


def story_slug(title: str, slug: str | None = None) -> str:
    """The new story's file name (without ``.md``): ``slug``, else made from the title ("" when it has no letters)."""
    return slug or slugify_vi(title)


def story_path(layout: Layout, title: str, now: datetime, slug: str | None = None) -> Path:
    return layout.stories_dir / f"{now:%Y}" / f"{now:%m}" / f"{story_slug(title, slug)}.md"


def render_story(story: NewStory, now: datetime, story_id: str | None = None) -> str:
    optional = "".join(
        f"{key}: {_yaml_text(value)}\n"
        for key, value in (
            ("slug", story_slug(story.title, story.slug)),  # written out: a retitled story keeps its address
            ("campaign", story.campaign),
            ("location", story.location),
            ("unit", story.unit),
        )
        if value
    )
    placeholders = "".join(
        f"# {key}: {hint}\n"
        for key, hint, value in (
            ("campaign", "ma-chien-dich", story.campaign),
            ("location", "Tỉnh hoặc thành phố", story.location),
            ("unit", "Đơn vị được nói tới", story.unit),
        )
        if not value
    )
    return STORY_TEMPLATE.format(
        title=_yaml_text(" ".join(story.title.split())),
        date=now.replace(microsecond=0).isoformat(),
        authors=", ".join(story.authors),
        id=story_id or f"urn:uuid:{uuid.uuid4()}",
        optional=optional + placeholders,
        opening=NEW_STORY_PLACEHOLDERS[0],
        main=NEW_STORY_PLACEHOLDERS[1],
    )


def create_story(layout: Layout, story: NewStory, now: datetime) -> Path:
    """Write the story file; raise ``FileExistsError`` rather than overwrite."""
    if not story_slug(story.title, story.slug):
        raise ValueError("a story needs a slug: its title has no letters")
    path = story_path(layout, story.title, now, story.slug)
    text = render_story(story, now)  # before the file is made: a failure leaves no empty story behind
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path
