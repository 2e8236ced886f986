"""A preview rebuild after each kind of save to a live page (an update added, edited, removed; the page retitled,
ended) leaves the served folder the same, file for file, as a clean build of the same content."""

from __future__ import annotations

import pytest

from tests.e2e.test_incremental_preview import PreviewProcess, _clean_build
from tests.live_fixture import LIVE_ID, LIVE_URL, live_index, make_live_site, update
from tests.snapshots import differences, snapshot

pytestmark = pytest.mark.e2e

FOLDER = f"stories/live/{LIVE_ID}"


def test_each_save_to_a_live_page_leaves_the_preview_equal_to_a_clean_build(tmp_path):
    site = make_live_site(tmp_path / "newsroom")
    served = tmp_path / "served"
    preview = PreviewProcess(site, served)
    edits = [
        ("update added", f"{FOLDER}/1000-moi.md", update("2021-05-21T10:00", "Thêm **40** giường.", authors="[duc]")),
        ("update edited", f"{FOLDER}/0630-xuat-phat.md", update("2021-05-20T06:30", "Đoàn đã xuất phát.")),
        ("update pinned", f"{FOLDER}/0800-ngay-hai.md", update("2021-05-21T08:00", "Ngày hai.", pinned="true")),
        ("update removed", f"{FOLDER}/1400-khu-dieu-tri.md", None),
        ("page retitled", f"{FOLDER}/index.md", live_index().replace("ngày cao điểm", "ngày đầu cao điểm")),
        ("page ended", f"{FOLDER}/index.md", live_index(end="2021-05-21T20:00").replace("cao điểm", "đầu cao điểm")),
    ]
    try:
        assert preview.result == "built"
        for step, (what, relative, text) in enumerate(edits):
            if text is None:
                (site.root / relative).unlink()
            else:
                site.write(relative, text)
            assert preview.rebuild() == "built", what
            clean = _clean_build(site, tmp_path / f"clean-{step}")
            assert differences(snapshot(served), clean) == [], what
        served_files = snapshot(served)
        page = served_files[f"{LIVE_URL}index.html"].decode()
        assert "Đã kết thúc" in page and "cap-nhat-1000-moi" in page and "cap-nhat-1400-khu-dieu-tri" not in page
        assert "ngày đầu cao điểm" in served_files["campaigns/bac-giang/index.html"].decode()
        assert "fl-live-pin" not in served_files["index.html"].decode()
    finally:
        preview.close()
