"""The search index in parts (``FRONTLINE_SEARCH_PART_RECORDS``): a warm build re-indexes only the part whose records
changed and links the others' bundles from the cache; a new story changes the newest part only; and the site is the
same bytes built from nothing, built warm, built serially or in parallel, and its index by MkDocs or ProperDocs."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from frontline.output.pagefind_service import RECORD_STORE, _check
from tests.sites import make_site, story
from tests.snapshots import differences, snapshot

PARTS = {"FRONTLINE_SEARCH_PART_RECORDS": "2"}
STORIES = {
    "2020/03/mot": ("Tin thứ nhất ở Hà Nội", "2020-03-02T08:00"),
    "2020/06/hai": ("Tin thứ hai ở Huế", "2020-06-02T08:00"),
    "2020/09/ba": ("Tin thứ ba ở Đà Nẵng", "2020-09-02T08:00"),
    "2021/01/bon": ("Tin thứ tư ở Cần Thơ", "2021-01-02T08:00"),
    "2021/04/nam": ("Tin thứ năm ở Long An", "2021-04-02T08:00"),
    "2021/08/sau": ("Tin thứ sáu ở Bắc Giang", "2021-08-02T08:00"),
}


def newsroom(root: Path):
    """Six stories and a campaign (dated 2021-05-15): seven dated pages, three parts of two and the newest."""
    site = make_site(root)
    for path, (title, date) in STORIES.items():
        site.write(f"stories/{path}.md", story(title, date))
    return site


def bundles(site) -> dict[str, int]:
    """The cached part bundles: digest → the folder's inode (a re-indexed part is a new folder)."""
    folder = site.root / ".cache/frontline/search"
    return {entry.name: entry.stat().st_ino for entry in folder.iterdir() if not entry.name.startswith(".")}


def _titles(site_dir: Path, part: str, page: str = "*") -> list[str]:
    """The titles of a part's records (``page``: its Pagefind id, the name of its fragment)."""
    return [
        json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["meta"]["title"]
        for path in (site_dir / "pagefind" / part / "fragment").glob(f"{page}.pf_fragment")
    ]


def build(site, **options) -> None:
    result = site.build(extra_env=PARTS, **options)
    assert result.returncode == 0, result.stderr


