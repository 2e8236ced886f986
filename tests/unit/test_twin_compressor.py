"""A twin another compressor made (zlib's, kept by an earlier Frontline in the cache) is never reused: a cached
build's twins are a cold build's, byte for byte."""

from __future__ import annotations

import gzip
import hashlib
import os

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


def test_a_checked_entry_is_not_read_again_until_it_changes_and_a_change_is_found(tmp_path, monkeypatch):
    """The second run reads no entry whose twin is already it; an entry whose bytes were then changed in place, its
    size and modification time put back, is read (its change time moved), found wrong and made again."""
    from frontline.build import precompress

    pages = {f"{n}/index.html": (f"<p>Chốt kiểm dịch số {n} ở Hà Nội.</p>\n" * 300).encode("utf-8") for n in range(3)}
    site, cache = tmp_path / "site", tmp_path / "cache"
    for path, data in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    assert precompress_site(site, cache) == 3
    entries = cache / CACHE
    read = []
    real_read = precompress._read
    monkeypatch.setattr(precompress, "_read", lambda path: read.append(path) or real_read(path))
    assert precompress_site(site, cache) == 3
    assert [path for path in read if str(entries) in path] == []

    entry = next(entries.iterdir())
    status = entry.stat()
    entry.chmod(0o644)
    entry.write_bytes(b"\0" * status.st_size)  # same size, other bytes
    os.utime(entry, ns=(status.st_atime_ns, status.st_mtime_ns))
    read.clear()
    assert precompress_site(site, cache) == 3
    assert str(entry) in read
    for path, data in pages.items():
        assert gzip.decompress((site / f"{path}.gz").read_bytes()) == data


def test_in_a_kept_folder_a_twin_whose_file_was_left_as_it_was_is_taken_without_a_look(tmp_path, monkeypatch):
    """With the kept folder's files as the build found them (``before``), a twin whose file and itself were not
    written since is the last build's: no system call for it, and the digests the site's manifest takes are those of
    its bytes; a file written again gets its twin anew."""
    from frontline.build.kept_site import signatures
    from frontline.build.precompress import Precompression

    pages = {f"{n}/index.html": (f"<p>Đội phản ứng nhanh số {n}.</p>\n" * 300).encode("utf-8") for n in range(3)}
    site, cache = tmp_path / "site", tmp_path / "cache"
    for path, data in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    precompress_site(site, cache)
    precompress_site(site, cache)  # the entries checked once linked, as a kept folder's next build finds them

    before = signatures(site)
    edited = site / "1/index.html"
    edited.unlink()  # written again by the build: a new file
    edited.write_bytes(pages["1/index.html"] + "<p>Cập nhật.</p>\n".encode() * 50)
    looked: list[str] = []
    real_stat, real_link = os.stat, os.link
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: looked.append(str(path)) or real_stat(path, *a, **k))
    monkeypatch.setattr(os, "link", lambda src, dst, *a, **k: looked.append(str(dst)) or real_link(src, dst))
    run = Precompression(site, cache, before=before).start()
    run.finish()
    assert not [path for path in looked if "/0/" in path or "/2/" in path]  # the twins left as they were
    assert any("/1/" in path for path in looked)
    assert gzip.decompress((site / "1/index.html.gz").read_bytes()) == edited.read_bytes()
    for name in ("0/index.html.gz", "2/index.html.gz"):
        twin = site / name
        status = twin.stat()
        key = f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"
        assert run.digests[key] == hashlib.sha256(twin.read_bytes()).hexdigest()


def test_the_twins_walks_list_the_site_as_one_walk_at_the_end_would(tmp_path):
    """``finish_site`` takes the site's files from the walks the twins made (``site_files``) instead of walking it
    again: with the search folder written after ``start``, a twin made anew, one left as it was, one no longer
    made (its file shrank) and a new file, that list is a fresh ``walk_site``'s, status and all."""
    from frontline.build.kept_site import signatures
    from frontline.build.manifest import walk_site
    from frontline.build.precompress import Precompression

    def page(n: int, lines: int = 300) -> bytes:
        return (f"<p>Chốt kiểm soát số {n} trực suốt đêm.</p>\n" * lines).encode("utf-8")

    site, cache = tmp_path / "site", tmp_path / "cache"
    for n in range(4):
        (site / str(n)).mkdir(parents=True)
        (site / str(n) / "index.html").write_bytes(page(n))
    (site / "pagefind" / "phan-1").mkdir(parents=True)
    (site / "pagefind" / "phan-1" / "old.pf_meta").write_bytes(b"x" * 2000)
    precompress_site(site, cache)
    before = signatures(site)

    (site / "1" / "index.html").unlink()
    (site / "1" / "index.html").write_bytes(page(1) + page(9, 10))  # written again: its twin made anew
    (site / "2" / "index.html").unlink()
    (site / "2" / "index.html").write_bytes("<p>ngắn</p>".encode())  # too small now: its old twin stays, unmade
    (site / "4").mkdir()
    (site / "4" / "index.html").write_bytes(page(4))  # new
    run = Precompression(site, cache, later=("pagefind",), before=before).start()
    (site / "pagefind" / "phan-1" / "old.pf_meta").unlink()  # the search index, written while the twins are made
    (site / "pagefind" / "phan-2").mkdir()
    (site / "pagefind" / "phan-2" / "pagefind-entry.json").write_text('{"version": "1.5.2"}' * 100)
    run.finish()

    def listed(files):  # what the sweep and the manifest read of a status (its links come and go with the cache's)
        return sorted((rel, path, (s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns)) for rel, path, s in files)

    assert listed(run.site_files()) == listed(walk_site(site)[0])
    assert {str(site / "pagefind"), str(site / "pagefind" / "phan-2"), str(site / "4")} <= set(run.folders)
    assert str(site / "2" / "index.html.gz") not in run.made
