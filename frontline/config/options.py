"""The newsroom's editorial options, ``extra.frontline`` in the config file: read, checked and explained.

Every value is checked before anything is built, and every problem is reported at once, with the line of the
config file it is on and what to write instead; nothing here imports the site engine."""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from frontline.config.settings import INDEXNOW_ENDPOINT, Settings, SiteInfo
from frontline.content.layout import is_absolute_path
from frontline.content.problems import Problem

SECTION = "extra.frontline"
_COUNTS = ("per_page", "feed_size", "section_feed_size", "home_size", "max_story_bytes")
_DNS_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@" + _DNS_NAME.pattern)
_TAG_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_INDEXNOW_KEY = re.compile(r"[A-Za-z0-9-]{8,128}")
_ICON_FORMATS = {"PNG", "JPEG", "GIF"}  # what RSS's <image> allows, and every feed reader shows


@dataclass(frozen=True, slots=True)
class Options:
    """``extra.frontline`` in the config file."""

    stories_dir: str = "stories"
    per_page: int = 20
    feed_size: int = 50
    section_feed_size: int = 20
    home_size: int = 20
    logo: str | None = None
    share_image: str | None = None
    icon: str | None = None
    feed_id_authority: str = ""
    feed_id_date: str = "2020"
    iframe_hosts: tuple[str, ...] = ()
    max_story_bytes: int = 2_000_000
    websub_hub: str | None = None
    indexnow_key: str | None = None
    indexnow_endpoint: str = INDEXNOW_ENDPOINT

    @classmethod
    def from_mapping(cls, mapping: Any, *, config_file: Path | None = None, docs_dir: Path | None = None) -> Options:
        """The options written in ``mapping`` (``extra.frontline``, None when absent).

        Raises ``OptionsError`` with every problem found; ``config_file`` is where the lines are looked up, and
        ``docs_dir``, when given, where the logo must be."""
        reader = _Reader(config_file, docs_dir)
        if mapping is None:
            return cls()
        if not isinstance(mapping, dict):
            reader.problem("", "phải là một bảng tùy chọn, ví dụ:\n      frontline:\n        per_page: 20")
            reader.raise_problems()
        known = [option.name for option in fields(cls)]
        values: dict[str, Any] = {}
        for name, value in mapping.items():
            name = str(name)
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"Có phải ý bạn là '{close[0]}'?" if close else f"Các tùy chọn: {', '.join(known)}."
                reader.problem(name, f"không có tùy chọn này. {hint}")
            elif (checked := reader.check(name, value)) is not None:
                values[name] = checked
        reader.raise_problems()
        return cls(**values)

    def settings(self, site_url: str, site_name: str, site_description: str = "") -> Settings:
        """The views' settings for a site served at ``site_url``."""
        return Settings(
            site=SiteInfo(
                url=site_url if site_url.endswith("/") else site_url + "/",
                name=site_name,
                description=site_description,
                id_authority=self.feed_id_authority,
                id_date=self.feed_id_date,
                hub=self.websub_hub or "",
                icon=self.icon or "",
            ),
            per_page=self.per_page,
            feed_size=self.feed_size,
            section_feed_size=self.section_feed_size,
            home_size=self.home_size,
            logo=self.logo,
            share_image=self.share_image or self.logo,
        )


class OptionsError(ValueError):
    """Options the build cannot use; ``problems`` holds each, its message the report a person reads."""

    def __init__(self, problems: list[Problem]) -> None:
        lines = [f"Cấu hình {SECTION} có {len(problems)} lỗi, cần sửa trước khi xuất bản:"]
        lines.extend(f"  {problem}" for problem in problems)
        super().__init__("\n".join(lines))
        self.problems = problems


