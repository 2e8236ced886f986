"""Bad input through `frontline check` and `frontline build`: a clear error and nothing lost."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

import pytest

from frontline.cli import main
from tests.cli import run_frontline
from tests.sites import FixtureSite, make_site, story

NOW = "2021-12-31T00:00:00+07:00"
GOOD = story("Bài tốt vẫn được xuất bản", "2021-05-20", campaign="bac-giang")

# name: (bytes or text of stories/2021/08/bai.md, expected message part or None when accepted)
CASES: dict[str, tuple[str | bytes, str | None]] = {
    "yaml syntax": ("---\ntitle: Tin\ndate: 2021-08-20\nauthors: [ha\n---\n", "bai.md:5: YAML: lỗi cú pháp YAML"),
    "no closing fence": ("---\ntitle: Tin\ndate: 2021-08-20\nauthors: [ha]\n\nThân bài.\n", "thiếu dòng --- đóng"),
    "empty file": ("", "bai.md:1: tệp: tệp rỗng"),
    "windows-1258": (
        unicodedata.normalize("NFD", "---\ntitle: Tin Đà Lạt\ndate: 2021-08-20\nauthors: [ha]\n---\n").encode("cp1258"),
        "bai.md:2: mã hóa: tệp không phải UTF-8 (có thể được lưu bằng Windows-1258",
    ),
    "day-first date": (
        story("Tin", "20/8/2021"),
        "bai.md:3: date: '20/8/2021' viết theo kiểu ngày/tháng/năm; hãy viết theo ISO 8601: 2021-08-20",
    ),
    "unknown campaign": (story("Tin", "2021-08-20", campaign="bac-giag"), "Có phải ý bạn là 'bac-giang'?"),
    "unknown author": (story("Tin", "2021-08-20", authors="[hà]"), "authors: không có tác giả 'hà'"),
    "blank title": (
        "---\ntitle: '   '\ndate: 2021-08-20\nauthors: [ha]\n---\n",
        "bai.md:2: title: thiếu title hoặc title chỉ có khoảng trắng",
    ),
    "image escapes": (
        story("Tin", "2021-08-20", image="../../../../../etc/hostname", image_alt="x"),
        "image: '../../../../../etc/hostname' trỏ ra ngoài thư mục dự án",
    ),
    "absolute image": (
        story("Tin", "2021-08-20", image="/etc/hostname", image_alt="x"),
        "image: '/etc/hostname' là đường dẫn tuyệt đối",
    ),
    "alias escapes": (
        story("Tin", "2021-08-20", aliases="['../../etc/']"),
        "aliases: '../../etc/' không phải đường dẫn cũ hợp lệ",
    ),
    "absolute alias": (
        story("Tin", "2021-08-20", aliases="['https://evil.example/x/']"),
        "aliases: 'https://evil.example/x/' không phải",
    ),
    "slug with slash": (story("Tin", "2021-08-20", slug="a/b"), "slug: slug 'a/b' không hợp lệ"),
    "slug with dots": (story("Tin", "2021-08-20", slug=".."), "slug: slug '..' không hợp lệ"),
    "script in body": (
        story("Tin", "2021-08-20", body="Đoạn một.\n\n<script>alert(1)</script>"),
        "bai.md:9: nội dung: thẻ <script> sẽ bị loại khỏi bài khi xuất bản",
    ),
    "event handler": (story("Tin", "2021-08-20", body='<img src="a.jpg" onerror="alert(1)">'), "thuộc tính onerror="),
    "javascript link": (
        story("Tin", "2021-08-20", body="[bấm](javascript:alert(1))"),
        "đường dẫn 'javascript:…' không được phép",
    ),
    "foreign iframe": (
        story("Tin", "2021-08-20", body='<iframe src="https://evil.example/x"></iframe>'),
        "iframe từ 'evil.example' không nằm trong danh sách được phép (www.youtube.com)",
    ),
    "draft as text": (story("Tin", "2021-08-20", draft="maybe"), "draft: draft chỉ nhận true hoặc false"),
    "misspelt field": (
        story("Tin", "2021-08-20", tittle="x"),
        "tittle: trường không được hỗ trợ. Có phải ý bạn là 'title'?",
    ),
    # Accepted: normalised rather than refused.
    "utf-8 bom": ("\ufeff" + story("Tin có BOM", "2021-08-20"), None),
    "crlf": (story("Tin CRLF", "2021-08-20", body="Dòng một.\n\nDòng hai.").replace("\n", "\r\n"), None),
    "z offset": (story("Tin giờ UTC", "2021-08-20T02:30:00Z"), None),
    "other offset": (story("Tin giờ Bắc Kinh", "2021-08-20T10:30:00+08:00"), None),
    "tags as text": (story("Tin chủ đề", "2021-08-20", tags="xét nghiệm, tiêm vaccine", authors="ha"), None),
    "draft false as text": (story("Tin không nháp", "2021-08-20", draft='"false"'), None),
    "nfd text": (unicodedata.normalize("NFD", story("Đà Nẵng tăng tốc tiêm vaccine", "2021-08-20")), None),
    "allowed iframe": (
        story(
            "Tin có video", "2021-08-20", body='<iframe src="https://www.youtube.com/embed/x" title="Video"></iframe>'
        ),
        None,
    ),
}
ACCEPTED_URLS = {
    "utf-8 bom": "2021/08/tin-co-bom/",
    "crlf": "2021/08/tin-crlf/",
    "z offset": "2021/08/tin-gio-utc/",
    "other offset": "2021/08/tin-gio-bac-kinh/",
    "tags as text": "2021/08/tin-chu-de/",
    "draft false as text": "2021/08/tin-khong-nhap/",
    "nfd text": "2021/08/da-nang-tang-toc-tiem-vaccine/",
    "allowed iframe": "2021/08/tin-co-video/",
}


REFUSED = sorted(case for case, (_, expected) in CASES.items() if expected is not None)
ACCEPTED = sorted(case for case, (_, expected) in CASES.items() if expected is None)


def _file_of(case: str) -> str:
    """Each case is its own story file, named for it (``yaml syntax`` → ``stories/2021/08/yaml-syntax.md``)."""
    return f"stories/2021/08/{re.sub(r'[^a-z0-9]+', '-', case.lower()).strip('-')}.md"


def _newsroom(root, cases):
    """A newsroom holding one good story and every case of ``cases``, each in its own file."""
    site = make_site(root)
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    iframe_hosts: [www.youtube.com]\n", encoding="utf-8")
    site.write("stories/2021/05/tot.md", GOOD)
    for case in cases:
        site.write(_file_of(case), CASES[case][0])
    return site


def _problem_of(output: str, case: str) -> str:
    """The problems reported for ``case``'s file (lines starting, once indented, with its path)."""
    path = _file_of(case)
    return "\n".join(line.strip() for line in output.splitlines() if line.strip().startswith(f"{path}:"))


