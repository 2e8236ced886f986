"""`frontline preview` serves from a folder kept in the project's cache, and a preview started after another writes
only what changed meanwhile: the pages it did not write are the very files the last one wrote. What it serves is a
clean build's site all the same, after stories were edited or deleted while no preview ran, and after a preview
that was killed (it leaves no record of the folder: the next one starts from an empty folder)."""

from __future__ import annotations

import signal
import time

import pytest

from tests.cli import start_frontline
from tests.e2e.test_preview import _free_port, _get, _wait_for
from tests.sites import make_site, story
from tests.snapshots import differences, snapshot

pytestmark = pytest.mark.e2e

NOW = "2021-12-31T00:00:00+07:00"
KEPT = ".cache/frontline/preview-site"
UNTOUCHED = "2021/03/bai-rieng/index.html"
"""A story outside the campaign, with nothing in common with the others: no edit below reaches its page."""


def _story(n: int, title: str | None = None) -> str:
    return story(title or f"Bài số {n}", f"2021-05-{10 + n}T09:00", campaign="bac-giang", slug=f"bai-so-{n}")


class Preview:
    def __init__(self, site, tmp_path, name: str):
        self.port = _free_port()
        self.log = tmp_path / f"{name}.log"
        with self.log.open("wb") as output:
            self.process = start_frontline(
                "preview",
                "-a",
                f"127.0.0.1:{self.port}",
                cwd=site.root,
                config=site.config,
                now=NOW,
                env={"FRONTLINE_TIMINGS": "1"},
                stdout=output,
                stderr=output,
            )
        self.base = f"http://127.0.0.1:{self.port}/tin/"

    def wait_built(self, needle: str) -> None:
        _wait_for(self.base, needle, 90)
        deadline = time.monotonic() + 60  # the page is served before the build ends and says so
        while "Documentation built" not in self.log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        self.process.send_signal(sig)
        self.process.wait(timeout=60)


def _clean(site, tmp_path, name: str) -> dict[str, bytes]:
    return site.built(site_dir=tmp_path / name, now=NOW, preview=True, strict=False)


def test_a_new_preview_writes_only_what_changed_since_the_last_and_serves_a_clean_build(tmp_path):
    site = make_site(tmp_path / "newsroom")
    for n in range(8):
        site.write(f"stories/2021/05/bai-{n}.md", _story(n))
    site.write("stories/2021/03/bai-rieng.md", story("Bài riêng", "2021-03-02T09:00", slug="bai-rieng"))
    kept = site.root / KEPT

    first = Preview(site, tmp_path, "first")
    try:
        first.wait_built("Bài số 7")
        assert (kept / UNTOUCHED).is_file()
        written = (kept / UNTOUCHED).stat()
    finally:
        first.stop()
    assert (kept / ".frontline-preview.json").is_file(), "a stopped preview keeps the record of its folder"

    # While no preview runs: one story retitled, one deleted.
    site.write("stories/2021/05/bai-5.md", _story(5, "Bài năm đã sửa"))
    (site.root / "stories/2021/05/bai-6.md").unlink()
    second = Preview(site, tmp_path, "second")
    try:
        second.wait_built("Bài năm đã sửa")
        assert "Bài năm đã sửa" in (_get(second.base + "2021/05/bai-so-5/") or "")
        assert _get(second.base + "2021/05/bai-so-6/") is None
        # The page no change reached is the file the first preview wrote: not written, nor linked again (a link to its
        # cache entry would change the status-change time of that one file).
        again = (kept / UNTOUCHED).stat()
        assert (again.st_ino, again.st_ctime_ns) == (written.st_ino, written.st_ctime_ns)
        assert differences(snapshot(kept), _clean(site, tmp_path, "clean-second")) == []
    finally:
        second.stop(signal.SIGKILL)  # no record saved: the next preview cannot trust the folder
    assert not (kept / ".frontline-preview.json").exists()

    (site.root / "stories/2021/05/bai-4.md").unlink()
    third = Preview(site, tmp_path, "third")
    try:
        third.wait_built("Bài số 7")
        assert _get(third.base + "2021/05/bai-so-4/") is None
        assert differences(snapshot(kept), _clean(site, tmp_path, "clean-third")) == []
    finally:
        third.stop()


def test_a_second_preview_of_the_project_at_once_serves_from_a_folder_of_its_own(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/bai-1.md", _story(1))
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    first = Preview(site, tmp_path, "first")
    try:
        first.wait_built("Bài số 1")
        port = _free_port()
        second = start_frontline(
            "preview", "-a", f"127.0.0.1:{port}", cwd=site.root, config=site.config, now=NOW,
            env={"TMPDIR": str(temporary)},
        )  # fmt: skip
        try:
            _wait_for(f"http://127.0.0.1:{port}/tin/2021/05/bai-so-1/", "Bài số 1", 90)
            assert any(temporary.iterdir()), "the second preview builds into a temporary folder"
        finally:
            second.terminate()
            second.wait(timeout=60)
        assert not list(temporary.iterdir()), "and deletes it when it stops"
        assert "Bài số 1" in (_get(first.base + "2021/05/bai-so-1/") or "")
    finally:
        first.stop()
