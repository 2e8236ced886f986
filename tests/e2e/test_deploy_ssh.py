"""Publishing over SSH + rsync to a real OpenSSH server on a loopback port: the release layout on the server, what
is sent, rollback, and a publish killed at random moments."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import time
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from frontline.deploy.base import read_site
from frontline.deploy.failures import TargetFailed
from frontline.deploy.manifests import release_from_manifest
from frontline.deploy.ssh import MANIFEST, OPTIONS_VARIABLE, SshTarget
from tests.remote_servers import digests, kill_group, ssh_server
from tests.sites import make_site, story

pytestmark = pytest.mark.e2e

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with ssh_server(tmp_path_factory.mktemp("sshd")) as running:
        yield running


def write_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def sent_so_far(folder: Path) -> int:
    """Files rsync has finished in ``folder`` (it writes each under a hidden temporary name, then renames it)."""
    return sum(1 for _dir, _subdirs, names in os.walk(folder) for name in names if not name.startswith("."))


def served(remote: Path) -> dict[str, str]:
    """What the web server serving ``remote/current`` shows: the live release's files, less its manifest (the link
    read once, so a switch while they are read cannot mix two releases)."""
    live = remote / os.readlink(remote / "current")
    return {k: v for k, v in digests(live).items() if not k.startswith(".frontline/")}


def test_publish_sends_only_changes_hard_links_the_rest_and_rolls_back(server, tmp_path):
    site = tmp_path / "site"
    write_files(site, {"index.html": "trang chủ", "a/index.html": "bài a", "b/index.html": "bài b", "x.css": "css"})
    remote = tmp_path / "remote"
    target = SshTarget(server.url(remote), ssh_options=server.options)

    first = read_site(site, T0)
    report = target.publish(site, first, dry_run=True)
    assert (report.sent_files, report.dry_run) == (4, True)
    assert not (remote / "current").exists()

    told: list[tuple[int, int, int]] = []
    target.progress = lambda done, total, sent: told.append((done, total, sent))
    report = target.publish(site, first)
    assert (report.sent_files, report.unchanged_files, report.deleted_files) == (4, 0, 0)
    # rsync's count ends at its total (files and folders), having sent every byte
    assert told and told[-1][0] == told[-1][1] >= 4 and told[-1][2] == report.sent_bytes
    assert report.sent_bytes == sum(f.size for f in first.files)
    assert os.readlink(remote / "current") == f"releases/{first.id}"
    assert served(remote) == digests(site)
    assert (remote / "current" / MANIFEST).read_bytes() == first.manifest()

    again = read_site(site, T0 + timedelta(minutes=1))
    report = target.publish(site, again)
    assert (report.sent_files, report.sent_bytes, report.unchanged_files) == (0, 0, 4)
    assert os.readlink(remote / "current") == f"releases/{again.id}"
    inode = (remote / "releases" / first.id / "x.css").stat().st_ino
    assert (remote / "releases" / again.id / "x.css").stat().st_ino == inode  # hard-linked, not a copy

    (site / "a" / "index.html").write_text("bài a, đã sửa", encoding="utf-8")
    (site / "b" / "index.html").unlink()
    write_files(site, {"c/index.html": "bài c"})
    edited = read_site(site, T0 + timedelta(minutes=2))
    planned = target.publish(site, edited, dry_run=True)
    assert target.changes(site, edited) == [
        ("+", "a/index.html", len("bài a, đã sửa".encode())),
        ("+", "c/index.html", len("bài c".encode())),
        ("-", "b/index.html", 0),
    ]
    assert os.readlink(remote / "current") == f"releases/{again.id}"
    report = target.publish(site, edited)
    assert (report.sent_files, report.unchanged_files, report.deleted_files) == (2, 2, 1)
    assert planned.sent_files == report.sent_files
    assert served(remote) == digests(site)
    assert (remote / "releases" / edited.id / "x.css").stat().st_ino == inode

    assert [(r.id, r.files, r.live) for r in target.releases()] == [
        (first.id, 4, False),
        (again.id, 4, False),
        (edited.id, 4, True),
    ]
    assert target.live_release() == edited

    back = target.rollback()
    assert (back.id, back.live) == (again.id, True)
    assert os.readlink(remote / "current") == f"releases/{again.id}"
    assert "b/index.html" in served(remote) and "c/index.html" not in served(remote)
    # ``first`` has the live release's files (``again`` published them again): going back to it would change nothing.
    with pytest.raises(TargetFailed, match="không có bản phát hành nào trước"):
        target.rollback()
    assert os.readlink(remote / "current") == f"releases/{again.id}"

    # Publishing a release already on the server (here the newest, rolled back from) switches to it, sends nothing.
    report = target.publish(site, edited)
    assert report.sent_files == 0 and os.readlink(remote / "current") == f"releases/{edited.id}"
    assert target.prune(1) == [first.id, again.id]
    assert [r.id for r in target.releases()] == [edited.id]


def test_a_server_that_refuses_the_key_is_a_message_not_a_traceback(server, tmp_path):
    site = tmp_path / "site"
    write_files(site, {"index.html": "trang chủ"})
    stranger = tmp_path / "stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    options = server.options.replace(str(Path(server.options.split()[1])), str(stranger))
    target = SshTarget(server.url(tmp_path / "remote"), ssh_options=options)
    with pytest.raises(TargetFailed, match="lệnh trên máy chủ không chạy được") as raised:
        target.publish(site, read_site(site, T0))
    assert "Permission denied" in str(raised.value)
    with pytest.raises(TargetFailed, match="không được chứa mật khẩu"):
        SshTarget("ssh://root:bí-mật@127.0.0.1/srv/tin")
    with pytest.raises(TargetFailed, match="không hợp lệ"):
        SshTarget("ssh://-oProxyCommand=touch%20x/srv/tin")
    with pytest.raises(TargetFailed, match="thiếu thư mục"):
        SshTarget("ssh://root@127.0.0.1/")


DRIVER = textwrap.dedent(
    """\
    import sys
    from datetime import datetime
    from pathlib import Path
    from frontline.deploy.base import read_site
    from frontline.deploy.ssh import SshTarget

    site = Path(sys.argv[2])
    SshTarget(sys.argv[1]).publish(site, read_site(site, datetime.fromisoformat(sys.argv[3])))
    """
)


def test_a_publish_killed_at_random_moments_leaves_the_previous_release_served(server, tmp_path, monkeypatch):
    monkeypatch.setenv(OPTIONS_VARIABLE, server.options)
    remote = tmp_path / "remote"
    url = server.url(remote)
    old, new = tmp_path / "old", tmp_path / "new"
    rng = random.Random(24)
    pages = {f"{n // 100}/{n}/index.html": f"bài {n} " + "chữ " * rng.randrange(200, 2000) for n in range(400)}
    write_files(old, pages)
    write_files(new, {name: text + " (đã sửa)" for name, text in pages.items()})
    first = read_site(old, T0)
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", DRIVER, url, str(old), T0.isoformat()], check=True)
    whole = time.monotonic() - started  # how long a publish of this size takes here: the kills land within it
    before = served(remote)

    # First, killed amid rsync's transfer: once it has written a random number of the new files.
    incoming = remote / "releases" / f".incoming-{read_site(new, T0).id}"
    publishing = subprocess.Popen(
        [sys.executable, "-c", DRIVER, url, str(new), T0.isoformat()], start_new_session=True, env=os.environ.copy()
    )
    enough = rng.randint(20, 300)
    for _ in range(3000):  # bounded: a minute at most
        if publishing.poll() is not None or sent_so_far(incoming) >= enough:
            break
        time.sleep(0.02)
    kill_group(publishing)
    server.settle(remote)
    assert incoming.exists() and served(remote) == before
    assert os.readlink(remote / "current") == f"releases/{first.id}"

    moments = [rng.uniform(0.1, 1.2 * whole) for _ in range(5)]
    for attempt, delay in enumerate(moments):
        created = (T0 + timedelta(minutes=attempt + 1)).isoformat()
        publishing = subprocess.Popen(
            [sys.executable, "-c", DRIVER, url, str(new), created], start_new_session=True, env=os.environ.copy()
        )
        with suppress(subprocess.TimeoutExpired):
            publishing.wait(timeout=delay)  # killed then, unless it has finished
        kill_group(publishing)
        server.settle(remote)
        link = os.readlink(remote / "current")  # read once: the server may still be finishing the killed publish
        live = {k: v for k, v in digests(remote / link).items() if not k.startswith(".frontline/")}
        assert live in (before, digests(new)), f"killed after {delay:.2f}s: a mixed release is live"
        if live == before:
            assert link == f"releases/{first.id}"
        # The live release's manifest is whole and lists what is served (a kill while it was sent cut it short).
        listed = release_from_manifest((remote / link / MANIFEST).read_bytes())
        assert {f.path: f.digest for f in listed.files} == live

    final = read_site(new, T0 + timedelta(hours=1))
    SshTarget(url).publish(new, final)
    assert served(remote) == digests(new)
    assert os.readlink(remote / "current") == f"releases/{final.id}"
    assert not list((remote / "releases").glob(".incoming-*"))  # the killed publishes' folders, deleted


def test_a_built_site_goes_live_and_one_edited_story_sends_few_files(server, tmp_path, monkeypatch):
    monkeypatch.setenv(OPTIONS_VARIABLE, server.options)
    newsroom = make_site(tmp_path / "newsroom")
    for n in range(6):
        newsroom.write(f"stories/2021/05/bai-{n}.md", story(f"Bài số {n}", f"2021-05-{10 + n}", location="Bắc Giang"))
    assert newsroom.build().returncode == 0
    remote = tmp_path / "srv" / "tuyen dau"  # a folder name with a space survives the shell on the server
    target = SshTarget(server.url(remote))
    first = target.publish(newsroom.site_dir, read_site(newsroom.site_dir, T0))
    assert first.sent_files > 50
    assert served(remote) == digests(newsroom.site_dir)

    assert newsroom.build().returncode == 0  # the same content again: nothing to send
    assert target.publish(newsroom.site_dir, read_site(newsroom.site_dir, T0 + timedelta(minutes=1))).sent_files == 0

    edited_story = story("Bài số 3", "2021-05-13", body="Nội dung mới.", location="Bắc Giang")
    newsroom.write("stories/2021/05/bai-3.md", edited_story)
    assert newsroom.build().returncode == 0
    edited = target.publish(newsroom.site_dir, read_site(newsroom.site_dir, T0 + timedelta(minutes=2)))
    assert served(remote) == digests(newsroom.site_dir)
    assert 1 <= edited.sent_files < first.sent_files // 3
    assert edited.unchanged_files > 2 * edited.sent_files
