"""A preview's rebuild looks again only at the story files its watcher saw change (``frontline.engine.watched``):
saves, new, renamed and deleted files, one after another, each leave the folder as a clean build's. A story file
that is a symbolic link is looked at every time: its target can change with no event under its name."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from tests.e2e.test_kept_preview_folder import KEPT, Preview, _clean, _story
from tests.e2e.test_preview import _get
from tests.sites import jpeg_bytes, make_site, story
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


def test_files_a_story_looks_at_through_a_moved_folder_or_a_folder_link_are_looked_at_again(tmp_path):
    """A folder moved out of the project (to the bin) takes its files with no event of their own; a file reached
    through a link to a folder changes with no event under the name the story used."""
    site = make_site(tmp_path / "newsroom")
    for n in range(3):
        site.write(f"stories/2021/05/bai-{n}.md", _story(n))
    site.write(
        "stories/2021/05/bai-5.md",
        story("Bài số 5", "2021-05-15T09:00", slug="bai-so-5", image="media/lead.jpg", image_alt="Ảnh"),
    )
    site.write("stories/2021/05/media/lead.jpg", jpeg_bytes())
    site.write("tep/tai-lieu.pdf", b"%PDF-1.4\n%%EOF\n")
    os.symlink("../../../tep", site.root / "stories/2021/05/tep")
    site.write(
        "stories/2021/05/bai-6.md",
        story("Bài số 6", "2021-05-16T09:00", slug="bai-so-6", body="Xem [tài liệu](tep/tai-lieu.pdf)."),
    )
    preview = Preview(site, tmp_path, "preview")
    try:
        preview.wait_built("Bài số 1")
        site.write("stories/2021/05/bai-1.md", _story(1, "Một A"))  # the first rebuild after the watcher: every file
        _settled(site, tmp_path, "clean-0", "a first save")
        (site.root / "tep/tai-lieu.pdf").unlink()
        site.write("stories/2021/05/bai-2.md", _story(2, "Hai A"))
        _settled(site, tmp_path, "clean-1", "an attachment gone behind a folder link")
        shutil.move(site.root / "stories/2021/05/media", tmp_path / "thung-rac")
        time.sleep(1.5)  # its own events and rebuild first (the watcher holds a move's event half a second)
        site.write("stories/2021/05/bai-2.md", _story(2, "Hai B"))
        _settled(site, tmp_path, "clean-2", "an image folder moved out")
        problems = (site.root / KEPT / "_xem-truoc/loi.json").read_text(encoding="utf-8")
        assert "bai-5.md" in problems and "bai-6.md" in problems, problems
    finally:
        preview.stop()


def test_a_configuration_that_names_another_stories_folder_is_listed_afresh(tmp_path):
    site = make_site(tmp_path / "newsroom")
    for n in range(4):
        site.write(f"stories/2021/05/bai-{n}.md", _story(n))
    preview = Preview(site, tmp_path, "preview")
    try:
        preview.wait_built("Bài số 3")
        site.write("stories/2021/05/bai-1.md", _story(1, "Một A"))  # the first rebuild after the watcher: every file
        _settled(site, tmp_path, "clean-0", "a first save")
        shutil.copytree(site.root / "stories", site.root / "bai-viet")
        (site.root / "bai-viet/2021/05/bai-2.md").write_text(_story(2, "Hai ở thư mục mới"), encoding="utf-8")
        config = site.config.read_text(encoding="utf-8")
        site.config.write_text(
            config.replace("    per_page: 2\n", "    per_page: 2\n    stories_dir: bai-viet\n"),
            encoding="utf-8",
        )
        assert "stories_dir: bai-viet" in site.config.read_text(encoding="utf-8")
        _settled(site, tmp_path, "clean-1", "the stories' folder named anew")
        assert "Hai ở thư mục mới" in (_get(preview.base + "2021/05/bai-so-2/") or "")
    finally:
        preview.stop()


def _settled(site, tmp_path, name: str, what: str, seconds: float = 90) -> None:
    """The preview's folder becomes a clean build's (each change starts a rebuild; a page is held while it runs)."""
    clean = _clean(site, tmp_path, name)
    deadline = time.monotonic() + seconds
    while (left := differences(snapshot(site.root / KEPT), clean)) != []:
        assert time.monotonic() < deadline, f"{what}: {left[:5]}"
        time.sleep(0.2)
