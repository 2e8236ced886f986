"""Every bad input gets one clear ``file:line: field: message`` in Vietnamese, from ``frontline check`` and from the
build alike: never a traceback, never a file written outside the project, never a machine brought to its knees."""

from __future__ import annotations

import resource

import pytest

from frontline.cli import main
from frontline.content.dates import DateError, parse_when
from tests.sites import CAMPAIGN, make_site, story
from tests.snapshots import snapshot

NOW = "2021-12-31T00:00:00+07:00"
LAUGHS = "\n".join(
    [
        'a: &a ["x","x","x","x","x","x","x","x","x"]',
        *(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]" for i in range(1, 9)),
    ]
)
"""Nine levels of nine aliases: 387 million strings once expanded, in 390 bytes."""


def front(*lines: str, body: str = "Nội dung bài viết.") -> str:
    """A story: ``lines`` are its front matter (line 2 onwards), then the body."""
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


OK = ("title: Tin", "date: 2021-05-20", "authors: [ha]")
"""Front matter lines 2–4 of a story with nothing wrong."""

# Each bad story: its file under stories/2021/05/, its text, and the (line, field, words) its problem is reported with.
BAD_STORIES = {
    "laughs.md": (front(*OK, LAUGHS, "tags: *i"), 5, "YAML", "(&a)"),
    "unused-anchor.md": (front(*OK, "location: &noi Đà Nẵng"), 5, "YAML", "(&noi)"),
    "deep-flow.md": (front(*OK, "tags: " + "[" * 20_000 + "]" * 20_000), 5, "YAML", "quá 20 tầng"),
    "deep-block.md": (front(*OK, "tags:", "- " * 20_000 + "x"), 6, "YAML", "quá 20 tầng"),
    "vertical-tab.md": (front(*OK, body="Dòng một\n\nDòng hai\x0bdòng ba"), 9, "ký tự", "U+000B"),
    "control-title.md": (front("title: Tin\x01 nóng", *OK[1:]), 2, "ký tự", "U+0001"),
    "c1-body.md": (front(*OK, body="Dòng\x85 một"), 7, "ký tự", "U+0085"),
    "noncharacter.md": (front(*OK, body="Một\n\nHai \uffff"), 9, "ký tự", "U+FFFF"),
    "year-1.md": (front("title: Tin", "date: 0001-01-01T03:00+14:00", "authors: [ha]"), 3, "date", "năm 1 "),
    "year-9999.md": (front("title: Tin", "date: 9999-12-31T23:00Z", "authors: [ha]"), 3, "date", "năm 9999"),
    "year-updated.md": (front(*OK, "updated: 2500-01-01"), 5, "updated", "năm 2500"),
    "tag-marks.md": (front(*OK, 'tags: [y tế, "???"]'), 5, "tags", "'???'"),
    "tag-emoji.md": (front(*OK, "tags: [🦠]"), 5, "tags", "'🦠'"),
    "place-marks.md": (front(*OK, 'location: "!!!"'), 5, "location", "'!!!'"),
    "alias-feed.md": (front(*OK, "aliases: [feed.xml]"), 5, "aliases", "/feed.xml"),
    "alias-sitemap.md": (front(*OK, "aliases: [/sitemap.xml.gz]"), 5, "aliases", "/sitemap.xml.gz"),
    "alias-topics.md": (front(*OK, "aliases: [topics/y-te/]"), 5, "aliases", "/topics/"),
    "alias-docs-page.md": (front(*OK, "aliases: [/gioi-thieu/]"), 5, "aliases", "docs/"),
    "alias-quote.md": (front(*OK, "aliases: ['tin/a\"><b>x/']"), 5, "aliases", "không phải đường dẫn cũ"),
    "alias-space.md": (front(*OK, "aliases: [tin cu/bai]"), 5, "aliases", "không phải đường dẫn cũ"),
    "tin mới.md": (front(*OK), 1, "id", "tin-moi.md"),
    "id-invisible.md": (front(*OK, "id: tin\u200bmoi"), 5, "id", "ký tự điều khiển"),
    "image-config.md": (front(*OK, "image: ../mkdocs.yml", "image_alt: Ảnh"), 5, "image", "ngoài stories/ và docs/"),
    "long-title.md": (front("title: " + "Dài " * 80, *OK[1:]), 2, "title", "quá giới hạn 300"),
    "big.md": (front(*OK, body="Chữ. " * 25_000), 1, "tệp", "max_story_bytes"),
}
# Campaign files under docs/campaigns/: their text and problem.
BAD_CAMPAIGNS = {
    "bac-giang.md": (CAMPAIGN.replace("summary:", "template: ../../mkdocs.yml\nsummary:"), 5, "template", "không phải"),
    "khong-co.md": (CAMPAIGN.replace("summary:", "template: khong-co.html\nsummary:"), 5, "template", "khong-co.html"),
    "Chien Dich.md": (CAMPAIGN, 1, "tên tệp", "chien-dich"),
    "long.md": (front("title: Dài", "start: 2021-05-15", "x: " + "[" * 40_000 + "]" * 40_000), 4, "YAML", "quá 20 "),
    "anchors.md": (front("title: &t Neo", "start: 2021-05-15", "summary: *t"), 2, "YAML", "(&t)"),
}


