"""Site search: a Pagefind index of the stories, built beside the rest of the build.

Pagefind splits its index into chunks fetched on demand, so a reader's first search
downloads a few hundred kilobytes (Material's built-in index is one file holding every
word of every page). Pagefind's memory and chunks grow with the words it indexes, so each
story contributes a small record: title, place and unit, the standfirst if one is written,
the first ``RECORD_WORDS`` words of the body (the lede among them), tags. Records are
rendered from ``overrides/search-record.html`` into ``.cache/frontline/search-input/``:
indexing starts at once, in its own process, while the pages render; and a bundle built from
the same records is reused from the cache.

A record's text is indexed without diacritics (``index_form``). Pagefind 1.5 files a word's
accented occurrences as "variants" that its chunker does not count, so with Vietnamese text
(almost every syllable accented) a chunk kept taking words until it held several of the
commonest: at 10,000 stories a one-word search fetched a 290-830 KiB chunk. Folded, every
occurrence counts and a common word gets a chunk of its own. Folding "đ" to "d" (Pagefind keeps
them apart) also makes "da nang" find "Đà Nẵng"; the search page folds the query the same way.
What a result shows (title, date, place, standfirst) is given in ``data-pagefind-meta``
attribute values, which keep their accents."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from frontline.model import Story

SEARCH_FOLDER = "pagefind"
RECORD_WORDS = 120
"""Words of a story's body in its record. At 10,000 stories, 200 → 120 → 80 → 40 shrink a common word's
index entry by about 25, 40 and 50 % (what a search for it fetches); the standfirst, when written, is whole."""
RECORD_FORMAT = "folded-1"
"""Changes whenever ``index_form`` does, so records written by an older one are written again."""

_TEXT = re.compile(r"(?<=>)[^<]+")
# "đã", a past-tense particle, is the commonest syllable of the benchmark's stories (ten a record): folded, it
# would share "da" with "Đà", "dã" and "da", and searching those would fetch three times more of the index.
_UNSEARCHED = re.compile(r"(?<!\w)đã(?!\w)\s*", re.IGNORECASE)
_QUOTES = str.maketrans("", "", "“”‘’«»")  # Pagefind would keep them in the word: “Mỗi → “moi


def fold(text: str) -> str:
    """``text`` without diacritics, "đ" as "d" and curly quotes dropped: what the index holds."""
    text = _UNSEARCHED.sub("", unicodedata.normalize("NFC", text))
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D").translate(_QUOTES)


def index_form(record: str) -> str:
    """A rendered record as it is indexed: its text folded, its attributes (the shown metadata) as they are."""
    return _TEXT.sub(lambda match: fold(match.group()), record)


class SearchIndexError(RuntimeError):
    pass


def write_records(
    stories: Iterable[Story], render: Callable[[Story], str], folder: Path, fingerprint: Callable[[Story], str]
) -> str:
    """Bring ``folder`` to one record per story and return a digest of them all.

    ``fingerprint(story)`` must change whenever the rendered record would: only those records
    are rendered and written again (a manifest in the folder remembers the last ones). Records
    are written in their ``index_form``."""
    manifest_path = folder / "records.json"
    try:
        previous: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        previous = {}
    current: dict[str, str] = {}
    for story in sorted(stories, key=lambda s: s.url):
        current[story.url] = f"{RECORD_FORMAT}:{fingerprint(story)}"
        path = folder / story.url / "index.html"
        if previous.get(story.url) == current[story.url] and path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(index_form(render(story)), encoding="utf-8")
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
