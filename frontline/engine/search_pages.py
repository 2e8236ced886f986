"""The pages the search index holds besides the stories: each campaign (its editors' introduction), each live page
and every page of docs/ Frontline has no record for (the reporters' guide, the about page…), read from their
Markdown when the build starts, as the stories are, so they are indexed beside them."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from frontline.views.pages import CampaignPage
from frontline.views.search_entries import SearchEntry, campaign_entry, live_entry, page_entry
from frontline.views.site import SiteView

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_TAG = re.compile(r"<[^>]+>")


def _heading_text(markdown: str) -> str:
    """A first heading's Markdown as the text MkDocs titles the page with: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", markdown))


def search_entries(config: Any, view: SiteView, words: int) -> list[SearchEntry]:
    docs = Path(config.docs_dir)
    entries = []
    for path in sorted(docs.rglob("*.md")):
        src_uri = path.relative_to(docs).as_posix()
        if any(part.startswith(".") for part in path.relative_to(docs).parts):
            continue  # MkDocs leaves hidden files out
        try:
            body, meta = get_data(path.read_text(encoding="utf-8", errors="replace"))
        except Exception:  # noqa: BLE001 - the build reports a page it cannot read; the index leaves it out
            continue
        record = view.by_src_uri.get(src_uri)
        if isinstance(record, CampaignPage):
            entries.append(campaign_entry(record.campaign, body, words))
        elif record is None:  # not a page Frontline makes (home, search, subscribe, indexes)
            file = File(src_uri, str(docs), str(config.site_dir), config.use_directory_urls)
            heading = _HEADING.search(body)
            title = meta.get("title") or (
                _heading_text(heading.group(1)) if heading else file.name.replace("-", " ").capitalize()
            )
            description = meta.get("description")
            entries.append(page_entry(file.url, str(title), body, words, str(description) if description else ""))
    entries += [live_entry(page, words) for page in view.live_pages]
    return entries