def check(site, capsys, *args: str) -> tuple[int, str]:
    code = main(["--config", str(site.root / "mkdocs.yml"), "check", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def assert_reported(output: str, path: str, line: int, field: str, words: str) -> None:
    [reported] = [text for text in output.splitlines() if text.strip().startswith(f"{path}:")] or [""]
    assert reported.strip().startswith(f"{path}:{line}: {field}: "), (path, output)
    assert words in reported, reported


@pytest.fixture
def bad_site(tmp_path, monkeypatch):
    """One project holding every bad story and campaign at once, two folders down in ``tmp_path``."""
    monkeypatch.setenv("FRONTLINE_NOW", NOW)
    site = make_site(tmp_path / "a" / "b" / "newsroom", with_campaign=False)
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    max_story_bytes: 100000\n", encoding="utf-8")
    site.write("docs/gioi-thieu.md", "# Giới thiệu\n")
    site.write("stories/2021/05/tot.md", story("Tin tốt vẫn đúng", "2021-05-20"))
    for name, (text, *_) in BAD_STORIES.items():
        site.write(f"stories/2021/05/{name}", text)
    for name, (text, *_) in BAD_CAMPAIGNS.items():
        site.write(f"docs/campaigns/{name}", text)
    return site


def test_check_reports_every_bad_input_on_its_line(bad_site, capsys):
    code, output = check(bad_site, capsys)
    assert code == 1
    for name, (_, line, field, words) in BAD_STORIES.items():
        assert_reported(output, f"stories/2021/05/{name}", line, field, words)
    for name, (_, line, field, words) in BAD_CAMPAIGNS.items():
        assert_reported(output, f"docs/campaigns/{name}", line, field, words)
    assert "tot.md" not in output


def test_build_stops_on_the_same_lines_and_writes_nothing_outside(bad_site, tmp_path):
    before = snapshot(tmp_path, skip=bad_site.root, folders=True)
    result = bad_site.build(now=NOW)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    for name, (_, line, field, _) in BAD_STORIES.items():
        assert f"stories/2021/05/{name}:{line}: {field}: " in output
    for name, (_, line, field, _) in BAD_CAMPAIGNS.items():
        assert f"docs/campaigns/{name}:{line}: {field}: " in output
    assert snapshot(tmp_path, skip=bad_site.root, folders=True) == before


def test_a_file_over_the_size_limit_is_not_read_whole(tmp_path, capsys, monkeypatch):
    """The default limit is 2 MB; the file is refused on its size, not parsed."""
    monkeypatch.setenv("FRONTLINE_NOW", NOW)
    site = make_site(tmp_path / "n")
    site.write("stories/2021/05/lon.md", front(*OK, body="x" * 2_000_001))
    site.write("stories/2021/05/vua.md", front(*OK[1:], "title: Vừa", body="x" * 1_999_000))
    code, output = check(site, capsys)
    assert code == 1
    assert_reported(output, "stories/2021/05/lon.md", 1, "tệp", "2000000 byte")
    assert "vua.md" not in output


def test_the_size_limit_option_is_checked(tmp_path, capsys, monkeypatch):
    site = make_site(tmp_path / "n")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    max_story_bytes: nhiều\n", encoding="utf-8")
    code, output = check(site, capsys)
    assert code == 1
    assert "mkdocs.yml:19: extra.frontline.max_story_bytes: 'nhiều' không dùng được" in output


@pytest.mark.parametrize(
    ("authors", "line", "field", "words"),
    [
        ('"../../../x":\n  name: X\n', 1, "../../../x", "ví dụ: x"),
        ("ha:\n  name: Hà\n'x\"><script>':\n  name: X\n", 3, 'x"><script>', "ví dụ: x-script"),
        ("Nguyễn Văn A:\n  name: A\n", 1, "Nguyễn Văn A", "ví dụ: nguyen-van-a"),
        ("ha:\n  name: Hà\n" + LAUGHS.replace("\n", "\nx") + "\n", 3, "YAML", "(&a)"),
        ("ha:\n  name: Hà\n  bio: " + "[" * 20_000 + "]" * 20_000 + "\n", 3, "YAML", "quá 20 tầng"),
        ("ha:\n  name: Hà\n  bio: Một\x0bhai\n", 3, "ký tự", "U+000B"),
    ],
    ids=["path", "markup", "vietnamese", "aliases", "deep", "vertical-tab"],
)
def test_authors_file(tmp_path, capsys, monkeypatch, authors, line, field, words):
    monkeypatch.setenv("FRONTLINE_NOW", NOW)
    site = make_site(tmp_path / "n")
    site.write("stories/authors.yml", authors)
    code, output = check(site, capsys)
    assert code == 1
    assert_reported(output, "stories/authors.yml", line, field, words)


def test_an_author_id_that_is_a_path_writes_nothing_outside_the_project(tmp_path):
    site = make_site(tmp_path / "a" / "b" / "newsroom")
    site.write("stories/authors.yml", '"../../../../x":\n  name: X\nha:\n  name: Hà\n')
    site.write("stories/2021/05/a.md", story("Tin", "2021-05-20", authors='["../../../../x"]'))
    before = snapshot(tmp_path, skip=site.root, folders=True)
    result = site.build()
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert "stories/authors.yml:1: ../../../../x: mã tác giả" in output
    assert snapshot(tmp_path, skip=site.root, folders=True) == before


def test_a_valid_campaign_template_is_accepted(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FRONTLINE_NOW", NOW)
    site = make_site(tmp_path / "n")
    site.write("docs/campaigns/bac-giang.md", CAMPAIGN.replace("summary:", "template: campaign.html\nsummary:"))
    site.write("docs/campaigns/trang.md", CAMPAIGN.replace("summary:", "template: main.html\nsummary:"))
    assert check(site, capsys) == (0, "Không có lỗi (0 bài, 2 chiến dịch).\n")


@pytest.mark.parametrize("written", ["0001-01-01T03:00+14:00", "9999-12-31T23:00Z", "2200-12-31T23:00Z", "1899-06-01"])
def test_dates_outside_the_calendar_are_refused_in_vietnamese(written):
    with pytest.raises(DateError, match="nằm ngoài khoảng 1900–2200"):
        parse_when(written)


@pytest.mark.parametrize(
    ("args", "env", "code", "words"),
    [
        (["check", "--now", "hom-nay"], {}, 2, "--now: không hiểu ngày 'hom-nay'"),
        (["verify", "--now", "9999-12-31T23:00Z"], {}, 2, "--now: năm 9999"),
        (["check"], {"FRONTLINE_NOW": "abc"}, 1, "FRONTLINE_NOW: không hiểu ngày 'abc'"),
        (["check"], {"SOURCE_DATE_EPOCH": "abc"}, 1, "SOURCE_DATE_EPOCH: 'abc' không dùng được"),
        (["build"], {"SOURCE_DATE_EPOCH": "99999999999999"}, 1, "SOURCE_DATE_EPOCH: '99999999999999'"),
        (["new", "Tin", "--author", "ha"], {"SOURCE_DATE_EPOCH": "-5"}, 1, "SOURCE_DATE_EPOCH: '-5'"),
    ],
)
def test_a_bad_now_stops_every_command_with_one_line(tmp_path, capsys, monkeypatch, args, env, code, words):
    site = make_site(tmp_path / "n")
    monkeypatch.delenv("FRONTLINE_NOW", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["--config", str(site.root / "mkdocs.yml"), *args]) == code
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(words) and err.count("\n") == 1, err
    assert sorted(path.name for path in site.root.iterdir()) == ["docs", "mkdocs.yml", "stories"]


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"FRONTLINE_NOW": "hom-nay"}, "FRONTLINE_NOW: không hiểu ngày 'hom-nay'"),
        ({"FRONTLINE_NOW": "", "SOURCE_DATE_EPOCH": "abc"}, "SOURCE_DATE_EPOCH: 'abc'"),
    ],
)
def test_a_bad_now_stops_the_engine_build_without_a_traceback(tmp_path, env, words):
    site = make_site(tmp_path / "n")
    site.write("stories/2021/05/a.md", story("Tin", "2021-05-20"))
    env = dict(env)
    result = site.build(now=env.pop("FRONTLINE_NOW"), extra_env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert words in output
    assert "Traceback" not in output


def test_new_refuses_a_title_without_letters_unless_given_a_slug(tmp_path, capsys, monkeypatch):
    site = make_site(tmp_path / "n")
    monkeypatch.setenv("FRONTLINE_NOW", "2021-08-20T09:30:00+07:00")
    config = ["--config", str(site.root / "mkdocs.yml")]
    assert main([*config, "new", "🦠🦠", "--author", "ha"]) == 1
    assert "hoặc thêm --slug" in capsys.readouterr().err
    assert not (site.root / "stories/2021").exists()
    assert main([*config, "new", "🦠🦠", "--author", "ha", "--slug", "Virus Mới"]) == 1
    assert "--slug virus-moi" in capsys.readouterr().err
    assert main([*config, "new", "🦠🦠", "--author", "ha", "--slug", "virus-moi"]) == 0
    assert capsys.readouterr().out.strip() == "stories/2021/08/virus-moi.md"
    text = (site.root / "stories/2021/08/virus-moi.md").read_text(encoding="utf-8")
    assert 'title: "🦠🦠"' in text and 'slug: "virus-moi"' in text
    assert main([*config, "check"]) == 0


def test_a_yaml_bomb_is_refused_before_it_is_expanded(tmp_path):
    """The build, with 1 GB of address space: expanding the aliases (as the build once did, to describe the
    authors) would take several."""
    site = make_site(tmp_path / "n")
    site.write("stories/authors.yml", LAUGHS + "\nha:\n  name: Hà\n  avatar: *i\n")
    site.write("stories/2021/05/a.md", story("Tin", "2021-05-20"))

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = site.build(now=NOW, timeout=120, run={"preexec_fn": limit_memory})
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "stories/authors.yml:1: YAML: không dùng neo YAML (&a)" in output
    assert "Traceback" not in output and "MemoryError" not in output


def test_a_less_than_typed_before_an_image_builds_as_text(tmp_path):
    """ "<" typed right before an image (``<![ảnh](…)``) reads as an HTML declaration that Python 3.11's parser raises
    on: in MkDocs' collector of raw HTML anchors (every page) and in the check of what cleaning removes (a story), the
    build stopped with a traceback. The story and a page of docs/ now build, the "<" shown as text."""
    site = make_site(tmp_path / "newsroom")
    body = "Giá vé <![ảnh](/anh.jpg) hôm nay."
    site.write("stories/2021/05/gia-ve.md", story("Giá vé", "2021-05-20T08:00", body=body))
    site.write("docs/gioi-thieu.md", f"# Giới thiệu\n\n{body}\n")
    result = site.frontline("build")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for url in ("2021/05/gia-ve/", "gioi-thieu/"):
        text = site.html(url).get_text(" ")
        assert "Giá vé <" in text and "hôm nay" in text, url
