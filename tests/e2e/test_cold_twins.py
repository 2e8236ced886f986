"""The `.gz` twins of a production build: every text file's, the search index's too (made after Pagefind finishes,
the others while it does), each libdeflate's and decompressing to its file; the site's manifest, which takes the
digests the precompression worked out, names every file (twins included) by its true SHA-256."""

from __future__ import annotations

import gzip
import hashlib
import os

import pytest

from frontline.build.cache import CACHE_FOLDER
from frontline.build.manifest import list_site
from frontline.build.precompress import CACHE, GZIP_SUFFIX, METHOD, compressible, gzip_bytes
from tests.sites import make_site, story

pytestmark = pytest.mark.e2e

BODY = "\n\n".join(f"Đoạn {n}: đội phản ứng nhanh của phường lấy mẫu xét nghiệm ở Đà Nẵng." for n in range(40))


def test_every_text_file_has_its_libdeflate_twin_and_the_manifest_the_true_digests(tmp_path):
    site = make_site(tmp_path / "newsroom")
    for day in range(1, 4):
        site.write(f"stories/2021/05/bai-{day}.md", story(f"Bài số {day} về Bắc Giang", f"2021-05-0{day}", body=BODY))
    result = site.build()
    assert result.returncode == 0, result.stderr

    sources = []
    for folder, _dirs, names in os.walk(site.site_dir):
        for name in names:
            path = os.path.join(folder, name)
            if not name.endswith(GZIP_SUFFIX) and compressible(name, os.path.getsize(path)):
                sources.append(path)
    search_scripts = [path for path in sources if "/pagefind/" in path and path.endswith(".js")]
    assert search_scripts, "Pagefind's scripts are among the files compressed"
    assert sum("/2021/05/" in path and path.endswith("/index.html") for path in sources) >= 3  # the stories
    for path in sources:
        with open(path, "rb") as file:
            data = file.read()
        with open(path + GZIP_SUFFIX, "rb") as file:
            twin = file.read()
        assert gzip.decompress(twin) == data, path
        assert twin == gzip_bytes(data), path  # libdeflate's bytes, the same from any build

    entries = os.listdir(site.root / CACHE_FOLDER / CACHE)
    assert entries and all(name.split("-")[1] == METHOD for name in entries)

    listing = list_site(site.site_dir, site.root / CACHE_FOLDER)
    assert listing.read == frozenset()  # the manifest vouched for every file: none read again
    on_disk = {
        os.path.relpath(os.path.join(folder, name), site.site_dir)
        for folder, _dirs, names in os.walk(site.site_dir)
        for name in names
    }
    assert set(listing.files) == on_disk
    for relative, listed in listing.files.items():
        assert listed.digest == hashlib.sha256((site.site_dir / relative).read_bytes()).hexdigest(), relative
