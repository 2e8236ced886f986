"""The search page over an index in several parts (``FRONTLINE_SEARCH_PART_RECORDS=2``: two dated pages a part), in
Chromium: the narrowing tests' newsroom again, their every assertion kept (filters and counts, words found nowhere,
exact diacritics first, newest first), with results and counts drawn from several parts, a part never answering
for some words of a query alone, and no filter file of any part fetched before the reader turns to the filters."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

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
