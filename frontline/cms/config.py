"""Decap CMS's ``config.yml``, made from Frontline's own content model so the editor never drifts from ``check``.

Field names and what is required come from the loader (``STORY_FIELDS``, ``CAMPAIGN_FIELDS``, ``AUTHOR_FIELDS``):
a field the loader learns and the editor does not describe stops this module, and a test, instead of being
silently missing from the form. Choices (authors, campaigns) and suggestions (tags, places, units) come from the
content as loaded, so what the editor offers is what ``check`` accepts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from frontline.content.loader import AUTHOR_FIELDS, CAMPAIGN_FIELDS, STORY_FIELDS, Layout
from frontline.content.model import Content
from frontline.content.names import ALIAS_SEGMENT
from frontline.content.slugs import SLUG_PATTERN

DATETIME_FORMAT = "YYYY-MM-DDTHH:mm:ssZ"
"""How the editor writes a moment (dayjs tokens): ISO 8601 with the offset, +07:00 in a browser set to Vietnam
time, which ``check`` reads as it is."""
DAY_FORMAT = "YYYY-MM-DD"
STORY_PATH = "{{year}}/{{month}}/{{slug}}"
"""Where a new story is written below the stories folder, as ``frontline new`` does."""
SUGGESTIONS = 12
"""How many of the values already used a hint names (the most used first)."""

_ALIAS = rf"^/?(?:{ALIAS_SEGMENT.pattern}/)*{ALIAS_SEGMENT.pattern}/?$"


def _field(name: str, label: str, widget: str, *, required: bool = False, hint: str = "", **more: Any) -> dict:
    field: dict[str, Any] = {"name": name, "label": label, "widget": widget, "required": required}
    if hint:
        field["hint"] = hint
    field.update(more)
    return field


def _moment(name: str, label: str, *, required: bool, hint: str, **more: Any) -> dict:
    return _field(name, label, "datetime", required=required, hint=hint, format=DATETIME_FORMAT, **more)


def _day(name: str, label: str, *, required: bool, hint: str = "") -> dict:
    return _field(name, label, "datetime", required=required, hint=hint, format=DAY_FORMAT, time_format=False)


def _used(values: Iterable[str | None]) -> list[str]:
    counted = Counter(value for value in values if value)
    return [value for value, _ in sorted(counted.items(), key=lambda item: (-item[1], item[0]))][:SUGGESTIONS]


def _suggest(intro: str, values: list[str]) -> str:
    return f"{intro} Đã dùng: {', '.join(values)}." if values else intro


def story_fields(content: Content) -> list[dict]:
    """The story form, one field per name the loader accepts, in the loader's order, then the body."""
    stories = content.stories
    author_options = [{"label": f"{a.name} ({a.id})", "value": a.id} for a in content.authors.values()]
    campaign_options = [{"label": c.title, "value": c.id} for c in content.campaigns.values()]
    slug_rule = "chỉ chữ thường không dấu, số và dấu '-'"
    fields = {
        "title": _field("title", "Tiêu đề", "string", required=True, hint="Tiêu đề bài, viết có dấu."),
        "date": _moment(
            "date",
            "Ngày đăng",
            required=True,
            default="{{now}}",
            hint="Giờ Việt Nam (+07:00). Bài có ngày trong tương lai chỉ hiện khi tới giờ.",
        ),
        "authors": _field(
            "authors",
            "Tác giả",
            "select",
            required=True,
            multiple=True,
            min=1,
            options=author_options,
            hint="Chọn một hoặc nhiều tác giả (danh sách trong stories/authors.yml).",
        ),
        "campaign": _field(
            "campaign",
            "Chiến dịch",
            "select",
            options=campaign_options,
            hint="Chiến dịch của bài, nếu có (các trang trong docs/campaigns/).",
        ),
        "location": _field(
            "location",
            "Địa phương",
            "string",
            hint=_suggest("Tỉnh hoặc thành phố, ví dụ Bắc Giang.", _used(s.location for s in stories)),
        ),
        "unit": _field(
            "unit",
            "Đơn vị",
            "string",
            hint=_suggest("Đơn vị được nói tới.", _used(s.unit for s in stories)),
        ),
        "tags": _field(
            "tags",
            "Chủ đề",
            "list",
            hint=_suggest("Ngăn cách bằng dấu phẩy.", _used(tag for s in stories for tag in s.tags)),
        ),
        "summary": _field(
            "summary", "Tóm tắt", "text", hint="Một hai câu cho trang chủ và mạng xã hội; để trống: lấy đoạn đầu."
        ),
        "image": _field(
            "image",
            "Ảnh đầu bài",
            "image",
            hint="JPEG, PNG, WebP, GIF hoặc AVIF. Có ảnh thì phải có mô tả ảnh.",
            choose_url=False,
        ),
        "image_alt": _field(
            "image_alt",
            "Mô tả ảnh",
            "string",
            hint="Bắt buộc khi có ảnh: ảnh cho thấy gì, cho người khiếm thị.",
        ),
        "image_caption": _field(
            "image_caption", "Chú thích ảnh", "string", hint="Dòng chữ dưới ảnh, kèm tên tác giả ảnh."
        ),
        "milestone": _field(
            "milestone", "Mốc sự kiện", "boolean", default=False, hint="Bật nếu bài là một mốc trên dòng thời gian."
        ),
        "draft": _field(
            "draft", "Bản nháp", "boolean", default=True, hint="Tắt khi bài đã sẵn sàng xuất bản (biên tập viên duyệt)."
        ),
        "slug": _field(
            "slug",
            "Đường dẫn",
            "string",
            required=True,
            pattern=[SLUG_PATTERN, f"Đường dẫn: {slug_rule}, ví dụ benh-vien-da-chien-bac-giang."],
            hint=f"Tên tệp và địa chỉ bài, {slug_rule}; giữ nguyên khi sửa tiêu đề để liên kết cũ không hỏng.",
        ),
        "id": _field("id", "Mã bài", "string", hint="Để trống (mã bài lấy từ tên tệp)."),
        "updated": _moment("updated", "Cập nhật lúc", required=False, hint="Khi sửa nội dung quan trọng sau khi đăng."),
        "corrections": _field(
            "corrections",
            "Đính chính",
            "list",
            hint="Mỗi lần đính chính: ngày và nội dung.",
            fields=[
                _moment("date", "Ngày đính chính", required=True, hint="Giờ Việt Nam."),
                _field("text", "Nội dung đính chính", "text", required=True),
            ],
        ),
        "aliases": _field(
            "aliases",
            "Địa chỉ cũ",
            "list",
            hint="Địa chỉ cũ của bài (ví dụ 2021/08/ten-cu/) để liên kết cũ chuyển về đây.",
            field=_field(
                "alias",
                "Địa chỉ cũ",
                "string",
                required=True,
                pattern=[_ALIAS, "Viết dạng 2021/08/ten-cu/: chữ, số, dấu - . _ ~, không khoảng trắng."],
            ),
        ),
    }
    _same_names("bài viết", fields, STORY_FIELDS)
    body = _field("body", "Nội dung", "markdown", required=True, hint="Đoạn đầu trả lời: ai, việc gì, ở đâu, khi nào.")
    return [fields[name] for name in STORY_FIELDS] + [body]


