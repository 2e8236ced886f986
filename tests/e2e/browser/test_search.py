"""The search page of small fixture newsrooms published under a sub-path (``/tin/``), in a real browser:
result links keep the sub-path, markup in titles, places and standfirsts shows as text, and the index
finds what it should (title first, accents optional, the lede) and not the body past its first words."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from frontline.output.search import RECORD_WORDS
from tests.e2e.browser.conftest import DESKTOP, EXTERNAL, TIMEOUT_MS, published
from tests.sites import HOSTILE_TITLE as TITLE
from tests.sites import hostile_story, make_site, story

PLAIN = "Tin ngoài chiến dịch ở Đà Nẵng"


@pytest.fixture(scope="module")
def newsroom_url(tmp_path_factory) -> Iterator[str]:
    """The fixture newsroom, served at ``http://127.0.0.1:<port>/tin/`` like its ``site_url``."""
    root = tmp_path_factory.mktemp("search")
    site = make_site(root / "newsroom", with_campaign=False)
    site.write("stories/2021/05/x.md", hostile_story())
    site.write("stories/2021/06/khac.md", story(PLAIN, "2021-06-02T08:00", location="Đà Nẵng"))
    with published(site) as url:
        yield url


@pytest.fixture
def newsroom_page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(EXTERNAL, lambda route: route.abort())
    page = context.new_page()
    yield page
    context.close()


def test_results_keep_the_sub_path_and_show_markup_as_text(newsroom_page, newsroom_url, shoot):
    page = newsroom_page
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(newsroom_url + "tim-kiem/?q=da+nang")
    assert response is not None and response.ok
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 2 kết quả cho “da nang”.")
    links = page.locator(".fl-search__title a")
    expect(links).to_have_count(2)
    shoot(page, "results")
    assert sorted(links.all_inner_texts()) == sorted([TITLE, PLAIN])
    hrefs = [links.nth(i).get_attribute("href") for i in range(2)]
    assert all(href and href.startswith("/tin/2021/") for href in hrefs), hrefs
    results = page.locator(".fl-search__results")
    expect(results.locator("script, img, b")).to_have_count(0)
    assert sorted(results.locator(".fl-meta").all_inner_texts()) == ["2/6/2021 · Đà Nẵng", "20/5/2021 · <b>Đà Nẵng</b>"]
    links.filter(has_text=PLAIN).click()
    expect(page.locator("article.fl-story h1")).to_have_text(PLAIN)
    assert page.url.startswith(newsroom_url + "2021/06/")
    assert dialogs == [] and errors == [], (dialogs, errors)


@pytest.fixture(scope="module")
def index_url(tmp_path_factory) -> Iterator[str]:
    """A newsroom whose stories tell apart what the index holds: title, place, lede, and body past the cutoff."""
    root = tmp_path_factory.mktemp("search-index")
    site = make_site(root / "newsroom", with_campaign=False)
    filler = " ".join(["chữ"] * RECORD_WORDS)
    body = f"Mộc Châu, Mộc Châu và Mộc Châu vào mùa mận.\n\n{filler} Quỳnh Lưu."
    site.write("stories/2021/05/vung-cao.md", story("Tin vùng cao", "2021-05-20", body=body))
    site.write("stories/2021/05/suong.md", story("Sương sớm ở Mộc Châu", "2021-05-21", location="Điện Biên"))
    with published(site) as url:
        yield url


def results_for(page, url: str, query: str) -> list[str]:
    page.goto(url + "tim-kiem/?" + urlencode({"q": query}))
    expect(page.get_by_role("status")).to_contain_text(f"cho “{query}”")
    return page.locator(".fl-search__title a").all_inner_texts()


def test_title_matches_come_first_and_accents_are_optional(newsroom_page, index_url):
    for query in ["Mộc Châu", "moc chau", "MỘC CHÂU", "mộc châu đã"]:  # "đã" is not indexed: left out of the query
        assert results_for(newsroom_page, index_url, query) == ["Sương sớm ở Mộc Châu", "Tin vùng cao"], query
    assert results_for(newsroom_page, index_url, "dien bien") == ["Sương sớm ở Mộc Châu"]  # the place, "Đ" as "d"


def test_lede_words_are_found_and_marked_body_words_past_the_cutoff_are_not(newsroom_page, index_url):
    page = newsroom_page
    assert results_for(page, index_url, "mua man") == ["Tin vùng cao"]
    assert page.locator(".fl-search__excerpt mark").all_inner_texts() == ["mùa", "mận."]
    assert results_for(page, index_url, "Quỳnh Lưu") == []
    expect(page.get_by_role("status")).to_have_text("Không tìm thấy kết quả nào cho “Quỳnh Lưu”.")