def test_a_warm_build_after_an_edit_indexes_only_that_story_part(tmp_path):
    site = newsroom(tmp_path / "newsroom")
    build(site)
    listed = json.loads((site.site_dir / "pagefind/phan.json").read_text(encoding="utf-8"))["parts"]
    assert listed == ["phan-3/", "phan-2/", "phan-1/"]
    first = bundles(site)
    assert len(first) == 4
    # A part in the site is its cached bundle, linked: the same file.
    cached = {(site.root / ".cache/frontline/search" / name / "pagefind-entry.json").stat().st_ino for name in first}
    linked = {(site.site_dir / "pagefind" / folder / "pagefind-entry.json").stat().st_ino for folder in ["", *listed]}
    assert linked == cached

    build(site)  # nothing changed: nothing indexed
    assert bundles(site) == first

    edit = story("Tin thứ hai ở Huế, đã sửa", "2020-06-02T08:00", slug="tin-thu-hai-o-hue")
    site.write("stories/2020/06/hai.md", edit)
    build(site)
    edited = bundles(site)
    # The oldest part keeps its bundle (the record it held for the story is left out by the search page); the
    # edited story's record is in the patch part, the one part indexed.
    assert set(first.items()) < set(edited.items()) and len(edited) == 5
    index = json.loads((site.site_dir / "pagefind/phan.json").read_text(encoding="utf-8"))
    assert index["patch"] == "phan-sua/" and list(index["stale"]) == ["phan-1/"]
    assert sorted(_titles(site.site_dir, "phan-1")) == ["Tin thứ hai ở Huế", "Tin thứ nhất ở Hà Nội"]
    assert _titles(site.site_dir, "phan-sua") == ["Tin thứ hai ở Huế, đã sửa"]
    (stale,) = index["stale"]["phan-1/"]
    assert _titles(site.site_dir, "phan-1", stale) == ["Tin thứ hai ở Huế"]

    # A new story joins the newest part: the older parts stay as they were.
    site.write("stories/2021/09/bay.md", story("Tin thứ bảy ở Long An", "2021-09-02T08:00"))
    build(site)
    added = bundles(site)
    assert len(set(edited.items()) ^ set(added.items())) == 2  # the newest part's bundle replaced, the rest kept
    newest = json.loads((site.site_dir / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert newest["languages"]["vi"]["page_count"] >= 2  # the two newest stories and the undated pages


def test_an_edit_to_the_newest_story_indexes_only_the_small_newest_part(tmp_path):
    """Parts of ten (the newest stories in a part of one to one, ``RECENT_SHARE``): twelve stories after the campaign
    make a full part (the campaign and nine stories), a middle part of two and the newest story with the undated
    pages; the newest story edited, only that part is indexed again, and it holds that story and the undated pages."""
    site = make_site(tmp_path / "newsroom")
    for n in range(1, 13):
        site.write(f"stories/2021/06/tin-{n}.md", story(f"Tin số {n} ở Huế", f"2021-06-{n:02d}T08:00"))
    env = {"FRONTLINE_SEARCH_PART_RECORDS": "10"}
    site.built(extra_env=env)
    listed = json.loads((site.site_dir / "pagefind/phan.json").read_text(encoding="utf-8"))["parts"]
    assert listed == ["phan-2/", "phan-1/"]
    assert [_entry_pages(site.site_dir, part) for part in listed] == [2, 10]
    first = bundles(site)

    site.write(
        "stories/2021/06/tin-12.md", story("Tin số 12 ở Huế", "2021-06-12T08:00", body="Đoạn mới: chốt kiểm dịch.")
    )
    site.built(extra_env=env)
    edited = bundles(site)
    assert len(set(edited.items()) - set(first.items())) == 1  # the newest part, indexed again; the others reused
    newest = _part_text(site.site_dir, "")
    assert "chot kiem dich" in newest and "Tin số 11" not in newest
    undated = _entry_pages(site.site_dir, "") - 1
    store = site.root / ".cache/frontline/search" / next(name for name in set(edited) - set(first)) / RECORD_STORE
    assert len(store.read_text(encoding="utf-8").splitlines()) == 1 + undated


def _entry_pages(site_dir: Path, part: str) -> int:
    """The pages a part of the index holds, as its entry file counts them."""
    entry = json.loads((site_dir / "pagefind" / part / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry["languages"]["vi"]["page_count"]


def test_a_site_in_parts_is_the_same_bytes_however_it_is_built(tmp_path):
    site = newsroom(tmp_path / "newsroom")
    clean = site.built(fresh=True, extra_env=PARTS, workers=1, site_dir=tmp_path / "serial")
    assert "pagefind/phan-3/pagefind-entry.json" in clean
    parallel = site.built(fresh=True, extra_env=PARTS, workers=2, site_dir=tmp_path / "parallel")
    assert differences(clean, parallel) == []
    warm = site.built(extra_env=PARTS, workers=2, site_dir=tmp_path / "parallel")
    assert differences(clean, warm) == []
    other = site.built(fresh=True, extra_env=PARTS, engine="properdocs", site_dir=tmp_path / "properdocs")
    # ProperDocs names itself in each page's generator tag (tests/e2e/test_publishing.py compares the pages).
    index = {path: data for path, data in clean.items() if path.startswith("pagefind/")}
    assert differences(index, {path: data for path, data in other.items() if path.startswith("pagefind/")}) == []


SLOW_PARTS = """
import os, sys, time
from datetime import date
from pathlib import Path

import pytest
from types import SimpleNamespace
from frontline.output.search import SearchIndexError, SearchJob

folder, pause = Path(sys.argv[1]), float(sys.argv[2])
os.environ["FRONTLINE_SEARCH_PART_RECORDS"] = "1"

def record(story):
    time.sleep(pause)
    return f"<html lang='vi'><body><main><h1>{story.url}</h1></main></body></html>"

stories = [SimpleNamespace(url=f"/2021/06/tin-{n}/", date=date(2021, 6, n + 1)) for n in range(6)]
name = lambda items: items[0].url.strip("/").replace("/", "-")  # a part's digest: its one story
job = SearchJob.start(stories, record, name, folder / "site", folder / "cache")
try:
    job.finish(timeout=5)
except SearchIndexError as error:
    print("failed", error)
else:
    print("done", sorted(path.name for path in (folder / "site/pagefind").glob("phan-*")))
"""


def test_the_wait_for_the_index_is_counted_per_part_and_a_stuck_part_stops_it(tmp_path):
    """Six parts of 1.5 s each (9 s in all) within a wait of 5 s per part; a part of 100 s stops the build, its
    indexer killed rather than left writing."""

    def run(folder: Path, pause: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", SLOW_PARTS, str(folder), pause], capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert run(tmp_path / "slow", "1.5") == "done ['phan-1', 'phan-2', 'phan-3', 'phan-4', 'phan-5']"
    assert run(tmp_path / "stuck", "100") == "failed Pagefind không tạo được chỉ mục tìm kiếm: Pagefind không trả lời"
    assert not any((tmp_path / "stuck/cache/search").glob(".staging*/*"))


def _part_text(site_dir: Path, part: str) -> str:
    """Every record of a part as Pagefind keeps it (its fragments, gzipped JSON), run together."""
    fragments = sorted((site_dir / "pagefind" / part / "fragment").glob("*.pf_fragment"))
    assert fragments
    return "\n".join(gzip.decompress(path.read_bytes()).decode("utf-8") for path in fragments)


def test_a_part_indexed_again_takes_its_other_records_from_the_bundle_it_replaces(tmp_path):
    """Eight stories in parts of four: after one story of the oldest part is edited, the part is indexed again with
    its other records read from its last bundle's record store (a record in it is what the part then holds), not
    rendered; a damaged line of the store is rendered again; the store is the cache's, never published."""
    site = make_site(tmp_path / "newsroom")
    for n in range(8):
        site.write(f"stories/2021/05/tin-{n}.md", story(f"Tin số {n}", f"2021-05-{10 + n:02d}T08:00"))
    env = {"FRONTLINE_SEARCH_PART_RECORDS": "4"}
    site.built(extra_env=env)
    assert not list(site.site_dir.rglob(RECORD_STORE))
    stores = list((site.root / ".cache/frontline/search").glob(f"*/{RECORD_STORE}"))
    oldest = next(path for path in stores if "tin-so-0" in path.read_text(encoding="utf-8"))
    lines = [json.loads(line) for line in oldest.read_text(encoding="utf-8").splitlines()]
    assert [line[0] for line in lines] == sorted(line[0] for line in lines)
    for line in lines:
        if "tin-so-1/" in line[0]:  # a record as a store may hold it: the part takes it as it is
            line[1] = line[1].replace("</h1>", " dauvetcuaban</h1>")
            line[3] = _check(line[1])
        elif "tin-so-2/" in line[0]:  # damaged: its check no longer matches
            line[1] = line[1].replace("</h1>", " hongxoa</h1>")
    # A damaged line first: the lines after it are read all the same.
    stored = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    oldest.write_text('["2021/05/tin-so-9/", "<h1>\n' + stored, encoding="utf-8")

    site.write(
        "stories/2021/05/tin-0.md", story("Tin số 0", "2021-05-10T08:00", body="Đoạn mới về đội phản ứng nhanh.")
    )
    site.built(extra_env=env)
    text = _part_text(site.site_dir, "phan-1")
    assert "doi phan ung nhanh" in text  # the edited story, rendered again
    assert "dauvetcuaban" in text and "hongxoa" not in text
    assert not list(site.site_dir.rglob(RECORD_STORE))


def _served(site_dir: Path) -> dict[str, str]:
    """What the search page finds in a built index, address → title: every part's records (the patch part's too)
    but the ones ``phan.json`` says are superseded there; each address found once."""
    bundle = site_dir / "pagefind"
    index = json.loads((bundle / "phan.json").read_text(encoding="utf-8"))
    stale = index.get("stale", {})
    found: dict[str, str] = {}
    for folder in ["", *index["parts"], *([index["patch"]] if "patch" in index else [])]:
        for path in (bundle / folder / "fragment").glob("*.pf_fragment"):
            fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
            if path.stem in stale.get(folder, {}):
                assert stale[folder][path.stem] == fragment["filters"]  # what the page takes out of the counts
                continue
            assert fragment["url"] not in found, fragment["url"]
            found[fragment["url"]] = fragment["meta"]["title"]
    assert set(stale) <= set(index["parts"])
    return found


def test_edited_pages_of_older_parts_go_into_a_patch_part_and_the_index_serves_each_page_once_as_it_is(
    tmp_path, monkeypatch
):
    """Parts of 100 (at most 2 records superseded in one, 10 in the patch): an edit to a story of an older part
    indexes the small patch part, not the older part; whatever the edits, deletions, new and back-dated stories,
    the index serves every page once, as it now is, and a part past its bound is indexed again."""
    from datetime import UTC, datetime, timedelta
    from types import SimpleNamespace

    from frontline.output.search import PAGES_RECORD, SEARCH_PATCH_FOLDER, SearchJob, records_digest

    monkeypatch.setenv("FRONTLINE_SEARCH_PART_RECORDS", "100")
    # Indexed in a thread, as in a host with threads (a pytest worker may have some): the same whatever this process
    # ran before; the builds above index in a forked process.
    monkeypatch.setattr("frontline.output.search.can_fork", lambda: False)
    start = datetime(2021, 1, 1, 8, tzinfo=UTC)
    items = {
        n: SimpleNamespace(url=f"2021/tin-{n:03d}/", date=start + timedelta(hours=n), title=f"Tin số {n}", extra="")
        for n in range(250)
    }

    def render(item) -> str:
        return (
            "<html lang='vi'><body><main data-pagefind-body>"
            f"<p data-pagefind-meta='title:{item.title}'></p>"
            f"<p data-pagefind-filter='year:{item.date.year}'></p><h1>{item.title}</h1></main></body></html>"
        )

    def fingerprint(item) -> str:
        return f"{item.title} {item.date.isoformat()} {item.extra}"  # ``extra``: an input the record does not show

    def build() -> SearchJob:
        shutil.rmtree(tmp_path / "site", ignore_errors=True)  # as a build's new site folder
        job = SearchJob.start(
            list(items.values()),
            render,
            lambda part: records_digest((item.url, fingerprint(item)) for item in part),
            tmp_path / "site",
            tmp_path / "cache",
            fingerprint,
        )
        job.finish()
        assert _served(tmp_path / "site") == {item.url: item.title for item in items.values()}
        return job

    def indexed(job: SearchJob) -> list[str]:
        return sorted(part.folder for part in job.indexed)

    left = tmp_path / "cache/search/.parts.json.4242"  # as a build killed while writing the record leaves it
    left.parent.mkdir(parents=True)
    left.write_text("{", encoding="utf-8")
    first = build()  # parts: phan-1 and phan-2 of 100, a middle part of 40 (phan-3), the newest 10
    assert not left.exists()
    assert indexed(first) == ["", "phan-1/", "phan-2/", "phan-3/"]
    bundles = dict(first.cached)

    items[5].title = "Tin số 5, đã sửa"
    job = build()
    assert indexed(job) == [SEARCH_PATCH_FOLDER]
    assert {folder: job.cached[folder] for folder in bundles} == bundles  # the older parts' bundles, as they were
    parts = json.loads((tmp_path / "site/pagefind/phan.json").read_text(encoding="utf-8"))
    assert parts["patch"] == SEARCH_PATCH_FOLDER and list(parts["stale"]) == ["phan-1/"]

    with monkeypatch.context() as unread:  # nothing changed: nothing indexed, nor the part's bundle read again
        unread.setattr("frontline.output.search._changes", lambda *arguments: pytest.fail("the bundle read again"))
        assert indexed(build()) == []
    items[5].title, items[150].title = "Tin số 5, sửa lần hai", "Tin số 150, đã sửa"
    assert indexed(build()) == [SEARCH_PATCH_FOLDER]
    items[210].title = "Tin số 210, đã sửa"  # a third superseded record in all: past the bound, its part indexed again
    assert indexed(build()) == ["phan-3/"]

    items[7].extra = "changed"  # a new fingerprint, the same record: the bundle's record stands
    job = build()
    assert indexed(job) == []
    assert sorted(item.url for item in job.changes["phan-1/"][0]) == [items[5].url]

    items[8].title, items[9].title = "Tin số 8, đã sửa", "Tin số 9, đã sửa"  # three in phan-1: past its bound
    job = build()
    assert indexed(job) == ["phan-1/", SEARCH_PATCH_FOLDER]
    assert "phan-1/" not in job.changes

    del items[120]  # a story deleted: phan-2 takes the next one, the middle part shifts
    build()
    items[-1] = SimpleNamespace(url="2020/tin-cu/", date=start - timedelta(days=1), title="Tin cũ", extra="")
    build()  # dated before all: every part's bounds move by one
    for n in range(250, 290):  # new stories: the newest part fills, the middle part grows
        items[n] = SimpleNamespace(
            url=f"2021/tin-{n:03d}/", date=start + timedelta(hours=n), title=f"Tin số {n}", extra=""
        )
    build()
    for item in items.values():  # every edit undone but the deletion and the new stories
        if item.url.startswith("2021/"):
            item.title, item.extra = f"Tin số {int(item.url[9:12])}", ""
    build()

    items[20].title = "Tin số 20, đã sửa"
    job = build()
    pages = job.cached["phan-1/"] / PAGES_RECORD  # the part's pages, read from its fragments, kept
    listed = json.loads(pages.read_text(encoding="utf-8"))
    del listed[items[30].url]  # a record not as the bundle is: it is read from the fragments again
    pages.write_text(json.dumps(listed), encoding="utf-8")
    del items[30]
    assert "phan-1/" in indexed(build())  # three superseded: the deleted story, the edited, the one moved in


def test_an_edit_undone_in_a_kept_site_folder_leaves_the_index_of_a_clean_build(tmp_path):
    """``frontline build`` (the site folder kept from one build to the next): an edit to a story of an older part
    brings the patch part in, with the old record left out; the edit undone, the patch part is gone from the site
    and the index is a clean build's, byte for byte."""
    site = newsroom(tmp_path / "newsroom")
    original = (site.root / "stories/2020/06/hai.md").read_text(encoding="utf-8")

    def frontline_build() -> dict:
        result = site.frontline("build", env=PARTS)
        assert result.returncode == 0, result.stderr
        return json.loads((site.site_dir / "pagefind/phan.json").read_text(encoding="utf-8"))

    frontline_build()
    site.write(
        "stories/2020/06/hai.md", story("Tin thứ hai ở Huế, đã sửa", "2020-06-02T08:00", slug="tin-thu-hai-o-hue")
    )
    index = frontline_build()
    assert index["patch"] == "phan-sua/" and list(index["stale"]) == ["phan-1/"]
    assert _served(site.site_dir)["2020/06/tin-thu-hai-o-hue/"] == "Tin thứ hai ở Huế, đã sửa"

    site.write("stories/2020/06/hai.md", original)
    left = site.root / ".cache/frontline/search/.staging.4242.1/.records"  # as a build killed while indexing leaves it
    left.mkdir(parents=True)
    assert frontline_build() == {"parts": ["phan-3/", "phan-2/", "phan-1/"]}
    assert not (site.site_dir / "pagefind/phan-sua").exists()
    # Nothing indexed: the patch part's bundle, no longer served, and the killed build's staging folder are gone.
    assert len(bundles(site)) == 4 and not left.parent.exists()
    kept = {path: data for path, data in snapshot(site.site_dir).items() if path.startswith("pagefind/")}
    clean = site.built(fresh=True, extra_env=PARTS, site_dir=tmp_path / "clean")
    assert differences({path: data for path, data in clean.items() if path.startswith("pagefind/")}, kept) == []
