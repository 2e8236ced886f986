"""`frontline publish` to a folder, served by a real nginx (Debian's, started here on a free loopback port with the
snippet the publish wrote): headers, precompressed twins, atomic switches under a polling reader, a publish killed
at random moments, rollback, dry runs and a site older than its content."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from frontline.deploy.base import headers_for
from tests.sites import FixtureSite, make_site, story

pytestmark = pytest.mark.e2e

NOW = "2021-12-31T00:00:00+07:00"
STORY = "stories/2021/05/benh-vien.md"
STORY_URL = "2021/05/benh-vien-da-chien-so-2/"


def frontline(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "FRONTLINE_NOW": NOW}
    command = [sys.executable, "-m", "frontline.cli", "-f", str(root / "mkdocs.yml"), *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)


def publish_ok(root: Path, dest: Path | str, *args: str) -> str:
    result = frontline(root, "publish", str(dest), *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def counts(summary: str) -> dict[str, int]:
    """The figures of `publish`'s summary line."""
    if "Không có gì thay đổi" in summary:
        unchanged = re.search(r"\((\d+) tệp không đổi\)", summary)
        return {"sent": 0, "unchanged": int(unchanged.group(1)), "deleted": 0}
    sent = re.search(r"gửi (\d+) tệp", summary)
    unchanged = re.search(r"(\d+) tệp không đổi", summary)
    deleted = re.search(r"xoá (\d+) tệp", summary)
    return {"sent": int(sent.group(1)), "unchanged": int(unchanged.group(1)), "deleted": int(deleted.group(1))}


def newsroom(root: Path):
    site = make_site(root)
    for day in range(1, 8):
        site.write(
            f"stories/2021/05/bai-{day}.md",
            story(
                f"Tin ngày {day} ở Bắc Giang", f"2021-05-{day:02d}T09:00", campaign="bac-giang", location="Bắc Giang"
            ),
        )
    site.write(STORY, story("Bệnh viện dã chiến số 2", "2021-05-20T09:30", campaign="bac-giang", body="Bản đầu."))
    return site


def newsroom_copy(built: Path, root: Path) -> FixtureSite:
    """A project of its own for one test: the newsroom built once per run (``built_newsroom`` in
    ``tests/e2e/conftest.py``: its content and build cache, no site), copied, so that the test's builds are warm;
    the cache is keyed by content, never by where the project sits. What these tests check is the publish."""
    shutil.copytree(built, root, symlinks=True)
    return FixtureSite(root)


