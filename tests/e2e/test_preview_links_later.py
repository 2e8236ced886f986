"""A preview's first build after a production build leaves the cached pages to be linked into its folder after it
(``frontline.engine.later_links``), and serves at once: a page asked for before its turn is linked then. Here the
linking threads wait for a file the test makes (the gate), so what the server does before and after is seen; the
bound above which pages are linked later is lowered to one page by a ``sitecustomize`` shim.

However the linking is interrupted (a save, the preview stopped, the cache emptied under it), the folder ends as a
clean build's site."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.cli import REPO
from tests.e2e.test_kept_preview_folder import KEPT, NOW, Preview, _clean, _story
from tests.e2e.test_preview import _get, _wait_for
from tests.sites import make_site, story
from tests.snapshots import differences, snapshot

pytestmark = pytest.mark.e2e

SHIM = """\
import os, time
gate = os.environ.get("LINK_GATE")
if gate:
    import frontline.engine.later_links as later_links
    later_links.LINK_LATER_FROM = 1
    work = later_links.LaterLinks._work
    def gated(self):
        while not os.path.exists(gate) and not self._stopped:
            time.sleep(0.05)
        work(self)
    later_links.LaterLinks._work = gated
"""
SLOW_FILES = """
slow = os.environ.get("SLOW_FILES")
if slow:
    import frontline.engine.session as session
    add_files = session.BuildSession.add_files
    def slowly(self, files, config):
        time.sleep(float(slow))
        return add_files(self, files, config)
    session.BuildSession.add_files = slowly
"""
SLOW_RENDER = """
slow_render = os.environ.get("SLOW_RENDER")
if slow_render:
    import sys
    import frontline.engine.session as session
    render = session.BuildSession._render
    def rendering_slowly(self, *args, **options):
        if os.path.exists(slow_render):
            print("RENDERING SLOWLY", file=sys.stderr, flush=True)
            time.sleep(30)
        return render(self, *args, **options)
    session.BuildSession._render = rendering_slowly
