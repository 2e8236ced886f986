"""A twin another compressor made (zlib's, kept by an earlier Frontline in the cache) is never reused: a cached
build's twins are a cold build's, byte for byte."""

from __future__ import annotations

import gzip
import hashlib

from frontline.build.precompress import CACHE, METHOD, gzip_bytes, precompress_site


def test_a_twin_zlib_made_is_replaced_by_libdeflates(tmp_path):
    page = ("<p>Bệnh viện dã chiến số 2 ở Bắc Giang nhận thêm bệnh nhân.</p>\n" * 200).encode("utf-8")
    site = tmp_path / "site"
    (site / "2021").mkdir(parents=True)
    (site / "2021" / "index.html").write_bytes(page)
    cache = tmp_path / "cache"
    entries = cache / CACHE
    entries.mkdir(parents=True)
    old = gzip.compress(page, compresslevel=9, mtime=0)
    assert old != gzip_bytes(page)  # the two compressors write different bytes for this page
    old_name = f"{hashlib.sha256(page).hexdigest()}-{hashlib.sha256(old).hexdigest()[:32]}.gz"  # the old naming
    (entries / old_name).write_bytes(old)

    assert precompress_site(site, cache) == 1
    twin = (site / "2021" / "index.html.gz").read_bytes()
    assert twin == gzip_bytes(page) and gzip.decompress(twin) == page
    assert [name.split("-")[1] for name in (path.name for path in entries.iterdir())] == [METHOD]
    assert not (entries / old_name).exists()
