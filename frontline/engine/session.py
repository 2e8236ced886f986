"""A build session: what one build holds and does between MkDocs' events, and what a kept site folder
(``frontline preview``) carries from one build to the next.

Stories become virtual files (``File.generated``) outside the nav; index pages are
virtual too. Pages look up their data in dictionaries built once per build."""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import TemplateNotFound
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from frontline.build.atomic import RetiredSite, retire_site_contents
from frontline.build.cache import CACHE_FOLDER, PageCache
from frontline.build.fanout import Forked, WorkerError, worker_count
from frontline.build.fingerprint import Fingerprinter
from frontline.build.kept_site import (
    HIDDEN,
    Signature,
    bring_back,
    clear_files_in_the_way,
    hide_entries,
    make_room,
    record_file,
    signatures,
)
from frontline.build.locks import Lock, hold_engine_lock, release
from frontline.build.memory import give_back_freed_memory
from frontline.build.precompress import Precompression, finish_site
from frontline.config.inputs import inputs_read_by
from frontline.config.options import Options, OptionsError
from frontline.config.project import configured_site_url
from frontline.content import urls
from frontline.content.addresses import ADDRESSES_FILE, load_addresses, moved_stories, save_addresses
from frontline.content.assets import published_assets
from frontline.content.clock import ClockError, build_now
from frontline.content.loader import Layout, configured_files, load_content, redirect_file
from frontline.content.memo import MEMO_FILE, StoryMemo
from frontline.content.model import Story
from frontline.content.problems import Problem, errors, format_problems
from frontline.content.sanitize import Policy, markdown_settings
from frontline.content.summaries import leading_words
from frontline.engine import watched
from frontline.engine.cards import CARD_TEMPLATE, story_cards
from frontline.engine.chrome import same_at_depth, translations
from frontline.engine.kept_folder import (
    kept_folder,
    save_record,
    save_site_record,
    take_record,
    take_site_record,
    writing_begins,
)
from frontline.engine.later_links import LaterLinks
from frontline.engine.links import relative_url_filter
from frontline.engine.live import UpdateBodies, add_live_images
from frontline.engine.navigation import primary_navigation
from frontline.engine.outputs import sitemap_entries, write_outputs, write_preview_problems
from frontline.engine.own_files import answer_quicker
from frontline.engine.related_cache import related_digest, save_related, take_related
from frontline.engine.render import ENGINE_LOGGERS, PageJob, Rendered, StoryFile, render_pages
from frontline.engine.search_pages import search_entries
from frontline.engine.site_key import body_link_targets, search_fingerprint, site_fingerprint
from frontline.engine.template_code import TemplateCode, default_folder
from frontline.engine.theme_listing import list_visible_templates
from frontline.engine.titles import as_markup, escape_meta, escape_rendered_title
from frontline.output.search import RECORD_WORDS, SEARCH_FOLDER, SearchIndexError, SearchJob, records_digest
from frontline.views.filters import content_filters
from frontline.views.impact import Impact, changed_stories, impact
from frontline.views.pages import (
    CampaignPage,
    CampaignsIndexPage,
    DocsPage,
    HomePage,
    ListingPage,
    LivePageRecord,
    PageRecord,
    SearchPage,
    StoryPage,
    SubscribePage,
)
from frontline.views.search_entries import SearchEntry
from frontline.views.site import SiteView

log = logging.getLogger("mkdocs.frontline")

PREVIEW_VARIABLE = "FRONTLINE_PREVIEW"
"""Set to 1 by ``frontline preview``: drafts and scheduled stories are shown, marked."""
RENDER_RATHER_THAN_LIST = 100
"""Pages a preview's rebuild renders rather than list its page cache to look them up (RESULTS.md, issue 27)."""


@dataclass(slots=True)
class Clock:
    """The build's "now" when the process was started with one (``frontline build`` starts the engine through
    ``frontline.engine.build``, which sets it and the inputs below); otherwise ``build_now`` reads the environment
    as a bare engine build does."""

    now: datetime | None = None
    inputs: str | None = None
    """The digest of the project's inputs the command found just before it started the build
    (``frontline.config.inputs``), noted with the site so the next command can tell nothing changed since."""


CLOCK = Clock()


@dataclass(slots=True)
class Baseline:
    """The last build that completed into a site folder: a rebuild with the same
    site-wide inputs only re-keys the pages a change can reach."""

    site_key: str
    view: SiteView
    story_keys: dict[str, str]


@dataclass(slots=True)
class SiteFolder:
    """What Frontline wrote into one site folder. Kept across builds only while the folder
    is (``serve --dirty``, as ``frontline preview`` runs): a build then writes only what
    changed. Each record is dropped before its file is written, so it never claims more
    than the folder holds, even after a build that stopped part-way."""

    path: str
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Frontline page ``src_uri`` → (file, key) written there."""
    feeds: dict[str, str] = field(default_factory=dict)
    """Channel key → key of the RSS and Atom files written there."""
    sitemap: list[tuple[str, str]] | None = None
    files: dict[str, tuple[Story | None, File]] = field(default_factory=dict)
    """Frontline's virtual files by ``src_uri``, with the story each was made from."""
    baseline: Baseline | None = None
    live_images: set[str] = field(default_factory=set)
    """Images of live pages and their updates published there (``frontline.engine.live``)."""
    assets: set[str] = field(default_factory=set)
    """What the stories published there (images, their smaller sizes, attachments: paths in the folder) in this
    process's last build."""
    live: dict[str, str] = field(default_factory=dict)
    """Live page id → key of its feeds and ``updates.json`` written there."""
    exports: dict[str, str] = field(default_factory=dict)
    """Campaign id → key of its TimelineJS file written there."""
    inputs: tuple[int, str, str, str, str] | None = None
    """The last build that completed into it: when it started (``time.time_ns``), its config file, its engine, its
    "now" and the moment its pages would change by the clock; what lets the next preview serve it before building."""


