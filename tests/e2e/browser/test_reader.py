"""What a reader does on the built demo site, in a real browser: browse, search, read on a phone, use a keyboard."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

CAMPAIGN = "Bệnh viện dã chiến Bắc Giang"
CAMPAIGN_PATH = "/campaigns/bac-giang-2021/"
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"
MAX_TABS = 60

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    cls: el.className && typeof el.className === "string" ? el.className : "",
    rel: el.getAttribute("rel") || "",
    text: (el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 60),
    html: el.outerHTML.slice(0, 160),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
  };
}"""


def local(base_url: str, page_url: str, href: str) -> str:
    """``href`` as found on ``page_url``, moved to the local server: absolute links name the demo's public host."""
    parts = urlsplit(urljoin(page_url, href))
    return base_url + parts.path + (f"?{parts.query}" if parts.query else "")


def test_reader_follows_a_campaign_to_a_story_its_author_and_the_campaign_feed(page, page_errors, base_url, shoot):
    response = page.goto("/")
    assert response is not None and response.ok, f"home page: HTTP {response and response.status}"
    expect(page.get_by_role("heading", name="Chiến dịch đang diễn ra")).to_be_visible()
    shoot(page, "01-home")

    # The navigation tab, not the home page's own links.
    page.locator(".md-tabs").get_by_role("link", name="Chiến dịch", exact=True).click()
    expect(page).to_have_url(f"{base_url}/campaigns/")
    expect(page.locator("h1")).to_have_text("Chiến dịch")
    shoot(page, "02-campaigns")

    page.locator(".fl-campaigns").get_by_role("link", name=CAMPAIGN, exact=True).click()
    expect(page).to_have_url(base_url + CAMPAIGN_PATH)
    expect(page.locator("h1")).to_have_text(CAMPAIGN)
    expect(page.get_by_role("heading", name="Dòng thời gian", exact=True)).to_be_visible()
    entries = page.locator(".fl-timeline .fl-entry")
    assert entries.count() > 0, "the campaign timeline has no entries"
    story_links = page.locator(".fl-entry[data-kind=story] a.fl-entry__title")
    assert story_links.count() > 0, "the campaign timeline has no story entries"
    feed_href = page.get_by_role("link", name="Theo dõi chiến dịch qua RSS").get_attribute("href")
    assert feed_href, "the campaign page has no RSS link"
    shoot(page, "03-campaign")

    first = story_links.first
    title = first.inner_text().strip()
    first.click()
    expect(page).not_to_have_url(base_url + CAMPAIGN_PATH)
    story_url = page.url
    expect(page.locator("article.fl-story h1")).to_have_text(title)
    expect(page.locator("article.fl-story .fl-badge")).to_have_text(CAMPAIGN)
    shoot(page, "04-story")

    author = page.locator("article.fl-story a[rel=author]").first
    author_name = author.inner_text().strip()
    author.click()
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"/authors/[^/]+/$"))
    expect(page.locator("h1")).to_have_text(author_name)
    shoot(page, "05-author")
    listed = []
    for _ in range(50):  # follow the author's pagination until the story turns up
        cards = page.locator(".fl-card__title a")
        listed += [(link.inner_text().strip(), urljoin(page.url, link.get_attribute("href"))) for link in cards.all()]
        if (title, story_url) in listed:
            break
        following = page.locator(".fl-pagination a[rel=next]")
        if not following.count():
            break
        page.goto(urljoin(page.url, following.first.get_attribute("href")))
    assert (title, story_url) in listed, f"author page of {author_name} does not list {title!r} ({story_url})"

    page.goto(CAMPAIGN_PATH)
    feed_link = page.get_by_role("link", name="Theo dõi chiến dịch qua RSS")
    feed_link.scroll_into_view_if_needed()
    feed_link.focus()
    shoot(page, "06-campaign-feed-link", full_page=False)
    expect(feed_link).to_have_attribute("href", feed_href)
    feed_url = local(base_url, page.url, feed_href)
    feed = page.request.get(feed_url)
    assert feed.ok, f"{feed_url}: HTTP {feed.status}"
    assert "xml" in feed.headers.get("content-type", ""), f"{feed_url}: served as {feed.headers.get('content-type')}"
    root = ET.fromstring(feed.body())
    assert root.tag == "rss" and root.get("version") == "2.0", f"{feed_url} is not RSS 2.0 but <{root.tag}>"
    items = [item.findtext("title") for item in root.iter("item")]
    assert title in items, f"{title!r} is not among the {len(items)} items of {feed_url}"
    assert page_errors == [], f"uncaught JavaScript errors: {page_errors}"


SEARCH = "/tim-kiem/"
RESULT_LINKS = ".fl-search__results .fl-search__title a"
FOUND = re.compile(r"^Tìm thấy (\d+) kết quả cho “da nang”\.$")


def search_box(page):
    return page.get_by_role("searchbox", name="Tìm bài viết")


