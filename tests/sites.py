"""Build small fixture sites into temporary folders, the way a newsroom would."""

from __future__ import annotations

import gzip
import html
import json
import os
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image

from tests.cli import NOW as NOW  # the fixture sites' "now", for tests that import it with make_site
from tests.cli import REPO, build_command, build_env, run_frontline
from tests.snapshots import snapshot

ENV_OPTIONS = ("now", "workers", "preview", "extra_env")


AUTHORS = """\
ha:
  name: Nguyễn Thu Hà
  role: Phóng viên
  unit: Ban Thời sự
  bio: Theo dõi mảng y tế.
duc:
  name: Trần Minh Đức
  role: Phóng viên
  unit: Ban An ninh
"""

CAMPAIGN = """\
---
title: Bệnh viện dã chiến Bắc Giang
start: 2021-05-15
end: 2021-06-30
summary: Y tế CAND chi viện Bắc Giang.
phases:
  - title: Cao điểm thứ nhất
    start: 2021-05-18
    end: 2021-05-31
milestones:
  - date: 2021-05-16T14:00:00+07:00
    title: Thành lập đoàn công tác
    text: Bộ Công an quyết định chi viện.
---

Lời giới thiệu của ban biên tập.
"""


def story(title: str, date: str, *, body: str = "Nội dung bài viết.", **fields: object) -> str:
    """Front matter plus body; ``fields`` are written as YAML flow values."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    fields.setdefault("authors", "[ha]")
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + textwrap.dedent(body).strip() + "\n"


HOSTILE_TITLE = '<script>alert(1)</script> & "Đà Nẵng"'


def hostile_story(**fields: object) -> str:
    """A story whose title, place and summary carry markup: every page must show it as text."""
    fields.setdefault("location", "'<b>Đà Nẵng</b>'")
    fields.setdefault("summary", "'<img src=x onerror=alert(1)> tóm tắt'")
    return story("'" + HOSTILE_TITLE.replace("'", "''") + "'", "2021-05-20", **fields)


@dataclass
class FixtureSite:
    root: Path

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    def build(self, *, timeout: float = 300, run: dict | None = None, **options) -> subprocess.CompletedProcess:
        """Run ``mkdocs build`` (or ``properdocs build``) as a reporter would; return the finished process.
        ``options`` are ``build_command``'s and ``build_env``'s (``now``, ``engine``, ``workers``, ``site_dir``…),
        and ``fresh`` (the build cache deleted first); ``run``: ``subprocess.run``'s own arguments."""
        command, env = self._build_call(options)
        return subprocess.run(
            command, cwd=self.root, env=env, capture_output=True, text=True, timeout=timeout, **(run or {})
        )

    def start_build(self, *, popen: dict | None = None, **options) -> subprocess.Popen:
        """The same build, started and not waited for (``popen``: ``subprocess.Popen``'s own arguments)."""
        command, env = self._build_call(options)
        return subprocess.Popen(command, cwd=self.root, env=env, text=True, **(popen or {}))

    def built(self, **options) -> dict[str, bytes]:
        """A build that must succeed: the files of the folder it wrote (``snapshot``)."""
        result = self.build(**options)
        assert result.returncode == 0, result.stderr
        return snapshot(options.get("site_dir") or self.site_dir)

    def _build_call(self, options: dict) -> tuple[list[str], dict[str, str]]:
        if options.pop("fresh", False):  # no page cache, memo or compiled state from an earlier build of the site
            shutil.rmtree(self.root / ".cache", ignore_errors=True)
        env_options = {name: options.pop(name) for name in ENV_OPTIONS if name in options}
        return build_command(self.config, **options), build_env(**env_options)

    def touch(self) -> None:
        """Give the stories' folder a new modification time: the next ``frontline build`` builds, though nothing it
        shows changed (with nothing changed since the last one, it only looks at the site)."""
        folder = self.root / "stories"
        status = folder.stat()
        os.utime(folder, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))

    def frontline(self, *args: str, **options) -> subprocess.CompletedProcess:
        """``frontline --config mkdocs.yml ARGS`` run in the project folder (``tests.cli.run_frontline``)."""
        return run_frontline(*args, cwd=self.root, config=self.config, **options)

    def html(self, url: str) -> BeautifulSoup:
        path = self.site_dir / url.strip("/") / "index.html" if not url.endswith(".html") else self.site_dir / url
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def make_site(root: Path, *, with_campaign: bool = True) -> FixtureSite:
    """A minimal newsroom: mkdocs.yml using the repository's hooks and theme, two authors, one campaign."""
    site = FixtureSite(root)
    site.write(
        "mkdocs.yml",
        textwrap.dedent(
            f"""\
            site_name: Tuyến đầu thử nghiệm
            site_url: https://example.vn/tin/
            theme:
              name: material
              language: vi
              custom_dir: {REPO / "overrides"}
            hooks:
              - {REPO / "hooks" / "frontline_hooks.py"}
            plugins: []
            markdown_extensions:
              - frontline.markdown_ext
            nav:
              - Trang chủ: index.md
              - Chiến dịch: campaigns/index.md
            extra:
              frontline:
                per_page: 2
                feed_id_authority: example.vn
            """
        ),
    )
    site.write("docs/index.md", "---\ntitle: Trang chủ\n---\n")
    site.write("stories/authors.yml", AUTHORS)
    if with_campaign:
        site.write("docs/campaigns/bac-giang.md", CAMPAIGN)
    return site


