"""The allowlist on rendered body HTML, and ``frontline check`` reporting what it removes.

Every case of ``tests/security_corpus.py`` is checked three ways: ``frontline check`` on a newsroom holding it names
its file and a line of its body; the cleaned HTML has nothing that runs script or reaches another host; and the
scan reports something exactly when cleaning removes something."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from frontline.content.frontmatter import read_document
from frontline.content.sanitize import parts_of
from tests.cli import run_frontline
from tests.security_corpus import FLAGGED, IFRAME_HOST
from tests.sites import make_site, story
from tests.unit.test_sanitize import CASES, SCAN, SETTINGS

NOW = "2021-12-31T00:00:00+07:00"


REPO_EXTENSIONS = (
    "markdown_extensions:\n"
    + "".join(f"  - {name}\n" for name, _ in SETTINGS if name != "toc")
    + "  - toc:\n      permalink: false\n"
)


def _file_of(case: str) -> str:
    return f"stories/2021/08/{re.sub(r'[^a-z0-9]+', '-', case.lower()).strip('-')}.md"


def _newsroom(root: Path):
    """A fixture newsroom with the demo's Markdown extensions and YouTube as its iframe host."""
    site = make_site(root)
    config = site.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("markdown_extensions:\n  - frontline.markdown_ext\n", REPO_EXTENSIONS)
    text = text.replace(
        "    feed_id_authority: example.vn\n", f"    feed_id_authority: example.vn\n    iframe_hosts: [{IFRAME_HOST}]\n"
    )
    config.write_text(text, encoding="utf-8")
    return site


def _check(site) -> subprocess.CompletedProcess:
    return run_frontline("check", cwd=site.root, now=NOW)


@pytest.fixture(scope="module")
def corpus_check(tmp_path_factory):
    """``frontline check`` once on a newsroom holding every corpus case as a story: ``(site, printed lines)``."""
    site = _newsroom(tmp_path_factory.mktemp("corpus") / "newsroom")
    for number, (case, body) in enumerate(sorted(CASES.items())):
        site.write(_file_of(case), story(f"Bài {number}", "2021-08-20", body=body, slug=f"bai-{number}"))
    result = _check(site)
    return site, result.returncode, [line.strip() for line in result.stdout.splitlines()]


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_names_the_file_and_a_body_line(corpus_check, case):
    site, code, lines = corpus_check
    assert code == 1
    name = _file_of(case)
    found = [line for line in lines if line.startswith(name + ":")]
    if case not in FLAGGED:  # nothing removed (a link to no file of the project is told, as "liên kết")
        assert [line for line in found if ": liên kết: " not in line] == []
        return
    assert found, "\n".join(lines)
    document, _ = read_document(site.root / name, name)
    assert document is not None
    last = document.body_line + document.body.count("\n")
    # What cleaning removes is told as "nội dung"; the same text may also hold a control character (refused as
    # "ký tự" before anything is rendered) or a link to no file of the project ("liên kết").
    assert any(": nội dung: " in line or ": ký tự: " in line for line in found), found
    for line in found:
        number = int(line.split(":")[1])
        assert document.body_line <= number <= last, line
        if ": nội dung: " in line:
            assert "sẽ bị loại" in line or "không được phép" in line, line
        else:
            assert ": liên kết: " in line or ": ký tự: " in line, line


def test_check_words_what_the_reporter_must_do(corpus_check):
    _, _, lines = corpus_check
    printed = "\n".join(lines)
    assert f"{_file_of('script')}:10: nội dung: thẻ <script> sẽ bị loại khỏi bài khi xuất bản; hãy xóa nó." in printed
    assert "thuộc tính onclick= (mã JavaScript) sẽ bị loại" in printed
    assert "đường dẫn 'javascript:…' không được phép; dùng liên kết http(s) hoặc đường dẫn trong trang." in printed
    assert "ảnh phải nằm trong dự án (không lấy từ máy chủ khác): 'https://evil.example/pixel.gif'" in printed
    assert "iframe từ 'evil.example' không nằm trong danh sách được phép (www.youtube.com)" in printed
    assert "extra.frontline.iframe_hosts" in printed


def test_check_lists_a_campaign_and_a_story_with_script(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    campaign = (site.root / "docs/campaigns/bac-giang.md").read_text(encoding="utf-8")
    site.write("docs/campaigns/bac-giang.md", campaign + "\n<script>alert(1)</script>\n")
    site.write("stories/2021/08/bai.md", story("Tin", "2021-08-20", body="Đoạn một.\n\n<script>alert(2)</script>"))
    site.write("docs/gioi-thieu.md", "---\ntitle: Giới thiệu\n---\n\nĐoạn.\n\n<img src=x onerror=alert(3)>\n")
    result = _check(site)
    assert result.returncode == 1
    campaign_line = len(campaign.split("\n")) + 1
    assert f"docs/campaigns/bac-giang.md:{campaign_line}: nội dung: thẻ <script> sẽ bị loại" in result.stdout
    assert "stories/2021/08/bai.md:9: nội dung: thẻ <script> sẽ bị loại" in result.stdout
    assert "docs/gioi-thieu.md:7: nội dung: thuộc tính onerror= (mã JavaScript) sẽ bị loại" in result.stdout
    built = site.build()  # the build reads content with the same loader: it stops on the same problems
    assert built.returncode != 0
    assert "stories/2021/08/bai.md:9" in built.stdout + built.stderr


ORDINARY_STORY = """\
Số ca mắc[^1] theo [báo cáo](https://example.vn/bao-cao) và [thư](mailto:a@example.vn).

| Tỉnh | Ca |
|:--|--:|
| Bắc Giang | 100 |

!!! note "Lưu ý"
    Người dân cần khai báo y tế.

```python
print("xin chào")
```

<iframe src="https://www.youtube.com/embed/x" title="Video"></iframe>

[^1]: Theo Bộ Y tế.
"""


def test_clean_content_builds_with_its_structure(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    site.write("stories/2021/08/bai.md", story("Tin thường", "2021-08-20", body=ORDINARY_STORY))
    result = _check(site)
    assert result.returncode == 0, result.stdout
    built = site.build()
    assert built.returncode == 0, built.stderr
    article = site.html("2021/08/tin-thuong/").select_one("article")
    expected = SCAN.render(ORDINARY_STORY)
    page_parts = parts_of(str(article))
    # Every element and attribute of the rendered Markdown is on the page (the table's alignment as nh3 writes it).
    assert not parts_of(expected) - page_parts
    assert article.select_one('th[style="text-align:left"]') is not None
    assert article.select_one('li[id="fn:1"] a.footnote-backref[href="#fnref:1"]') is not None
    assert article.select_one(f'iframe[src="https://{IFRAME_HOST}/embed/x"]') is not None
    assert article.select_one('a[href="https://example.vn/bao-cao"]').get("rel") is None
