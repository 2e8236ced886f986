"""The search bundle with Pagefind's filters is the same bytes from one clean build to the next: Pagefind 1.5 lists
filter values and filter files in a random order each run, and ``frontline/output/pagefind_bundle.py`` puts them in
one order, named after their content."""

from __future__ import annotations

import gzip
import json
from pathlib import Path, PurePosixPath

import pytest

from frontline.output.pagefind_bundle import BundleFormatError, canonical, encode, full_hash, pack, unpack
from tests.sites import make_site, story

PLACES = ["Hà Nội", "Đà Nẵng", "Huế", "Bắc Giang", "Hải Dương", "Cần Thơ", "Long An", "Quảng Nam", "Bình Dương"]


def bundle(site_dir: Path) -> dict[str, bytes]:
    folder = site_dir / "pagefind"
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """One newsroom (nine places, two campaigns, three years) built twice from nothing (no cache)."""
    root = tmp_path_factory.mktemp("bundle")
    site = make_site(root / "newsroom")
    for number, place in enumerate(PLACES * 2):
        year, day = 2019 + number % 3, number + 1
        fields = {"location": place, **({"campaign": "bac-giang"} if year == 2021 and day >= 15 else {})}
        site.write(
            f"stories/{year}/05/tin-{number}.md", story(f"Tin số {number}", f"{year}-05-{day:02d}T08:00", **fields)
        )
    first = site.built(fresh=True, site_dir=root / "first")
    second = site.built(fresh=True, site_dir=root / "second")
    assert first and second
    return bundle(root / "first"), bundle(root / "second")


def test_two_clean_builds_write_the_same_bundle_filters_and_all(builds):
    first, second = builds
    assert first == second
    filters = {unpack(data)[0]: unpack(data)[1] for name, data in first.items() if name.startswith("filter/")}
    assert set(filters) == {"campaign", "place", "year"}
    for values in filters.values():
        assert [value for value, _ in values] == sorted(value for value, _ in values)
    assert [value for value, _ in filters["year"]] == ["2019", "2020", "2021"]
    assert [value for value, _ in filters["campaign"]] == ["bac-giang"]
    assert len(filters["place"]) == len(PLACES)


def test_any_order_pagefind_writes_is_put_back_in_the_same_one(builds):
    """The bundle as Pagefind might have written it (filter values and filters reversed, every name following its
    content) comes out as the build wrote it."""
    built = {PurePosixPath(name): data for name, data in builds[0].items()}
    entry = json.loads(built[PurePosixPath("pagefind-entry.json")])
    meta_hash = entry["languages"]["vi"]["hash"]
    meta = unpack(built[PurePosixPath(f"pagefind.{meta_hash}.pf_meta")])
    shuffled = {path: data for path, data in built.items() if path.suffix not in (".pf_filter", ".pf_meta")}
    listed = []
    for name, old_hash in reversed(meta[3]):
        index = unpack(built[PurePosixPath(f"filter/{old_hash}.pf_filter")])
        index = [index[0], list(reversed(index[1]))]
        new_hash = "vi_" + full_hash(encode(index))[:7]
        shuffled[PurePosixPath(f"filter/{new_hash}.pf_filter")] = gzip.compress(b"pagefind_dcd" + encode(index))
        listed.append([name, new_hash])
    meta = [*meta[:3], listed, *meta[4:]]
    new_meta = "vi_" + full_hash(encode(meta))[:10]
    assert new_meta != meta_hash
    shuffled[PurePosixPath(f"pagefind.{new_meta}.pf_meta")] = gzip.compress(b"pagefind_dcd" + encode(meta))
    shuffled[PurePosixPath("pagefind-entry.json")] = built[PurePosixPath("pagefind-entry.json")].replace(
        meta_hash.encode(), new_meta.encode()
    )
    assert dict(canonical(list(shuffled.items()))) == built


def test_a_bundle_without_filters_is_left_as_it_is_and_an_unknown_encoding_stops():
    entry = PurePosixPath("pagefind-entry.json")
    meta = ["1.5.2", [["vi_abc", 3]], [], [], [], ["title"]]
    files = [
        (entry, b'{"version":"1.5.2","languages":{"vi":{"hash":"vi_m","wasm":null,"page_count":1}}}'),
        (PurePosixPath("pagefind.vi_m.pf_meta"), pack(meta)),
    ]
    assert canonical(files) == files
    indefinite = gzip.compress(b"pagefind_dcd\x9f\xff")  # an indefinite-length array: minicbor never writes one
    with pytest.raises(BundleFormatError):
        canonical([files[0], (PurePosixPath("pagefind.vi_m.pf_meta"), indefinite)])
    with pytest.raises(BundleFormatError):
        unpack(gzip.compress(b"not pagefind"))
