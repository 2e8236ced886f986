"""``frontline verify`` for live pages (apart from ``frontline.output.live``, which imports feedgen)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from frontline.content import urls
from frontline.views.live import live_page_guid, update_guid
from frontline.views.site import SiteView


def verify_live(view: SiteView, site_dir: Path, sitemap: set[str]) -> list[str]:
    """``frontline verify`` for live pages: each shown one is a page, in the sitemap, once in the site's feeds and
    once on its campaign's timeline; each shown update is once on its page's stream, once in updates.json and once
    in each of its feeds; a scheduled update is in none of them."""
    site = view.settings.site
    findings: list[str] = []
    site_feeds = {}
    for relative in (urls.RSS_FILE, urls.ATOM_FILE):
        try:
            document = etree.parse(str(site_dir / relative))
        except (OSError, etree.XMLSyntaxError):
            continue  # the stories' check reports a missing site feed
        site_feeds[relative] = [n.text for n in document.iter("guid", "{http://www.w3.org/2005/Atom}id") if n.text]
    for page in view.live_pages:
        for relative, ids in site_feeds.items():
            if (count := ids.count(live_page_guid(page.id, site))) != 1:
                findings.append(f"{page.source}: có {count} lần trong /{relative} (cần 1).")
        where = page.source
        html_path = site_dir / urls.page_file(page.url)
        if not html_path.is_file():
            findings.append(f"{where}: thiếu trang /{page.url}.")
            continue
        if site.absolute(page.url) not in sitemap:
            findings.append(f"{where}: thiếu trong sitemap.xml.")
        tree = lxml.html.fromstring(html_path.read_bytes())
        on_page = tree.xpath('//*[contains(@class,"fl-live__updates")]//*[@data-update]/@data-update')
        try:
            data = json.loads((site_dir / urls.live_updates_url(page.id)).read_bytes())
            in_json = [item["id"] for item in data["updates"]]
        except (OSError, ValueError, KeyError, TypeError):
            findings.append(f"{where}: thiếu hoặc hỏng /{urls.live_updates_url(page.id)}.")
            in_json = []
        channel = view.live_channels[page.id]
        feeds: dict[str, list[str]] = {}
        for relative in (channel.rss_path, channel.atom_path):
            try:
                document = etree.parse(str(site_dir / relative))
            except (OSError, etree.XMLSyntaxError):
                findings.append(f"{where}: thiếu hoặc hỏng nguồn tin /{relative}.")
                continue
            feeds[relative] = [n.text for n in document.iter("guid", "{http://www.w3.org/2005/Atom}id") if n.text]
        json_feed = urls.json_feed_url(page.url)
        try:
            feeds[json_feed] = [item["id"] for item in json.loads((site_dir / json_feed).read_bytes())["items"]]
        except (OSError, ValueError, KeyError, TypeError):
            findings.append(f"{where}: thiếu hoặc hỏng nguồn tin /{json_feed}.")
        for update in page.updates:
            guid = update_guid(page, update, site)
            for count, place in (
                (on_page.count(update.id), f"trang /{page.url}"),
                (in_json.count(update.id), f"/{urls.live_updates_url(page.id)}"),
                *((ids.count(guid), f"/{relative}") for relative, ids in feeds.items()),
            ):
                if count != 1:
                    findings.append(f"{update.source}: có {count} lần trong {place} (cần 1).")
        full = view.content.live.get(page.id)
        for update in full.updates if full is not None else ():
            if update.time > view.now and not view.preview and (update.id in on_page or update.id in in_json):
                findings.append(f"{update.source}: cập nhật hẹn giờ đã xuất hiện trên trang /{page.url}.")
        if page.campaign and page.campaign in view.campaigns:
            campaign = view.campaigns[page.campaign]
            timeline = site_dir / urls.page_file(campaign.url)
            if timeline.is_file():
                base = site.absolute(campaign.url)
                links = lxml.html.fromstring(timeline.read_bytes()).xpath(
                    '//*[contains(@class,"fl-timeline")]//a/@href'
                )
                count = [urljoin(base, href) for href in links].count(site.absolute(page.url))
                if count != 1:
                    findings.append(f"{where}: xuất hiện {count} lần trên dòng thời gian /{campaign.url} (cần 1).")
    return findings


def live_files(view: SiteView) -> set[str]:
    """The files of stories/ a shown live page publishes (its image and its updates')."""
    found = set()
    for page in view.live_pages:
        for image in [page.image, *(update.image for update in page.updates)]:
            if image is not None:
                found.add(image.site_path)
    return found