def search_documents(site_dir: Path) -> list[dict]:
    """The pages in the Pagefind index, decoded from its (gzipped) fragments."""
    documents = []
    for fragment in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        documents.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return documents


def jpeg_bytes(width: int = 1200, height: int = 675) -> bytes:
    """A real (tiny) JPEG of the given size."""
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (180, 30, 30)).save(buffer, format="JPEG", quality=60)
    return buffer.getvalue()


def hostile(label: str) -> str:
    """Text of one field, ``label``, that looks like markup: every page, feed and export must show it as text."""
    return f"<script>alert('{label}')</script> {label} & \"Đà Nẵng\" &amp; <img src=x onerror=alert(1)> <!-- ]]>"


def _yaml(value: object) -> str:
    """A YAML flow value of ``value`` (JSON is YAML)."""
    return json.dumps(value, ensure_ascii=False)


HOSTILE_HEADING = 'tiêu đề <b>in</b> & "q" <img src=x onerror=alert(1)> &amp;'
"""A docs page's title, written as text in its first heading (as entities: Markdown passes HTML through)."""


def make_hostile_site(root: Path) -> FixtureSite:
    """A site where every text field of every kind carries markup and quotes (``hostile(field)``): a campaign,
    its phase and milestone, a story with every field, its authors, docs pages titled by front matter and by their
    first heading. They are text, not HTML: the site builds."""
    site = make_site(root, with_campaign=False)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("campaigns/index.md\n", "campaigns/index.md\n  - tieu-de.md\n  - dong-dau.md\n")
    site.write("mkdocs.yml", config.replace("  language: vi\n", "  language: vi\n  font: false\n"))  # no font host
    authors = {
        "ha": {f: hostile(f"author.{f}") for f in ("name", "role", "unit", "bio")},
        "duc": {"name": hostile("author2.name"), "role": "Phóng viên"},
    }
    site.write("stories/authors.yml", "\n".join(f"{key}: {_yaml(value)}" for key, value in authors.items()) + "\n")
    campaign = {
        "title": hostile("campaign.title"),
        "start": "2021-05-15",
        "end": "2021-06-30",
        "summary": hostile("campaign.summary"),
        "phases": [{"title": hostile("phase.title"), "start": "2021-05-18", "end": "2021-05-31"}],
        "milestones": [
            {
                "date": "2021-05-16T14:00:00+07:00",
                "title": hostile("milestone.title"),
                "text": hostile("milestone.text"),
            }
        ],
    }
    front = "\n".join(f"{key}: {_yaml(value)}" for key, value in campaign.items())
    site.write("docs/campaigns/bac-giang.md", f"---\n{front}\n---\n\nLời giới thiệu.\n")
    site.write("stories/2021/05/images/lead.jpg", jpeg_bytes())
    fields = {
        "title": hostile("story.title"),
        "date": "2021-05-20T09:30",
        "authors": ["ha", "duc"],
        "campaign": "bac-giang",
        "location": hostile("story.location"),
        "unit": hostile("story.unit"),
        "tags": [hostile("story.tag1"), hostile("story.tag2")],
        "summary": hostile("story.summary"),
        "image": "images/lead.jpg",
        "image_alt": hostile("story.image_alt"),
        "image_caption": hostile("story.image_caption"),
        "milestone": True,
        "updated": "2021-05-22T10:00",
        "corrections": [{"date": "2021-05-21T08:00", "text": hostile("story.correction")}],
        "slug": "bai-viet",
        "aliases": ["2021/05/ten-cu/"],
    }
    front = "\n".join(f"{key}: {_yaml(value)}" for key, value in fields.items())
    site.write("stories/2021/05/bai-viet.md", f"---\n{front}\n---\n\nNội dung bài viết.\n")
    second = {**fields, "title": hostile("story2.title"), "slug": "bai-hai", "location": "Bắc Giang"}
    second.pop("corrections")
    second.pop("aliases")
    front = "\n".join(f"{key}: {_yaml(value)}" for key, value in second.items())
    site.write("stories/2021/05/bai-hai.md", f"---\n{front}\n---\n\nBài thứ hai.\n")
    front = f"title: {_yaml(hostile('docs.title'))}\ndescription: {_yaml(hostile('docs.description'))}"
    site.write("docs/tieu-de.md", f"---\n{front}\n---\n\nNội dung.\n")
    heading = html.escape(HOSTILE_HEADING, quote=False)
    site.write("docs/dong-dau.md", f"# {heading}\n\nNội dung.\n\n## `<i>mục</i>` &amp; con\n\nThêm.\n")
    return site