"""
LINKED = "đã vào thư mục xem trước sau khi dựng"
STORIES = 8


@pytest.fixture
def newsroom(tmp_path):
    site = make_site(tmp_path / "newsroom")
    for n in range(STORIES):
        site.write(f"stories/2021/05/bai-{n}.md", _story(n))
    assert site.build(now=NOW).returncode == 0  # the page cache holds every page a preview shows
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SHIM, encoding="utf-8")
    site.gate = tmp_path / "gate"
    site.shimmed = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(shim), str(REPO), os.environ.get("PYTHONPATH")])),
        "LINK_GATE": str(site.gate),
        "FRONTLINE_TIMINGS": "1",
    }
    return site


class GatedPreview(Preview):
    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_log(self, needle: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while needle not in self.log_text():
            assert self.process.poll() is None, self.log_text()
            assert time.monotonic() < deadline, f"{needle!r} not logged:\n{self.log_text()}"
            time.sleep(0.1)


def _page(site, n: int):
    return site.root / KEPT / f"2021/05/bai-so-{n}/index.html"


def test_the_first_page_is_served_before_the_cached_pages_are_linked_and_the_folder_ends_as_a_clean_build(
    newsroom, tmp_path, monkeypatch
):
    site = newsroom
    with _previewing(site, tmp_path, monkeypatch, "first") as preview:
        assert "linked after the build" in preview.log_text()
        assert not _page(site, 3).exists(), "the cached pages wait for the linking threads"
        assert "Bài số 3" in (_get(preview.base + "2021/05/bai-so-3/") or ""), "a page asked for is linked then"
        assert _page(site, 3).is_file()
        assert "Bài số 4" in (_get(preview.base + "2021/05/bai-so-4") or ""), "and a folder's address without a slash"
        assert not _page(site, 2).exists()

        # A save while the pages wait: its rebuild stops the threads, renders what it reaches, takes over the rest.
        site.write("stories/2021/05/bai-5.md", _story(5, "Bài năm đã sửa"))
        _wait_for(preview.base + "2021/05/bai-so-5/", "Bài năm đã sửa", 90)
        assert "Bài số 2" in (_get(preview.base + "2021/05/bai-so-2/") or "")
        # A story deleted while its page waits: the page is not linked after all.
        (site.root / "stories/2021/05/bai-7.md").unlink()
        _wait_gone(preview.base + "2021/05/bai-so-7/")

        newsroom.gate.touch()
        preview.wait_log(LINKED)
        assert _page(site, 6).is_file()
        _assert_clean(site, tmp_path)


def test_pages_rendered_in_forked_workers_and_pages_linked_later_both_end_in_the_folder(
    newsroom, tmp_path, monkeypatch
):
    """Drafts a production build does not show: the preview's first build renders their pages (and the listings
    that show them) in forked workers, and leaves the pages the cache holds to be linked after it."""
    site = newsroom
    for n in range(110):
        site.write(f"stories/2021/06/nhap-{n}.md", story(f"Bản nháp {n}", "2021-06-01T09:00", draft="true"))
    with _previewing(site, tmp_path, monkeypatch, "first", FRONTLINE_WORKERS="2") as preview:
        counts = re.search(r"\((\d+) written, (\d+) linked after the build\)", preview.log_text())
        assert counts is not None, preview.log_text()
        written, later = map(int, counts.groups())
        assert written >= 110 and later >= STORIES, preview.log_text()
        assert not _page(site, 2).exists()
        assert "Bản nháp 7" in (_get(preview.base + "2021/06/ban-nhap-7/") or "")
        site.gate.touch()
        preview.wait_log(LINKED)
        assert _page(site, 2).is_file()
        _assert_clean(site, tmp_path)


def test_a_preview_stopped_before_its_pages_are_linked_records_only_the_linked_ones(newsroom, tmp_path, monkeypatch):
    site = newsroom
    with _previewing(site, tmp_path, monkeypatch, "first") as first:
        assert "Bài số 1" in (_get(first.base + "2021/05/bai-so-1/") or "")
    recorded = _recorded(site)
    assert recorded, "the pages the build rendered or linked itself are recorded"
    assert all(os.path.isfile(written) for written in recorded), "no page the folder lacks"
    assert str(_page(site, 1)) in recorded and str(_page(site, 2)) not in recorded

    site.gate.touch()
    with _previewing(site, tmp_path, monkeypatch, "second", until=LINKED):
        _assert_clean(site, tmp_path)


def test_pages_whose_cache_entries_went_meanwhile_are_rendered_by_a_rebuild_of_their_own(
    newsroom, tmp_path, monkeypatch
):
    site = newsroom
    with _previewing(site, tmp_path, monkeypatch, "first") as preview:
        shutil.rmtree(site.root / ".cache/frontline/pages")  # a production build's cleanup, or a hand, meanwhile
        site.gate.touch()
        preview.wait_log("không còn trong bộ nhớ đệm")
        _wait_for(preview.base + "2021/05/bai-so-6/", "Bài số 6", 90)  # after the rebuild the server started itself
        _assert_clean(site, tmp_path)


def test_a_page_asked_for_whose_cache_entry_went_is_not_found_until_the_rebuild_it_starts(
    newsroom, tmp_path, monkeypatch
):
    site = newsroom
    with _previewing(site, tmp_path, monkeypatch, "first") as preview:
        shutil.rmtree(site.root / ".cache/frontline/pages")
        assert _get(preview.base + "2021/05/bai-so-7/") is None
        _wait_for(preview.base + "2021/05/bai-so-7/", "Bài số 7", 90)  # after the rebuild the server started itself
        _assert_clean(site, tmp_path)


def test_a_preview_stopped_before_its_pages_are_linked_is_not_served_at_once_by_the_next(
    newsroom, tmp_path, monkeypatch
):
    """The folder it leaves lacks pages: the next preview builds before it answers (a preview whose folder is current
    serves it during its first build), here with that build's files slowed so a premature answer would be seen."""
    site = newsroom
    shim = tmp_path / "shim" / "sitecustomize.py"
    shim.write_text(shim.read_text(encoding="utf-8") + SLOW_FILES, encoding="utf-8")
    with _previewing(site, tmp_path, monkeypatch, "first"):
        pass  # stopped once built, its pages not linked
    site.gate.touch()
    with _previewing(site, tmp_path, monkeypatch, "second", SLOW_FILES="5", until=None) as second:
        _wait_listening(second.port)
        assert "Bài số 2" in (_get(second.base + "2021/05/bai-so-2/") or ""), second.log_text()
        second.wait_log(LINKED)


def test_a_page_changed_since_the_last_preview_is_not_served_stale_while_it_waits(newsroom, tmp_path, monkeypatch):
    """A story edited while no preview ran, then a production build (the cache holds its new page): the next preview
    leaves the new page to be linked, and the old one in its folder is not served meanwhile."""
    site = newsroom
    site.gate.touch()
    with _previewing(site, tmp_path, monkeypatch, "first", until=LINKED):
        pass  # stopped once its pages are linked
    site.write("stories/2021/05/bai-3.md", _story(3, "Bài ba đã sửa"))
    assert site.build(now=NOW).returncode == 0
    site.gate.unlink()
    with _previewing(site, tmp_path, monkeypatch, "second") as second:
        assert "Bài ba đã sửa" in (_get(second.base + "2021/05/bai-so-3/") or "")
        site.gate.touch()
        second.wait_log(LINKED)
        _assert_clean(site, tmp_path)