@dataclass(frozen=True)
class Run:
    """One command's run over a newsroom holding many cases."""

    site: FixtureSite
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    """``frontline check`` and ``frontline build`` once each over one newsroom holding every refused case: a
    mistake in one file must not hide another's, so every case's message is in the same run's output."""
    site = _newsroom(tmp_path_factory.mktemp("refused") / "newsroom", REFUSED)
    old = site.write("site/index.html", "bản cũ")
    checked = run_frontline("check", cwd=site.root, now=NOW)
    built = run_frontline("build", cwd=site.root)
    return {
        "check": Run(site, checked.returncode, checked.stdout, checked.stderr),
        "build": Run(site, built.returncode, built.stdout, built.stderr),
        "old": old,
    }


@pytest.fixture(scope="module")
def accepted(tmp_path_factory):
    """The same over one newsroom holding every accepted case (and the good story): check passes, build publishes."""
    site = _newsroom(tmp_path_factory.mktemp("accepted") / "newsroom", ACCEPTED)
    site.write("site/index.html", "bản cũ")
    checked = run_frontline("check", cwd=site.root, now=NOW)
    built = run_frontline("build", cwd=site.root)
    return {
        "check": Run(site, checked.returncode, checked.stdout, checked.stderr),
        "build": Run(site, built.returncode, built.stdout, built.stderr),
    }


