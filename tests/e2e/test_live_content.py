"""Live pages read and validated without MkDocs: the typed model, every mistake as ``file:line: field: message``
(all at once, through ``frontline check`` too), and ``frontline live new|add``."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest

from frontline.content.dates import VIETNAM
from frontline.content.loader import Layout, load_content
from tests.live_fixture import LIVE_ID, live_index, make_live_site, update
from tests.sites import make_site

FOLDER = f"stories/live/{LIVE_ID}"


def load(site):
    return load_content(Layout.for_project(site.root))


def test_a_live_page_is_read_with_its_updates_newest_first_and_not_as_stories(tmp_path):
    site = make_live_site(tmp_path / "n")
    content, problems = load(site)
    assert problems == []
    assert [story.source for story in content.stories] == ["stories/2021/05/mo-benh-vien.md"]
    page = content.live[LIVE_ID]
    assert page.title == "Bắc Giang ngày cao điểm" and page.campaign == "bac-giang" and page.end is None
    assert page.url == f"truc-tiep/{LIVE_ID}/"
    assert [u.id for u in page.updates] == ["0800-ngay-hai", "1400-khu-dieu-tri", "0900-tiep-nhan", "0630-xuat-phat"]
    utc = page.updates[1]
    assert utc.time == datetime(2021, 5, 20, 14, 0, tzinfo=VIETNAM) and utc.time.utcoffset().total_seconds() == 7 * 3600
    assert utc.image is not None and utc.image.site_path == f"{FOLDER}/anh/khu-dieu-tri.jpg"
    pinned = page.updates[2]
    assert pinned.pinned and pinned.authors == ("ha", "duc") and pinned.title == "Tiếp nhận bệnh nhân đầu tiên"
    assert pinned.anchor == "cap-nhat-0900-tiep-nhan"
    assert page.is_live(datetime(2021, 5, 20, 12, 0, tzinfo=VIETNAM))
    assert not page.is_live(datetime(2021, 5, 20, 5, 0, tzinfo=VIETNAM))


def test_every_mistake_is_reported_at_once_with_its_line(tmp_path):
    site = make_site(tmp_path / "n")
    site.write(f"{FOLDER}/index.md", live_index(end="2021-05-21T20:00", tone="vui"))
    site.write(f"{FOLDER}/truoc.md", update("2021-05-19T23:00", "Trước giờ bắt đầu."))
    site.write(f"{FOLDER}/sau.md", update("2021-05-22T08:00", "Sau khi kết thúc."))
    site.write(f"{FOLDER}/khong-gio.md", update("2021-05-20", "Chỉ có ngày."))
    site.write(f"{FOLDER}/sai-gio.md", update("20/05/2021 09:00", "Ngày kiểu Việt."))
    site.write(f"{FOLDER}/tac-gia.md", update("2021-05-20T09:00", "Tác giả lạ.", authors="[ha, ha-nguyen]"))
    site.write(f"{FOLDER}/Ten Sai.md", update("2021-05-20T09:00", "Tên tệp có dấu cách."))
    site.write(f"{FOLDER}/rong.md", update("2021-05-20T09:00", ""))
    site.write(f"{FOLDER}/ma-doc.md", update("2021-05-20T09:00", "Dòng một.\n\n<script>alert(1)</script>"))
    site.write(f"{FOLDER}/lien-ket.md", update("2021-05-20T09:00", "Xem [bài](../../2021/05/bai.md)."))
    site.write(f"{FOLDER}/thieu.md", "---\ntitle: Không giờ, không tác giả\n---\n\nNội dung.\n")
    site.write("stories/live/sai-chien-dich/index.md", live_index().replace("bac-giang", "bac-gaing"))
    site.write("stories/live/Sai_Ma/index.md", live_index())
    site.write("stories/live/khong-index/1.md", update("2021-05-20T09:00", "Một."))
    site.write("stories/live/le.md", "---\ntitle: Tệp lẻ\n---\n")
    content, problems = load(site)
    shown = [str(problem) for problem in problems]
    expected = [
        f"{FOLDER}/index.md:8: tone: trường không được hỗ trợ.",
        f"{FOLDER}/truoc.md:2: time: cập nhật lúc 2021-05-19T23:00 trước khi trang bắt đầu (start: 2021-05-20T06:00).",
        f"{FOLDER}/sau.md:2: time: cập nhật lúc 2021-05-22T08:00 sau khi trang đã kết thúc (end: 2021-05-21T20:00)",
        f"{FOLDER}/khong-gio.md:2: time: time cần cả giờ phút",
        f"{FOLDER}/sai-gio.md:2: time: '20/05/2021 09:00' viết theo kiểu ngày/tháng/năm",
        f"{FOLDER}/tac-gia.md:3: authors: không có tác giả 'ha-nguyen'",
        f"{FOLDER}/Ten Sai.md:1: tên tệp: tên tệp là mã của cập nhật",
        f"{FOLDER}/rong.md:5: nội dung: cập nhật chưa có nội dung",
        f"{FOLDER}/ma-doc.md:8: nội dung: thẻ <script> sẽ bị loại khỏi bài khi xuất bản",
        f"{FOLDER}/lien-ket.md:6: liên kết: '../../2021/05/bai.md': trong cập nhật trực tiếp chỉ dùng liên kết đầy đủ",
        f"{FOLDER}/thieu.md:1: time: thiếu time",
        f"{FOLDER}/thieu.md:1: authors: thiếu tác giả.",
        "stories/live/sai-chien-dich/index.md:3: campaign: không có chiến dịch 'bac-gaing'",
        "stories/live/Sai_Ma:1: tên thư mục: tên thư mục là mã trang trực tiếp",
        "stories/live/khong-index/index.md:1: index.md: thư mục trang trực tiếp cần tệp index.md",
        "stories/live/le.md:1: tệp: mỗi trang trực tiếp là một thư mục",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in shown), (start, shown)
    assert content.live == {} and content.stories == []  # a page with a problem is not published, half or whole


@pytest.mark.e2e
def test_frontline_check_reports_them_and_fails(tmp_path):
    site = make_live_site(tmp_path / "n")
    site.write(f"{FOLDER}/sau-nua.md", update("2021-05-20T05:00", "Quá sớm.", authors="[khong-co]"))
    env = {**os.environ, "FRONTLINE_NOW": "2021-12-31T00:00"}
    command = [sys.executable, "-m", "frontline.cli", "-f", str(site.root / "mkdocs.yml"), "check"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"{FOLDER}/sau-nua.md:2: time: cập nhật lúc 2021-05-20T05:00 trước khi trang bắt đầu" in result.stdout
    assert f"{FOLDER}/sau-nua.md:3: authors: không có tác giả 'khong-co'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    build = site.build()
    assert build.returncode == 1 and f"{FOLDER}/sau-nua.md:2: time:" in build.stdout + build.stderr


def _cli(site, *args: str, now: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "frontline.cli", "-f", str(site.root / "mkdocs.yml"), *args]
    env = {**os.environ, "FRONTLINE_NOW": now}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.e2e
def test_live_new_and_add_write_files_the_build_accepts(tmp_path):
    site = make_site(tmp_path / "n")
    made = _cli(
        site, "live", "new", "phong-toa", "Phong tỏa lúc 0 giờ", "--campaign", "bac-giang", now="2021-05-20T06:00"
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "stories/live/phong-toa/index.md"
    first = _cli(site, "live", "add", "phong-toa", "Chốt đầu tiên đã dựng.", "--author", "ha", now="2021-05-20T06:30")
    pinned = _cli(
        site,
        "live",
        "add",
        "phong-toa",
        "Thông báo **quan trọng**.",
        "--author",
        "duc",
        "--author",
        "ha",
        "--pinned",
        now="2021-05-20T06:30",
    )
    assert first.returncode == 0 and pinned.returncode == 0, first.stderr + pinned.stderr
    assert first.stdout.strip() == "stories/live/phong-toa/20210520-063000-ha.md"
    assert pinned.stdout.strip() == "stories/live/phong-toa/20210520-063000-duc.md"
    content, problems = load(site)
    assert problems == []
    page = content.live["phong-toa"]
    assert page.title == "Phong tỏa lúc 0 giờ" and page.campaign == "bac-giang"
    assert page.start == datetime(2021, 5, 20, 6, 0, tzinfo=VIETNAM)
    assert {u.id: (u.authors, u.pinned) for u in page.updates} == {
        "20210520-063000-ha": (("ha",), False),
        "20210520-063000-duc": (("duc", "ha"), True),
    }
    same_second = _cli(site, "live", "add", "phong-toa", "Cùng giây.", "--author", "ha", now="2021-05-20T06:30")
    assert same_second.stdout.strip() == "stories/live/phong-toa/20210520-063000-ha-2.md"


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("live", "add", "khong-co", "Nội dung", "--author", "ha"), "Không có trang trực tiếp 'khong-co'"),
        (("live", "add", "phong-toa", "Nội dung"), "Cần ít nhất một --author"),
        (("live", "add", "phong-toa", "Nội dung", "--author", "ai"), "Không có tác giả 'ai'"),
        (("live", "add", "phong-toa", "   ", "--author", "ha"), "Nội dung cập nhật không được để trống."),
        (("live", "new", "Sai Ma", "Tiêu đề"), "mã trang 'Sai Ma' không hợp lệ"),
        (("live", "new", "moi", "Tiêu đề", "--campaign", "khong"), "Không có chiến dịch 'khong'"),
        (("live", "new", "phong-toa", "Lại"), "Đã có trang trực tiếp 'phong-toa'; không ghi đè."),
    ],
)
def test_live_commands_refuse_mistakes_with_a_message(tmp_path, args, message):
    site = make_site(tmp_path / "n")
    assert _cli(site, "live", "new", "phong-toa", "Phong tỏa", now="2021-05-20T06:00").returncode == 0
    result = _cli(site, *args, now="2021-05-20T07:00")
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.e2e
def test_live_add_refuses_an_update_after_the_end(tmp_path):
    site = make_site(tmp_path / "n")
    site.write("stories/live/xong/index.md", live_index(end="2021-05-20T12:00"))
    result = _cli(site, "live", "add", "xong", "Muộn.", "--author", "ha", now="2021-05-20T13:00")
    assert result.returncode == 1 and "đã kết thúc lúc 2021-05-20 12:00" in result.stderr
    assert sorted(p.name for p in (site.root / "stories/live/xong").iterdir()) == ["index.md"]