def test_a_config_changed_and_back_or_a_docs_page_come_and_gone_while_pages_wait(newsroom, tmp_path, monkeypatch):
    """Back to a config the cache has every page of: each page waits again, and the one the folder holds (of the other
    config) is not served meanwhile; likewise where a page of docs/ stood in for a story's page and went."""
    site = newsroom
    config = site.config.read_text(encoding="utf-8")
    with _previewing(site, tmp_path, monkeypatch, "first") as preview:
        assert "Tuyến đầu thử nghiệm" in config
        site.config.write_text(config.replace("Tuyến đầu thử nghiệm", "Tuyến đầu khác"), encoding="utf-8")
        _wait_for(preview.base + "2021/05/bai-so-3/", "Tuyến đầu khác", 90)
        site.config.write_text(config, encoding="utf-8")
        _wait_for(preview.base + "2021/05/bai-so-3/", "Tuyến đầu thử nghiệm", 90)
        assert "Tuyến đầu khác" not in (_get(preview.base + "2021/05/bai-so-7/") or "")
        site.write("docs/2021/05/bai-so-2/index.md", "# Trang thay thế\n\nNội dung docs.\n")
        _wait_for(preview.base + "2021/05/bai-so-2/", "Trang thay thế", 90)
        (site.root / "docs/2021/05/bai-so-2/index.md").unlink()
        _wait_for(preview.base + "2021/05/bai-so-2/", "Bài số 2", 90)
        site.gate.touch()
        preview.wait_log(LINKED)
        _assert_clean(site, tmp_path)
    assert all(os.path.isfile(written) for written in _recorded(site))


def test_a_preview_stopped_during_a_rebuild_records_no_page_left_to_link(newsroom, tmp_path, monkeypatch):
    site = newsroom
    shim = tmp_path / "shim" / "sitecustomize.py"
    shim.write_text(shim.read_text(encoding="utf-8") + SLOW_RENDER, encoding="utf-8")
    slow = tmp_path / "slow"
    with _previewing(site, tmp_path, monkeypatch, "first", SLOW_RENDER=str(slow)) as preview:
        slow.touch()
        site.write("stories/2021/05/bai-5.md", _story(5, "Bài năm đã sửa"))
        preview.wait_log("RENDERING SLOWLY")
    assert [written for written in _recorded(site) if not os.path.isfile(written)] == []


def test_odd_requests_for_pages_not_linked_yet(newsroom, tmp_path, monkeypatch):
    site = newsroom
    with _previewing(site, tmp_path, monkeypatch, "first") as preview:
        assert _status(preview.base + "2021/05/bai-so-1/", "HEAD")[0] == 200
        status, body = _status(preview.base + "2021/05/x/../bai-so-2/")
        assert status == 200 and "Bài số 2".encode() in body
        status, body = _status(preview.base + "2021/05/bai-so-3/index.html")
        assert status == 200 and "Bài số 3".encode() in body
        assert _status(preview.base + "2021/05/b%C3%A0i-s%E1%BB%91-4/")[0] == 404
        status, body = _status(preview.base + "..%2f..%2f2021/05/bai-so-4/")  # normalised as the engine does
        assert status == 200 and "Bài số 4".encode() in body
        assert _status(preview.base + "2021/05/bai-so-5/index.html/")[0] == 404
        assert _status(f"http://127.0.0.1:{preview.port}/2021/05/bai-so-6/")[0] == 404  # outside the site's path
        assert "Traceback" not in preview.log_text()
        site.gate.touch()
        preview.wait_log(LINKED)
        _assert_clean(site, tmp_path)


def _status(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_listening(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on {port}"
            time.sleep(0.05)


@contextlib.contextmanager
def _previewing(
    site, tmp_path, monkeypatch, name: str, until: str | None = "Serving on", **env: str
) -> Iterator[GatedPreview]:
    """A preview of ``site`` through the shim (``env`` added to the shim's variables), once its log says ``until``
    (by default that its server listens: the engine binds its socket only after the first build has ended);
    stopped (SIGTERM, as Ctrl-C: a build under way stops where it is) at the end of the block."""
    monkeypatch.setattr("tests.e2e.test_kept_preview_folder.start_frontline", _with_env({**site.shimmed, **env}))
    preview = GatedPreview(site, tmp_path, name)
    try:
        if until is not None:
            preview.wait_log(until)
        yield preview
    finally:
        preview.stop()


def _assert_clean(site, tmp_path) -> None:
    """The preview's folder holds what a clean preview build of the content writes, byte for byte."""
    assert differences(snapshot(site.root / KEPT), _clean(site, tmp_path, "clean")) == []


def _recorded(site) -> list[str]:
    """The files of the pages the record of the preview's folder lists."""
    record = json.loads((site.root / KEPT / ".frontline-preview.json").read_text(encoding="utf-8"))
    return [written for written, _ in record["pages"].values()]


def _wait_gone(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while _get(url) is not None:
        assert time.monotonic() < deadline, f"{url} still served after {seconds} s"
        time.sleep(0.2)


def _with_env(extra: dict[str, str]):
    from tests.cli import start_frontline

    def started(*args, env=None, **options):
        return start_frontline(*args, env={**(env or {}), **extra}, **options)

    return started
