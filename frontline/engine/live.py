"""Live pages in the build: their updates' bodies as HTML, and the files their images are published from.

An update's body goes the way a story's does: Markdown with the site's extensions (MkDocs' own first, as MkDocs
orders them), then the build's one allowlist (``Policy.clean``); ``frontline check`` scans it with the same two,
so what it reports is what the build removes. MkDocs' link rewriting, the one step of a story's page an update
skips, has nothing to do: the loader refuses relative links in updates (``frontline.content.live``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown
from mkdocs.structure.files import File, Files

from frontline.build.paths import inside_site
from frontline.content.model import LivePage, LiveUpdate
from frontline.content.sanitize import Policy
from frontline.views.site import SiteView


class UpdateBodies:
    """Each update's body HTML, cleaned, made once (the page, its feeds and updates.json print the same HTML) and
    kept from one build to the next while the site-wide key is the same (``prepare``): a preview rebuild after an
    update is added renders that update's body alone."""

    def __init__(self) -> None:
        self.config: Any = None
        self.policy = Policy()
        self.key = ""
        self._converter: markdown.Markdown | None = None
        self._html: dict[tuple[str, str], str] = {}

    def prepare(self, config: Any, policy: Policy, key: str) -> None:
        """Render with ``config``'s Markdown extensions and ``policy``; ``key`` (the site-wide part of the page keys:
        configuration, code, library versions, the allowlist) changed, what was kept is dropped."""
        if key != self.key:
            self._converter = None
            self._html.clear()
        self.config, self.policy, self.key = config, policy, key

    def __call__(self, update: LiveUpdate) -> str:
        key = (update.source, update.body)
        html = self._html.get(key)
        if html is None:
            if self._converter is None:
                self._converter = markdown.Markdown(
                    extensions=self.config["markdown_extensions"], extension_configs=self.config["mdx_configs"] or {}
                )
            html = self._html[key] = self.policy.clean(self._converter.reset().convert(update.body))
        return html


def add_live_images(view: SiteView, files: Files, config: Any, kept: set[str]) -> set[str]:
    """Publish each shown live page's image and its updates' images (the loader checked them as a story's); return
    their site paths. ``kept``: those a kept site folder holds from the build before, where one no longer published
    (its update deleted) is deleted, as a clean build would not have it."""
    published = set()
    root = Path(config.config_file_path).parent
    for page in view.live_pages:
        for image in _images(page):
            published.add(image.site_path)
            if image.site_path not in files.src_uris:
                files.append(File.generated(config, image.site_path, abs_src_path=image.source_in(root)))
    for gone in kept - published:
        if gone not in files.src_uris:  # still published by a story
            Path(inside_site(Path(config.site_dir), gone)).unlink(missing_ok=True)
    return published


def _images(page: LivePage):
    if page.image is not None:
        yield page.image
    for update in page.updates:
        if update.image is not None:
            yield update.image
