"""A preview's rebuild looks again only at the story files its watcher saw change (``frontline.engine.watched``):
saves, new, renamed and deleted files, one after another, each leave the folder as a clean build's. A story file
that is a symbolic link is looked at every time: its target can change with no event under its name."""

from __future__ import annotations

import os
import time

import pytest

from tests.e2e.test_kept_preview_folder import KEPT, Preview, _clean, _story
from tests.e2e.test_preview import _get
from tests.sites import make_site
from tests.snapshots import differences, snapshot

pytestmark = pytest.mark.e2e


def _linked(title: str) -> str:
    return _story(7, title).replace("bai-so-7", "bai-lien-ket").replace("2021-05-17", "2021-05-27")


def test_saves_new_renamed_deleted_and_linked_story_files_each_leave_a_clean_build(tmp_path):
    site = make_site(tmp_path / "newsroom")
    for n in range(6):
        site.write(f"stories/2021/05/bai-{n}.md", _story(n))
    target = site.write("ghi-chu/bai-lien-ket.md", _linked("Bài liên kết"))
    os.symlink(os.path.relpath(target, site.root / "stories/2021/05"), site.root / "stories/2021/05/lien-ket.md")
    preview = Preview(site, tmp_path, "preview")
    base = preview.base
    try:
        preview.wait_built("Bài số 5")
        assert "Bài liên kết" in (_get(base + "2021/05/bai-lien-ket/") or "")
        steps = [
            (
                "the first save since the watcher started",
                lambda: site.write("stories/2021/05/bai-1.md", _story(1, "Một A")),
            ),
            (
                "a save the watcher vouches for the rest",
                lambda: site.write("stories/2021/05/bai-2.md", _story(2, "Hai A")),
            ),
            ("the same file saved again", lambda: site.write("stories/2021/05/bai-1.md", _story(1, "Một B"))),
            ("a new file", lambda: site.write("stories/2021/05/bai-6.md", _story(6, "Sáu mới"))),
            (
                "a file renamed",
                lambda: os.rename(site.root / "stories/2021/05/bai-3.md", site.root / "stories/2021/05/ba.md"),
            ),
            ("a file deleted", lambda: (site.root / "stories/2021/05/bai-4.md").unlink()),
            (
                "a linked story's target saved, outside the watched folders",
                lambda: target.write_text(_linked("Liên kết B"), encoding="utf-8"),
            ),
            ("then another story saved", lambda: site.write("stories/2021/05/bai-2.md", _story(2, "Hai B"))),
        ]
        for step, (what, change) in enumerate(steps):
            change()
            if "outside the watched folders" not in what:  # no event there: the next save's rebuild shows it
                _settled(site, tmp_path, f"clean-{step}", what)
        assert "Liên kết B" in (_get(base + "2021/05/bai-lien-ket/") or "")
        assert "Hai B" in (_get(base + "2021/05/bai-so-2/") or "")
        assert _get(base + "2021/05/bai-so-4/") is None
    finally:
        preview.stop()


def _settled(site, tmp_path, name: str, what: str, seconds: float = 90) -> None:
    """The preview's folder becomes a clean build's (each change starts a rebuild; a page is held while it runs)."""
    clean = _clean(site, tmp_path, name)
    deadline = time.monotonic() + seconds
    while (left := differences(snapshot(site.root / KEPT), clean)) != []:
        assert time.monotonic() < deadline, f"{what}: {left[:5]}"
        time.sleep(0.2)
