"""Search on the demo site finds every page a reader may look for, not only stories: campaigns and the pages of
docs/, each result saying what it is; and orders by date, newest first, from the page's select and from
``?sort=moi-nhat`` in its address. Its filters, unknown words and exact diacritics: ``test_search_narrowing.py``."""

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
    assert kinds == {"Bài viết", "Chiến dịch", "Trực tiếp", "Trang"}  # the demo has a live page
    found = search(page, q="hướng dẫn phóng viên")
    assert {"kind": "Trang", "title": "Hướng dẫn cho phóng viên", "date": ""} in found
    found = search(page, q="Bắc Giang")
    assert {"Chiến dịch", "Bài viết"} <= {result["kind"] for result in found}
    assert any(r["kind"] == "Chiến dịch" and r["title"] == "Bệnh viện dã chiến Bắc Giang" for r in found), found
    assert page_errors == []


def test_newest_first_orders_by_date_and_is_kept_in_the_address(page, page_errors):
    ranked = search(page, q="bệnh viện")
    newest = search(page, q="bệnh viện", sort="moi-nhat")
    dates = [result["date"] for result in newest]
    # The dated results, newest first (Pagefind leaves out what has no date to sort by: pages of docs/).
    assert sorted(r["title"] for r in newest) == sorted(r["title"] for r in ranked if r["date"]) and all(dates)
    assert dates == sorted(dates, reverse=True) and [r["date"] for r in ranked] != dates
    assert page.get_by_label("Sắp xếp").input_value() == "moi-nhat"
    search(page, q="bệnh viện")
    page.get_by_label("Sắp xếp").select_option("moi-nhat")
    expect(page).to_have_url(re.compile(r"[?&]sort=moi-nhat(&|$)"))
    expect(page.get_by_role("status")).to_have_text(DONE)
    assert [result["date"] for result in results(page)] == dates
    assert page_errors == []


def test_the_index_is_the_same_from_one_build_to_the_next(demo_site, tmp_path):
    """What Pagefind writes from the same records is the same bytes, its filter files put in order
    (``frontline/output/pagefind_bundle.py``; ``tests/e2e/test_search_bundle.py`` builds from nothing twice)."""
    from tests.readers_tools import build_demo

    again = build_demo(tmp_path / "again")
    first = {p.relative_to(demo_site): p.read_bytes() for p in (demo_site / "pagefind").rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in (again / "pagefind").rglob("*") if p.is_file()}
    assert first == second and len(list((demo_site / "pagefind" / "filter").iterdir())) == 3