def test_search_finds_da_nang_typed_without_accents(page, page_errors, base_url, shoot):
    response = page.goto(SEARCH)
    assert response is not None and response.ok, f"{SEARCH}: HTTP {response and response.status}"
    box = search_box(page)
    expect(box).to_be_visible()
    started = time.monotonic()
    box.press_sequentially("da nang", delay=20)
    results = page.locator(RESULT_LINKS)
    try:
        expect(results.first).to_be_visible(timeout=10_000)
    finally:
        shoot(page, "results")
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"search results took {elapsed:.1f}s"
    status = page.get_by_role("status")
    expect(status).to_have_text(FOUND)
    expect(status).to_have_attribute("aria-live", "polite")
    count = int(FOUND.match(status.inner_text()).group(1))
    assert count >= 1
    expect(results).to_have_count(min(count, 5))
    expect(page).to_have_url(f"{base_url}{SEARCH}?q=da+nang")
    title_with_accents = page.locator(".fl-search__title a", has_text="Đà Nẵng")
    item = page.locator(".fl-search__result").filter(has=title_with_accents).first
    first = item.locator(".fl-search__title a")
    expect(first).to_be_visible()
    expect(item.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(item.locator(".fl-search__excerpt mark").first).to_be_visible()
    title = first.inner_text().strip()
    first.click()
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"/\d{4}/\d{2}/[^/]+/$"))
    expect(page.locator("article.fl-story h1")).to_have_text(title)
    assert page_errors == [], f"uncaught JavaScript errors: {page_errors}"


def test_search_runs_the_query_in_the_address_and_shows_more_on_request(page, page_errors, shoot):
    response = page.goto(f"{SEARCH}?q=da+nang")
    assert response is not None and response.ok
    expect(search_box(page)).to_have_value("da nang")
    expect(page.get_by_role("status")).to_have_text(FOUND)
    count = int(FOUND.match(page.get_by_role("status").inner_text()).group(1))
    results = page.locator(RESULT_LINKS)
    more = page.get_by_role("button", name="Xem thêm kết quả")
    assert count > 5, f"the demo has only {count} results for 'da nang': nothing more to show"
    expect(results).to_have_count(5)
    more.focus()
    page.keyboard.press("Enter")
    expect(results).to_have_count(min(count, 10))
    expect(results.nth(5)).to_be_focused()
    expect(page.get_by_role("status")).to_have_text(f"Đang hiện {min(count, 10)} trên {count} kết quả.")
    shoot(page, "more")
    box = search_box(page)
    box.fill("zzqxw")
    expect(page.get_by_role("status")).to_have_text("Không tìm thấy kết quả nào cho “zzqxw”.")
    expect(results).to_have_count(0)
    expect(more).to_be_hidden()
    assert page_errors == [], f"uncaught JavaScript errors: {page_errors}"


def test_search_form_works_without_javascript(new_context, base_url):
    page = new_context(java_script_enabled=False).new_page()
    response = page.goto(SEARCH)
    assert response is not None and response.ok
    search_box(page).fill("da nang")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).to_have_url(f"{base_url}{SEARCH}?q=da+nang")
    expect(search_box(page)).to_be_visible()


@pytest.fixture
def phone(new_context):
    return new_context(**PHONE).new_page()


def test_phone_home_page_fits_the_screen(phone, shoot):
    response = phone.goto("/")
    assert response is not None and response.ok
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    shoot(phone, "home")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL), f"home scrolls sideways on a phone: scrollWidth, innerWidth = {width}"


def test_phone_search_results_fit_the_screen(phone, shoot):
    response = phone.goto(f"{SEARCH}?q=da+nang")
    assert response is not None and response.ok
    expect(phone.locator(RESULT_LINKS).first).to_be_visible()
    shoot(phone, "search")
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL), f"search results scroll sideways on a phone: {width}"
    box = phone.get_by_role("searchbox", name="Tìm bài viết").bounding_box()
    assert box is not None and box["width"] >= 150, f"the search box is too narrow on a phone: {box}"


def test_phone_story_page_fits_and_is_readable(phone, campaign_story_path, shoot):
    response = phone.goto(campaign_story_path)
    assert response is not None and response.ok
    shoot(phone, "story")
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL), f"{campaign_story_path} scrolls sideways: {width}"
    heading = phone.locator("article.fl-story h1")
    expect(heading).to_be_visible()
    expect(heading).to_be_in_viewport()
    sizes = phone.locator("article.fl-story .fl-body p").evaluate_all(
        "ps => ps.map(p => parseFloat(getComputedStyle(p).fontSize))"
    )
    assert sizes, "the story has no body paragraphs"
    assert min(sizes) >= 14, f"body text is too small on a phone: {sorted(set(sizes))} px"


def test_keyboard_reaches_byline_and_campaign_badge_with_visible_focus(page, campaign_story_path, shoot):
    response = page.goto(campaign_story_path)
    assert response is not None and response.ok
    expect(page.locator("article.fl-story a[rel=author]").first).to_be_visible()
    reached = {"author": None, "badge": None}
    invisible = []
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STATE)
        if focused is None:
            continue
        visible = (focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0) or focused["boxShadow"] != "none"
        if not visible:
            invisible.append(f"Tab {presses}: {focused['html']}")
        if focused["rel"] == "author" and reached["author"] is None:
            reached["author"] = presses
            shoot(page, "author-focused", full_page=False)
        if "fl-badge" in focused["cls"].split() and reached["badge"] is None:
            reached["badge"] = presses
            shoot(page, "badge-focused", full_page=False)
        if all(reached.values()):
            break
    missing = [name for name, presses in reached.items() if presses is None]
    assert not missing, f"not reached with {MAX_TABS} Tab presses: {missing}"
    assert not invisible, "focused without a visible focus indicator:\n" + "\n".join(invisible)