@pytest.mark.parametrize("case", REFUSED)
def test_check_reports_each_refused_case_on_its_file(refused, case):
    run = refused["check"]
    expected = CASES[case][1].replace("bai.md:", _file_of(case).rsplit("/", 1)[1] + ":")
    assert run.code == 1
    assert "Traceback" not in run.out + run.err
    assert expected in _problem_of(run.out, case), run.out
    assert "tot.md" not in run.out


@pytest.mark.parametrize("case", ACCEPTED)
def test_check_accepts_each_accepted_case(accepted, case):
    run = accepted["check"]
    assert run.code == 0, run.out + run.err
    assert f"Không có lỗi ({len(ACCEPTED) + 1} bài" in run.out  # every accepted file is read as a story
    assert _file_of(case) not in run.out + run.err


@pytest.mark.parametrize("case", REFUSED)
def test_build_fails_on_each_refused_case_keeping_the_old_site(refused, case):
    run = refused["build"]
    expected = CASES[case][1].replace("bai.md:", _file_of(case).rsplit("/", 1)[1] + ":")
    assert "Traceback" not in run.out + run.err
    assert run.code == 1
    assert expected in _problem_of(run.err, case), run.err
    assert refused["old"].read_text(encoding="utf-8") == "bản cũ"
    assert sorted(p.name for p in run.site.root.iterdir() if p.name != ".cache") == [
        "docs",
        "mkdocs.yml",
        "site",
        "stories",
    ]


@pytest.mark.parametrize("case", ACCEPTED)
def test_build_publishes_each_accepted_case(accepted, case):
    run = accepted["build"]
    assert "Traceback" not in run.out + run.err
    assert run.code == 0, run.err
    assert (run.site.site_dir / ACCEPTED_URLS[case] / "index.html").exists()
    assert (run.site.site_dir / "2021/05/bai-tot-van-duoc-xuat-ban/index.html").exists()


def test_accepted_inputs_keep_their_meaning(tmp_path):
    site = make_site(tmp_path / "n")
    site.write("stories/2021/08/a.md", CASES["z offset"][0])
    site.write("stories/2021/08/b.md", CASES["tags as text"][0])
    assert site.build().returncode == 0
    page = site.html("2021/08/tin-gio-utc/")
    assert page.select_one(".fl-meta time")["datetime"] == "2021-08-20T09:30:00+07:00"
    tags = [a.get_text() for a in site.html("2021/08/tin-chu-de/").select(".fl-tags a")]
    assert tags == ["xét nghiệm", "tiêm vaccine"]


def test_check_json_and_paths(tmp_path, capsys):
    site = make_site(tmp_path / "n")
    site.write("stories/a/bad.md", story("Tin", "hôm qua"))
    site.write("stories/b/bad.md", story("Tin khác", "2021-13-01"))
    code = main(["--config", str(site.root / "mkdocs.yml"), "check", "--format", "json", str(site.root / "stories/a")])
    problems = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(p["path"], p["line"], p["field"]) for p in problems] == [("stories/a/bad.md", 3, "date")]


