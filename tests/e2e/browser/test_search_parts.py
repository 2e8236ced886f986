"""The search page over an index in several parts (``FRONTLINE_SEARCH_PART_RECORDS=2``: two dated pages a part), in
Chromium: the narrowing tests' newsroom again, their every assertion kept (filters and counts, words found nowhere,
exact diacritics first, newest first), with results and counts drawn from several parts, a part never answering
for some words of a query alone, and no filter file of any part fetched before the reader turns to the filters."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import test_search_narrowing as narrowing
from tests.e2e.browser.conftest import published
from tests.e2e.browser.test_search_narrowing import (  # noqa: F401 - the tests run here too, on the index in parts
    BAC_GIANG,
    DA_NANG,
    GATEWAY,
    HAI_DUONG,
    HAI_VAN,
    TESTING,
    choices,
    open_search,
    test_a_word_found_nowhere_is_named_and_the_others_offered,
    test_filters_narrow_the_results_and_count_each_choice,
    test_the_words_as_typed_with_their_diacritics_come_first,
)
from tests.sites import story

search_page = narrowing.search_page
PART_FOLDER = re.compile(r"/pagefind/(phan-\d+/)?(fragment|filter|index)/")


@pytest.fixture(scope="module")
def parts_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The narrowing tests' newsroom, its index in parts of two dated pages: the served address and the site."""
    site = narrowing.write_newsroom(tmp_path_factory.mktemp("parts") / "newsroom")
    with pytest.MonkeyPatch.context() as patch:  # the build's environment is this process's
        patch.setenv("FRONTLINE_SEARCH_PART_RECORDS", "2")
        with published(site) as url:
            patch.undo()
            yield url, site.site_dir


@pytest.fixture(scope="module")
def newsroom_url(parts_site) -> str:
    return parts_site[0]


def part_of(url: str) -> str:
    """The part a file of the index belongs to: ``""`` for the newest (the bundle's own folder), else its folder."""
    match = PART_FOLDER.search(url)
    assert match, url
    return match.group(1) or ""


def test_the_index_is_in_parts_that_hold_only_what_the_search_page_reads(parts_site):
    _, site_dir = parts_site
    bundle = site_dir / "pagefind"
    listed = json.loads((bundle / "phan.json").read_text(encoding="utf-8"))["parts"]
    # Seven dated pages (five stories, two campaigns) in parts of two: three older parts, the newest part holds the
    # newest story and the undated pages.
    assert listed == ["phan-3/", "phan-2/", "phan-1/"]
    for folder in listed:
        part = bundle / folder
        entry = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["vi"]["page_count"] == 2
        assert sorted(path.name for path in part.iterdir() if path.is_file()) == [
            "pagefind-entry.json",
            f"pagefind.{entry['languages']['vi']['hash']}.pf_meta",
        ]
        assert not (part / "pagefind.js").exists()
    assert (bundle / "pagefind.js").is_file()


def test_results_and_counts_come_from_several_parts(search_page, newsroom_url):
    page = search_page
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    found = open_search(page, newsroom_url, q="chốt")
    assert sorted(found) == sorted([HAI_DUONG, HAI_VAN, BAC_GIANG, GATEWAY])
    fragments = {part_of(url) for url in fetched if "/fragment/" in url}
    assert fragments == {"", "phan-1/", "phan-2/", "phan-3/"}, fetched  # the four results are in four parts
    assert not [url for url in fetched if "/filter/" in url]
    assert choices(page, "nam") == {"2021": "2021 (3)", "2020": "2020 (1)"}
    assert choices(page, "noi") == {
        "bac-giang": "Bắc Giang (1)",
        "da-nang": "Đà Nẵng (2)",
        "hai-duong": "Hải Dương (1)",
    }
    assert len({part_of(url) for url in fetched if "/filter/" in url}) == 4  # each part's filters, once asked for
    assert page.errors == []


def test_a_part_never_answers_for_some_of_the_words_alone(search_page, newsroom_url):
    page = search_page
    # "nam" is in one story's title only ("phía nam"); the parts of the other stories with "chốt" have no "nam".
    assert open_search(page, newsroom_url, q="chốt nam") == [HAI_VAN]
    choices(page, "nam")  # the counts too count only the pages with both words
    assert choices(page, "noi") == {
        "bac-giang": "Bắc Giang (0)",
        "da-nang": "Đà Nẵng (1)",
        "hai-duong": "Hải Dương (0)",
    }
    # Two words each in another part, in no page together.
    assert open_search(page, newsroom_url, q="cửa ngõ giáp Tết") == []
    assert page.get_by_role("status").inner_text() == "Không tìm thấy kết quả nào cho “cửa ngõ giáp Tết”."
    assert page.errors == []


