"""The allowlist on rendered body HTML, and ``frontline check`` reporting what it removes.

Every case of ``tests/security_corpus.py`` is checked three ways: ``frontline check`` on a newsroom holding it names
its file and a line of its body; the cleaned HTML has nothing that runs script or reaches another host; and the
scan reports something exactly when cleaning removes something."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontline.config.project import read_project
from frontline.content.frontmatter import read_document
from frontline.content.sanitize import TAGS, BodyScan, Policy, markdown_settings_from_yaml, parts_of
from tests.security_corpus import FLAGGED, IFRAME_HOST, INERT, SAFE
from tests.sites import REPO, make_site, story

NOW = "2021-12-31T00:00:00+07:00"
SETTINGS = markdown_settings_from_yaml(read_project(REPO / "mkdocs.yml").raw)
SCAN = BodyScan(Policy([IFRAME_HOST]), SETTINGS)
CASES = {**FLAGGED, **INERT, **SAFE}
FORBIDDEN = {"script", "style", "base", "meta", "link", "form", "input", "button", "object", "embed", "svg", "math"}
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
    env = {**os.environ, "FRONTLINE_NOW": NOW}
    return subprocess.run(
        [sys.executable, "-m", "frontline.cli", "check"], cwd=site.root, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def corpus_check(tmp_path_factory):
    """``frontline check`` once on a newsroom holding every corpus case as a story: ``(site, printed lines)``."""
    site = _newsroom(tmp_path_factory.mktemp("corpus") / "newsroom")
    for number, (case, body) in enumerate(sorted(CASES.items())):
        site.write(_file_of(case), story(f"Bài {number}", "2021-08-20", body=body, slug=f"bai-{number}"))
    result = _check(site)
    return site, result.returncode, [line.strip() for line in result.stdout.splitlines()]


@pytest.mark.e2e
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


@pytest.mark.e2e
def test_check_words_what_the_reporter_must_do(corpus_check):
    _, _, lines = corpus_check
    printed = "\n".join(lines)
    assert f"{_file_of('script')}:10: nội dung: thẻ <script> sẽ bị loại khỏi bài khi xuất bản; hãy xóa nó." in printed
    assert "thuộc tính onclick= (mã JavaScript) sẽ bị loại" in printed
    assert "đường dẫn 'javascript:…' không được phép; dùng liên kết http(s) hoặc đường dẫn trong trang." in printed
    assert "ảnh phải nằm trong dự án (không lấy từ máy chủ khác): 'https://evil.example/pixel.gif'" in printed
    assert "iframe từ 'evil.example' không nằm trong danh sách được phép (www.youtube.com)" in printed
    assert "extra.frontline.iframe_hosts" in printed


def _scheme(url: str) -> str | None:
    """A browser's reading of a URL's scheme, written independently of frontline.content.sanitize."""
    compact = re.sub(r"[\x00-\x20]", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    return match.group(1) if match else None


def assert_harmless(html: str) -> None:
    """Nothing in ``html`` runs script or makes the browser ask a host other than the page's own."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        assert element.name in TAGS and element.name not in FORBIDDEN, element
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            assert not name.startswith("on"), element
            assert name not in {"srcdoc", "formaction", "action", "xlink:href", "data", "srcset", "target"}, element
            if name == "style":
                assert re.fullmatch(r"text-align:\s*(left|right|center);?", value), element
            if name == "id":
                assert not value.startswith("__"), element
            if name == "href":
                assert _scheme(value) in {None, "http", "https", "mailto", "tel"}, element
            if name == "src":
                compact = re.sub(r"[\x00-\x20]", "", value).replace("\\", "/")
                if element.name == "iframe":
                    assert compact.startswith(f"https://{IFRAME_HOST}/"), element
                else:
                    assert _scheme(value) is None and not compact.startswith("//"), element


@pytest.mark.parametrize("case", sorted(CASES))
def test_cleaned_html_is_harmless(case):
    assert_harmless(SCAN.policy.clean(SCAN.render(CASES[case])))