def campaign_fields() -> list[dict]:
    fields = {
        "title": _field("title", "Tên chiến dịch", "string", required=True),
        "start": _day("start", "Ngày bắt đầu", required=True),
        "end": _day("end", "Ngày kết thúc", required=False, hint="Để trống khi chiến dịch còn tiếp diễn."),
        "summary": _field("summary", "Tóm tắt", "text"),
        "phases": _field(
            "phases",
            "Các đợt",
            "list",
            hint="Các đợt nằm trong thời gian chiến dịch và không chồng lên nhau.",
            fields=[
                _field("title", "Tên đợt", "string", required=True),
                _day("start", "Bắt đầu", required=True),
                _day("end", "Kết thúc", required=True),
            ],
        ),
        "milestones": _field(
            "milestones",
            "Các mốc",
            "list",
            fields=[
                _moment("date", "Thời điểm", required=True, hint="Giờ Việt Nam."),
                _field("title", "Mốc", "string", required=True),
                _field("text", "Chi tiết", "text"),
            ],
        ),
        "template": _field("template", "Mẫu trang", "string", hint="Để trống để dùng mẫu chiến dịch mặc định."),
    }
    _same_names("chiến dịch", fields, CAMPAIGN_FIELDS)
    body = _field("body", "Giới thiệu", "markdown", required=False)
    return [fields[name] for name in CAMPAIGN_FIELDS] + [body]


