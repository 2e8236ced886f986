"""Stories hold their bodies compressed (a large archive's memory): what a reader of the model gets back is the text
written, whether it may hold a link is known without it, and a memo holding a body that is not one is read as an
empty memo."""

from __future__ import annotations

import base64
import json
from dataclasses import fields

from frontline.content.loader import Layout, load_content
from frontline.content.memo import Reading, StoryMemo
from frontline.content.model import Story
from tests.sites import make_site, story

BODY = (
    "Đoạn mở đầu: lực lượng **công an** tỉnh Bắc Giang trực xuyên đêm.\r\n\r\n"
    "- Điểm một\n- Điểm hai với [liên kết](https://example.vn/a?b=1&c=2)\n\n"
    + "Nguyễn Thị Ánh, Đặng Văn Đức, Phạm Thị Ngọc. "
    * 200
)


def test_a_story_gives_back_the_body_written_and_holds_less(tmp_path):
    site = make_site(tmp_path / "n")
    site.write("stories/2021/05/dai.md", story("Bài dài", "2021-05-20T09:30", body=BODY))
    site.write("stories/2021/05/ngan.md", story("Bài ngắn", "2021-05-21T09:30", body="Một câu."))
    memo = StoryMemo()
    content, problems = load_content(Layout.for_project(site.root), memo=memo)
    assert problems == []
    by_slug = {item.slug: item for item in content.stories}
    written = (site.root / "stories/2021/05/dai.md").read_text(encoding="utf-8")
    assert written.endswith(by_slug["bai-dai"].body)
    assert by_slug["bai-dai"].body.lstrip("\n").startswith("Đoạn mở đầu") and "Đặng Văn Đức" in by_slug["bai-dai"].body
    assert by_slug["bai-ngan"].body.strip() == "Một câu."
    assert by_slug["bai-dai"].may_link and not by_slug["bai-ngan"].may_link  # a link needs "](", "]:" or "="
    assert len(by_slug["bai-dai"].packed_body) * 4 < len(by_slug["bai-dai"].body.encode("utf-8"))

    path = tmp_path / "memo.json"
    memo.changed = True
    memo.save(path)
    again = StoryMemo.load(path)
    assert {r.story.body for r in again.readings.values() if r.story} == {s.body for s in content.stories}

    header, context, *lines = path.read_bytes().splitlines()
    name, reading = json.loads(lines[0])
    packed_at = [field.name for field in fields(Story) if field.init].index("packed_body")
    story_at = [field.name for field in fields(Reading)].index("story")
    assert base64.b64decode(reading[story_at][packed_at], validate=True)  # written as base64
    reading[story_at][packed_at] = "không phải base64!"
    path.write_bytes(b"\n".join([header, context, json.dumps([name, reading]).encode(), *lines[1:]]) + b"\n")
    assert StoryMemo.load(path).readings == {}
