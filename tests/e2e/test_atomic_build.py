"""``frontline build`` publishes a site in one step, one build at a time, and cleans up after builds that died.

Readers (a web server) polling the site while it is rebuilt never find a page missing or a tree half old and
half new; a build killed at any moment leaves the published site as it was; two builds in one project take
turns (the second waits, or with ``--no-wait`` stops); folders left by dead builds never block the next."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from frontline.build import atomic
from frontline.build.locks import CACHE_FOLDER, ENGINE_LOCK, Lock, build_lock
from tests.cli import build_env, run_frontline, start_frontline
from tests.sites import REPO, FixtureSite, make_site, story
from tests.snapshots import snapshot

NOW = "2021-12-31T00:00:00+07:00"
HOT_STORY = "stories/2021/06/tin-nong.md"
HOT_PAGE = "2021/06/tin-nong/index.html"
VERSION = re.compile(r"Phiên bản (\d+)")


def _newsroom(root: Path, version: int = 0) -> FixtureSite:
    site = make_site(root)
    for number in range(6):
        site.write(f"stories/2021/05/bai-{number}.md", story(f"Bài số {number}", f"2021-05-{10 + number}"))
    _set_version(site, version)
    return site


def _set_version(site: FixtureSite, version: int) -> None:
    """The newest story (on the home page and its own page) carries the version: each rebuild changes both."""
    body = f"Phiên bản {version}: " + "Nội dung cập nhật liên tục. " * (20 + version)
    site.write(HOT_STORY, story(f"Tin nóng phiên bản {version}", "2021-06-01", slug="tin-nong", body=body))


def _start_build(site: FixtureSite, *args: str, **popen) -> subprocess.Popen:
    """``frontline build`` in a process group of its own (so that all of it can be killed at once)."""
    return start_frontline("build", *args, cwd=site.root, now=NOW, start_new_session=True, text=True, **popen)


def _build(site: FixtureSite, *args: str) -> subprocess.CompletedProcess:
    return run_frontline("build", *args, cwd=site.root, now=NOW)


def _built(site: FixtureSite, *args: str) -> None:
    result = _build(site, *args)
    assert result.returncode == 0, result.stderr


def _files(folder: Path) -> list[str]:
    return list(snapshot(folder))


def _leftovers(site: FixtureSite) -> list[str]:
    """What builds left beside the site, but the site the last one replaced (kept for the next to bring up to date)."""
    names = (entry.name for entry in site.root.iterdir() if entry.name.startswith(".site."))
    return sorted(name for name in names if name != atomic.spare_of(site.site_dir).name)


def _eventually(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def _clean_build_of(site: FixtureSite, root: Path) -> Path:
    """The same project's content built from scratch in another folder (no cache, no earlier site)."""
    copy = FixtureSite(root)
    for name in ("mkdocs.yml", "docs", "stories"):
        source = site.root / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            root.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    _built(copy)
    return copy.site_dir


def _assert_same_site(site_dir: Path, clean: Path) -> None:
    assert _files(site_dir) == _files(clean)
    for name in ("index.html", "feed.xml", HOT_PAGE):
        assert (site_dir / name).read_bytes() == (clean / name).read_bytes(), name