def _removes_something(body: str) -> bool:
    html = SCAN.render(body)
    return bool(parts_of(html) - parts_of(SCAN.policy.clean(html)))


def _ordinary_bodies() -> dict[str, str]:
    bodies = {f"safe: {case}": body for case, body in SAFE.items()}
    for path in sorted((REPO / "stories").rglob("*.md")):
        document, _ = read_document(path, path.name)
        if document is not None:
            bodies[f"demo: {path.relative_to(REPO)}"] = document.body
    for path in sorted((REPO / "docs").rglob("*.md")):
        bodies[f"docs: {path.relative_to(REPO)}"] = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    return bodies


ORDINARY = _ordinary_bodies()


@pytest.mark.parametrize("name", sorted({*CASES, *ORDINARY}))
def test_findings_exactly_when_cleaning_removes_something(name):
    body = CASES.get(name) or ORDINARY[name]
    assert (SCAN.findings(body) != []) == _removes_something(body)


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_ordinary_bodies_are_untouched(name):
    html = SCAN.render(ORDINARY[name])
    assert parts_of(SCAN.policy.clean(html)) == parts_of(html)


FRAGMENTS = [
    *FLAGGED.values(),
    *INERT.values(),
    *SAFE.values(),
    "<",
    ">",
    "&",
    "&#",
    "&#x6A;",
    "javascript:",
    "[a](",
    ")",
    "{ ",
    " }",
    "#__x",
    ".c",
    "onclick=alert(1)",
    'href="',
    '"',
    "<a ",
    "<img src=",
    "<iframe src=",
    "https://evil.example/",
    f"https://{IFRAME_HOST}/embed/x",
    "//evil.example/x",
    "\n",
    "\n\n",
    "    ",
    "- ",
    "# ",
    "__",
    "\\_",
    '```python linenums="1"\n',
    "**",
    "`",
    "```\n",
    "<div markdown>",
    "</div>",
    "| a |\n|:-|\n| b |",
    "Chữ thường.",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8))
def test_random_bodies_agree_and_clean_to_harmless(pieces):
    body = "".join(pieces)
    assert (SCAN.findings(body) != []) == _removes_something(body)
    assert_harmless(SCAN.policy.clean(SCAN.render(body)))


@pytest.mark.e2e
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


@pytest.mark.e2e
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


LINK_TARGETS = [
    "https://vnexpress.net/tin.html",
    "http://example.vn/a_(b)",
    "images/anh.jpg",
    "../truoc/",
    "//evil.example/x.gif",
    "https://evil.example/pixel.gif",
    "java script:alert(1)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "mailto:toasoan@example.vn",
    "tel:+84123456789",
    "a b",
    "x:y",
    "#muc-1",
    "?q=da+nang",
    " tel:0123 ",
    "",
]
LINK_PIECES = st.one_of(
    st.builds("[chữ]({})".format, st.sampled_from(LINK_TARGETS)),
    st.builds("![ảnh]({})".format, st.sampled_from(LINK_TARGETS)),
    st.builds('[chữ]({} "tiêu đề")'.format, st.sampled_from(LINK_TARGETS)),
    st.builds("[chữ][r]\n\n[r]: {}\n".format, st.sampled_from(LINK_TARGETS)),
    st.builds("![ảnh][r]\n\n[r]:\n    {}\n".format, st.sampled_from(LINK_TARGETS)),
    st.sampled_from(["Số liệu[^1].\n\n[^1]: Theo Bộ Y tế.", "Đoạn văn.", "[chưa đóng](", "] và ) lạc"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINK_PIECES, min_size=1, max_size=5))
def test_bodies_of_links_skip_rendering_only_when_rendering_finds_nothing(pieces):
    """Stories that only link out are not rendered by the scan: the shortcut must never hide a finding."""
    body = "\n\n".join(pieces)
    assert SCAN.findings(body) == SCAN.rendered_findings(body), body
