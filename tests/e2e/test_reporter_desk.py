"""Issue 26's reporter-facing details: YAML mistakes told as what to do, `frontline new` writing the slug it
derived, and its placeholder text refused once a story is no longer a draft."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from frontline.content.frontmatter import parse_document
from tests.sites import make_site, story


def _yaml_problem(front_matter: str):
    document, problems = parse_document(f"---\n{front_matter}---\nBài.\n", "stories/bai.md")
    assert document is None and len(problems) == 1
    return problems[0]


def test_a_tab_in_the_front_matter_is_named_with_its_line_and_column():
    problem = _yaml_problem("title: Tin\ntags:\n\t- y tế\n")
    assert (problem.line, problem.field) == (4, "YAML")
    assert "ký tự Tab ở cột 1" in problem.message and "dấu cách" in problem.message
    assert "chi tiết: found character" in problem.message  # PyYAML's English only as the detail


def test_a_colon_in_a_value_and_an_open_list_get_their_own_advice():
    assert "cần đặt trong ngoặc kép" in _yaml_problem("title: COVID-19: chốt mới: tin\n").message
    assert "chưa đóng" in _yaml_problem("title: Tin\nauthors: [ha\n").message


def _frontline(site, *args):
    command = [sys.executable, "-m", "frontline.cli", *args]
    return subprocess.run(command, cwd=site.root, capture_output=True, text=True, env={**os.environ})


@pytest.mark.e2e
def test_a_new_story_keeps_its_address_and_cannot_be_published_as_written(tmp_path):
    site = make_site(tmp_path / "newsroom")
    made = _frontline(site, "new", "COVID-19: chốt chặn mới ở Bắc Giang", "--author", "ha", "--now", "2021-08-20T09:00")
    assert made.returncode == 0, made.stderr
    path = site.root / made.stdout.strip().splitlines()[-1].split()[-1]
    text = path.read_text(encoding="utf-8")
    assert 'slug: "covid-19-chot-chan-moi-o-bac-giang"' in text  # a later retitle keeps the address
    assert _frontline(site, "check", "--now", "2021-08-21T00:00").returncode == 0  # a draft may hold the template

    path.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    checked = _frontline(site, "check", "--now", "2021-08-21T00:00")
    assert checked.returncode == 1
    lines = text.split("\n")
    for placeholder in ("Đoạn mở đầu: ai, việc gì, ở đâu, khi nào.", "Nội dung chính của bài."):
        number = lines.index(placeholder) + 1
        assert f"{path.relative_to(site.root)}:{number}: nội dung: đoạn mẫu của frontline new" in checked.stdout


def test_the_engines_closing_lines_are_told_in_vietnamese():
    from frontline.engine.build import vietnamese_abort

    assert vietnamese_abort("Aborted with a BuildError!") == "Dựng trang dừng lại vì lỗi ở trên."
    assert vietnamese_abort("Aborted with 2 cảnh báo s in strict mode!").startswith("Dựng trang dừng lại: 2 cảnh báo")
    assert vietnamese_abort("Aborted with 3 configuration warnings in 'strict' mode!").startswith(
        "Dựng trang dừng lại: 3 cảnh báo"
    )
    assert vietnamese_abort("Something new") == "Something new"


@pytest.mark.e2e
def test_a_failed_build_speaks_vietnamese_only(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/hong.md", "---\ntitle: Bài\ndate: 2021-05-20\nauthors: [ha]\n---\n\n[x](khong-co.md)\n")
    failed = _frontline(site, "build", "--now", "2021-08-21T00:00")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1
    assert "stories/2021/05/hong.md:7: liên kết: không có tệp 'khong-co.md'" in output
    assert output.count("khong-co.md'") == 1  # the list once
    assert "Dựng trang dừng lại vì lỗi ở trên." in output and "thất bại" in output
    assert "Aborted" not in output and "ERROR" not in output and "BuildError" not in output


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["new"], "frontline new: lỗi: thiếu TIÊU_ĐỀ"),
        (["xuat-ban"], "frontline: lỗi: lệnh không có: 'xuat-ban' (các lệnh: 'new'"),
        (["build", "--engine", "hugo"], "frontline build: lỗi: --engine: không có lựa chọn 'hugo'"),
        (["new", "Tin", "--author"], "frontline new: lỗi: --author cần một giá trị"),
        (["check", "--khong-co"], "frontline: lỗi: không hiểu: --khong-co"),
    ],
)
def test_the_command_lines_own_mistakes_are_told_in_vietnamese(argv, said, capsys):
    from frontline.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert said in error and "the following" not in error and "invalid choice" not in error


def test_verify_on_a_folder_that_is_not_there_says_so_in_one_line(tmp_path, capsys, monkeypatch):
    from frontline.cli import main

    site = make_site(tmp_path / "newsroom")
    monkeypatch.chdir(site.root)
    assert main(["verify", "-d", str(tmp_path / "khong-co"), "--now", "2021-08-21T00:00"]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        f"{tmp_path / 'khong-co'}: không có thư mục trang đã dựng ở đây; chạy frontline build trước, hoặc chỉ đúng -d."
    ]
    assert "Không thiếu bài nào" not in captured.out


@pytest.mark.e2e
def test_a_story_dated_outside_its_campaign_is_a_warning_that_does_not_stop_the_build(tmp_path):
    site = make_site(tmp_path / "newsroom")  # campaign bac-giang: 15/05/2021–30/06/2021
    site.write("stories/2021/08/muon.md", story("Bài viết sau chiến dịch", "2021-08-02T09:00", campaign="bac-giang"))
    checked = _frontline(site, "check", "--now", "2021-12-31T00:00")
    assert checked.returncode == 0, checked.stdout
    assert (
        "stories/2021/08/muon.md:3: date: cảnh báo: ngày đăng 02/08/2021 nằm ngoài thời gian của chiến dịch "
        "'bac-giang' (15/05/2021–30/06/2021)"
    ) in checked.stdout
    built = _frontline(site, "build", "--now", "2021-12-31T00:00")
    assert built.returncode == 0, built.stdout + built.stderr  # a strict build goes on
    assert (site.site_dir / "2021/08/bai-viet-sau-chien-dich/index.html").exists()
    assert "cảnh báo: ngày đăng 02/08/2021" in built.stdout + built.stderr


@pytest.mark.e2e
def test_check_on_paths_says_how_many_files_it_checked_there(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/mot.md", story("Bài một", "2021-05-20T09:00"))
    site.write("stories/2021/05/hai.md", story("Bài hai", "2021-05-21T09:00"))
    site.write("stories/2021/06/ba.md", story("Bài ba", "2021-06-01T09:00"))
    site.write("stories/2021/06/sai.md", "---\ntitle: Bài sai\ndate: sai\nauthors: [ha]\n---\nx\n")
    fine = _frontline(site, "check", "stories/2021/05", "--now", "2021-12-31T00:00")
    assert fine.returncode == 0
    assert fine.stdout.strip() == "Không có lỗi (đã kiểm tra 2 tệp trong stories/2021/05)."
    wrong = _frontline(site, "check", "stories/2021/06", "--now", "2021-12-31T00:00")
    assert wrong.returncode == 1
    assert wrong.stdout.strip().endswith("(đã kiểm tra 2 tệp trong stories/2021/06.)")
