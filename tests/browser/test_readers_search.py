"""Search on the demo site finds every page a reader may look for, not only stories: campaigns and the pages of
docs/, each result saying what it is; and narrows by the index's filters (kind, campaign, place, year) and orders
by date, with or without words typed, from the page's selects and from ``?…=`` in its address."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.sites import search_documents

pytestmark = pytest.mark.e2e

SEARCH = "/tim-kiem/"
DONE = re.compile(r"^(Tìm thấy|Không tìm thấy) ")


def results(page) -> list[dict[str, str]]:
    """Every result shown (asking for more until all are), as its kind, title and date."""
    more = page.get_by_role("button", name="Xem thêm kết quả")
    while more.is_visible():
        count = page.locator(".fl-search__result").count()
        more.click()
        expect(page.locator(".fl-search__result")).not_to_have_count(count)
    return page.eval_on_selector_all(
        ".fl-search__result",
        """items => items.map(item => ({
            kind: item.querySelector('.fl-search__kind')?.textContent || '',
            title: item.querySelector('.fl-search__title a').textContent,
            date: item.querySelector('time')?.dateTime || '',
        }))""",
    )


def search(page, **asked: str) -> list[dict[str, str]]:
    """The results of the search page opened with ``asked`` in its address; its status line in ``page.said``."""
    page.goto(SEARCH + "?" + urlencode(asked))
    expect(page.get_by_role("status")).to_have_text(DONE)
    page.said = page.get_by_role("status").inner_text()
    return results(page)


def test_campaigns_and_pages_are_found_and_say_what_they_are(page, page_errors, demo_site):
    kinds = {document["meta"].get("kind") for document in search_documents(demo_site)}
    assert kinds == {"Bài viết", "Chiến dịch", "Trang"}
    found = search(page, q="hướng dẫn phóng viên")
    assert {"kind": "Trang", "title": "Hướng dẫn cho phóng viên", "date": ""} in found
    found = search(page, q="Bắc Giang")
    assert {"Chiến dịch", "Bài viết"} <= {result["kind"] for result in found}
    assert any(r["kind"] == "Chiến dịch" and r["title"] == "Bệnh viện dã chiến Bắc Giang" for r in found), found
    assert page_errors == []


def test_filters_narrow_and_sort_orders_by_date(page, page_errors, demo_site):
    documents = search_documents(demo_site)
    in_da_nang = sorted(d["meta"]["date"] for d in documents if d["meta"].get("place") == "Đà Nẵng")
    assert len(in_da_nang) > 2
    # No words, a place and the newest first: every story of the place, newest first.
    found = search(page, place="Đà Nẵng", sort="moi-nhat")
    assert [result["date"] for result in found] == sorted(in_da_nang, reverse=True)
    assert page.get_by_label("Địa phương").input_value() == "Đà Nẵng"
    assert page.said == f"Tìm thấy {len(in_da_nang)} kết quả."
    # Words and a kind: only campaigns.
    found = search(page, q="bệnh viện", kind="Chiến dịch")
    assert found and {result["kind"] for result in found} == {"Chiến dịch"}
    # Chosen on the page, kept in the address.
    search(page, q="bệnh viện")
    page.get_by_label("Năm").select_option("2020")
    expect(page).to_have_url(re.compile(r"[?&]year=2020(&|$)"))
    expect(page.get_by_role("status")).to_have_text(DONE)
    found = results(page)
    assert found and all(result["date"].startswith("2020-") for result in found), found
    campaign = "Bệnh viện dã chiến Bắc Giang"
    found = search(page, campaign=campaign)
    stories = [d for d in documents if d["filters"].get("campaign") == [campaign]]
    assert len(found) == len(stories) and {result["title"] for result in found} == {d["meta"]["title"] for d in stories}
    assert page_errors == []