def test_new_scaffolds_a_draft_that_passes_check(tmp_path, capsys, monkeypatch):
    site = make_site(tmp_path / "n")
    monkeypatch.setenv("FRONTLINE_NOW", "2021-08-20T09:30:00+07:00")
    config = ["--config", str(site.root / "mkdocs.yml")]
    args = [*config, "new", 'Đà Nẵng: <b>xét nghiệm</b> "toàn dân"', "--author", "ha", "--campaign", "bac-giang"]
    assert main([*args, "--location", "Đà Nẵng"]) == 0
    path = capsys.readouterr().out.strip()
    assert path == "stories/2021/08/da-nang-b-xet-nghiem-b-toan-dan.md"
    text = (site.root / path).read_text(encoding="utf-8")
    assert 'title: "Đà Nẵng: <b>xét nghiệm</b> \\"toàn dân\\""' in text
    assert "date: 2021-08-20T09:30:00+07:00" in text
    assert "draft: true" in text and "id: urn:uuid:" in text
    assert main([*config, "check"]) == 0
    capsys.readouterr()
    assert main(args) == 1
    assert "không ghi đè" in capsys.readouterr().err
    assert main([*config, "new", "Tin", "--author", "khong-co"]) == 1
    assert "Không có tác giả 'khong-co'" in capsys.readouterr().err


def test_cli_help_is_vietnamese():
    result = run_frontline("--help", cwd=".")
    assert result.returncode == 0
    assert "cách dùng: frontline" in result.stdout and "kiểm tra nội dung" in result.stdout


# extra.frontline as an editor might write it: (its lines, expected message part or None when accepted)
OPTION_CASES: dict[str, tuple[str, str | None]] = {
    "zero per page": ("per_page: 0", "extra.frontline.per_page: '0' không dùng được: cần một số nguyên dương"),
    "negative home size": ("home_size: -1", "extra.frontline.home_size: '-1' không dùng được"),
    "word for a number": ("feed_size: năm mươi", "extra.frontline.feed_size: 'năm mươi' không dùng được"),
    "stories outside": (
        "stories_dir: ../../etc",
        "extra.frontline.stories_dir: '../../etc' trỏ ra ngoài thư mục dự án",
    ),
    "absolute stories": ("stories_dir: /etc", "extra.frontline.stories_dir: '/etc' là đường dẫn tuyệt đối"),
    "url as iframe host": (
        "iframe_hosts: [https://www.youtube.com/embed]",
        "extra.frontline.iframe_hosts: 'https://www.youtube.com/embed' không phải tên máy chủ; hãy ghi tên máy chủ, "
        "không có https:// hay đường dẫn, ví dụ www.youtube.com.",
    ),
    "url as feed authority": (
        "feed_id_authority: https://example.vn/",
        "extra.frontline.feed_id_authority: 'https://example.vn/' không dùng được trong mã nguồn tin (tag: URI)",
    ),
    "month 13": ("feed_id_date: 2020-13", "extra.frontline.feed_id_date: '2020-13' không dùng được"),
    "missing logo": (
        "logo: assets/khong-co.png",
        "extra.frontline.logo: không có tệp 'assets/khong-co.png' trong docs/: hãy ghi đường dẫn của ảnh logo",
    ),
    "logo outside docs": ("logo: ../mkdocs.yml", "extra.frontline.logo: không có tệp '../mkdocs.yml' trong docs/"),
    "misspelt option": ("per_pag: 3", "extra.frontline.per_pag: không có tùy chọn này. Có phải ý bạn là 'per_page'?"),
    # Accepted: written another way, meaning the same.
    "number as text": ('per_page: "3"', None),
    "hosts as text": ("iframe_hosts: www.youtube.com, vimeo.com", None),
    "date as feed date": ("feed_id_date: 2020-05-01", None),
    "logo as an address": ("logo: https://example.vn/logo.png", None),
    "logo from the root": ("logo: /assets/logo.png", None),
}


def _configured(tmp_path, *lines: str):
    """A newsroom whose extra.frontline holds ``lines`` (and, unless they set them, a feed authority and YouTube
    as an allowed iframe host); its one story embeds a YouTube video."""
    site = make_site(tmp_path / "newsroom")
    config = site.root / "mkdocs.yml"
    head, _ = config.read_text(encoding="utf-8").split("  frontline:\n")
    options = {"feed_id_authority": "example.vn", "iframe_hosts": "[www.youtube.com]"}
    written = [f"{name}: {value}" for name, value in options.items() if not any(s.startswith(name) for s in lines)]
    config.write_text(head + "  frontline:\n" + "".join(f"    {line}\n" for line in [*lines, *written]), "utf-8")
    video = '<iframe src="https://www.youtube.com/embed/x" title="Video"></iframe>'
    site.write("stories/2021/05/tot.md", story("Bài có video", "2021-05-20", body=video))
    site.write("docs/assets/logo.png", b"\x89PNG\r\n\x1a\n")
    return site


