"""Holes found by a security review of issue 21 ("Safe to put in front of the public"), one test each.

A test marked ``xfail(strict=True)`` shows a hole still open: it fails today, and fails the suite the day the hole
is closed until its mark is removed. The others show a hole closed by the fix committed with them."""

from __future__ import annotations

import os
import re
import subprocess
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.sites import jpeg_bytes, make_site, story

NOW = "2021-12-31T00:00:00+07:00"


def _frontline(site, *args: str) -> subprocess.CompletedProcess:
    return site.frontline(*args, now=NOW)


def _active_attributes(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [f"<{tag.name} {name}>" for tag in soup.find_all(True) for name in tag.attrs if name.startswith("on")]


def test_dates_in_a_docs_pages_front_matter_are_text(tmp_path):
    """Material prints `revision_date` and the git dates of a page's front matter unescaped
    (partials/source-file.html): any page of docs/ ran script with them."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20"))
    site.write(
        "docs/ngay.md",
        "---\ntitle: Ngày\nrevision_date: '<img src=x onerror=alert(1)>'\n"
        "git_creation_date_localized: '<svg onload=alert(2)>'\n---\n\nChữ.\n",
    )
    built = site.build()
    assert built.returncode == 0, built.stderr
    page = (site.site_dir / "ngay/index.html").read_text(encoding="utf-8")
    assert _active_attributes(page) == []
    assert "<img src=x onerror=alert(1)>" in BeautifulSoup(page, "html.parser").get_text()


def test_a_docs_page_whose_front_matter_is_not_a_mapping_is_checked(tmp_path):
    """MkDocs renders the whole file, front matter included, when the block between the rules is not a YAML mapping;
    `check` skips the block, so it passes markup the build then removes (here onerror=)."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20"))
    site.write("docs/trang.md", "---\n<img src=x onerror=alert(1)>\n---\n\nChữ.\n")
    checked = _frontline(site, "check")
    built = site.build()
    assert checked.returncode == 1 and "docs/trang.md:2: nội dung: thuộc tính onerror=" in checked.stdout
    assert built.returncode == 1 and "docs/trang.md:2: nội dung:" in built.stderr, built.stderr  # they agree


def test_a_campaign_opened_by_an_indented_rule_is_refused_or_read_alike(tmp_path):
    """Frontline reads the front matter after a rule with a space before it; MkDocs does not, and renders it as
    the introduction: the page shows 'title: … start: …' and whatever markup the fields hold, unchecked."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20"))
    site.write(
        "docs/campaigns/thu.md",
        " ---\ntitle: Thử\nstart: 2021-05-15\nsummary: <img src=x onerror=alert(1)>\n---\n\nGiới thiệu.\n",
    )
    checked = _frontline(site, "check")
    if checked.returncode == 1 and "docs/campaigns/thu.md:1" in checked.stdout:
        return  # refused, with its line: fine
    built = site.build()
    assert built.returncode == 0, built.stderr
    assert "start: 2021-05-15" not in (site.site_dir / "campaigns/thu/index.html").read_text(encoding="utf-8")


DOCS_FRONT_MATTER = {
    "icon": "---\ntitle: Trang chủ\nicon: khong/co\n---\n",
    "template": "---\ntitle: Trang chủ\ntemplate: khong-co.html\n---\n",
    "story template": "---\ntitle: Trang chủ\ntemplate: redirect.html\n---\n",
}


@pytest.mark.parametrize("text", DOCS_FRONT_MATTER.values(), ids=DOCS_FRONT_MATTER.keys())
def test_a_docs_pages_icon_or_template_gives_a_message(tmp_path, text):
    """`check` passes; the build ends in a Jinja traceback (TemplateNotFound '.icons/khong/co.svg', or
    UndefinedError 'story' from overrides/redirect.html) instead of `docs/index.md:3: icon: …`."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20"))
    site.write("docs/index.md", text)
    checked = _frontline(site, "check")
    built = _frontline(site, "build")
    assert "Traceback" not in built.stderr, built.stderr[-2000:]
    assert checked.returncode == 1 and "docs/index.md:3" in checked.stdout, checked.stdout


TYPED_VALUES = {
    "story": ("stories/2021/05/tin.md", story("Tin", "2021-05-20", tags="[!!timestamp 2021-02-30]"), 4),
    "campaign": ("docs/campaigns/thu.md", "---\ntitle: !!int x\nstart: 2021-05-15\n---\n", 2),
    "authors": ("stories/authors.yml", "ha:\n  name: Hà\n  role: !!bool có\n", 3),
}


@pytest.mark.parametrize("where", TYPED_VALUES.values(), ids=TYPED_VALUES.keys())
def test_a_value_its_written_yaml_tag_cannot_read_is_a_message(tmp_path, where):
    """PyYAML's constructors raise ValueError, KeyError or AttributeError (not a YAMLError) for `!!int x`,
    `!!bool có` or `!!timestamp 2021-02-30`: `check` and the build ended in a traceback, whatever the file."""
    relative, text, line = where
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20"))
    site.write(relative, text)
    checked = _frontline(site, "check")
    assert "Traceback" not in checked.stderr, checked.stderr[-2000:]
    assert checked.returncode == 1 and f"{relative}:{line}: YAML:" in checked.stdout, checked.stdout


def test_new_with_an_argument_that_is_not_utf8_gives_a_message_and_no_file(tmp_path):
    """A terminal in another encoding gives `--location` bytes that are not UTF-8 (Python holds them as lone
    surrogates): `frontline new` raised UnicodeEncodeError and left an empty story file, which every command
    then reports as empty."""
    site = make_site(tmp_path / "newsroom")
    location = os.fsdecode(b"H\xe0 N\xf4i")  # Latin-1 bytes, as a terminal set to it would pass them
    made = site.frontline("new", "Tin", "--author", "ha", "--location", location, now=NOW, text=False, timeout=60)
    assert b"Traceback" not in made.stderr, made.stderr[-1500:]
    assert not list((site.root / "stories").rglob("*.md"))


