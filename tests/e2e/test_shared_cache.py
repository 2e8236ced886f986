"""A build cache carried to another checkout (a CI runner restoring `.cache/frontline/`) is reused there: the
project at another path, every file with a new modification time and inode, parses no story and renders no page
again."""

from __future__ import annotations

import re
import shutil

from tests.sites import jpeg_bytes, make_site, story
from tests.snapshots import differences, snapshot


def _entries(root):
    return {path.name for path in (root / ".cache" / "frontline" / "pages").iterdir()}


def _stories_read(site) -> int:
    """Builds as a reporter would, with the build's timings shown: how many story files it parsed."""
    result = site.build(quiet=False, extra_env={"FRONTLINE_TIMINGS": "1"})
    assert result.returncode == 0, result.stderr
    return int(re.search(r"load \((\d+) stories read\)", result.stderr)[1])


def _bundles(root):
    folder = root / ".cache" / "frontline" / "search"
    return {path.name for path in folder.iterdir() if not path.name.startswith(".")} if folder.is_dir() else set()


def test_a_cache_restored_into_another_checkout_renders_nothing_again(tmp_path):
    site = make_site(tmp_path / "runner-1" / "toa-soan")
    site.write("stories/2021/05/images/lead.jpg", jpeg_bytes())
    site.write(
        "stories/2021/05/benh-vien.md",
        story(
            "Bệnh viện dã chiến số 2 nhận bệnh nhân",
            "2021-05-20T08:00:00+07:00",
            campaign="bac-giang",
            location="Bắc Giang",
            image="images/lead.jpg",
            image_alt="Y bác sĩ tiếp nhận bệnh nhân",
            body="Đêm đầu tiên, đoàn y tế tiếp nhận những bệnh nhân đầu tiên.",
        ),
    )
    site.write(
        "stories/2021/05/chot-kiem-dich.md",
        story("Chốt kiểm dịch cửa ngõ", "2021-05-22T06:00:00+07:00", campaign="bac-giang", location="Bắc Giang"),
    )
    first = site.built()
    cached = _entries(site.root)
    assert cached

    # A second runner: its own checkout elsewhere (copies, so every file is new to the file system), the cache
    # restored into it as CI restores a cache, no site folder.
    elsewhere = tmp_path / "runner-2" / "workspace" / "toa-soan"
    shutil.copytree(site.root, elsewhere, copy_function=shutil.copy, ignore=shutil.ignore_patterns("site"))
    copy = type(site)(elsewhere)
    assert _stories_read(copy) == 0
    second = snapshot(copy.site_dir)

    assert differences(first, second) == []
    assert _entries(copy.root) <= cached, "a page was rendered again on the second runner"
    assert _bundles(copy.root) == _bundles(site.root), "the search index was built again on the second runner"

    # The control: an edit there is rendered (the comparison above can see a page rendered again).
    copy.write(
        "stories/2021/05/chot-kiem-dich.md",
        story(
            "Chốt kiểm dịch cửa ngõ",
            "2021-05-22T06:00:00+07:00",
            campaign="bac-giang",
            location="Bắc Giang",
            body="Ca trực đêm thêm hai tổ công tác.",
        ),
    )
    assert _stories_read(copy) == 1
    assert not _entries(copy.root) <= cached