def author_fields() -> list[dict]:
    fields = {
        "name": _field("name", "Họ và tên", "string", required=True),
        "role": _field("role", "Chức danh", "string"),
        "unit": _field("unit", "Ban", "string"),
        "bio": _field("bio", "Giới thiệu", "text"),
        "avatar": _field("avatar", "Ảnh đại diện", "string", hint="Đường dẫn ảnh trong docs/, nếu có."),
    }
    _same_names("tác giả", fields, AUTHOR_FIELDS)
    return [fields[name] for name in AUTHOR_FIELDS]


def _same_names(kind: str, described: dict, accepted: Iterable[str]) -> None:
    missing = set(accepted) ^ set(described)
    if missing:  # the loader and the editor disagree: fix this module, never ship a form that drifted
        raise ValueError(f"trình soạn thảo và bộ đọc nội dung khác nhau về trường {kind}: {', '.join(sorted(missing))}")


def media_folder(layout: Layout) -> Path:
    """Where the editor saves an image not tied to a story or a campaign."""
    return layout.docs_dir / "assets" / "images"


def writable_folders(layout: Layout) -> tuple[Path, ...]:
    """Every folder the configuration below lets the editor write into (its collections and media): the local
    backend is refused anything else."""
    return (layout.stories_dir, layout.campaigns_dir, media_folder(layout))


def cms_config(content: Content, layout: Layout, backend_url: str) -> dict:
    """Decap CMS's configuration for the project at ``layout``, its files edited through the local backend at
    ``backend_url`` (``decap-server``, which writes into the project folder)."""
    stories = layout.display(layout.stories_dir)
    campaigns = layout.display(layout.campaigns_dir)
    authors = [
        {"name": author.id, "label": f"{author.name} ({author.id})", "widget": "object", "fields": author_fields()}
        for author in content.authors.values()
    ]
    return {
        "locale": "vi",
        "backend": {"name": "proxy", "proxy_url": backend_url, "branch": "main"},
        "local_backend": {"url": backend_url},
        "media_folder": layout.display(media_folder(layout)),
        "public_folder": "/assets/images",
        "omit_empty_optional_fields": True,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            {
                "name": "stories",
                "label": "Bài viết",
                "label_singular": "bài viết",
                "description": "Bài của phóng viên. Lưu xong, chạy frontline check để kiểm tra.",
                "folder": stories,
                "path": STORY_PATH,
                "slug": "{{fields.slug}}",
                "create": True,
                "extension": "md",
                "format": "frontmatter",
                # Beside the story, as `images/anh.jpg`: the loader looks for a story's image next to it.
                "media_folder": "images",
                "public_folder": "images",
                "summary": "{{title}} ({{year}}-{{month}}-{{day}})",
                "sortable_fields": ["date", "title"],
                "fields": story_fields(content),
            },
            {
                "name": "campaigns",
                "label": "Chiến dịch",
                "label_singular": "chiến dịch",
                "folder": campaigns,
                "create": True,
                "slug": "{{slug}}",
                "extension": "md",
                "format": "frontmatter",
                "media_folder": "images",
                "public_folder": "images",
                "fields": campaign_fields(),
            },
            {
                "name": "authors",
                "label": "Tác giả",
                "files": [
                    {
                        "name": "authors",
                        "label": "Danh sách tác giả",
                        "file": layout.display(layout.authors_file),
                        "format": "yml",
                        "fields": authors,
                    }
                ],
            },
        ],
    }


def config_yaml(content: Content, layout: Layout, backend_url: str) -> str:
    header = "# Tạo bởi `frontline cms` từ mô hình nội dung của Frontline: đừng sửa tay, chạy lại lệnh.\n"
    text = yaml.safe_dump(cms_config(content, layout, backend_url), allow_unicode=True, sort_keys=False, width=1000)
    return header + text
