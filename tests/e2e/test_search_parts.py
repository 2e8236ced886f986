"""The search index in parts (``FRONTLINE_SEARCH_PART_RECORDS``): a warm build re-indexes only the part whose records
changed and links the others' bundles from the cache; a new story changes the newest part only; and the site is the
same bytes built from nothing, built warm, built serially or in parallel, and its index by MkDocs or ProperDocs."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from frontline.output.pagefind_service import RECORD_STORE, _check
from tests.sites import make_site, story
from tests.snapshots import differences

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
    return {entry.name: entry.stat().st_ino for entry in folder.iterdir()}


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
    assert len(edited) == 4
    assert len(set(edited.items()) - set(first.items())) == 1  # one part indexed again, three reused
    oldest = [
        json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["meta"]["title"]
        for path in (site.site_dir / "pagefind/phan-1/fragment").glob("*.pf_fragment")
    ]
    assert sorted(oldest) == ["Tin thứ hai ở Huế, đã sửa", "Tin thứ nhất ở Hà Nội"]

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
