"""A folder release as ``FolderTarget`` writes it: every folder of the site made (nested ones whose only entries are
folders too), unchanged files linked from the live release, and, where the system has no ``syncfs``, every file it
wrote and every folder it made synced before the release is named; or, from the spare copy of the live release made
after a publish (``frontline.deploy.spare``), only what differs changed."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from frontline.deploy import folder as folder_target
from frontline.deploy import spare
from frontline.deploy.base import read_site
from frontline.deploy.folder import FolderTarget

PAGES = ["index.html", "2021/05/benh-vien/index.html", "2021/05/chot/index.html", "tags/f0/index.html", "a/b/c/d.css"]


def write_site(site: Path, version: str) -> None:
    for path in PAGES:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(f"{path} {version if path.startswith('2021/05/chot') else ''}", encoding="utf-8")


def test_releases_have_every_folder_synced_and_link_unchanged_files(tmp_path, monkeypatch):
    synced: list[str] = []
    opened: dict[int, str] = {}
    real_open, real_fsync = os.open, os.fsync

    def recording_open(path, flags, *args, **kwargs):
        descriptor = real_open(path, flags, *args, **kwargs)
        opened[descriptor] = str(path)
        return descriptor

    def recording_fsync(descriptor):
        synced.append(opened[descriptor])
        return real_fsync(descriptor)

    monkeypatch.setattr(spare, "make_in_background", lambda root, release_id: None)  # every release filled anew
    monkeypatch.setattr(folder_target, "_sync_file_system", lambda path: False)
    monkeypatch.setattr(folder_target.os, "open", recording_open)
    monkeypatch.setattr(folder_target.os, "fsync", recording_fsync)
    site, dest = tmp_path / "site", tmp_path / "dest"
    target = FolderTarget(dest)
    releases = []
    for version in ("một", "hai"):
        write_site(site, version)
        release = read_site(site, datetime.now(UTC))
        synced.clear()
        target.publish(site, release)
        releases.append(dest / "releases" / release.id)
        served = dest / "current"
        assert sorted(str(p.relative_to(served)) for p in served.rglob("*") if p.is_file()) == sorted(PAGES)
        assert (served / "2021/05/chot/index.html").read_text(encoding="utf-8").endswith(version)
        # Every folder of the release was synced, under the hidden name it had until it was complete.
        hidden = str(dest / "releases" / folder_target.PARTIAL)
        names = {Path(path).relative_to(dest / "releases").parts[0] for path in synced if path.startswith(hidden)}
        assert len(names) == 1
        partial = dest / "releases" / names.pop()
        made = {str(Path(path).relative_to(partial)) for path in synced if path.startswith(str(partial) + "/")}
        folders = {str(p.relative_to(releases[-1])) for p in releases[-1].rglob("*") if p.is_dir()}
        assert folders == {
            "2021",
            "2021/05",
            "2021/05/benh-vien",
            "2021/05/chot",
            "tags",
            "tags/f0",
            "a",
            "a/b",
            "a/b/c",
        }
        assert folders <= made
    first, second = releases
    assert (first / "index.html").stat().st_ino == (second / "index.html").stat().st_ino  # linked, not copied
    assert (first / "2021/05/chot/index.html").stat().st_ino != (second / "2021/05/chot/index.html").stat().st_ino


def files_of(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("syncfs", [True, False], ids=["syncfs", "fsync each"])
def test_a_publish_starts_from_the_spare_of_the_live_release_and_changes_only_what_differs(
    tmp_path, monkeypatch, syncfs
):
    # The spare made at once, in this process, instead of by a process left running.
    monkeypatch.setattr(spare, "make_in_background", lambda root, release_id: spare.make(root, release_id))
    if not syncfs:  # where the system has none: each folder whose entries changed is synced, never one removed
        monkeypatch.setattr(folder_target, "_sync_file_system", lambda path: False)
    site, dest = tmp_path / "site", tmp_path / "dest"
    spares = dest / spare.SPARES
    target = FolderTarget(dest)
    write_site(site, "một")
    first = read_site(site, datetime.now(UTC))
    target.publish(site, first)
    released = dest / "releases" / first.id
    assert files_of(spares / first.id) == files_of(released)  # the spare: links of the live release's files
    assert (spares / f"{first.id}.json").read_bytes() == (dest / "releases" / f"{first.id}.json").read_bytes()

    # An unfinished spare no process holds is deleted, never taken, even when its process id names a living process
    # (ids are reused after a restart); so is a file a maker stopped mid-write left.
    dead = spares / f"{spare.MAKING}{os.getpid()}-abcd"
    (dead / "2021").mkdir(parents=True)
    assert not spare.being_made(dead) and spare.making_pid(dead.name) == os.getpid()
    stray = spares / f".{first.id}.json.{os.getpid()}-abcd.tmp"
    stray.write_text("{", encoding="utf-8")

    (site / "a/b/c/d.css").unlink()  # a page gone, and with it three folders that hold nothing else
    (site / "2021/05/moi/index.html").parent.mkdir(parents=True)
    (site / "2021/05/moi/index.html").write_text("trang mới", encoding="utf-8")
    write_site(site, "hai")
    (site / "a/b/c/d.css").unlink()
    spare_folder = (spares / first.id).stat().st_ino
    second = read_site(site, datetime.now(UTC))
    target.publish(site, second)
    live = dest / "releases" / second.id
    assert os.readlink(dest / "current") == f"releases/{second.id}"
    assert live.stat().st_ino == spare_folder  # the spare, become the release
    expected = sorted([*(page for page in PAGES if not page.startswith("a/")), "2021/05/moi/index.html"])
    assert sorted(files_of(live)) == expected
    assert not (live / "a").exists()
    assert (live / "2021/05/chot/index.html").read_text(encoding="utf-8").endswith("hai")
    assert (released / "2021/05/chot/index.html").read_text(encoding="utf-8").endswith("một")  # the first as it was
    assert files_of(live)["index.html"] == files_of(released)["index.html"]
    assert sorted(files_of(released)) == sorted(PAGES)
    assert sorted(entry.name for entry in spares.iterdir()) == [second.id, f"{second.id}.json"]  # the first's taken
    assert not dead.exists() and not stray.exists()
    assert not list(dest.glob(".pruned-*")) or all(path.is_dir() for path in dest.glob(".pruned-*"))

    # A spare whose list of files cannot be read is not taken: the release is filled anew, whole.
    (spares / f"{second.id}.json").write_text("{", encoding="utf-8")
    write_site(site, "ba")
    (site / "a/b/c/d.css").unlink()
    third = read_site(site, datetime.now(UTC))
    target.publish(site, third)
    assert (dest / "releases" / third.id).stat().st_ino != (spares / third.id).stat().st_ino
    assert sorted(files_of(dest / "releases" / third.id)) == expected
    assert (dest / "current/2021/05/chot/index.html").read_text(encoding="utf-8").endswith("ba")


def test_a_spare_being_made_is_left_to_its_process(tmp_path):
    """A folder its maker holds locked is being made: ``being_made`` says so while the lock is held, not after."""
    import subprocess
    import sys

    folder = tmp_path / f"{spare.MAKING}1-abcd"
    folder.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; d = os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(d, fcntl.LOCK_EX);"
            " print('held', flush=True); time.sleep(30)",
            str(folder),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert spare.being_made(folder)
    finally:
        holder.kill()
        holder.wait()
    assert not spare.being_made(folder)