def test_a_nul_escape_in_a_link_shown_as_code_builds(tmp_path):
    """`check` skips links shown as code; the build looked for a file named by every link, code included, and
    '%00' made that a ValueError (embedded null byte) out of frontline/content/assets.py."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20", body="Ví dụ: `[tệp](a.txt%00)` là mã.\n"))
    assert _frontline(site, "check").returncode == 0
    built = _frontline(site, "build")
    assert built.returncode == 0, built.stderr[-2000:]
    assert "Traceback" not in built.stderr


def test_check_reads_an_inherited_configuration_as_the_build_does(tmp_path):
    """With `INHERIT: base.yml` (a MkDocs feature), `check` renders bodies without the inherited extensions
    (attr_list here) and passes what the build then refuses."""
    site = make_site(tmp_path / "newsroom")
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    base = config.replace("markdown_extensions:\n", "markdown_extensions:\n  - attr_list\n")
    site.write("base.yml", base)
    site.write("mkdocs.yml", "INHERIT: base.yml\n")
    site.write(
        "stories/2021/05/tin.md", story("Tin", "2021-05-20", body='[x](https://example.vn){ onclick="alert(1)" }')
    )
    built = _frontline(site, "build")
    assert built.returncode == 1  # the build refuses the onclick
    checked = _frontline(site, "check")
    assert checked.returncode == 1 and "stories/2021/05/tin.md:7" in checked.stdout, checked.stdout


def test_a_story_cannot_publish_a_page_of_its_own_with_script(tmp_path):
    """A story linking to a file beside it publishes that file on the site's own origin: an HTML page or an SVG
    image holding <script> runs it for any reader who opens its address (the link, or a URL sent to them)."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20", body="Xem [thêm](them.html) và [ảnh](hinh.svg).\n"))
    site.write("stories/2021/05/them.html", "<script>alert(document.domain)</script>")
    site.write("stories/2021/05/hinh.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    checked = _frontline(site, "check")
    built = site.build()
    published = [
        path.relative_to(site.site_dir).as_posix()
        for path in site.site_dir.rglob("*")
        if path.is_file() and path.suffix in {".html", ".svg"} and b"<script>alert" in path.read_bytes()
    ]
    assert built.returncode != 0 or published == [], published
    assert checked.returncode == 1, checked.stdout


def _srcset_urls(srcset: str) -> list[str]:
    """The URLs a browser reads in ``srcset`` (the HTML standard's "parse a srcset attribute", without descriptors)."""
    urls, position = [], 0
    while True:
        position = re.compile(r"[\s,]*").match(srcset, position).end()
        if position >= len(srcset):
            return urls
        url = re.compile(r"\S*").match(srcset, position).group()
        position += len(url)
        if url.endswith(","):
            urls.append(url.rstrip(","))
            continue
        urls.append(url)
        depth = 0  # descriptors, up to a comma outside parentheses
        while position < len(srcset) and (srcset[position] != "," or depth):
            depth += {"(": 1, ")": -1}.get(srcset[position], 0)
            position += 1


def test_a_lead_images_file_name_cannot_add_a_candidate_from_another_host(tmp_path):
    """The lead image's variants are listed in srcset, where a space or a comma in the file's name splits it:
    'a, https:evil.example?.jpg' gave the candidates '…/a' and 'https:evil.example?-800w.jpg' (read as
    https://evil.example/), an image the reader's browser fetches from another host."""
    site = make_site(tmp_path / "newsroom")
    name = "a, https:evil.example?.jpg"
    site.write(f"stories/2021/05/{name}", jpeg_bytes(1200, 675))
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20", image=f"'{name}'", image_alt="Ảnh"))
    built = site.build()
    assert built.returncode == 0, built.stderr
    page_url = "https://example.vn/tin/2021/05/tin/"
    image = site.html("2021/05/tin/").select_one("figure.fl-lead img")
    urls = [image["src"], *_srcset_urls(image["srcset"])]
    assert len(urls) == 4, urls  # the image, and its three sizes
    assert {urlsplit(urljoin(page_url, url)).hostname for url in urls} == {"example.vn"}, urls
    for url in urls:
        assert (site.site_dir / "2021/05/tin" / unquote(urlsplit(url).path)).resolve().is_file(), url  # not broken


def test_a_docs_file_cannot_publish_script(tmp_path):
    """docs/ is content (README, Security): an HTML file put there is copied into the site and runs its script on
    the site's origin; `check` and `verify` say nothing."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20"))
    site.write("docs/evil.html", "<script>alert(document.domain)</script>")
    checked = _frontline(site, "check")
    built = site.build()
    assert built.returncode != 0 or b"<script>alert" not in (site.site_dir / "evil.html").read_bytes()
    assert checked.returncode == 1, checked.stdout


def test_an_alias_taking_a_file_of_docs_is_reported_by_check(tmp_path):
    """`check` passes an alias equal to a file MkDocs copies from docs/ (docs/tin/cu.html); the build then fails on
    it ('trùng với một trang đang có'), without the line."""
    site = make_site(tmp_path / "newsroom")
    site.write("docs/tin/cu.html", "<p>Trang cũ.</p>")
    site.write("stories/2021/05/tin.md", story("Tin", "2021-05-20", aliases="[tin/cu.html]"))
    checked = _frontline(site, "check")
    assert checked.returncode == 1 and "stories/2021/05/tin.md:4: aliases:" in checked.stdout, checked.stdout