class _Reader:
    """Checks one option at a time and keeps what is wrong, to be told all at once."""

    def __init__(self, config_file: Path | None, docs_dir: Path | None = None) -> None:
        self.config_file = config_file
        self.docs_dir = docs_dir
        self.found: list[tuple[str, str]] = []

    def problem(self, name: str, message: str) -> None:
        self.found.append((name, message))

    def raise_problems(self) -> None:
        if not self.found:
            return
        lines = option_lines(self.config_file) if self.config_file is not None else {}
        path = self.config_file.name if self.config_file is not None else "mkdocs.yml"
        raise OptionsError(
            sorted(
                Problem(path, lines.get(name, lines.get("", 1)), f"{SECTION}.{name}" if name else SECTION, message)
                for name, message in self.found
            )
        )

    def check(self, name: str, value: Any) -> Any:
        """``value`` as the option holds it, or None after noting what is wrong with it."""
        if name in _COUNTS:
            return self._count(name, value)
        if name == "stories_dir":
            return self._stories_dir(value)
        if name == "iframe_hosts":
            return self._hosts(value)
        if name == "feed_id_authority":
            return self._authority(value)
        if name == "feed_id_date":
            return self._tag_date(value)
        if name in ("logo", "share_image"):
            return self._image(name, value)
        if name == "icon":
            return self._icon(value)
        if name in ("websub_hub", "indexnow_endpoint"):
            return self._address(name, value)
        if name == "indexnow_key":
            return self._indexnow_key(value)
        raise AssertionError(name)  # every option of Options is checked above

    def _image(self, name: str, value: Any) -> str | None:
        """An image of the site's own: the publisher's logo in the stories' structured data (``logo``), or the
        picture a shared page without one of its own shows (``share_image``): a file under docs/, or an address."""
        what = "ảnh logo" if name == "logo" else "ảnh chia sẻ"
        example = "assets/logo.png" if name == "logo" else "assets/chia-se.png"
        written = value.strip() if isinstance(value, str) else ""
        if not written:
            if value is not None:
                self.problem(name, f"phải là đường dẫn tới {what} trong docs/, ví dụ {example}.")
            return None
        if self.docs_dir is None or re.match(r"^https?://", written):
            return written
        docs, written = self.docs_dir.resolve(), written.lstrip("/")  # a path in docs/, wherever the site is served
        path = (docs / written).resolve()
        if not path.is_relative_to(docs) or not path.is_file():
            self.problem(
                name,
                f"không có tệp '{written}' trong {self.docs_dir.name}/: hãy ghi đường dẫn của {what} tính từ "
                f"{self.docs_dir.name}/, ví dụ {example}, hoặc một địa chỉ https://.",
            )
            return None
        return written

    def _icon(self, value: Any) -> str | None:
        """The feeds' square icon (JSON Feed ``icon`` and ``favicon``, RSS ``<image>``, Atom ``<icon>``): a PNG, JPEG
        or GIF under docs/, as wide as it is high. Not an address: it is measured, and a feed reader showing it
        asks the site itself."""
        example = "icon: assets/bieu-tuong.png (một ảnh PNG vuông, ví dụ 512×512 điểm ảnh)"
        written = value.strip().lstrip("/") if isinstance(value, str) else ""
        if not written or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", written):
            self.problem("icon", f"cần đường dẫn tới ảnh biểu tượng trong docs/ (không phải địa chỉ web): {example}.")
            return None
        if self.docs_dir is None:
            return written
        docs = self.docs_dir.resolve()
        path = (docs / written).resolve()
        if not path.is_relative_to(docs) or not path.is_file():
            self.problem(
                "icon",
                f"không có tệp '{written}' trong {self.docs_dir.name}/: hãy ghi đường dẫn của ảnh biểu tượng tính "
                f"từ {self.docs_dir.name}/, ví dụ {example}.",
            )
            return None
        # Pillow imported only for a site that names an icon: every command reads the options first.
        from PIL import Image as PillowImage
        from PIL import UnidentifiedImageError

        try:
            with PillowImage.open(path) as image:
                kind, (width, height) = image.format, image.size
        except (UnidentifiedImageError, OSError):
            kind, width, height = None, 0, 0
        if kind not in _ICON_FORMATS:
            self.problem("icon", f"'{written}' không phải ảnh PNG, JPEG hay GIF, loại ảnh mọi trình đọc tin hiện được.")
            return None
        if width != height:
            self.problem(
                "icon",
                f"ảnh biểu tượng phải vuông: '{written}' rộng {width}, cao {height} điểm ảnh. Hãy dùng một ảnh vuông, "
                "ví dụ 512×512.",
            )
            return None
        return written

    def _address(self, name: str, value: Any) -> str | None:
        """Where a publish pings: an http(s) address."""
        written = value.strip() if isinstance(value, str) else ""
        parts = urlsplit(written)
        if parts.scheme in ("http", "https") and parts.netloc and not parts.username:
            return written
        example = "https://pubsubhubbub.appspot.com/" if name == "websub_hub" else INDEXNOW_ENDPOINT
        self.problem(name, f"'{value}' không dùng được: cần một địa chỉ http(s)://, ví dụ {name}: {example}")
        return None

    def _indexnow_key(self, value: Any) -> str | None:
        written = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if _INDEXNOW_KEY.fullmatch(written):
            return written
        self.problem(
            "indexnow_key",
            "khóa IndexNow gồm 8 đến 128 chữ cái Latin không dấu, chữ số hoặc dấu -, ví dụ "
            "indexnow_key: 3f2a9c0d7b1e4a6f8c5d2e9b0a7f6c41 (và tệp docs/<khóa>.txt chứa đúng khóa đó).",
        )
        return None

    def _count(self, name: str, value: Any) -> int | None:
        default = Options.__dataclass_fields__[name].default
        number = value.strip() if isinstance(value, str) else value
        if isinstance(number, str) and number.isascii() and number.isdigit():
            number = int(number)
        if isinstance(number, int) and not isinstance(number, bool) and number >= 1:
            return number
        self.problem(name, f"'{value}' không dùng được: cần một số nguyên dương, ví dụ {name}: {default}.")
        return None

    def _stories_dir(self, value: Any) -> str | None:
        written = value.strip() if isinstance(value, str) else ""
        normalized = posixpath.normpath(written.replace("\\", "/")) if written else ""
        if not written or normalized == ".":
            self.problem("stories_dir", "cần tên thư mục bài viết, trong thư mục dự án, ví dụ stories_dir: stories.")
        elif is_absolute_path(written):
            self.problem(
                "stories_dir",
                f"'{written}' là đường dẫn tuyệt đối; hãy ghi thư mục bài viết tương đối so với mkdocs.yml, "
                "ví dụ stories_dir: stories.",
            )
        elif normalized == ".." or normalized.startswith("../"):
            self.problem(
                "stories_dir",
                f"'{written}' trỏ ra ngoài thư mục dự án; bài viết phải nằm trong thư mục chứa mkdocs.yml.",
            )
        else:
            return normalized
        return None

    def _hosts(self, value: Any) -> tuple[str, ...] | None:
        if value is None:
            return ()
        if isinstance(value, str):  # "youtube.com, vimeo.com", as tags may be written
            value = [part for part in re.split(r"[,\s]+", value) if part]
        if not isinstance(value, list) or not all(isinstance(host, str) for host in value):
            self.problem("iframe_hosts", "cần danh sách tên máy chủ, ví dụ iframe_hosts: [www.youtube.com, vimeo.com].")
            return None
        hosts = tuple(host.strip().lower() for host in value)
        wrong = [host for host in hosts if not _DNS_NAME.fullmatch(host)]
        if wrong:
            self.problem(
                "iframe_hosts",
                f"'{wrong[0]}' không phải tên máy chủ; hãy ghi tên máy chủ, không có https:// hay đường dẫn, "
                f"ví dụ {_host_of(wrong[0])}.",
            )
            return None
        return hosts

    def _authority(self, value: Any) -> str | None:
        written = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else None
        if written is not None and (not written or _DNS_NAME.fullmatch(written) or _EMAIL.fullmatch(written)):
            return written
        self.problem(
            "feed_id_authority",
            f"'{value}' không dùng được trong mã nguồn tin (tag: URI): hãy ghi một tên miền của tòa soạn, "
            f"chữ thường, không có https:// hay dấu /, ví dụ feed_id_authority: {_host_of(str(value))}.",
        )
        return None

    def _tag_date(self, value: Any) -> str | None:
        written = value.isoformat() if isinstance(value, date) else str(value).strip()
        if not isinstance(value, bool) and _TAG_DATE.fullmatch(written) and _real_date(written):
            return written
        self.problem(
            "feed_id_date",
            f"'{value}' không dùng được: cần năm, năm-tháng hoặc ngày (ISO 8601) tòa soạn đã giữ tên miền, "
            'ví dụ feed_id_date: "2020".',
        )
        return None


def _real_date(written: str) -> bool:
    parts = [int(part) for part in written.split("-")]
    try:
        date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError:
        return False
    return True


def _host_of(written: str) -> str:
    """The host name in what an editor wrote (a URL, a host with a path), for an example."""
    host = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", written.strip()).split("/")[0].split(":")[0].lower()
    return host if _DNS_NAME.fullmatch(host) else "tuyendau.example.vn"


def option_lines(config_file: Path) -> dict[str, int]:
    """Line (from 1) of each option under ``extra.frontline`` in ``config_file``, and of ``frontline:``
    itself under the key ''; empty when the file cannot be read or holds no such section."""
    try:
        # Composed, not loaded: no value is constructed, so tags such as ``!ENV`` stay as they are written.
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    extra = _entry(root, "extra")
    section = _entry(extra[1], "frontline") if extra is not None else None
    if section is None:
        return {}
    key, options = section
    lines = {"": key.start_mark.line + 1}
    if isinstance(options, yaml.MappingNode):
        for option, _ in options.value:
            lines[str(option.value)] = option.start_mark.line + 1
    return lines


def _entry(node: yaml.Node | None, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The key and value nodes of ``name`` in the mapping ``node``."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if getattr(key, "value", None) == name:
            return key, value
    return None