def build(root: Path) -> None:
    result = frontline(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr


def edit_story(site, text: str) -> None:
    site.write(STORY, story("Bệnh viện dã chiến số 2", "2021-05-20T09:30", campaign="bac-giang", body=text))


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def live_release(dest: Path) -> Path:
    return dest / os.readlink(dest / "current")


def assert_complete(dest: Path) -> dict:
    """The live release holds exactly the files its manifest lists, with their bytes."""
    live = live_release(dest)
    manifest = json.loads((live.parent / (live.name + ".json")).read_text(encoding="utf-8"))["files"]
    found = {p.relative_to(live).as_posix(): p for p in live.rglob("*") if p.is_file()}
    assert sorted(found) == sorted(manifest)
    for path, entry in manifest.items():
        assert hashlib.sha256(found[path].read_bytes()).hexdigest() == entry["sha256"], path
    return manifest


# -- nginx --------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A web server in the foreground on a free loopback port, serving ``dest/current`` with the snippet the publish
    wrote; stopped by the test."""

    port: int
    process: subprocess.Popen

    def _wait(self) -> None:
        for _ in range(200):
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)

    def get(self, path: str, *, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path.lstrip('/')}")
        if gzip_ok:
            request.add_header("Accept-Encoding", "gzip")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Nginx(Server):
    """Debian's nginx with ``dest/nginx.conf`` included in its server block."""

    def __init__(self, dest: Path, work: Path) -> None:
        self.port = free_port()
        work.mkdir(parents=True, exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""  # the workers read the test's private tmp folders
        temp = "\n".join(
            f"  {kind}_temp_path {work}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (work / "nginx.conf").write_text(
            f"""{user}daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 128; }}
http {{
  access_log {work}/access.log;
{temp}
  server {{
    listen 127.0.0.1:{self.port};
    include "{dest}/nginx.conf";
  }}
}}
""",
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [
                shutil.which("nginx") or "/usr/sbin/nginx",
                "-p",
                str(work),
                "-e",
                str(work / "error.log"),
                "-c",
                str(work / "nginx.conf"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait()


class Caddy(Server):
    """Debian's Caddy with ``dest/Caddyfile`` imported in its site block (no admin endpoint, no certificates)."""

    def __init__(self, dest: Path, work: Path) -> None:
        self.port = free_port()
        work.mkdir(parents=True, exist_ok=True)
        (work / "Caddyfile").write_text(
            f"""{{
\tadmin off
\tauto_https off
\tstorage file_system {work}/data
}}
http://127.0.0.1:{self.port} {{
\timport "{dest}/Caddyfile"
}}
""",
            encoding="utf-8",
        )
        env = {**os.environ, "HOME": str(work), "XDG_DATA_HOME": str(work), "XDG_CONFIG_HOME": str(work)}
        self.process = subprocess.Popen(
            [shutil.which("caddy") or "/usr/bin/caddy", "run", "--config", str(work / "Caddyfile")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        self._wait()


@pytest.fixture
def served(tmp_path, built_newsroom):
    """The newsroom (no site yet: the publish builds it), published to ``dest``; nginx serving it. Yields (site,
    dest, nginx)."""
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    dest = tmp_path / "srv" / "báo tuyến đầu"  # a space: the servers' snippets must keep the path one argument
    publish_ok(site.root, dest)
    server = Nginx(dest, tmp_path / "nginx")
    try:
        yield site, dest, server
    finally:
        server.stop()


# -- tests ----------------------------------------------------------------------------------------------------------


def assert_served_with_the_policy(dest: Path, server: Server) -> None:
    """Every file of the live release, with the policy's Cache-Control and Content-Type; its gzip twin to a client
    that accepts gzip."""
    manifest = assert_complete(dest)
    twins = [path for path in manifest if path.endswith(".gz") and path[:-3] in manifest]
    assert any(path.endswith(".html.gz") for path in twins) and any(path.endswith(".css.gz") for path in twins)
    for path in manifest:
        if path in twins:
            continue
        status, headers, body = server.get(path)
        assert status == 200, path
        expected = headers_for(path)
        assert headers["Cache-Control"] == expected["Cache-Control"], path
        assert headers["Content-Type"].replace(" ", "") == expected["Content-Type"].replace(" ", ""), path
        assert "Content-Encoding" not in headers and body == (live_release(dest) / path).read_bytes(), path
    for url in ("", STORY_URL, "feed.xml"):
        status, headers, body = server.get(url, gzip_ok=True)
        assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding", url
        path = url + "index.html" if url == "" or url.endswith("/") else url
        assert gzip.decompress(body) == (live_release(dest) / path).read_bytes(), url
        assert body == (live_release(dest) / (path + ".gz")).read_bytes(), url
        assert headers["Cache-Control"] == headers_for(path)["Cache-Control"], url
    policy = {
        "index.html": "max-age=300",
        "feed.xml": "max-age=120",
        next(p for p in manifest if re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js", p)): "immutable",
    }
    for path, word in policy.items():
        assert word in server.get(path)[1]["Cache-Control"], path
    assert server.get(STORY_URL)[1]["Content-Type"] == "text/html; charset=utf-8"


def test_nginx_sends_each_file_with_the_policys_headers_and_its_gzip_twin(served):
    site, dest, server = served
    assert site.site_dir.is_dir()  # there was no site: publish built it
    assert_served_with_the_policy(dest, server)


def test_caddy_sends_each_file_with_the_policys_headers_and_its_gzip_twin(served, tmp_path):
    _site, dest, _nginx = served
    caddy = Caddy(dest, tmp_path / "caddy")
    try:
        assert_served_with_the_policy(dest, caddy)
    finally:
        caddy.stop()


def test_publishing_again_sends_nothing_and_one_edited_story_sends_few_files(served):
    site, dest, server = served
    again = counts(publish_ok(site.root, dest))
    assert again["sent"] == 0 and again["unchanged"] > 100
    edit_story(site, "Bản thứ hai, có thêm số liệu mới.")
    build(site.root)
    releases_before = sorted(p.name for p in (dest / "releases").iterdir())
    current_before = os.readlink(dest / "current")
    # After a publish, a process left running copies the live release (links, its folders made) for the next one.
    spare = dest / ".spares" / current_before.split("/")[1]
    deadline = time.monotonic() + 60
    while not spare.is_dir() and time.monotonic() < deadline:
        time.sleep(0.05)
    spare_inode = spare.stat().st_ino
    dry = publish_ok(site.root, dest, "--dry-run")
    assert f"+ {STORY_URL}index.html" in dry and "Chạy thử, không thay đổi gì" in dry
    assert sorted(p.name for p in (dest / "releases").iterdir()) == releases_before
    assert os.readlink(dest / "current") == current_before
    assert "Bản thứ hai".encode() not in server.get(STORY_URL)[2]
    figures = counts(publish_ok(site.root, dest))
    assert figures == counts(dry.splitlines()[-1])
    total = figures["sent"] + figures["unchanged"]
    assert 2 <= figures["sent"] <= 40 and figures["sent"] * 4 < total, figures
    assert "Bản thứ hai".encode() in server.get(STORY_URL)[2]
    live = live_release(dest)
    previous = dest / "releases" / current_before.split("/")[1]
    shared = live / "assets" / "stylesheets"
    css = next(shared.glob("main.*.min.css"))
    assert css.stat().st_ino == (previous / css.relative_to(live)).stat().st_ino  # linked, not copied
    assert live.stat().st_ino == spare_inode  # the spare, become the release: only what differs was changed
    assert site_files(live) == site_files(site.site_dir)


def test_a_reader_polling_during_publishes_never_sees_a_missing_or_mixed_page(served):
    site, dest, server = served
    first = site_files(live_release(dest))
    edit_story(site, "Bản mới nhất, đăng trong lúc bạn đọc đang tải trang.")
    build(site.root)
    second = site_files(site.site_dir)
    watched = ["index.html", f"{STORY_URL}index.html", "feed.xml", "campaigns/bac-giang/index.html"]
    assert any(first[path] != second[path] for path in watched)
    versions = {path: {first[path], second[path]} for path in watched}
    seen: list[tuple[str, int, bool]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            for path in watched:
                for gzip_ok in (False, True):
                    status, headers, body = server.get(path.removesuffix("index.html"), gzip_ok=gzip_ok)
                    if headers.get("Content-Encoding") == "gzip":
                        body = gzip.decompress(body)
                    seen.append((path, status, body in versions[path]))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(3):
            publish_ok(site.root, dest)  # the second build
            assert frontline(site.root, "rollback", str(dest)).returncode == 0  # the first again
        publish_ok(site.root, dest)
    finally:
        stop.set()
        reader.join()
    assert len(seen) > 50
    assert [entry for entry in seen if entry[1] != 200 or not entry[2]] == []
    assert server.get(STORY_URL)[2] == second[f"{STORY_URL}index.html"]


def test_a_publish_killed_at_any_moment_leaves_a_complete_release_served_and_the_next_completes(served, tmp_path):
    site, dest, server = served
    first_home = server.get("")[2]
    for day in range(10, 28):  # a second build with many new pages, so a publish takes a while to fill
        site.write(f"stories/2021/06/them-{day}.md", story(f"Tin thêm {day}", f"2021-06-{day}T08:00", body="Thêm."))
    build(site.root)
    second_home = (site.site_dir / "index.html").read_bytes()
    env = {**os.environ, "FRONTLINE_NOW": NOW}
    # The default --keep: each attempt that ends after the switch adds a release of the second site, and the first,
    # which the rollbacks below go back to, stays (--keep counts sites, not releases).
    command = [sys.executable, "-m", "frontline.cli", "-f", str(site.root / "mkdocs.yml"), "publish", str(dest)]
    started = time.monotonic()
    publish_ok(site.root, tmp_path / "elsewhere")  # how long a whole publish takes here
    duration = time.monotonic() - started
    chance = random.Random(24)
    releases = dest / "releases"
    for attempt in range(8):
        process = subprocess.Popen(command, cwd=site.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if attempt % 2:  # at a random moment of the whole command
            time.sleep(chance.uniform(0.2, 1.0) * duration)
        else:  # while the release is being filled: once its hidden folder appears, a little later
            while process.poll() is None and not any(p.name.startswith(".partial-") for p in releases.iterdir()):
                time.sleep(0.001)
            time.sleep(chance.uniform(0, 0.03))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert_complete(dest)
        home = server.get("")
        assert home[0] == 200 and home[2] in (first_home, second_home), attempt
        if home[2] == second_home:  # the kill came after the switch: start the next attempt from the first again
            assert frontline(site.root, "rollback", str(dest)).returncode == 0
            assert server.get("")[2] == first_home
    assert "Đã đăng bản" in publish_ok(site.root, dest)
    assert_complete(dest)
    assert server.get("")[2] == second_home
    assert [p.name for p in (dest / "releases").iterdir() if p.name.startswith(".")] == []


def test_rollback_makes_the_previous_release_live_and_releases_lists_them(served):
    site, dest, server = served
    first_story = server.get(STORY_URL)[2]
    edit_story(site, "Bản sửa sau, rồi quay lại bản trước.")
    build(site.root)
    publish_ok(site.root, dest)
    assert "Bản sửa sau".encode() in server.get(STORY_URL)[2]
    listed = frontline(site.root, "releases", str(dest))
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and lines[1].startswith("* ") and "(đang chạy)" in lines[1], listed.stdout
    back = frontline(site.root, "rollback", str(dest))
    assert back.returncode == 0 and "Đã quay lại bản" in back.stdout, back.stderr
    assert server.get(STORY_URL)[2] == first_story
    assert frontline(site.root, "releases", str(dest)).stdout.splitlines()[0].startswith("* ")
    oldest = frontline(site.root, "rollback", str(dest))
    assert oldest.returncode == 1 and "cũ nhất" in oldest.stderr
    assert server.get(STORY_URL)[2] == first_story


def test_keep_prunes_old_releases_but_never_the_live_one(tmp_path, built_newsroom):
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    dest = tmp_path / "dest"
    for round_ in range(4):
        edit_story(site, f"Lần sửa thứ {round_}.")
        build(site.root)
        publish_ok(site.root, dest, "--keep", "2")
    releases = sorted(p.name for p in (dest / "releases").iterdir() if p.is_dir())
    assert len(releases) == 2 and os.readlink(dest / "current") == f"releases/{releases[-1]}"
    assert_complete(dest)


def test_keep_counts_sites_not_republishes_so_rollback_still_reaches_the_previous_site(tmp_path, built_newsroom):
    """A build rolled back from and published again makes a new release with an older one's files: ``--keep 2``
    keeps two sites to go back to however often that happens, and rollback skips a release with the live files."""
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    dest = tmp_path / "dest"
    build(site.root)
    publish_ok(site.root, dest, "--keep", "2")
    first_page = (live_release(dest) / STORY_URL / "index.html").read_bytes()
    edit_story(site, "Bản sửa được đăng lại nhiều lần.")
    build(site.root)
    publish_ok(site.root, dest, "--keep", "2")
    for _ in range(3):
        back = frontline(site.root, "rollback", str(dest))
        assert back.returncode == 0, back.stderr
        assert (live_release(dest) / STORY_URL / "index.html").read_bytes() == first_page
        publish_ok(site.root, dest, "--keep", "2")
        assert "Bản sửa được đăng lại".encode() in (live_release(dest) / STORY_URL / "index.html").read_bytes()
    releases = sorted(p.name for p in (dest / "releases").iterdir() if p.is_dir())
    assert len(releases) == 5 and len({name.rpartition("-")[2] for name in releases}) == 2
    back = frontline(site.root, "rollback", str(dest))
    assert back.returncode == 0, back.stderr
    assert (live_release(dest) / STORY_URL / "index.html").read_bytes() == first_page
    assert_complete(dest)


def test_publish_builds_a_site_older_than_its_content_and_refuses_one_verify_rejects(tmp_path, built_newsroom):
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    dest = tmp_path / "dest"
    build(site.root)
    time.sleep(0.05)
    edit_story(site, "Sửa sau khi dựng.")
    dry = frontline(site.root, "publish", "--dry-run", str(dest))  # a dry run builds nothing: it says so
    assert dry.returncode == 1 and STORY in dry.stderr and "--dry-run không dựng lại" in dry.stderr, dry.stderr
    assert "Sửa sau khi dựng.".encode() not in (site.site_dir / STORY_URL / "index.html").read_bytes()
    assert not dest.exists()
    built = frontline(site.root, "publish", str(dest))  # one command: built, verified, made live
    assert built.returncode == 0, built.stderr
    assert f"{STORY} đã đổi sau lần dựng trang cuối: dựng trang trước khi đăng." in built.stderr
    assert "Sửa sau khi dựng.".encode() in (live_release(dest) / STORY_URL / "index.html").read_bytes()
    assert_complete(dest)
    dest = tmp_path / "dest-2"  # the refusals below must make no DEST (the first's spare is being made)
    (site.site_dir / "ghi-chu.txt").write_text("không phải của bản dựng\n", encoding="utf-8")
    rejected = frontline(site.root, "publish", str(dest))
    assert rejected.returncode == 1 and "ghi-chu.txt" in rejected.stderr, rejected.stderr
    assert not dest.exists()
    (site.site_dir / "ghi-chu.txt").unlink()
    twin = site.site_dir / f"{STORY_URL}index.html.gz"
    data = gzip.compress("<p>khác</p>".encode(), mtime=0)
    twin.unlink()
    twin.write_bytes(data)
    tampered = frontline(site.root, "publish", str(dest))
    assert tampered.returncode == 1 and "bản nén không khớp" in tampered.stderr, tampered.stderr
    assert not dest.exists()
    build(site.root)
    time.sleep(0.05)
    edit_story(site, "Sửa lần nữa, chưa dựng.")
    forced = frontline(site.root, "publish", "--force", f"file://{dest}")  # the site as it was built
    assert forced.returncode == 0, forced.stderr
    assert "dựng trang trước khi đăng" not in forced.stderr
    page = (live_release(dest) / STORY_URL / "index.html").read_bytes()
    assert "Sửa sau khi dựng.".encode() in page and "Sửa lần nữa".encode() not in page
    assert_complete(dest)
    unknown = frontline(site.root, "publish", "ftp://example.vn/trang")
    assert unknown.returncode == 1 and "không biết đăng lên 'ftp://'" in unknown.stderr


def test_a_release_verify_rejects_is_never_made_live_though_it_was_filled_while_verify_ran(tmp_path, built_newsroom):
    """Verify runs beside the filling of the new release (from the live one's spare): a refusal then leaves the
    live release served as it was, no new release, and a spare for the next publish."""
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    dest = tmp_path / "dest"
    build(site.root)
    publish_ok(site.root, dest)
    live_before, files_before = os.readlink(dest / "current"), site_files(live_release(dest))
    spare = dest / ".spares" / live_before.split("/")[1]
    deadline = time.monotonic() + 60
    while not spare.is_dir() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert spare.is_dir(), "no spare of the live release was made"
    edit_story(site, "Bản sửa mà verify không cho đăng.")
    build(site.root)
    (site.site_dir / "ghi-chu.txt").write_text("không phải của bản dựng\n", encoding="utf-8")
    rejected = frontline(site.root, "publish", str(dest))
    assert rejected.returncode == 1 and "ghi-chu.txt" in rejected.stderr and "không đăng" in rejected.stderr
    assert os.readlink(dest / "current") == live_before
    assert site_files(live_release(dest)) == files_before
    releases = [p.name for p in (dest / "releases").iterdir() if not p.name.startswith(".") and p.is_dir()]
    assert releases == [live_before.split("/")[1]]
    assert len(list((dest / "releases").glob("*.json"))) == 1  # the refused release wrote no manifest
    (site.site_dir / "ghi-chu.txt").unlink()
    publish_ok(site.root, dest)
    assert "Bản sửa mà verify không cho đăng.".encode() in (live_release(dest) / STORY_URL / "index.html").read_bytes()
    assert_complete(dest)


def test_forced_publish_of_content_with_a_mistake_says_what_to_fix_and_creates_nothing(tmp_path, built_newsroom):
    """--force publishes the site as built, but verify reads the content as it is (in its own process): a mistake
    is told as the build tells it, with no trace of the processes."""
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    dest = tmp_path / "dest"
    build(site.root)
    site.write(
        STORY,
        story("Bệnh viện dã chiến số 2", "2021-05-20T09:30", campaign="bac-giang").replace(
            "date: 2021-05-20T09:30", "date: 2021-13-45"
        ),
    )
    forced = frontline(site.root, "publish", "--force", str(dest))
    assert forced.returncode == 1, forced.stderr
    assert f"{STORY}:" in forced.stderr and "không hiểu ngày '2021-13-45'" in forced.stderr, forced.stderr
    assert "Traceback" not in forced.stderr
    assert not dest.exists()


def test_content_saved_while_publish_builds_is_refused_and_nothing_goes_live(tmp_path, built_newsroom):
    """A story saved after the build publish started read the content (its time set ahead here, as a save during
    the build leaves it) is in no site: verify's process refuses the release, which never goes live."""
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    dest = tmp_path / "dest"
    build(site.root)
    publish_ok(site.root, dest)
    live = os.readlink(dest / "current")
    edit_story(site, "Lưu trong lúc dựng.")
    later = time.time() + 3600
    os.utime(site.root / STORY, (later, later))
    refused = frontline(site.root, "publish", str(dest))
    assert refused.returncode == 1, refused.stdout
    assert f"{STORY} đã đổi sau lần dựng trang cuối: trang đã dựng cũ hơn nội dung" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert os.readlink(dest / "current") == live
    assert [p.name for p in (dest / "releases").iterdir() if p.is_dir() and not p.name.startswith(".")] == [
        live.split("/")[1]
    ]


def test_dry_run_on_an_empty_destination_creates_nothing(tmp_path, built_newsroom):
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    build(site.root)
    dest = tmp_path / "dest"
    dry = publish_ok(site.root, dest, "--dry-run")
    sent = counts(dry.splitlines()[-1])["sent"]
    assert sent == len([p for p in site.site_dir.rglob("*") if p.is_file()])
    assert len([line for line in dry.splitlines() if line.startswith("  + ")]) == sent
    assert not dest.exists()
