"""The search page of a small newsroom in Chromium: Pagefind's filters (campaign, place, year) narrow the results,
each choice with its count, from the selects and from ``?chien-dich=…&noi=…&nam=…``; a word found nowhere is named
instead of dropped; the pages holding the words exactly as typed, diacritics and all, come first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import DESKTOP, EXTERNAL, TIMEOUT_MS, published
from tests.sites import FixtureSite, make_site, story

DONE = re.compile(r"^(Tìm thấy|Không tìm thấy) ")
DA_NANG = """\
---
title: Đợt dịch Đà Nẵng
start: 2020-07-28
end: 2020-09-30
summary: Tuyến đầu ở Đà Nẵng mùa hè 2020.
---

Lời giới thiệu.
"""
HAI_DUONG = "Hải Dương giữ chốt trong những ngày giáp Tết"
HAI_VAN = "Chốt kiểm soát phía nam thành phố"
BAC_GIANG = "Lập chốt kiểm soát ở Bắc Giang"
TESTING = "Đội xét nghiệm lưu động ở Bắc Giang"
GATEWAY = "Chốt kiểm dịch ở cửa ngõ Đà Nẵng"


def write_newsroom(root: Path) -> FixtureSite:
    """Two campaigns, four places, two years; "Hải Vân" written once, in a standfirst, and a title with "Hải"
    over a body with "vẫn" (folded, "hai van" too)."""
    site = make_site(root)
    site.write("docs/campaigns/da-nang.md", DA_NANG)
    stories = {
        "2021/02/hai-duong": story(
            HAI_DUONG, "2021-02-08T15:00", location="Hải Dương", body="Các chiến sĩ vẫn trực ở chốt suốt đêm."
        ),
        "2020/08/hai-van": story(
            HAI_VAN,
            "2020-08-02T09:00",
            location="Đà Nẵng",
            campaign="da-nang",
            summary="Các chốt ở hầm Hải Vân hoạt động suốt ngày đêm.",
        ),
        "2021/05/bac-giang": story(BAC_GIANG, "2021-05-20T08:00", location="Bắc Giang", campaign="bac-giang"),
        "2021/05/xet-nghiem": story(TESTING, "2021-05-25T08:00", location="Bắc Giang", campaign="bac-giang"),
        "2021/07/cua-ngo": story(GATEWAY, "2021-07-30T08:00", location="Đà Nẵng"),
    }
    for path, text in stories.items():
        site.write(f"stories/{path}.md", text)
    return site


@pytest.fixture(scope="module")
def newsroom_url(tmp_path_factory) -> Iterator[str]:
    site = write_newsroom(tmp_path_factory.mktemp("narrowing") / "newsroom")
    with published(site) as url:
        yield url


@pytest.fixture
def search_page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(EXTERNAL, lambda route: route.abort())
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def open_search(page, url: str, **asked: str) -> list[str]:
    """The titles found by the search page opened with ``asked`` in its address (all of them: few here)."""
    page.goto(url + "tim-kiem/?" + urlencode(asked))
    return titles(page)


def titles(page) -> list[str]:
    expect(page.get_by_role("status")).to_have_text(DONE)
    more = page.get_by_role("button", name="Xem thêm kết quả")
    while more.is_visible():
        count = page.locator(".fl-search__result").count()
        more.click()
        expect(page.locator(".fl-search__result")).not_to_have_count(count)
    return page.locator(".fl-search__title a").all_inner_texts()


def choices(page, name: str) -> dict[str, str]:
    """The options of the select ``name`` (its ?…= in the address), value → text (with its count), but "Tất cả":
    the select focused first, as a reader turning to it (the counts come then)."""
    select = page.locator(f"select[name={name}]")
    select.focus()
    options = select.locator("option")
    expect(options.nth(1)).to_have_text(re.compile(r"\(\d+\)$"))
    return {
        options.nth(i).get_attribute("value"): options.nth(i).inner_text()
        for i in range(options.count())
        if options.nth(i).get_attribute("value")
    }


def test_filters_narrow_the_results_and_count_each_choice(search_page, newsroom_url):
    page = search_page
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    everywhere = open_search(page, newsroom_url, q="chốt")
    assert sorted(everywhere) == sorted([HAI_DUONG, HAI_VAN, BAC_GIANG, GATEWAY])
    # A search alone fetches no filter file; the counts are fetched when the reader turns to the filters.
    assert not [url for url in fetched if "/pagefind/filter/" in url]
    assert page.locator("select[name=nam] option").all_inner_texts() == ["Tất cả", "2021", "2020"]
    assert choices(page, "noi") == {
        "bac-giang": "Bắc Giang (1)",
        "da-nang": "Đà Nẵng (2)",
        "hai-duong": "Hải Dương (1)",
    }
    assert choices(page, "nam") == {"2021": "2021 (3)", "2020": "2020 (1)"}
    assert choices(page, "chien-dich") == {
        "bac-giang": "Bệnh viện dã chiến Bắc Giang (1)",
        "da-nang": "Đợt dịch Đà Nẵng (1)",
    }
    # Chosen on the page: fewer results, kept in the address, the other selects counting within them.
    page.get_by_label("Địa phương").select_option("da-nang")
    expect(page).to_have_url(re.compile(r"[?&]noi=da-nang(&|$)"))
    expect(page.locator(".fl-search__result")).to_have_count(2)
    assert sorted(titles(page)) == sorted([HAI_VAN, GATEWAY])
    assert page.get_by_role("status").inner_text() == "Tìm thấy 2 kết quả cho “chốt”."
    assert choices(page, "nam") == {"2021": "2021 (1)", "2020": "2020 (1)"}
    # The chosen select still counts every place: another choice is a choice instead, not as well.
    assert choices(page, "noi")["bac-giang"] == "Bắc Giang (1)"
    # From the address, with words or without: a campaign's stories and its own page.
    assert open_search(page, newsroom_url, q="chốt", nam="2021", **{"chien-dich": "bac-giang"}) == [BAC_GIANG]
    assert page.get_by_label("Năm").input_value() == "2021"
    found = open_search(page, newsroom_url, **{"chien-dich": "bac-giang"})
    assert sorted(found) == sorted([BAC_GIANG, TESTING, "Bệnh viện dã chiến Bắc Giang"])
    assert page.get_by_role("status").inner_text() == "Tìm thấy 3 kết quả."
    assert open_search(page, newsroom_url, noi="hai-duong", nam="2020") == []
    assert page.errors == []


def test_a_word_found_nowhere_is_named_and_the_others_offered(search_page, newsroom_url):
    page = search_page
    assert open_search(page, newsroom_url, q="xyzzy chốt") == []
    expect(page.get_by_role("status")).to_have_text(
        "Không tìm thấy kết quả nào cho “xyzzy chốt”: không có trang nào chứa từ “xyzzy”."
    )
    hint = page.locator(".fl-search__hint")
    expect(hint).to_have_text("Tìm với các từ còn lại: chốt")
    hint.get_by_role("link", name="chốt").click()
    assert sorted(titles(page)) == sorted([HAI_DUONG, HAI_VAN, BAC_GIANG, GATEWAY])
    expect(page).to_have_url(re.compile(r"[?&]q=ch%E1%BB%91t(&|$)"))
    expect(hint).to_be_hidden()
    # Two unknown among three: both named.
    assert open_search(page, newsroom_url, q="xyzzy chốt plugh") == []
    expect(page.get_by_role("status")).to_have_text(
        "Không tìm thấy kết quả nào cho “xyzzy chốt plugh”: không có trang nào chứa các từ “xyzzy”, “plugh”."
    )
    expect(hint).to_have_text("Tìm với các từ còn lại: chốt")
    # Every word unknown: nothing to name or offer.
    assert open_search(page, newsroom_url, q="xyzzy plugh") == []
    expect(page.get_by_role("status")).to_have_text("Không tìm thấy kết quả nào cho “xyzzy plugh”.")
    expect(hint).to_be_hidden()
    assert page.errors == []


def test_the_words_as_typed_with_their_diacritics_come_first(search_page, newsroom_url):
    page = search_page
    # Folded, "Hải" in a title ranks first (its body's "vẫn" is "van" too)…
    assert open_search(page, newsroom_url, q="hai van") == [HAI_DUONG, HAI_VAN]
    # …typed with its diacritics, the one page that has "Hải Vân" comes first, the other still found.
    for query in ["hải vân", "Hải Vân", "HẢI VÂN"]:
        assert open_search(page, newsroom_url, q=query) == [HAI_VAN, HAI_DUONG], query
    # Newest first is by date, whatever the diacritics.
    assert open_search(page, newsroom_url, q="hải vân", sort="moi-nhat") == [HAI_DUONG, HAI_VAN]
    assert page.errors == []
