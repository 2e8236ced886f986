"""Writing the build's non-page outputs (feeds) into the site folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from frontline.model import Story
from frontline.views.feeds import render_feed
from frontline.views.site import SiteView


def write_feeds(view: SiteView, site_dir: Path, html_of: Callable[[Story], str]) -> list[Path]:
    """Write every channel's RSS and Atom file; return the paths written."""
    written: list[Path] = []
    cache: dict[str, str] = {}

    def cached_html(story: Story) -> str:
        if story.id not in cache:
            cache[story.id] = html_of(story)
        return cache[story.id]

    for channel in view.channels:
        rss, atom = render_feed(
            channel, view.settings.site, view.content.authors, view.campaigns, cached_html, view.now
        )
        for relative, payload in ((channel.rss_path, rss), (channel.atom_path, atom)):
            target = site_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
            written.append(target)
    return written