def test_newest_first_goes_through_the_parts_in_date_order(search_page, newsroom_url):
    page = search_page
    assert open_search(page, newsroom_url, q="chốt", sort="moi-nhat") == [GATEWAY, BAC_GIANG, HAI_DUONG, HAI_VAN]
    everything = open_search(page, newsroom_url, sort="moi-nhat", nam="2021")
    assert everything == [GATEWAY, TESTING, BAC_GIANG, "Bệnh viện dã chiến Bắc Giang", HAI_DUONG]
    assert page.errors == []


EDITED = "Hải Dương giữ chốt xuyên Tết Tân Sửu"


def _edit(site) -> None:
    """Hải Dương's story, in an older part: a new title, at another place."""
    body = "Các chiến sĩ vẫn trực ở chốt suốt đêm."
    slug = "hai-duong-giu-chot-trong-nhung-ngay-giap-tet"  # its address as it was
    edited = story(EDITED, "2021-02-08T15:00", location="Hải Phòng", body=body, slug=slug)
    site.write("stories/2021/02/hai-duong.md", edited)


@pytest.fixture(scope="module")
def edited_sites(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:
    """The newsroom in parts of two, built, then built again after a story of an older part was edited (served
    first), and the same newsroom built from nothing (served second); the first's site folder."""
    root = tmp_path_factory.mktemp("edited")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINE_SEARCH_PART_RECORDS", "2")
        site = narrowing.write_newsroom(root / "warm" / "newsroom")
        assert site.build().returncode == 0
        _edit(site)
        clean = narrowing.write_newsroom(root / "clean" / "newsroom")
        _edit(clean)
        with published(site) as warm_url, published(clean) as clean_url:
            patch.undo()
            yield warm_url, clean_url, site.site_dir


def test_an_edited_story_of_an_older_part_is_found_as_a_clean_build_finds_it(search_page, edited_sites):
    """The older part is not indexed again: its record of the story is left out, the patch part's found instead,
    in every order, with every filter's counts, as in the site built from nothing."""
    page = search_page
    warm_url, clean_url, site_dir = edited_sites
    index = json.loads((site_dir / "pagefind/phan.json").read_text(encoding="utf-8"))
    assert index["patch"] == "phan-sua/" and len(index["stale"]) == 1
    assert open_search(page, warm_url, q="giáp Tết") == []  # the old title's words
    assert open_search(page, warm_url, q="Tân Sửu") == [EDITED]
    assert open_search(page, warm_url, q="chốt", sort="moi-nhat") == [GATEWAY, BAC_GIANG, EDITED, HAI_VAN]
    asked = [
        {"q": "chốt"},
        {"q": "chốt", "sort": "moi-nhat"},
        {"q": "hải"},
        {"q": "hải", "sort": "moi-nhat"},
        {"q": "hai duong"},
        {"q": "chốt", "noi": "hai-phong"},
        {"q": "chốt", "noi": "hai-duong"},
        {"sort": "moi-nhat", "nam": "2021"},
        {"q": "tết xyzzy"},
    ]
    for query in asked:
        warm, clean = (_answer(page, url, query) for url in (warm_url, clean_url))
        if query.get("sort"):  # by date: in the same order; by relevance, scored within each part
            assert warm == clean, query
        else:
            assert (sorted(warm[0]), *warm[1:]) == (sorted(clean[0]), *clean[1:]), query
    assert page.errors == []


def _answer(page, url: str, query: dict[str, str]) -> tuple[list[str], str, dict[str, dict[str, str]]]:
    """What the search page at ``url`` answers ``query``: the titles found, the status and, when it found
    some, each filter's choices with their counts."""
    found = open_search(page, url, **query)
    status = page.get_by_role("status").inner_text()
    return found, status, {name: choices(page, name) for name in ("noi", "nam", "chien-dich")} if found else {}


SLOW_PATCH = """
(() => {
  const original = window.fetch;
  window.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes("/phan-sua/fragment/")) {
      console.log("patch fragment asked for");
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    return original(input, init);
  };
})();
"""


def test_a_new_query_while_a_patch_result_is_on_its_way_gets_its_own_results(search_page, edited_sites):
    """On a slow connection: newest first, the patch part's result is being fetched when the reader narrows to its
    place; the first query's results, once in, do not take the second's (the reviewer's finding)."""
    page = search_page
    warm_url, _, _ = edited_sites
    page.context.add_init_script(SLOW_PATCH)
    with page.expect_console_message(lambda message: message.text == "patch fragment asked for"):
        page.goto(warm_url + "tim-kiem/?" + urlencode({"q": "hải", "sort": "moi-nhat"}))  # the patch's result first
    page.get_by_label("Địa phương").select_option("hai-phong")
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 kết quả cho “hải”.", timeout=10_000)
    page.wait_for_timeout(2000)  # the first query's fetch done: nothing it does after changes the page
    assert page.locator(".fl-search__title a").all_inner_texts() == [EDITED]
    assert page.get_by_role("status").inner_text() == "Tìm thấy 1 kết quả cho “hải”."
    assert page.errors == []
