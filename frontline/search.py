"""Site search: a Pagefind index of the story pages, built beside the rest of the build.

Pagefind splits its index into small chunks fetched on demand, so a reader's first
search downloads a few hundred kilobytes whatever the size of the archive (Material's
built-in index is one file holding every word of every page). Indexing runs in its own
process, started as soon as the story pages are written, and a bundle built from the
same story pages is reused from the cache."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SEARCH_FOLDER = "pagefind"


class SearchIndexError(RuntimeError):
    pass


@dataclass
class SearchJob:
    site_dir: Path
    cached: Path
    process: subprocess.Popen | None = None

    @classmethod
    def start(cls, site_dir: Path, years: list[str], page_keys: list[str], cache_root: Path) -> SearchJob:
        """Index ``site_dir``'s story pages (under the year folders) unless the cache has them."""
        digest = hashlib.blake2b("\n".join(page_keys).encode(), digest_size=16).hexdigest()
        job = cls(site_dir, cache_root / "search" / digest)
        if job.cached.is_dir():
            return job
        pattern = "{" + ",".join(years) + "}/**/*.html" if years else "none/*.html"
        command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", SEARCH_FOLDER]
        job.process = subprocess.Popen(
            [*command, "--glob", pattern, "--silent"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
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
