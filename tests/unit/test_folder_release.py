"""A folder release as ``FolderTarget`` writes it: every folder of the site made (nested ones whose only entries are
folders too), unchanged files linked from the live release, and, where the system has no ``syncfs``, every file it
wrote and every folder it made synced before the release is named."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from frontline.deploy import folder as folder_target
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
