"""`frontline preview`: the live server shows drafts (marked) and picks up a saved story."""

from __future__ import annotations

import os
import re
import socket
import time
import urllib.error
import urllib.request

import pytest

from tests.cli import start_frontline
from tests.sites import make_site, story


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, needle: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and needle in page:
            return page
        time.sleep(0.2)
    pytest.fail(f"{needle!r} not served at {url} within {seconds}s")


def test_preview_serves_drafts_and_rebuilds_when_a_story_is_saved(site, tmp_path):
    path = site.write("stories/2021/05/a.md", story("Tiêu đề ban đầu", "2021-05-20T09:30", draft="true"))
    port = _free_port()
    temporary = tmp_path / "tmp"  # where the engine would build the site it serves: previews keep a folder instead
    temporary.mkdir()
    kept = site.root / ".cache/frontline/preview-site"
    log = tmp_path / "preview.log"
    with log.open("wb") as output:
        server = start_frontline(
            "preview",
            "-a",
            f"127.0.0.1:{port}",
            cwd=site.root,
            config=site.config,
            env={"TMPDIR": str(temporary)},
            stdout=output,
            stderr=output,
        )
    try:
        base = f"http://127.0.0.1:{port}/tin/"
        page = _wait_for(base + "2021/05/tieu-de-ban-dau/", "Tiêu đề ban đầu", 60)
        assert "Bản nháp: chưa xuất bản" in page
        search = _get(base + "tim-kiem/") or ""
        assert "Bản xem trước không có chỉ mục tìm kiếm" in search and "data-bundle" not in search
        path.write_text(
            story("Tiêu đề đã sửa", "2021-05-20T09:30", slug="tieu-de-ban-dau", draft="true"), encoding="utf-8"
        )
        _wait_for(base + "2021/05/tieu-de-ban-dau/", "Tiêu đề đã sửa", 60)
        # The page is served before the build that wrote it ends and says so: on a busy machine, wait for that.
        deadline = time.monotonic() + 60
        while log.read_text(encoding="utf-8").count("Documentation built") < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # a build reads files: reading must not count as a change (no rebuild loop)
        assert (kept / "2021/05/tieu-de-ban-dau/index.html").is_file()
    finally:
        server.terminate()  # SIGTERM, as docker stop or systemd would stop it
        server.wait(timeout=30)
    assert not list(temporary.iterdir()), "a preview builds into the folder previews keep, not a temporary one"
    assert (kept / ".frontline-preview.json").is_file(), "stopped by SIGTERM, it keeps the record of that folder"
    assert "Shutting down" in log.read_text(encoding="utf-8")
    assert not site.site_dir.exists(), "preview must never write the published site"
    assert log.read_text(encoding="utf-8").count("Documentation built") == 2  # the first build, then one per save


PROCESS_EXTENSION = """
import os
from markdown import Extension
from markdown.preprocessors import Preprocessor


class _Process(Preprocessor):
    def run(self, lines):
        return [line.replace("MÃ TIẾN TRÌNH", f"tiến trình {os.getpid()}") for line in lines]


class ProcessExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_Process(md), "ma_tien_trinh", 100)


def makeExtension(**kwargs):
    return ProcessExtension(**kwargs)
"""


def test_a_new_preview_renders_its_first_build_on_every_core(tmp_path):
    """The engines make their file watcher before the first build, and watchdog's starts a thread as it is made:
    a threaded process is not forked, so the first build of a preview rendered every page on one core."""
    site = make_site(tmp_path / "newsroom")
    config = site.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - frontline.markdown_ext\n", "  - frontline.markdown_ext\n  - ma_tien_trinh\n"))
    site.write("ma_tien_trinh.py", PROCESS_EXTENSION)
    for n in range(110):
        body = "MÃ TIẾN TRÌNH"
        site.write(f"stories/2021/05/bai-{n:03d}.md", story(f"Bài số {n}", f"2021-05-{1 + n % 28:02d}", body=body))
    port = _free_port()
    env = {"FRONTLINE_WORKERS": "2", "PYTHONPATH": os.pathsep.join([str(site.root), os.environ.get("PYTHONPATH", "")])}
    log = tmp_path / "preview.log"
    with log.open("wb") as output:
        server = start_frontline(
            "preview", "-a", f"127.0.0.1:{port}", cwd=site.root, config=config, env=env, stdout=output, stderr=output
        )
    try:
        base = f"http://127.0.0.1:{port}/tin/"
        _wait_for(base, "Bài số", 60)
        renderers = set()
        for n in range(110):
            page = _get(f"{base}2021/05/bai-so-{n}/") or ""
            found = re.search(r"tiến trình (\d+)", page)
            assert found, n
            renderers.add(int(found.group(1)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.pid in renderers  # the first page of each kind renders in the server, to prime the templates
    assert len(renderers) >= 3, log.read_text(encoding="utf-8")  # and the others in its two workers
