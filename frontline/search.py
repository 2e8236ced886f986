"""Site search: a Pagefind index built after the pages.

Pagefind splits its index into small chunks fetched on demand, so a reader's first
search downloads a few hundred kilobytes whatever the size of the archive (Material's
built-in index is one file holding every word of every page)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SEARCH_FOLDER = "pagefind"


class SearchIndexError(RuntimeError):
    pass


def build_search_index(site_dir: Path) -> None:
    """Index the pages marked ``data-pagefind-body`` under ``site_dir`` into ``site_dir/pagefind``."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", SEARCH_FOLDER, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        detail = result.stderr.strip() or result.stdout.strip()
        raise SearchIndexError(f"Pagefind không tạo được chỉ mục tìm kiếm: {detail}")
