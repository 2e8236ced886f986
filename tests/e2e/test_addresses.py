"""A published story that moves (retitled without a slug, its date corrected into another month) would break
readers' links: check and the build refuse it, naming the line, until its old address is among its aliases."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.sites import make_site, story

pytestmark = pytest.mark.e2e

NOW = "2021-12-31T00:00:00+07:00"


def _frontline(site, *args):
    command = [sys.executable, "-m", "frontline.cli", *args, "--now", NOW]
    return subprocess.run(command, cwd=site.root, capture_output=True, text=True, env={**os.environ})


@pytest.fixture
def published(tmp_path):
    site = make_site(tmp_path / "newsroom")
    path = site.write("stories/2021/05/ngay-dau.md", story("Ngày đầu ở bệnh viện dã chiến", "2021-05-31T20:00"))
    built = _frontline(site, "build")
    assert built.returncode == 0, built.stderr
    assert (site.site_dir / "2021/05/ngay-dau-o-benh-vien-da-chien/index.html").exists()
    return site, path


def test_a_retitled_story_is_refused_until_its_old_address_is_an_alias(published):
    site, path = published
    path.write_text(story("Ngày đầu tiên ở bệnh viện dã chiến số 2", "2021-05-31T20:00"), encoding="utf-8")
    for result in (_frontline(site, "check"), _frontline(site, "build")):
        assert result.returncode == 1
        said = result.stdout + result.stderr
        assert (
            "stories/2021/05/ngay-dau.md:2: title: bài đã đăng ở địa chỉ 2021/05/ngay-dau-o-benh-vien-da-chien/ "
            "nay chuyển sang 2021/05/ngay-dau-tien-o-benh-vien-da-chien-so-2/" in said
        ), said
        assert "aliases: [2021/05/ngay-dau-o-benh-vien-da-chien/]" in said
    assert (site.site_dir / "2021/05/ngay-dau-o-benh-vien-da-chien/index.html").exists()  # the site is kept

    path.write_text(
        story(
            "Ngày đầu tiên ở bệnh viện dã chiến số 2",
            "2021-05-31T20:00",
            aliases="[2021/05/ngay-dau-o-benh-vien-da-chien/]",
        ),
        encoding="utf-8",
    )
    built = _frontline(site, "build")
    assert built.returncode == 0, built.stderr
    assert (site.site_dir / "2021/05/ngay-dau-tien-o-benh-vien-da-chien-so-2/index.html").exists()
    redirect = (site.site_dir / "2021/05/ngay-dau-o-benh-vien-da-chien/index.html").read_text(encoding="utf-8")
    assert "ngay-dau-tien-o-benh-vien-da-chien-so-2/" in redirect  # the old link leads to the story


def test_a_date_moved_into_another_month_names_the_date_line(published):
    site, path = published
    path.write_text(story("Ngày đầu ở bệnh viện dã chiến", "2021-06-01T08:00"), encoding="utf-8")
    checked = _frontline(site, "check")
    assert checked.returncode == 1
    assert "stories/2021/05/ngay-dau.md:3: date: bài đã đăng ở địa chỉ 2021/05/ngay-dau-o-benh-vien-da-chien/" in (
        checked.stdout
    )


def test_a_story_taken_back_to_draft_is_not_a_move(published):
    site, path = published
    path.write_text(story("Tiêu đề khác hẳn", "2021-05-31T20:00", draft="true"), encoding="utf-8")
    assert _frontline(site, "check").returncode == 0
