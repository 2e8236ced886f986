"""Only what a published story references leaves stories/ for the site; `verify` reports any other file."""

from __future__ import annotations

import os
import subprocess

import pytest

from frontline.build.paths import OutsideSiteError, inside_site
from tests.sites import jpeg_bytes, make_site, story

NOW = "2021-12-31T00:00:00+07:00"
SECRET = "bí mật của máy dựng trang\n"


def _frontline(site, *args: str) -> subprocess.CompletedProcess:
    return site.frontline(*args, now=NOW)


@pytest.fixture
def newsroom(tmp_path):
    site = make_site(tmp_path / "newsroom")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = "stories/2021/05"
    site.write(f"{folder}/images/anh.jpg", jpeg_bytes(640, 360))
    site.write(f"{folder}/tai-lieu/bao-cao.pdf", b"%PDF-1.4 bao cao")
    site.write(
        f"{folder}/da-xuat-ban.md",
        story(
            "Bài đã xuất bản",
            "2021-05-20T09:00",
            image="images/anh.jpg",
            image_alt="Ảnh",
            body="Đọc [báo cáo](tai-lieu/bao-cao.pdf).",
        ),
    )
    site.write(f"{folder}/images/nhap.jpg", jpeg_bytes(300, 200))
    site.write(f"{folder}/ban-nhap.md", story("Bản nháp", "2021-05-21", draft="true", body="![ảnh](images/nhap.jpg)"))
    site.write(f"{folder}/images/hen-gio.jpg", jpeg_bytes(300, 200))
    site.write(
        f"{folder}/hen-gio.md",
        story("Bài hẹn giờ", "2030-01-01T08:00", image="images/hen-gio.jpg", image_alt="Ảnh hẹn giờ"),
    )
    site.write(f"{folder}/ghi-chu.txt", "ghi chú riêng của phóng viên\n")
    os.symlink(outside / "secret.txt", site.root / folder / "images" / "passwd.jpg")
    os.symlink(outside, site.root / folder / "thu-muc-ngoai")
    return site


def test_only_what_published_stories_reference_is_published(newsroom):
    result = _frontline(newsroom, "build")
    assert result.returncode == 0, result.stderr
    published = sorted(p.relative_to(newsroom.site_dir).as_posix() for p in (newsroom.site_dir / "stories").rglob("*"))
    assert published == [
        "stories/2021",
        "stories/2021/05",
        "stories/2021/05/images",
        "stories/2021/05/images/anh-480w.jpg",
        "stories/2021/05/images/anh.jpg",
        "stories/2021/05/tai-lieu",
        "stories/2021/05/tai-lieu/bao-cao.pdf",
    ]
    for path in newsroom.site_dir.rglob("*"):
        assert not path.is_symlink(), path
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    page = newsroom.html("2021/05/bai-da-xuat-ban/")
    assert page.find("a", string="báo cáo")["href"] == "../../../stories/2021/05/tai-lieu/bao-cao.pdf"
    verified = _frontline(newsroom, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("images/passwd.jpg", "liên kết tượng trưng"),
        ("thu-muc-ngoai/secret.txt", "liên kết tượng trưng"),
        ("../../../../outside/secret.txt", "ra ngoài trang"),
        ("images/khong-co.jpg", "không có tệp 'images/khong-co.jpg'"),
        ("bai-khong-co.md", "không có tệp 'bai-khong-co.md'"),
    ],
)
def test_check_and_the_build_refuse_a_link_the_site_cannot_publish(newsroom, link, expected):
    newsroom.write(
        "stories/2021/05/lien-ket.md", story("Liên kết", "2021-05-22", body=f"Mở đầu.\n\nXem [tệp]({link}).")
    )
    line = "stories/2021/05/lien-ket.md:9: liên kết: "
    checked = _frontline(newsroom, "check")
    assert checked.returncode == 1
    assert line in checked.stdout and expected in checked.stdout, checked.stdout
    built = _frontline(newsroom, "build")
    assert built.returncode == 1
    assert line in built.stderr and "Traceback" not in built.stderr
    assert not newsroom.site_dir.exists()


def test_verify_reports_every_file_nothing_published_made(newsroom):
    assert _frontline(newsroom, "build").returncode == 0
    site = newsroom.site_dir
    (site / "stories/2021/05/ghi-chu.txt").write_text("ghi chú", encoding="utf-8")
    (site / "stories/2021/05/images/nhap.jpg").write_bytes(b"draft")
    (site / "la.js").write_text("alert(1)", encoding="utf-8")
    os.symlink("/etc/hostname", site / "hostname")
    result = _frontline(newsroom, "verify")
    assert result.returncode == 1
    for reported in ("stories/2021/05/ghi-chu.txt", "stories/2021/05/images/nhap.jpg", "la.js:", "hostname:"):
        assert reported in result.stdout, (reported, result.stdout)
    assert "4 vấn đề" in result.stdout


def test_nothing_is_written_outside_the_site_folder(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    assert inside_site(site, "a/b/index.html") == str((site / "a/b/index.html").resolve())
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", site / "link")
    for relative in ("../x.html", "/etc/passwd", "a/../../x", "link/x.html", "", "."):
        with pytest.raises(OutsideSiteError):
            inside_site(site, relative)


def test_an_svg_lead_image_and_a_script_in_docs_are_refused_unless_the_configuration_names_them(newsroom):
    """An SVG opened at its own address runs its script on the site's origin, as a page or a script of docs/ does:
    content may not publish one; the configuration (trusted) may name a script of docs/."""
    newsroom.write("stories/2021/05/images/hinh.svg", '<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    newsroom.write("stories/2021/05/svg.md", story("Ảnh SVG", "2021-05-23", image="images/hinh.svg", image_alt="Hình"))
    newsroom.write("docs/js/dem.js", "console.log(1)")
    checked = _frontline(newsroom, "check")
    assert checked.returncode == 1
    assert "stories/2021/05/svg.md:4: image: 'images/hinh.svg' không dùng làm ảnh đầu bài được" in checked.stdout
    assert "docs/js/dem.js:1: tệp: tệp .js trong docs/" in checked.stdout
    newsroom.write("stories/2021/05/svg.md", story("Ảnh SVG", "2021-05-23"))
    config = newsroom.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "extra_javascript:\n  - js/dem.js\n", encoding="utf-8")
    checked = _frontline(newsroom, "check")
    assert checked.returncode == 0, checked.stdout
    built = _frontline(newsroom, "build")
    assert built.returncode == 0, built.stderr
    assert (newsroom.site_dir / "js/dem.js").is_file()