class _Reader(threading.Thread):
    """Polls the published site like a web server: by path, and both pages of one opened site folder."""

    def __init__(self, site_dir: Path) -> None:
        super().__init__(daemon=True)
        self.site_dir = site_dir
        self.stop = threading.Event()
        self.reads = 0
        self.misses: list[str] = []
        self.incomplete: list[str] = []
        self.mixed: list[tuple[int, int]] = []
        self.versions: list[int] = []

    def run(self) -> None:
        # At the lowest priority: a tight loop at the build's own would starve its search indexer (niced).
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        while not self.stop.is_set():
            for name in ("index.html", HOT_PAGE):
                self._page(self.site_dir / name)
            try:
                folder = os.open(self.site_dir, os.O_RDONLY | os.O_DIRECTORY)
            except (FileNotFoundError, NotADirectoryError):
                self.misses.append("site/")
                continue
            try:  # one tree: the home page and the story page of the same build
                home, page = (self._read(name, folder) for name in ("index.html", HOT_PAGE))
            finally:
                os.close(folder)
            if home is not None and page is not None:
                versions = (int(VERSION.search(home)[1]), int(VERSION.search(page)[1]))
                if versions[0] != versions[1]:
                    self.mixed.append(versions)
                self.versions.append(versions[0])
            # A pause of half a millisecond between rounds: a site missing while an old one is deleted, or a tree
            # half replaced, lasts milliseconds and is still read more than once; spinning without one kept a core
            # busy for the whole test.
            time.sleep(0.0005)

    def _page(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            self.misses.append(str(path))
            return
        self.reads += 1
        if not text.rstrip().endswith("</html>"):
            self.incomplete.append(str(path))

    def _read(self, name: str, folder: int) -> str | None:
        try:
            descriptor = os.open(name, os.O_RDONLY, dir_fd=folder)
        except (FileNotFoundError, NotADirectoryError):
            # The folder opened was the old site, replaced since and being deleted: a reader asking by path (as a
            # web server does, and as _page does above) is never sent there. Not a miss; this pair is not compared.
            return None
        with os.fdopen(descriptor, encoding="utf-8") as handle:
            text = handle.read()
        if not text.rstrip().endswith("</html>"):
            self.incomplete.append(name)
        return text


def test_readers_never_see_a_missing_or_mixed_site_while_it_is_rebuilt(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    _built(site)
    reader = _Reader(site.site_dir)
    reader.start()
    try:
        for version in range(1, 11):
            _set_version(site, version)
            _built(site)
        # The reader runs at the lowest priority: on a busy machine (tests in parallel) it may not have read the
        # last site yet when the last build ends. It must see it; the assertion below says so.
        _eventually(lambda: reader.versions[-1:] == [10])
    finally:
        reader.stop.set()
        reader.join()
    assert reader.misses == []
    assert reader.incomplete == []
    assert reader.mixed == []
    assert reader.versions == sorted(reader.versions)  # never an older site after a newer one
    assert reader.versions[-1] == 10 and len(set(reader.versions)) > 1
    assert reader.reads > 0


def test_a_build_killed_at_any_moment_leaves_the_site_intact_and_the_next_build_clean(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    _built(site)
    published = snapshot(site.site_dir)
    _set_version(site, 1)  # a build that is not killed in time publishes a different site
    started = time.monotonic()
    _built(site, "-d", str(tmp_path / "new"))  # that site; and how long a build takes, to spread the kills over it
    duration = time.monotonic() - started
    new = snapshot(tmp_path / "new")
    assert new != published
    chance = random.Random(21)
    killed = 0
    for _ in range(8):
        build = _start_build(site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.02, duration))
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            killed += 1
        build.wait()
        now = snapshot(site.site_dir)
        if build.returncode == 0:
            assert now == new
        else:  # killed before the exchange: the old site; after it (while exiting): the whole new one
            assert now in (published, new)
        published = now
    assert killed > 0
    before = _leftovers(site)
    _built(site)
    assert not set(before) & set(_leftovers(site))
    assert _eventually(lambda: _leftovers(site) == [])  # the replaced site, deleted in the background
    _assert_same_site(site.site_dir, _clean_build_of(site, tmp_path / "clean"))


def test_two_builds_at_once_take_turns(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    first, second = (_start_build(site, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2))
    outcomes = [build.communicate(timeout=300) for build in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), outcomes
    _assert_same_site(site.site_dir, _clean_build_of(site, tmp_path / "clean"))


def test_a_build_waits_for_the_one_running_and_says_so_once(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    with build_lock(site.root):  # as a running `frontline build` holds it
        waiting = _start_build(site, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        said = waiting.stderr.readline()
        assert f"Một lần dựng khác đang chạy trong dự án này (PID {os.getpid()}); đang chờ" in said
        assert waiting.poll() is None and not site.site_dir.exists()
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert "đang chờ" not in err
    assert (site.site_dir / "index.html").is_file()


def test_no_wait_stops_at_once_when_another_build_runs(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    with build_lock(site.root):
        result = _build(site, "--no-wait")
    assert result.returncode == 1
    assert f"Một lần dựng khác đang chạy trong dự án này (PID {os.getpid()}); không dựng vì có --no-wait" in (
        result.stderr
    )
    assert not site.site_dir.exists()
    _built(site, "--no-wait")  # nobody else building: it builds


def _raw_build(site: FixtureSite, output: Path, **popen) -> subprocess.Popen:
    return site.start_build(site_dir=output, now=NOW, quiet=False, popen=popen)


def test_two_bare_mkdocs_builds_at_once_both_succeed(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    builds = [_raw_build(site, tmp_path / name, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for name in "ab"]
    outcomes = [build.communicate(timeout=300) for build in builds]
    assert [build.returncode for build in builds] == [0, 0], outcomes
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert (tmp_path / "a/index.html").read_bytes() == (tmp_path / "b/index.html").read_bytes()


def test_a_bare_mkdocs_build_waits_for_the_engine_lock(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    with Lock(site.root / CACHE_FOLDER / ENGINE_LOCK):  # as another build's hooks hold it
        build = _raw_build(site, tmp_path / "out", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        said = ""
        while "đang chờ" not in said and build.poll() is None:
            said = build.stderr.readline()
        assert f"một lần dựng khác đang dùng {CACHE_FOLDER} (PID {os.getpid()}); đang chờ" in said
        assert not (tmp_path / "out/index.html").exists()
    out, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert (tmp_path / "out/index.html").is_file()


def test_folders_left_by_dead_builds_never_block_the_next(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    _built(site)
    for left in (".site.old-1", ".site.building-999999"):  # PID 1: a container's build whose deleter was killed
        site.write(f"{left}/index.html", "<html>trang cũ</html>")
        site.write(f"{left}/2021/05/bai-0/index.html", "<html>trang cũ</html>")
    _set_version(site, 1)
    result = _build(site)
    assert result.returncode == 0, result.stderr
    assert not (site.root / ".site.old-1").exists()
    assert not (site.root / ".site.building-999999").exists()
    assert "Phiên bản 1" in (site.site_dir / "index.html").read_text(encoding="utf-8")


def test_git_ignores_the_folders_a_build_leaves(tmp_path):
    repository = REPO
    names = [".site.building-12-ab12cd34/index.html", ".site.old-1/index.html", ".site.release-5-00ff00ff/a.html"]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *names], cwd=repository, capture_output=True, text=True
    )
    assert result.stdout.split() == names


# -- the swap itself, with a build written by Python --------------------------------------------------------


def _writer(pages: int, version: int):
    def build(staging: Path) -> bool:
        for number in range(pages):
            page = staging / f"{number:03}" / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(f"<html>Phiên bản {version}</html>", encoding="utf-8")
        (staging / "index.html").write_text(f"<html>Phiên bản {version}</html>", encoding="utf-8")
        return True

    return build


def test_the_first_build_is_renamed_into_place(tmp_path):
    site_dir = tmp_path / "site"
    assert atomic.build_atomically(site_dir, _writer(3, 0))
    assert site_dir.is_dir() and not site_dir.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_new_site_is_exchanged_for_the_old_folder(tmp_path):
    site_dir = tmp_path / "site"
    atomic.build_atomically(site_dir, _writer(3, 0))
    inode = site_dir.stat().st_ino
    assert atomic.build_atomically(site_dir, _writer(3, 1))
    assert site_dir.is_dir() and not site_dir.is_symlink()  # a real folder, now another one
    assert site_dir.stat().st_ino != inode
    assert (site_dir / "001/index.html").read_text(encoding="utf-8") == "<html>Phiên bản 1</html>"
    assert _eventually(lambda: [p.name for p in tmp_path.iterdir()] == ["site"])


def test_a_failed_build_leaves_the_site_and_nothing_beside_it(tmp_path):
    site_dir = tmp_path / "site"
    atomic.build_atomically(site_dir, _writer(3, 0))
    published = snapshot(site_dir)

    def failing(staging: Path) -> bool:
        _writer(2, 1)(staging)
        return False

    assert not atomic.build_atomically(site_dir, failing)
    assert snapshot(site_dir) == published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_exchange_swaps_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/1").write_text("a", encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b/2").write_text("b", encoding="utf-8")
    assert atomic.exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["2"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["1"]
    with pytest.raises(FileNotFoundError):
        atomic.exchange(tmp_path / "a", tmp_path / "missing")


def test_without_exchange_the_site_becomes_a_link_switched_in_one_step(tmp_path, monkeypatch):
    """Where the file system cannot exchange folders (forced here: this one can)."""
    monkeypatch.setattr(atomic, "exchange", lambda first, second: False)
    site_dir = tmp_path / "site"
    atomic.build_atomically(site_dir, _writer(50, 0))
    atomic.build_atomically(site_dir, _writer(50, 1))  # the folder becomes a link
    assert site_dir.is_symlink() and os.readlink(site_dir).startswith(".site.release-")
    misses: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            try:
                (site_dir / "049/index.html").read_text(encoding="utf-8")
            except FileNotFoundError:
                misses.append("049")

    polling = threading.Thread(target=poll, daemon=True)
    polling.start()
    try:
        for version in range(2, 12):
            assert atomic.build_atomically(site_dir, _writer(50, version))
    finally:
        stop.set()
        polling.join()
    assert misses == []
    assert (site_dir / "000/index.html").read_text(encoding="utf-8") == "<html>Phiên bản 11</html>"
    live = os.readlink(site_dir)
    assert _eventually(lambda: sorted(p.name for p in tmp_path.iterdir()) == sorted([live, "site"]))
    # the release the link names is not a leftover; a planted one is
    (tmp_path / ".site.release-1-00000000").mkdir()
    atomic.clear_leftovers(site_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live, "site"])


def test_a_link_of_the_users_own_is_followed(tmp_path):
    (tmp_path / "www").mkdir()
    os.symlink(tmp_path / "www", tmp_path / "site")
    atomic.build_atomically(tmp_path / "site", _writer(2, 0))
    atomic.build_atomically(tmp_path / "site", _writer(2, 1))
    assert os.readlink(tmp_path / "site") == str(tmp_path / "www")
    assert (tmp_path / "www/index.html").read_text(encoding="utf-8") == "<html>Phiên bản 1</html>"


INTERRUPTED_BUILD = """
import sys
import frontline.engine.session as session
from mkdocs.__main__ import cli

def interrupted(*args, **options):  # Ctrl-C reaching the build's process alone, once its indexer is forked
    raise KeyboardInterrupt

session.render_pages = interrupted
cli(["build", "-q", "--strict", "-f", sys.argv[1]], prog_name="mkdocs")
"""


def test_a_build_interrupted_while_its_search_index_is_built_ends_at_once(tmp_path):
    """No engine hook hears of a Ctrl-C (MkDocs tells its error event of an ``Exception`` only): the forked search
    indexer, and the kept folder's walk, are stopped as the process exits instead of being waited for at exit while
    they wait for it."""
    site = _newsroom(tmp_path / "newsroom")
    _built(site)
    _built(site)  # the folder kept beside: the next build's walk of it is forked too
    site.write("stories/2021/05/moi.md", story("Bài mới ở Bắc Giang", "2021-05-25T09:00", campaign="bac-giang"))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_BUILD, str(site.config)],
        cwd=site.root,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "Aborted" in result.stderr, result.stderr
    assert time.monotonic() - started < 30
    assert not list((site.root / CACHE_FOLDER / "search").glob(".staging*")), "the unfinished index is not kept"
