"""What a second reviewer of this session's work broke, each kept broken no more: a symlink in docs/ publishing
the build machine's files, YAML escapes making control characters that crashed the build, and a poisoned
address cache writing to the terminal."""

from __future__ import annotations

import json
import os

from frontline.deploy.git import redact
from tests.cli import run_frontline
from tests.sites import make_site, story


def test_a_symlink_in_docs_to_outside_the_project_is_refused_not_published(tmp_path):
    secret = tmp_path / "may-xay-dung"
    secret.mkdir()
    (secret / "credentials.txt").write_text("AWS_SECRET=abc\n", encoding="utf-8")
    site = make_site(tmp_path / "newsroom")
    (site.root / "docs" / "leak").symlink_to(secret)
    checked = run_frontline("check", cwd=site.root)
    assert checked.returncode == 1
    assert "docs/leak:1: tệp: là liên kết tượng trưng trỏ ra ngoài dự án" in checked.stdout
    built = run_frontline("build", cwd=site.root)
    assert built.returncode == 1
    assert not list(site.root.glob("site/**/credentials.txt"))


def test_control_characters_written_as_yaml_escapes_are_a_problem_not_a_crash(tmp_path):
    site = make_site(tmp_path / "newsroom")
    title = '"Tiêu đề \\e[2J \\x0b \\x85 \\uFFFE hết"'
    site.write("stories/2021/08/esc.md", f"---\ntitle: {title}\ndate: 2021-08-10\nauthors: [ha]\n---\nBài.\n")
    for command in ("check", "build"):
        result = run_frontline(command, cwd=site.root)
        assert result.returncode == 1
        said = result.stdout + result.stderr
        assert "stories/2021/08/esc.md:2: title: giá trị có ký tự điều khiển" in said
        assert "Traceback" not in said and "\x1b" not in said


def test_a_poisoned_address_cache_is_not_believed(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/bai.md", story("Bài đầu", "2021-05-20T09:30", id="bai-dau"))
    cache = site.root / ".cache/frontline/addresses.json"
    cache.parent.mkdir(parents=True)
    cache.write_text(json.dumps({"bai-dau": "\x1b[2J../../etc/passwd\n  stories/fake.md:1: bogus"}), encoding="utf-8")
    checked = run_frontline("check", cwd=site.root)
    assert checked.returncode == 0, checked.stdout
    assert "\x1b" not in checked.stdout and "fake.md" not in checked.stdout


def test_a_password_holding_an_at_sign_is_hidden_whole():
    assert redact("không đăng được lên ftp://u:SEC@RET@may.vn/x") == "không đăng được lên ftp://***@may.vn/x"


def test_a_file_name_holding_a_newline_is_refused_before_it_reaches_the_headers_file(tmp_path):
    site = make_site(tmp_path / "newsroom")
    (site.root / "docs" / "x.png\n  Set-Cookie: a=b").write_bytes(b"\x89PNG")
    checked = run_frontline("check", cwd=site.root)
    assert checked.returncode == 1
    assert "docs/x.png\\n  Set-Cookie: a=b:1: tệp: tên tệp có ký tự điều khiển" in checked.stdout


def test_a_file_name_that_is_not_utf8_is_told_by_check_and_build_not_by_a_failed_publish(tmp_path):
    """A name copied from a machine using another encoding (bytes that are not UTF-8) has no address on the site:
    check and build say which file and what to do, where a publish used to fail on it with a codec's message."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/bai.md", story("Bài đầu", "2021-05-20T09:30"))
    (site.root / "docs" / "tai-lieu").mkdir()
    with open(os.fsencode(site.root / "docs" / "tai-lieu") + b"/b\xe1o-c\xe1o.pdf", "wb") as pdf:
        pdf.write(b"%PDF-1.4")
    for command in ("check", "build"):
        said = run_frontline(command, cwd=site.root)
        assert said.returncode == 1, said.stdout
        assert "docs/tai-lieu/b\\xe1o-c\\xe1o.pdf:1: tệp: tên tệp không phải chữ UTF-8" in said.stdout + said.stderr
        assert "Traceback" not in said.stdout + said.stderr