class Stopwatch:
    """Where a build's time goes, by phase (``FRONTLINE_TIMINGS=1`` logs it after each build).
    A phase is the time since the mark before it; "MkDocs:" phases run between the hooks."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.phases: list[tuple[str, float]] = []

    def mark(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases.append((phase, now - self.last))
        self.last = now

    def summary(self) -> str:
        total = sum(seconds for _, seconds in self.phases)
        return f"Frontline: {total:.2f} s: " + ", ".join(f"{phase} {seconds:.2f}" for phase, seconds in self.phases)


class _LinksToOwnPages(logging.Filter):
    """MkDocs tells of a link to a page marked excluded that it "is excluded from the built site". Frontline
    marks its own pages so only to keep MkDocs' loop off them (its renderer builds them), so a link to a story,
    from another story or a page of docs/, is not news to a reporter: that message is dropped for them."""

    MESSAGE = re.compile(r"Doc file '.*' contains a link to '(?P<target>.*)' which is excluded from the built site\.")

    def __init__(self) -> None:
        super().__init__()
        self.own_pages: set[str] = set()
        """``src_uri`` of the pages Frontline renders in the build under way."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        excluded = self.MESSAGE.fullmatch(record.getMessage())
        return excluded is None or excluded["target"] not in self.own_pages


@functools.cache  # one filter a process, whichever session builds
def _links_to_own_pages() -> _LinksToOwnPages:
    links = _LinksToOwnPages()
    for engine in ENGINE_LOGGERS:
        logging.getLogger(f"{engine}.structure.pages").addFilter(links)
    return links