def _line_of(site, written: str) -> int:
    lines = (site.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.strip() == written)


@pytest.mark.parametrize("case", sorted(OPTION_CASES))
def test_check_reports_each_wrong_option_on_its_line(tmp_path, case, capsys, monkeypatch):
    written, expected = OPTION_CASES[case]
    site = _configured(tmp_path, written)
    monkeypatch.setenv("FRONTLINE_NOW", NOW)
    code = main(["--config", str(site.root / "mkdocs.yml"), "check"])
    out, err = capsys.readouterr()
    if expected is None:
        assert code == 0, out + err
        assert "Không có lỗi (1 bài" in out
    else:
        assert code == 1
        assert "Cấu hình extra.frontline có 1 lỗi" in err
        assert f"mkdocs.yml:{_line_of(site, written)}: {expected}" in err, err


def test_build_reports_every_wrong_option_at_once_and_keeps_the_old_site(tmp_path):
    site = _configured(tmp_path, "per_page: 0", "stories_dir: ../../etc", "feed_id_date: 2020-13", "logo: [a, b]")
    old = site.write("site/index.html", "bản cũ")
    result = run_frontline("build", cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "Cấu hình extra.frontline có 4 lỗi" in result.stderr
    for written, name in [
        ("per_page: 0", "per_page"),
        ("stories_dir: ../../etc", "stories_dir"),
        ("feed_id_date: 2020-13", "feed_id_date"),
        ("logo: [a, b]", "logo"),
    ]:
        assert f"mkdocs.yml:{_line_of(site, written)}: extra.frontline.{name}: " in result.stderr
    assert old.read_text(encoding="utf-8") == "bản cũ"


def test_options_not_written_as_a_table_are_reported_on_their_line(tmp_path, capsys):
    site = make_site(tmp_path / "newsroom")
    config = site.root / "mkdocs.yml"
    head, _ = config.read_text(encoding="utf-8").split("  frontline:\n")
    config.write_text(head + "  frontline: per_page 20\n", encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 1
    err = capsys.readouterr().err
    assert f"mkdocs.yml:{_line_of(site, 'frontline: per_page 20')}: extra.frontline: phải là một bảng tùy chọn" in err


def test_options_read_by_the_command_line_follow_env_tags(tmp_path, capsys, monkeypatch):
    """``!ENV`` in an option means what MkDocs makes of it: the variable when set, else the default."""
    site = _configured(tmp_path, "per_page: !ENV [FRONTLINE_TEST_PER_PAGE, 0]")
    monkeypatch.setenv("FRONTLINE_NOW", NOW)
    config = ["--config", str(site.root / "mkdocs.yml"), "check"]
    monkeypatch.delenv("FRONTLINE_TEST_PER_PAGE", raising=False)
    assert main(config) == 1
    assert "extra.frontline.per_page: '0' không dùng được" in capsys.readouterr().err
    monkeypatch.setenv("FRONTLINE_TEST_PER_PAGE", "5")
    assert main(config) == 0, capsys.readouterr()


def test_a_config_file_that_is_not_yaml_is_reported_not_raised(tmp_path, capsys):
    site = make_site(tmp_path / "newsroom")
    (site.root / "mkdocs.yml").write_text("site_name: Tuyến đầu\nextra: [\n", encoding="utf-8")
    assert main(["--config", str(site.root / "mkdocs.yml"), "check"]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml: không đọc được cấu hình: " in err and "line 3" in err, err
