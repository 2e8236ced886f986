"""A folder release as ``FolderTarget`` writes it: every folder of the site made (nested ones whose only entries are
folders too), unchanged files linked from the live release, and, where the system has no ``syncfs``, every file it
wrote and every folder it made synced before the release is named; or, from the spare copy of the live release made
after a publish (``frontline.deploy.spare``), only what differs changed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

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


def test_a_publish_starts_from_the_spare_of_the_live_release_and_changes_only_what_differs(tmp_path, monkeypatch):
    # The spare made at once, in this process, instead of by a process left running.
    monkeypatch.setattr(spare, "make_in_background", lambda root, release_id: spare.make(root, release_id))
    site, dest = tmp_path / "site", tmp_path / "dest"
    spares = dest / spare.SPARES
    target = FolderTarget(dest)
    write_site(site, "một")
    first = read_site(site, datetime.now(UTC))
    target.publish(site, first)
    released = dest / "releases" / first.id
    assert files_of(spares / first.id) == files_of(released)  # the spare: links of the live release's files
    assert (spares / f"{first.id}.json").read_bytes() == (dest / "releases" / f"{first.id}.json").read_bytes()

    # A dead process's unfinished spare is deleted, never taken.
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait()  # its id names no process now
    dead = spares / f"{spare.MAKING}{ended.pid}-abcd"
    (dead / "2021").mkdir(parents=True)
    assert not spare.alive(ended.pid) and spare.making_pid(dead.name) == ended.pid

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
    assert not dead.exists()

    # A spare whose list of files cannot be read is not taken: the release is filled anew, whole.
    (spares / f"{second.id}.json").write_text("{", encoding="utf-8")
    write_site(site, "ba")
    (site / "a/b/c/d.css").unlink()
    third = read_site(site, datetime.now(UTC))
    target.publish(site, third)
    assert (dest / "releases" / third.id).stat().st_ino != (spares / third.id).stat().st_ino
    assert sorted(files_of(dest / "releases" / third.id)) == expected
    assert (dest / "current/2021/05/chot/index.html").read_text(encoding="utf-8").endswith("ba")