class BuildSession:
    """What one build holds and does between MkDocs' events (``FrontlineHooks`` hands each event here): its
    options, layout, view, caches, search job, retired site and lock. A new session starts every build
    (``on_config``); it carries over from the one before only what outlives a build: the story memo,
    compiled templates and what a kept site folder holds."""

    def __init__(self, *, keep_site: bool = False, previous: BuildSession | None = None) -> None:
        self.stopwatch = Stopwatch()
        self.view: SiteView | None = None
        self.layout: Layout | None = previous.layout if previous is not None else None
        self.cache: PageCache | None = None
        self.last_cache = previous.cache if previous is not None else None
        self.env = None
        self.memo: StoryMemo | None = previous.memo if previous is not None else None
        self.live_bodies = previous.live_bodies if previous is not None else UpdateBodies()
        """Live updates' body HTML, kept while the site-wide key is (a preview re-renders only what changed)."""
        self.keep_site = keep_site
        """Whether the site folder is kept between builds (``serve --dirty``, as ``frontline preview`` runs)."""
        self.folder = previous.folder if previous is not None else SiteFolder("")
        self.bytecode: TemplateCode | None = previous.bytecode if previous is not None else None
        self.fingerprints = Fingerprinter(whole=(Story,), after=previous.fingerprints if previous is not None else None)
        self.policy = Policy()
        """What every page's body HTML may carry (``page_content``); built in ``configure``."""
        self.build_lock: Lock | None = None
        self.problems: list[Problem] = []
        self.addresses: dict[str, str] = {}
        """Where each story was last published (``frontline.content.addresses``)."""
        """What the content loaded for this build has wrong (a preview shows them and goes on)."""
        self._kept_others: set[str] = set()
        """Files besides Frontline's pages that the last preview wrote into the folder previews keep."""
        self._site_walk: tuple[Path, Forked] | None = None
        """A kept site folder's files as the build found them (``signatures``), listed by a forked process while
        this one reads the content: a walk of every file, on a core otherwise idle until the search starts."""
        self.later: LaterLinks | None = None
        """The cached pages of a preview's folder being linked after this build (``frontline.engine.later_links``)."""
        self._carried: list[tuple[str, str, str]] = []
        """The last build's pages not linked yet (``src_uri``, key, file), in the folder's record all the same: this
        build links those its change does not reach after it, as its own."""
        if previous is not None and previous.later is not None:
            self._carried = previous.later.stop()
            previous.later = None
        self._start_build()

    def _start_build(self) -> None:
        self.story_html: dict[str, str] = {}
        """Body HTML of the stories rendered in this build (cached ones are read on demand)."""
        self.story_keys: dict[str, str] = {}
        self.story_pages: dict[str, str] = {}
        """Story id → ``src_uri`` of its page."""
        self.own_pages: list[str] = []
        self.nav = None
        self.config: MkDocsConfig | None = None
        self.files: Files | None = None
        self.mkdocs_pages: list[File] = []
        """The pages MkDocs renders itself (docs/ and a few listings)."""
        self.search: SearchJob | None = None
        self.incremental = False
        self._baseline_keys: dict[str, str] = {}
        self.written = 0
        self.retired: RetiredSite | None = None
        self.kept_site = False
        """Whether this production build brings a kept site folder up to date (``frontline.build.kept_site``)."""
        self.kept_before: dict[str, Signature] = {}
        self.kept_paths: set[str] = set()
        """Files of a kept site folder the build left as they were or linked from a cache: kept by its sweep."""
        self.related_digest = ""
        """What every story's related stories depend on (``related_cache``); a production build's only."""
        self.related_taken = False
        self.reach: Impact | None = None
        """In an incremental build: what the changed stories can reach."""
        self.change: Impact | None = None
        """What the stories changed since the last build into a kept site folder can reach."""
        self.site_key = ""
        self._emptied = False
        """Whether the site folder was emptied for this build (a preview's first, with no record of the folder)."""

    # -- configuration and content ---------------------------------------------------------

    def configure(self, config: MkDocsConfig) -> MkDocsConfig:
        # Builds of one project share its caches: another one's (a second `mkdocs build`) waits for this one's end.
        self.build_lock = hold_engine_lock(Path(config.config_file_path).parent, log.info)
        self.started = time.time()  # what `frontline publish` compares the content's changes with
        self._started_ns = time.time_ns()  # before anything is read: what a preview's record checks its inputs with
        self.stopwatch = Stopwatch()
        list_visible_templates(config.theme)  # MkDocs lists the theme's files next, icons and all
        if not config.use_directory_urls:
            raise PluginError("Frontline cần use_directory_urls: true trong mkdocs.yml.")
        preview = os.environ.get(PREVIEW_VARIABLE) == "1"
        if not self.keep_site and not preview:
            self._walk_site_early(Path(config.site_dir), Path(config.config_file_path).parent / CACHE_FOLDER)
        if preview:
            # The engine's server gives the site its own address (the port in it), which every page prints (canonical
            # link, sharing card, JSON-LD): a preview keeps the site's address, so its pages are the production
            # build's, reused from the page cache whatever the port (the server adds the preview's scripts).
            config.site_url = configured_site_url(Path(config.config_file_path)) or config.site_url
        if not config.site_url:
            raise PluginError("mkdocs.yml cần site_url (địa chỉ gốc của trang, ví dụ https://tuyendau.example.vn/).")
        try:
            options = Options.from_mapping(
                config.extra.get("frontline"),
                config_file=Path(config.config_file_path),
                docs_dir=Path(config.docs_dir),
            )
        except OptionsError as error:
            raise PluginError(str(error)) from None
        root = Path(config.config_file_path).parent
        self.folder.inputs = None  # until this build completes, the folder is no build's whole output
        self.layout = Layout(root=root, stories_dir=root / options.stories_dir, docs_dir=Path(config.docs_dir))
        if str(self.layout.stories_dir) not in config.watch:
            config.watch.append(str(self.layout.stories_dir))  # `serve` rebuilds when a story is saved
        if self.memo is None:
            self.memo = StoryMemo.load(self._cache_folder() / MEMO_FILE)
        since = watched.CHANGES.take() if self.keep_site else None
        try:
            content, problems = load_content(
                self.layout,
                iframe_hosts=options.iframe_hosts,
                memo=self.memo,
                workers=worker_count(),
                max_story_bytes=options.max_story_bytes,
                template_dirs=[Path(folder) for folder in config.theme.dirs],
                markdown=markdown_settings(config["markdown_extensions"], config["mdx_configs"]),
                trusted_files=configured_files(config),
                since=since,
            )
        except BaseException as error:
            watched.CHANGES.give_back(since)
            if isinstance(error, WorkerError):
                raise PluginError(str(error)) from None
            raise
        for reading in self.memo.readings.values():  # unchanged stories keep the digests an earlier build noted
            if reading.story is not None and reading.fingerprint is not None:
                self.fingerprints.adopt(reading.story, reading.fingerprint)
        try:
            now = CLOCK.now or build_now()
        except ClockError as error:
            raise PluginError(str(error)) from None
        self.addresses = load_addresses(self._cache_folder() / ADDRESSES_FILE)
        problems += moved_stories(self.layout.root, content.published(now), self.addresses)
        if errors(problems) and not preview:
            raise PluginError(format_problems(problems))
        # A preview goes on with the valid content and shows the problems on every page it serves: MkDocs' server
        # holds every request while a rebuild has failed, so a reporter's browser would wait until the file is mended.
        self.problems = problems
        if errors(problems):
            log.warning(format_problems(problems))
        elif problems:  # a warning: told, without failing a strict build
            log.info(format_problems(problems))
        self.policy = Policy(options.iframe_hosts)
        settings = options.settings(config.site_url, config.site_name, config.site_description or "")
        self.view = SiteView(
            content,
            now,
            settings,
            preview=preview,
            stories_folder=self.layout.display(self.layout.stories_dir),
        )
        if self.bytecode is None:
            self.bytecode = TemplateCode(default_folder())
        self.cache = PageCache(
            self._cache_folder() / "pages",
            kind="preview" if self.view.preview else "site",
            after=self.last_cache if self.keep_site else None,  # a preview's rebuild: the same process's cache
        )
        self.last_cache = None
        self._start_build()
        # A preview's rebuild keeps its own (``adopt_placement``, ``reuse_related``); its first build takes them from
        # the cache as a production build does (the same stories, placed alike, have the same related ones).
        if not preview or self.folder.baseline is None:
            self.related_digest = related_digest(self.view)
            self.related_taken = take_related(self._cache_folder(), self.view, self.related_digest)
        if not self.view.preview:  # previews skip the index: a saved story must show up in seconds
            self._start_search(config)
        config.theme.static_templates.discard("sitemap.xml")  # Frontline writes the sitemap of every page
        self.stopwatch.mark(f"load ({self.memo.read if self.memo is not None else 'all'} stories read), search started")
        return config

    def _cache_folder(self) -> Path:
        assert self.layout is not None
        return self.layout.root / CACHE_FOLDER

    def save_memo(self) -> None:
        if self.memo is not None and self.layout is not None:
            self.memo.note_fingerprints(self.fingerprints.note)
            self.memo.save(self._cache_folder() / MEMO_FILE)

    def retire_site(self, config: MkDocsConfig) -> None:
        try:
            self._retire_site(config)
        finally:
            self._drop_site_walk()  # unless its listing was taken

    def _retire_site(self, config: MkDocsConfig) -> None:
        if not self.keep_site:  # MkDocs empties the site folder next: make that instant
            site_dir = Path(config.site_dir)
            found = before = None
            record = record_file(self._cache_folder(), site_dir)
            if not self._ready()[0].preview and record is not None and record.exists():
                # What the sweep tells the build's own files from; None if the folder holds a link (not a build's:
                # the pages would be written through it, maybe out of the site).
                before = self._walked_site(site_dir)
                found = take_site_record(self._cache_folder(), site_dir, before or {})
            if found is not None and before is not None and not (site_dir / HIDDEN).exists():
                self.kept_site = True
                self.kept_before = before
                self.folder = SiteFolder(
                    str(config.site_dir), pages=found["pages"], feeds=found["feeds"], exports=found["exports"]
                )
                hide_entries(Path(config.site_dir))  # back in place once MkDocs has emptied the folder (add_files)
                return
            self.retired = retire_site_contents(Path(config.site_dir), self._cache_folder() / "retired")
        elif self.folder.path != str(config.site_dir) and str(config.site_dir) == kept_folder():
            self._open_kept_folder(Path(config.site_dir))

    def _walk_site_early(self, site_dir: Path, cache: Path) -> None:
        """Start listing the site folder a production build may bring up to date (one a record describes). The
        listing is what the record is checked against: a file written into the folder by something else while this
        build runs (now from its start, before from the end of the content's reading) is not seen, as before; the
        engine lock keeps other builds out, and ``frontline build``'s kept folder is the spare no server serves."""
        record = record_file(cache, site_dir)
        if record is not None and record.exists():
            self._site_walk = (site_dir, Forked(lambda receive: signatures(site_dir)))

    def _walked_site(self, site_dir: Path) -> dict[str, Signature] | None:
        """``signatures(site_dir)``, as the forked walk found them if one was started (else, or if it failed, now)."""
        started, self._site_walk = self._site_walk, None
        if started is None or started[0] != site_dir:
            return signatures(site_dir)
        with started[1] as walk:
            try:
                return walk.result()
            except Exception:  # noqa: BLE001 - a walk that failed there is done here, where its error is raised
                return signatures(site_dir)

    def _drop_site_walk(self) -> None:
        if self._site_walk is not None:
            self._site_walk[1].close()
            self._site_walk = None

    def _open_kept_folder(self, site_dir: Path) -> None:
        """The first build into the folder previews keep (``frontline.engine.kept_folder``): what the last preview
        wrote there, if it stopped and said so; else the folder is emptied, as a new one would be."""
        record = take_record(str(site_dir))
        if record is None:
            writing_begins()
            self.retired = retire_site_contents(site_dir, self._cache_folder() / "retired")
            self._emptied = True
            return
        self.folder = SiteFolder(
            str(site_dir),
            pages={src_uri: (written, key) for src_uri, (written, key) in record["pages"].items()},
            feeds=dict(record["feeds"]),
            sitemap=[(url, day) for url, day in record["sitemap"]] if record["sitemap"] is not None else None,
            live_images=set(record["live_images"]),
            live=dict(record["live"]),
            exports=dict(record["exports"]),
        )
        self._kept_others = set(record["others"])

    def _forget_unlinked(self) -> bool:
        """The pages left to be linked are not in the folder: out of its record (a build keys them again); whether
        there were any."""
        unlinked, self._carried = self._carried, []
        if self.later is not None:
            unlinked += self.later.stop()
            self.later = None
        for src_uri, _, _ in unlinked:
            self.folder.pages.pop(src_uri, None)
        return bool(unlinked)

    def save_folder(self) -> None:
        """Keep the record of the folder previews keep for the next preview (when the server stops)."""
        unlinked = self._forget_unlinked()
        folder = self.folder
        if not self.keep_site or self.files is None or not folder.path or folder.path != kept_folder():
            return
        own = set(self.own_pages)
        # A folder that lacks pages is not what a build would write: the next preview does not serve it at once.
        built = folder.inputs if not unlinked else None
        inputs = inputs_read_by(Path(built[1]), built[2], built[0]) if built is not None else None
        save_record(
            folder.path,
            {
                "pages": folder.pages,
                "feeds": folder.feeds,
                "sitemap": folder.sitemap,
                "live_images": sorted(folder.live_images),
                "live": folder.live,
                "exports": folder.exports,
                "others": [file.abs_dest_path for file in self.files if file.src_uri not in own],
                "inputs": inputs,
                "built": built[3] if built is not None else None,
                "until": built[4] if built is not None else None,
            },
        )

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.stopwatch.mark("MkDocs: files")
        view, layout = self._ready()
        if self.kept_site:
            bring_back(Path(config.site_dir))
        elif not self.keep_site or self.folder.path != str(config.site_dir):
            self.folder = SiteFolder(str(config.site_dir))
        if self.kept_site or self.keep_site:  # a folder written before: where MkDocs writes, nothing else in the way
            self._make_room(files, Path(config.site_dir), view)
        self.mkdocs_pages = files.documentation_pages()  # before Frontline adds thousands of its own
        baseline = self.folder.baseline
        if baseline is not None:
            # The records' related stories are ranked again only where the change reached (a preview saves one story).
            changed = changed_stories(baseline.view, view)
            view.adopt_placement(baseline.view, changed)
            self.change = impact(baseline.view, view, changed)
            view.reuse_related(baseline.view, unless=self.change.stories)
            view.reuse_story_pages(baseline.view, unless=self.change.stories)
            view.reuse_campaign_pages(baseline.view, unless=self.change.campaigns)
        for record in view.pages:
            if isinstance(record, StoryPage):
                self._add_story(files, config, record)
        # Only what a shown story references leaves stories/: no stray file, no draft's image, no symlink out.
        published = published_assets(view.stories, str(layout.stories_dir), str(layout.root)).values()
        for asset in published:
            files.append(File.generated(config, asset.src_uri, abs_src_path=asset.path))
        if self.keep_site:  # what the stories no longer publish leaves the folder, as it is not in a clean build
            self._drop_unpublished(Path(config.site_dir), view, {asset.src_uri for asset in published})
        self.folder.live_images = add_live_images(view, files, config, self.folder.live_images)
        for record in view.pages:
            if isinstance(record, CampaignPage):
                campaign_file = files.get_file_from_path(record.src_uri)
                if campaign_file is not None:
                    campaign_file.inclusion = InclusionLevel.NOT_IN_NAV
            elif not isinstance(record, StoryPage):
                self._add_listing(files, config, record)
        if not view.preview and (script := files.get_file_from_path(urls.PREVIEW_SCRIPT)) is not None:
            files.remove(script)  # the preview's problem banner: a published site never loads it
        if self.kept_site:  # a file of docs/ gone since, where a folder of Frontline's files now goes
            site_dir = Path(config.site_dir)
            redirects = (os.path.normpath(os.path.join(site_dir, redirect_file(alias))) for alias in view.redirects)
            clear_files_in_the_way(
                site_dir, itertools.chain((file.abs_dest_path for file in files), redirects), self.kept_before
            )
        if self.keep_site:
            # MkDocs rebuilds a kept page only when its Markdown changed, but campaign
            # timelines and the nav follow the stories: rebuild all of MkDocs' own pages.
            for file in self.mkdocs_pages:
                file.is_modified = _always  # type: ignore[method-assign]
        for gone in self.folder.files.keys() - files.src_uris.keys():
            del self.folder.files[gone]
        if self._kept_others:  # what MkDocs wrote into a kept folder for files it no longer has (a page of docs/)
            for gone in self._kept_others - {file.abs_dest_path for file in files}:
                writing_begins()
                Path(gone).unlink(missing_ok=True)
            self._kept_others = set()
        taken = {file.dest_uri for file in files}
        for alias, story in view.redirects.items():
            if redirect_file(alias) in taken:
                raise PluginError(f"{story.source}: aliases: đường dẫn cũ /{alias} trùng với một trang đang có.")
        _links_to_own_pages().own_pages = set(self.own_pages)
        answer_quicker(files)
        self.stopwatch.mark("virtual files")
        return files

    def _drop_unpublished(self, site_dir: Path, view: SiteView, published: set[str]) -> None:
        """Delete from a kept folder the files the stories published there in this process's last build and no
        longer do (an image dropped or replaced, its smaller sizes, an attachment)."""
        written = {os.path.normpath(src_uri) for src_uri in published}
        for story in view.stories:
            if story.image is not None:
                written.update(os.path.normpath(variant.site_path) for variant in story.image.variants)
        for gone in self.folder.assets - written:
            if not os.path.isabs(gone) and gone.split(os.sep)[0] != os.pardir:  # never outside the folder
                writing_begins()
                (site_dir / gone).unlink(missing_ok=True)
        self.folder.assets = written

    def _make_room(self, files: Files, site_dir: Path, view: SiteView) -> None:
        """``kept_site.make_room`` for the files MkDocs writes (not one it excludes, ``exclude_docs`` or drafts in a
        production build, nor the preview's script, which a production build drops), keeping the folders of what
        this build may leave as it is: its pages, feeds and timelines."""
        pages = self.folder.pages

        def kept() -> Iterator[str]:
            yield from (page for src_uri, (page, _) in pages.items() if src_uri in view.by_src_uri)
            for channel in view.channels:
                yield from (str(site_dir / channel.rss_path), str(site_dir / channel.atom_path))
            yield from (str(site_dir / campaign.timeline_url) for campaign in view.campaigns.values())

        written = [
            file.abs_dest_path
            for file in files
            if (file.inclusion.is_in_serve() if self.keep_site else file.inclusion.is_included())
            and (view.preview or file.src_uri != urls.PREVIEW_SCRIPT)
        ]
        make_room(site_dir, written, kept)

    def _add_story(self, files: Files, config: MkDocsConfig, record: StoryPage) -> None:
        story, src_uri = record.story, record.src_uri
        if src_uri in files.src_uris:
            raise PluginError(f"{story.source}: trùng tệp {src_uri} trong docs/.")
        file = self._reused_file(src_uri, story)
        if file is None:
            # rendered by Frontline's renderer, not MkDocs' loop
            file = StoryFile.of(config, src_uri, story, inclusion=InclusionLevel.EXCLUDED)
            file.dest_uri = urls.page_file(story.url)
            file.url = story.url
            self.folder.files[src_uri] = (story, file)
        files.append(file)
        self.story_pages[story.id] = src_uri
        self.own_pages.append(src_uri)

    def _add_listing(self, files: Files, config: MkDocsConfig, record: PageRecord) -> None:
        """Generate the record's page unless docs/ has it. Section listings (there may be thousands) are rendered
        by Frontline's renderer; the home, search, subscribe and campaigns pages are in the nav."""
        src_uri = record.src_uri
        if isinstance(record, LivePageRecord) and src_uri in files.src_uris:
            # A docs page may stand in for a listing, not for a live page: its feeds and updates would go on.
            raise PluginError(f"{record.live.source}: trùng tệp {src_uri} trong docs/.")
        if src_uri not in files.src_uris:
            if isinstance(record, ListingPage | LivePageRecord):
                file = self._reused_file(src_uri, None)
                if file is None:
                    file = File.generated(config, src_uri, content="", inclusion=InclusionLevel.EXCLUDED)
                    self.folder.files[src_uri] = (None, file)
                files.append(file)
                self.own_pages.append(src_uri)
            else:
                in_nav = isinstance(record, HomePage | SearchPage | SubscribePage | CampaignsIndexPage)
                inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
                file = File.generated(config, src_uri, content="", inclusion=inclusion)
                files.append(file)
                self.mkdocs_pages.append(file)

    def _reused_file(self, src_uri: str, source: Story | None) -> File | None:
        """The virtual file made for ``src_uri`` by the build before, if made from the same
        story (a preview rebuild then skips making thousands of them again)."""
        pooled = self.folder.files.get(src_uri)
        if pooled is None or pooled[0] is not source:
            return None
        pooled[1].page = None
        return pooled[1]

    # -- pages -------------------------------------------------------------------------------

    def page_markdown(self, markdown: str, page: Page) -> str:
        escape_meta(page.meta)  # Material prints the front matter's title, description… unescaped
        record = self._ready()[0].by_src_uri.get(page.file.src_uri)
        if record is None:
            return markdown
        page.meta.setdefault("template", record.template)
        page.meta.setdefault("hide", ["navigation"])
        if record.title:
            page.meta["title"] = as_markup(record.title)
        if record.description:
            page.meta["description"] = as_markup(record.description)
        return markdown

    def page_content(self, html: str, page: Page) -> str:
        escape_rendered_title(page)  # a title from the first heading, escaped before any page's nav prints it
        # Every page, whatever `check` found: the loader reports what this removes, this makes sure it is gone.
        html = self.policy.clean(html)
        record = self._ready()[0].by_src_uri.get(page.file.src_uri)
        if isinstance(record, StoryPage):
            self.story_html[record.story.id] = html
        return html

    def prepare_env(self, env, config: MkDocsConfig):
        self.stopwatch.mark("MkDocs: nav, reading pages")
        env.filters.update(
            content_filters(),
            story_status=functools.partial(_status_at, self._ready()[0].now),  # previews mark drafts
            absolute_url=self._ready()[0].settings.site.absolute,
            url=relative_url_filter(env.filters["url"]),
        )
        env.bytecode_cache = self.bytecode  # MkDocs makes a new environment for every build
        env.globals["story_card"] = story_cards(env.get_template(CARD_TEMPLATE))
        env.globals["links"] = urls.LINKS  # the site-wide addresses templates link to (they build none)
        env.globals["live_body"] = self.live_bodies
        env.globals["primary_navigation"] = primary_navigation()
        env.globals["same_at_depth"] = same_at_depth()
        language = config.theme["language"]
        try:
            env.globals["material_translation"] = translations(env, language)
        except TemplateNotFound:
            raise PluginError(
                f"mkdocs.yml: theme.language {language!r}: Material không có bản dịch cho ngôn ngữ này "
                f"(partials/languages/{language}.html). Tòa soạn dùng: language: vi"
            ) from None
        self.env = env
        self.config = config
        writing_begins()  # a preview serving its kept folder meanwhile holds its pages from now until the build ends
        self._render_own_pages(config)
        linked_later = f", {len(self.later)} linked after the build" if self.later is not None else ""
        self.stopwatch.mark(f"Frontline pages ({self.written} written{linked_later})")
        return env

    def keep_nav(self, nav, files: Files, config: MkDocsConfig):
        self.nav = nav
        self.files = files
        self._decide_incremental(nav, config)
        return nav

    def _decide_incremental(self, nav, config: MkDocsConfig) -> None:
        """Whether this build only re-keys what the change reached (a preview's rebuild after a save, the site-wide
        inputs unchanged), decided before MkDocs reads its pages, so that it reads only those a change reached."""
        view, layout = self._ready()
        assert self.files is not None
        self.site_key = self.fingerprints.digest(
            site_fingerprint(config, nav, self.files, view, self.own_pages, layout.root)
        )
        baseline, self.folder.baseline = self.folder.baseline, None  # a build that stops part-way leaves none
        if (
            baseline is not None
            and self.change is not None
            and baseline.site_key == self.site_key
            and baseline.view.now.date() == view.now.date()  # campaign figures count days
        ):
            self.reach = self.change
            self.incremental = True
            self._baseline_keys = baseline.story_keys
            self._skip_unreached_mkdocs_pages(self.reach, in_nav={id(page) for page in nav.pages})

    def page_context(self, context: dict, page: Page) -> dict:
        """A template gets its page's record (and the site-wide chrome in its globals), never the whole view."""
        view, _ = self._ready()
        record = view.by_src_uri.get(page.file.src_uri)
        context["frontline"] = record or DocsPage(
            page.file.src_uri, page.file.url, None, None, None, view.site_feeds, share=view.sharing
        )
        return context

    def _render_own_pages(self, config: MkDocsConfig) -> None:
        """Bring every Frontline page up to date."""
        view, _ = self._ready()
        assert self.files is not None and self.cache is not None
        fingerprints = self.fingerprints
        site_key = self.site_key
        self.live_bodies.prepare(config, self.policy, site_key)
        written = self.folder.pages
        for src_uri, key, _ in self._carried:  # an entry found gone meanwhile: the page is keyed, and rendered, again
            if not self.cache.holds(key):
                written.pop(src_uri, None)
        candidates = self.own_pages
        if self.incremental and (reach := self.reach) is not None:
            self._skip_unreached_mkdocs_pages(reach)
            self.story_keys = {i: k for i, k in self._baseline_keys.items() if i in view.story_by_id}
            candidates = [uri for uri in self.own_pages if self._unkeyed(uri) or reach.reaches(view.by_src_uri[uri])]
        in_feeds = {story.id for channel in view.channels for story in channel.stories}
        jobs = []
        for src_uri in candidates:
            record = view.by_src_uri[src_uri]
            story_id = None
            if isinstance(record, StoryPage):
                story_id = record.story.id
                # where its Markdown links lead is not in the record: MkDocs resolves them, from its files
                links = body_link_targets(record.story.body, src_uri, self.files) if record.story.may_link else []
                key = fingerprints.digest([site_key, record, links])
                self.story_keys[story_id] = key
            else:
                key = fingerprints.digest([site_key, record])
            if written.get(src_uri, ("", ""))[1] != key:
                jobs.append(PageJob(src_uri, key, story_id, keep_body=story_id in in_feeds))
        self._remove_gone_pages()
        self.stopwatch.mark("page keys")
        for job in jobs:
            written.pop(job.src_uri, None)
        # The last build's pages still to link, where this one leaves them (written by neither, with the same key);
        # in self._carried until self.later holds them, so that a preview stopped meanwhile records none of them.
        carried = [page for page in self._carried if written.get(page[0]) == (page[2], page[1])]
        # Pagefind, at the lowest priority, gets the CPU once the page workers are done: the workers render the
        # stories, then this process the listing pages while Pagefind has the other core, so the index is done
        # sooner; if it is done first, the workers render what is left. With no index being built, the workers
        # take every page at once (no wait between the stories and the listings).
        search = self.search
        indexing = search.indexing if search is not None and search.indexing() else None
        ended = search.open_gate if search is not None else None
        # A preview's folder gets the cached pages once the build has ended, the first page served meanwhile.
        link_later = self.keep_site and self.folder.path == kept_folder()  # kept_folder() is a path or None
        # A save's few pages are rendered rather than looked up in a cache not listed yet (a preview that served its
        # folder at once): listing hundreds of thousands of entries takes longer than rendering them.
        render_all = self.incremental and len(jobs) < RENDER_RATHER_THAN_LIST and not self.cache.listed
        rendered = self._render(
            jobs,
            workers=worker_count(),
            refresh=render_all,
            link_later=link_later,
            listings_here_while=indexing,
            workers_ended=ended,
        )
        self.story_html.update(rendered.bodies)
        self.written = len(jobs) - len(rendered.later)
        later = [(job.src_uri, job.key, self.files.src_uris[job.src_uri].abs_dest_path) for job in rendered.later]
        if not self._emptied:  # what the folder holds there (an older page, a docs page's) is not served meanwhile
            for _, _, destination in later:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(destination)
        if later or carried:
            self.later = LaterLinks(self.cache, later + carried, worker_count())
        self._carried = []
        for job in jobs:
            key = "" if job.src_uri in rendered.warned else job.key  # a page that warned renders (and warns) again
            written[job.src_uri] = (self.files.src_uris[job.src_uri].abs_dest_path, key)

    def _render(
        self,
        jobs: list[PageJob],
        *,
        workers: int = 1,
        refresh: bool = False,
        link_later: bool = False,
        listings_here_while: Callable[[], bool] | None = None,
        workers_ended: Callable[[], object] | None = None,
    ) -> Rendered:
        assert self.files is not None and self.cache is not None
        return render_pages(
            jobs,
            files=self.files,
            config=self.config,
            nav=self.nav,
            env=self.env,
            cache=self.cache,
            story_html=self.story_html.get,
            workers=workers,
            refresh=refresh,
            link_later=link_later,
            listings_here_while=listings_here_while,
            workers_ended=workers_ended,
        )

    def _start_search(self, config: MkDocsConfig) -> None:
        """Start indexing as soon as the stories are read: the index takes a core the build leaves idle
        until its pages render (MkDocs gathering files, the page keys)."""
        view, _ = self._ready()
        env = config.theme.get_env()  # MkDocs' own environment comes later
        env.bytecode_cache = self.bytecode
        source, _, _ = env.loader.get_source(env, "search-record.html")
        template = env.get_template("search-record.html")
        fingerprints = self.fingerprints

        pages = search_entries(config, view, RECORD_WORDS)

        @functools.cache
        def template_key() -> str:
            return fingerprints.digest([search_fingerprint(source), RECORD_WORDS])

        prints: dict[str, str] = {}

        def fingerprint(item: Story | SearchEntry) -> str:  # of an item's record (items have addresses of their own)
            found = prints.get(item.url)
            if found is None:
                found = prints[item.url] = fingerprints.digest([template_key(), item])
            return found

        def digest(items: Sequence[Story | SearchEntry]) -> str:  # of a part of the index
            return records_digest((item.url, fingerprint(item)) for item in items)

        def render(item: Story | SearchEntry) -> str:
            if isinstance(item, SearchEntry):
                return template.render(entry=item)
            place_key = urls.section_key(item.location) if item.location else None  # the place filter's value
            return template.render(story=item, text=leading_words(item.body, RECORD_WORDS), place_key=place_key)

        self.search = SearchJob.start(
            [*view.stories, *pages],
            render,
            digest,
            Path(config.site_dir),
            self._cache_folder(),
            fingerprint,
        )

    def _skip_unreached_mkdocs_pages(self, reach: Impact, in_nav: set[int] | None = None) -> None:
        """In an incremental build, let MkDocs skip the campaign pages no change reached and
        the plain pages whose Markdown is unchanged (its own ``--dirty`` test), unless a story
        moved: a page of docs/ may link to it. With ``in_nav`` (the ids of the nav's pages, before MkDocs reads
        the pages), only pages outside the nav, which MkDocs then does not even read (a campaign's Markdown): a
        page in the nav is read all the same, as the nav every page prints shows its title."""
        if reach.moved:
            return
        records = self._ready()[0].by_src_uri
        for file in self.mkdocs_pages:
            if in_nav is not None and id(file.page) in in_nav:
                continue
            record = records.get(file.src_uri)
            if (record is None or not reach.reaches(record)) and "is_modified" in vars(file):
                del file.is_modified  # back to MkDocs' own test: is the Markdown newer than the page?

    def _unkeyed(self, src_uri: str) -> bool:
        """Whether the kept site folder lacks the page, or has it without a key: it warned when it was written,
        so it renders (and warns) again, as in a full build."""
        return not self.folder.pages.get(src_uri, ("", ""))[1]

    def _remove_gone_pages(self) -> None:
        """In a kept site folder, delete the pages of stories and listings that are gone or moved, or that a page of
        docs/ now stands in for (the engine writes that one in place: never through the page cache's file)."""
        assert self.files is not None
        current = self.files.src_uris
        own = set(self.own_pages)
        for src_uri, (written, _) in list(self.folder.pages.items()):
            if src_uri not in own or src_uri not in current or current[src_uri].abs_dest_path != written:
                del self.folder.pages[src_uri]
                page = Path(written)
                with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # a file of docs/ may stand there
                    page.unlink()
                with contextlib.suppress(OSError):  # its folder, unless something else is in it
                    page.parent.rmdir()

    # -- after the pages ---------------------------------------------------------------------

    def finish(self, config: MkDocsConfig) -> None:
        self.stopwatch.mark("MkDocs: pages")
        view, _ = self._ready()
        assert self.cache is not None and self.files is not None
        if view.preview:
            site_path = urlsplit(view.settings.site.url).path or "/"
            write_preview_problems(Path(config.site_dir), self.problems, self.env, site_path)
        else:  # what the next build checks the stories' addresses against
            save_addresses(self._cache_folder() / ADDRESSES_FILE, view.stories, self.addresses)
        write_outputs(
            view,
            Path(config.site_dir),
            html_of=functools.cache(self._feed_html),
            cache=self.cache,
            folder=self.folder,
            site_key=self.site_key,
            story_keys=self.story_keys,
            reach=self.reach,
            sitemap_entries=sitemap_entries(view, self.mkdocs_pages, self.own_pages),
            images_cache=self._cache_folder() / "images",
            kept=self.kept_paths if self.kept_site else None,
            live_html=self.live_bodies,
            redirect_template=self.env.get_template("redirect.html") if view.redirects else None,
            config=config,
            mark=self.stopwatch.mark,
            page_prints=self.fingerprints,
        )
        # The cache's bookkeeping and the story memo while Pagefind, in its own process, finishes the search index
        # (the build waits for it last): they depend on nothing it does.
        if not self.incremental:  # an incremental build does not know every entry the site uses
            # A preview deletes nothing: its first page is served when the build ends, and deleting the thousands of
            # entries a code change leaves behind can take a busy disk a minute. The next production build does it.
            # A kept folder's unchanged pages and feeds were not fetched from the cache: their entries are in use all
            # the same (the next build into a new folder takes them from there).
            in_use = [key for _, key in self.folder.pages.values() if key] + list(self.folder.feeds.values())
            self.cache.retain(in_use if self.kept_site else (), delete=not view.preview)
        if not self.keep_site:
            self.save_memo()  # a preview saves it when it stops
        if self.related_digest and not self.related_taken:
            save_related(self._cache_folder(), view, self.related_digest)
        self.stopwatch.mark("cache, story memo")
        twins = None
        if not self.keep_site and not view.preview:  # a preview serves each file as it is written
            # Every file but the search index's is written: their twins are made while Pagefind finishes it.
            twins = Precompression(
                Path(config.site_dir),
                self._cache_folder(),
                workers=worker_count(),
                later=(SEARCH_FOLDER,),
                before=self.kept_before if self.kept_site else None,
            ).start()
        if self.search is not None:
            self.story_html = {}  # the feeds are written: not held while Pagefind builds the index beside
            give_back_freed_memory()
            try:
                if self.kept_site:
                    self.search.finish(self.kept_paths, present=self.kept_before)
                else:
                    self.search.finish()
            except BaseException as error:
                if twins is not None:
                    twins.cancel()
                if isinstance(error, SearchIndexError):
                    raise PluginError(str(error)) from None
                raise
        self.stopwatch.mark("search")
        if twins is not None:
            site_dir = Path(config.site_dir)
            feed_files = {c.key: (str(site_dir / c.rss_path), str(site_dir / c.atom_path)) for c in view.channels}
            export_files = {c.id: (str(site_dir / c.timeline_url),) for c in view.campaigns.values()}
            kept = None
            if self.kept_site:  # what the sweep keeps besides what the build wrote: pages, feeds, exports left
                kept = self.kept_paths | {written for written, _ in self.folder.pages.values()}
                kept |= {path for paths in (*feed_files.values(), *export_files.values()) for path in paths}
            note = {"inputs": CLOCK.inputs, "now": view.now.isoformat(), "until": _until(view)}
            present = finish_site(
                site_dir,
                self._cache_folder(),
                self.started,
                started_twins=twins,
                kept=kept,
                before=self.kept_before,
                note=note,
            )
            self.stopwatch.mark("precompressed" + (", swept" if kept is not None else ""))
            save_site_record(
                self._cache_folder(),
                site_dir,
                self.folder.pages,
                self.folder.feeds,
                feed_files,
                present,
                self.folder.exports,
                export_files,
            )
        if self.retired is not None:
            self.retired.finish()  # deleted after the new pages are written, not while
            self.retired = None
        self.folder.baseline = Baseline(self.site_key, view, dict(self.story_keys))
        if self.keep_site and (until := _until(view)) is not None:
            engine = type(config).__module__.partition(".")[0]  # mkdocs or properdocs
            config_file = str(config.config_file_path)
            self.folder.inputs = (self._started_ns, config_file, engine, view.now.isoformat(), until)
        if os.environ.get("FRONTLINE_TIMINGS"):
            log.info(self.stopwatch.summary())
        release(self.build_lock)
        if self.later is not None:
            self.later.begin()

    def abandon(self) -> None:
        """A build that stops part-way leaves no indexer running nor its unfinished bundle,
        and the site it emptied is deleted now rather than left in the cache."""
        self._drop_site_walk()
        if self.search is not None:
            self.search.cancel()
            self.search = None
        if self.retired is not None:
            self.retired.finish()
            self.retired = None
        if self.kept_site and self.folder.path:  # a kept folder's entries set aside while the engine emptied it
            bring_back(Path(self.folder.path))
        release(self.build_lock)
        for src_uri, _, _ in self._carried:  # the last build's pages not linked, not taken over: keyed again next
            self.folder.pages.pop(src_uri, None)
        self._carried = []
        if self.later is not None:  # the pages keyed are in the folder's record: the server still serves them
            self.later.begin()

    def _feed_html(self, story: Story) -> str:
        """A story's body HTML as feeds carry it: links made absolute."""
        from frontline.output.html import absolutize_links  # lxml: imported at the build's end, as in outputs.py

        view, _ = self._ready()
        html = self.story_html.get(story.id)
        if html is None:
            assert self.cache is not None
            html = self.cache.fragment(self.story_keys[story.id])
        if html is None:  # a story that joined a feed without its page changing: render it again
            job = PageJob(self.story_pages[story.id], self.story_keys[story.id], story.id, keep_body=True)
            html = self._render([job], refresh=True).bodies[story.id]
        return absolutize_links(html, view.settings.site.absolute(story.url))

    def _ready(self) -> tuple[SiteView, Layout]:
        if self.view is None or self.layout is None:
            raise PluginError("Frontline: on_config chưa chạy.")
        return self.view, self.layout


def _until(view: SiteView) -> str | None:
    """``SiteView.next_change`` as the records keep it; ``None`` when there is no such moment to trust a site until."""
    try:
        return view.next_change().isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def _status_at(now: datetime, story: Story) -> str | None:
    return story.status(now)


def _always() -> bool:
    return True
