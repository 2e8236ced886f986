"""Site search: a Pagefind index of the stories, built beside the rest of the build.

Pagefind splits its index into small chunks fetched on demand, so a reader's first
search downloads a few hundred kilobytes (Material's built-in index is one file holding
every word of every page). Pagefind's memory grows with the words it indexes, so each
story contributes a small record (title, place, standfirst, its first words, tags),
rendered from a template into ``.cache/frontline/search-input/``: indexing starts at
once, in its own process, while the pages render; and a bundle built from the same
records is reused from the cache."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from frontline.model import Story

SEARCH_FOLDER = "pagefind"
RECORD_WORDS = 200


class SearchIndexError(RuntimeError):
    pass


def write_records(
    stories: Iterable[Story], render: Callable[[Story], str], folder: Path, fingerprint: Callable[[Story], str]
) -> str:
    """Bring ``folder`` to one record per story and return a digest of them all.

    ``fingerprint(story)`` must change whenever the record would: only those records are
    rendered and written again (a manifest in the folder remembers the last ones)."""
    manifest_path = folder / "records.json"
    try:
        previous: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        previous = {}
    current: dict[str, str] = {}
    for story in sorted(stories, key=lambda s: s.url):
        current[story.url] = fingerprint(story)
        path = folder / story.url / "index.html"
        if previous.get(story.url) == current[story.url] and path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(story), encoding="utf-8")
    for url in previous.keys() - current.keys():
        (folder / url / "index.html").unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(current, sort_keys=True), encoding="utf-8")
    return hashlib.blake2b(json.dumps(current, sort_keys=True).encode(), digest_size=16).hexdigest()


@dataclass
class SearchJob:
    site_dir: Path
    cached: Path
    process: subprocess.Popen | None = None

    @classmethod
    def start(cls, records: Path, digest: str, site_dir: Path, cache_root: Path) -> SearchJob:
        """Index ``records`` into ``site_dir/pagefind`` in the background, unless cached."""
        job = cls(site_dir, cache_root / "search" / digest)
        if job.cached.is_dir():
            return job
        output = site_dir / SEARCH_FOLDER
        command = [sys.executable, "-m", "pagefind", "--site", str(records), "--output-path", str(output), "--silent"]
        job.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return job

    def finish(self) -> None:
        """Wait for the index (or copy it from the cache) and keep it as the only cached bundle."""
        target = self.site_dir / SEARCH_FOLDER
        if self.process is None:
            shutil.copytree(self.cached, target, dirs_exist_ok=True, copy_function=_link)
            return
        out, err = self.process.communicate(timeout=900)
        if self.process.returncode != 0:
            raise SearchIndexError(f"Pagefind không tạo được chỉ mục tìm kiếm: {(err or out).strip()}")
        if self.cached.parent.is_dir():
            shutil.rmtree(self.cached.parent)
        shutil.copytree(target, self.cached, copy_function=_link)


def _link(source: str, destination: str) -> None:
    """Bundle files are never modified in place: share them instead of copying."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
