"""Frontline renders its own pages (stories, listings) with MkDocs' per-page functions, but across processes and
from a content-addressed cache, since MkDocs builds pages one at a time on one core.

Calling ``_populate_page`` and ``_build_page`` (the same in MkDocs 1.6 and ProperDocs 1.6) keeps every plugin
event and template as MkDocs runs them; only the loop around them is ours, and the Markdown converter, reused
across pages (``_OwnPage``) and skipping inline scans that cannot match (``frontline.content.inline_scan``)."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from frontline.build.cache import PageCache
from frontline.build.fanout import WORKER_ADVICE, can_fork, forking
from frontline.content.inline_scan import scan_only_where_patterns_can_match
from frontline.content.model import Story
from frontline.engine import later_links
from frontline.engine import mkdocs_private as private

log = logging.getLogger("mkdocs.frontline")

MIN_JOBS_PER_WORKER = 50
STORY_TEMPLATE = "story.html"
STORY_SOURCE_HEAD = f"---\ntemplate: {STORY_TEMPLATE}\n---\n\n"
"""How a story's generated source opens, before its body: front matter, so that MkDocs never reads the body's
first lines as metadata (``Key: value`` lines, or a rule-delimited block); ``_OwnPage`` does not parse it again."""


class StoryFile(File):
    """A story's virtual page, whose source is made from its story when read rather than held: a second copy of
    every body, in the build process and in every worker forked from it, was a large share of a big archive's
    memory."""

    story: Story

    @classmethod
    def of(cls, config: Any, src_uri: str, story: Story, inclusion: InclusionLevel) -> StoryFile:
        file = cls.generated(config, src_uri, content="", inclusion=inclusion)  # in memory, as far as MkDocs knows
        file.story = story
        return file

    @property
    def content_string(self) -> str:
        return STORY_SOURCE_HEAD + self.story.body

    @content_string.setter
    def content_string(self, value: str) -> None:
        raise AttributeError("a story's page source follows its story")

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8")

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        raise AttributeError("a story's page source follows its story")


@dataclass(frozen=True, slots=True)
class PageJob:
    src_uri: str
    key: str
    story_id: str | None = None
    keep_body: bool = False
    """Keep the story's body HTML (returned, and cached beside the page): a feed carries it."""


@dataclass(slots=True)
class _Pipeline:
    files: Files
    config: Any
    nav: Any
    env: Any
    cache: PageCache
    story_html: Callable[[str], str | None]
    doc_files: Sequence[Any] = ()
    converter: markdown.Markdown | None = None
    warnings: _Warnings = field(default_factory=lambda: _Warnings(keep=False))

    def markdown_converter(self) -> markdown.Markdown:
        """One converter for all the pages this process renders (a fork inherits the parent's)."""
        if self.converter is None:
            self.converter = markdown.Markdown(
                extensions=self.config["markdown_extensions"], extension_configs=self.config["mdx_configs"] or {}
            )
            scan_only_where_patterns_can_match(self.converter)
        return self.converter


class _OwnPage(Page):
    """A Frontline page: MkDocs' ``Page`` but for two things, both costs MkDocs pays per page. A story's front
    matter, which Frontline wrote (``STORY_SOURCE_HEAD``), is not parsed again by YAML. And the Markdown converter
    is reused instead of built for each page: Python-Markdown's ``reset()`` clears its state and every extension's.
    ``render`` is MkDocs 1.6's own (ProperDocs 1.6 has the same, and keeps ``links_to_anchors`` at every log level,
    as here) apart from its first lines."""

    def read_source(self, config: Any) -> None:
        source = config.plugins.on_page_read_source(page=self, config=config)
        if source is None:
            source = self.file.content_string  # in memory: Frontline's pages are generated files
        if source.startswith(STORY_SOURCE_HEAD):  # what mkdocs.utils.meta.get_data would return
            self.markdown, self.meta = source[len(STORY_SOURCE_HEAD) :].lstrip("\n"), {"template": STORY_TEMPLATE}
        else:
            self.markdown, self.meta = private.get_data(source)

    def render(self, config: Any, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        assert _PIPELINE is not None
        md = _PIPELINE.markdown_converter().reset()

        raw_html_ext = private.RawHTMLPreprocessor()
        private.register(raw_html_ext, md)
        extract_anchors_ext = private.ExtractAnchorsTreeprocessor(self.file, files, config)
        private.register(extract_anchors_ext, md)
        relative_path_ext = private.RelativePathTreeprocessor(self.file, files, config)
        private.register(relative_path_ext, md)
        extract_title_ext = private.ExtractTitleTreeprocessor()
        private.register(extract_title_ext, md)

        self.content = md.convert(self.markdown)
        self.toc = private.get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = extract_title_ext.title
        self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        self.links_to_anchors = relative_path_ext.links_to_anchors


_PIPELINE: _Pipeline | None = None  # set in the parent right before forking; inherited by workers


ENGINE_LOGGERS = ("mkdocs", "properdocs")
"""Where MkDocs logs, and ProperDocs (whose ``properdocs`` logger is the parent of ``mkdocs``): strict mode counts
the warnings that reach them. Each engine's modules log under its name (``mkdocs.structure.pages``…)."""


class _Warnings(logging.Handler):
    """Warnings logged while Frontline renders, counted: a page that warned is not cached, so every build renders
    it again, and warns again, until it is mended (strict mode fails every time, not only the first). In a worker
    (``keep``) they are also kept, for the parent to log where strict mode counts them."""

    def __init__(self, *, keep: bool) -> None:
        super().__init__(logging.WARNING)
        self.keep = keep
        self.count = 0
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "frontline_counted", False):  # under ProperDocs, a record of mkdocs.* reaches both loggers
            return
        record.frontline_counted = True
        self.count += 1
        if self.keep:
            self.records.append((record.levelno, record.getMessage()))

    @contextlib.contextmanager
    def listening(self) -> Iterator[None]:
        """Count what the engine's loggers get meanwhile, beside their own handlers."""
        loggers = [logging.getLogger(name) for name in ENGINE_LOGGERS]
        for logger in loggers:
            logger.addHandler(self)
        try:
            yield
        finally:
            for logger in loggers:
                logger.removeHandler(self)


@dataclass(slots=True)
class Rendered:
    """What ``render_pages`` rendered, besides the pages in the site folder."""

    bodies: dict[str, str] = field(default_factory=dict)
    """Story id → body HTML of the stories rendered now that feeds carry."""
    warned: set[str] = field(default_factory=set)
    """``src_uri`` of the pages whose rendering logged a warning: not cached, so that the next build warns again."""
    later: list[PageJob] = field(default_factory=list)
    """Cached pages left to be linked after the build (``link_later``)."""


BATCH = 64
"""Pages read and converted before their templates render (``_render_batch``)."""


def _render_batch(jobs: Sequence[PageJob]) -> list[tuple[PageJob, str | None, bool]]:
    """Render ``jobs`` in MkDocs' order, a batch of pages at a time: every page's Markdown, then every page's
    template, so that each step finds the processor's caches holding its own code and data, not the other's.
    Each job comes back with the body HTML a feed carries, and whether its page warned."""
    pipeline = _PIPELINE
    assert pipeline is not None
    rendered: list[tuple[PageJob, str | None, bool]] = []
    for start in range(0, len(jobs), BATCH):
        batch = jobs[start : start + BATCH]
        pages = []
        for job in batch:
            before = pipeline.warnings.count
            pages.append((_read(job), pipeline.warnings.count > before))
        for job, (page, warned) in zip(batch, pages, strict=True):
            before = pipeline.warnings.count
            fragment = _write(job, page)
            warned = warned or pipeline.warnings.count > before
            if not warned:
                pipeline.cache.store(job.key, Path(page.file.abs_dest_path))
            rendered.append((job, fragment, warned))
    return rendered


def _read(job: PageJob) -> Page:
    """The job's page, its Markdown read and converted (MkDocs' ``_populate_page``)."""
    pipeline = _PIPELINE
    assert pipeline is not None
    file = pipeline.files.src_uris[job.src_uri]
    page = _OwnPage(None, file, pipeline.config)
    with _shown(file):
        private.populate_page(page, pipeline.config, pipeline.files)
    return page


def _write(job: PageJob, page: Page) -> str | None:
    """Render the page's template into the site folder (MkDocs' ``_build_page``); return the story's body HTML
    if a feed carries it."""
    pipeline = _PIPELINE
    assert pipeline is not None
    file = page.file
    Path(file.abs_dest_path).unlink(missing_ok=True)  # it may be a link to a cache entry: never write through it
    with _shown(file):
        private.build_page(page, pipeline.config, pipeline.doc_files, pipeline.nav, pipeline.env)
    file.page = None  # let the page go: a worker renders thousands
    return pipeline.story_html(job.story_id) if job.story_id and job.keep_body else None


@contextlib.contextmanager
def _shown(file: File) -> Iterator[None]:
    """While Frontline renders it, the page is an ordinary one, so a broken link in a story warns as it would
    in MkDocs; MkDocs' own loop skips it (excluded) the rest of the time."""
    file.inclusion = InclusionLevel.NOT_IN_NAV
    try:
        yield
    finally:
        file.inclusion = InclusionLevel.EXCLUDED


def _render_chunk(
    jobs: Sequence[PageJob],
) -> tuple[list[tuple[PageJob, str | None, bool]], list[tuple[int, str]], list[str]]:
    assert _PIPELINE is not None
    _PIPELINE.warnings = warnings = _Warnings(keep=True)
    for name in ENGINE_LOGGERS:  # in the worker only: the parent logs them
        logging.getLogger(name).handlers = [warnings]
    results = _render_batch(jobs)
    return results, warnings.records, [job.key for job, _, warned in results if not warned]


def _render_in(
    pool: ProcessPoolExecutor, jobs: Sequence[PageJob], parallel: int, cache: PageCache, *, here: bool = False
) -> list[tuple[PageJob, str | None, bool]]:
    """Render ``jobs`` in chunks (eight a process: one slow chunk does not hold the end) in ``pool``'s processes and,
    with ``here``, in this one too: it takes chunks from the last one back, each one no worker has started."""
    size = max(1, -(-len(jobs) // (parallel * 8)))
    chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
    futures = [pool.submit(_render_chunk, chunk) for chunk in chunks]
    rendered: list[tuple[PageJob, str | None, bool]] = []
    try:
        if here:
            for future, chunk in zip(reversed(futures), reversed(chunks), strict=True):
                if not future.cancel():  # a worker has it: the chunks before it are taken too
                    break
                rendered.extend(_render_batch(chunk))
        for done in as_completed([future for future in futures if not future.cancelled()]):
            results, warnings, keys = done.result()
            cache.used.update(keys)
            for level, message in warnings:
                log.log(level, message)
            rendered.extend(results)
    except BrokenProcessPool:
        raise PluginError(f"Một tiến trình dựng trang dừng đột ngột. {WORKER_ADVICE}") from None
    finally:
        for future in futures:
            future.cancel()
    return rendered


RENDER_HERE_FROM = 30_000
"""Pages to render from which this process renders too, beside one worker fewer, rather than waiting for them: a
worker forked from a big archive's build comes to hold as much as the build, and the memory summed over the
processes peaks while they render. Below it the peak is the search's, after the workers ended."""


def _render_forked(jobs: Sequence[PageJob], parallel: int, cache: PageCache) -> list[tuple[PageJob, str | None, bool]]:
    """Render ``jobs`` in ``parallel`` processes, forked for them (or all but this one, ``RENDER_HERE_FROM``),
    which end when they are done."""
    # An executor, not multiprocessing.Pool: a Pool whose worker is killed (out of memory) waits for ever for the
    # lost chunk; the executor fails its futures at once.
    # The first chunk forks the workers (inside ``forking``).
    here = len(jobs) >= RENDER_HERE_FROM
    with ProcessPoolExecutor(parallel - here, mp_context=multiprocessing.get_context("fork")) as pool, forking():
        return _render_in(pool, jobs, parallel, cache, here=here)


def _first_of_each_kind(jobs: Sequence[PageJob]) -> list[PageJob]:
    """A story page and an index page, the two templates Frontline renders by the thousand."""
    first: dict[bool, PageJob] = {}
    for job in jobs:
        first.setdefault(job.story_id is None, job)
        if len(first) == 2:
            break
    return list(first.values())


FETCH_THREADS_FROM = 200
"""Pages from which the cached ones are linked in by several threads (a preview's first build links every page)."""
FETCH_CHUNKS = 8
"""Chunks of consecutive pages a thread links in: few, so that threads do not wait on each other's turns, but more
than one, so that a thread done early takes another's share."""


def _uncached(jobs: Sequence[PageJob], files: Files, cache: PageCache, workers: int) -> list[PageJob]:
    """Link every cached page of ``jobs`` into the site folder; return the others. Linking a page is mostly the
    system's work (reading the entry to check its digest, hashing it, a folder, a link), done without Python's
    lock: with many pages, ``workers`` threads share it, as a warm preview start links the whole site."""

    def fetched(job: PageJob) -> bool:
        return cache.fetch(job.key, Path(files.src_uris[job.src_uri].abs_dest_path))

    def each_fetched(chunk: Sequence[PageJob]) -> list[bool]:
        return [fetched(job) for job in chunk]

    if len(jobs) < FETCH_THREADS_FROM or workers < 2:
        return [job for job in jobs if not fetched(job)]
    cache.list_entries()
    # Consecutive pages in chunks, a few a thread: a future a page (``map`` takes no ``chunksize`` with threads) cost
    # as much as the threads saved, and neighbours share a folder, which two threads would take turns at.
    size = -(-len(jobs) // (workers * FETCH_CHUNKS))
    with ThreadPoolExecutor(workers) as pool:
        found = [
            hit
            for hits in pool.map(each_fetched, [jobs[at : at + size] for at in range(0, len(jobs), size)])
            for hit in hits
        ]
    return [job for job, hit in zip(jobs, found, strict=True) if not hit]


def render_pages(
    jobs: Sequence[PageJob],
    *,
    files: Files,
    config: Any,
    nav: Any,
    env: Any,
    cache: PageCache,
    story_html: Callable[[str], str | None],
    workers: int,
    refresh: bool = False,
    link_later: bool = False,
    listings_here_while: Callable[[], bool] | None = None,
    workers_ended: Callable[[], object] | None = None,
) -> Rendered:
    """Write every job's page into the site folder; return the body HTML of the stories rendered now (cached
    stories' bodies stay in the cache until a feed asks) and which pages warned.

    Cached pages are linked in (unless ``refresh``), or, with ``link_later`` and many of them, returned for
    ``frontline.engine.later_links`` to link once the build has ended; the others are rendered, in ``workers``
    forked processes when there are enough of them and the process is single-threaded (forking a
    threaded process, such as ``mkdocs serve``, is not safe). With ``listings_here_while``, the workers
    render the stories first, then this process renders listing pages while it holds (another process has
    the other core: the search index), and the workers the rest. ``workers_ended`` is called once no worker is
    left from the stories (or none is forked): the search builds its bundles from then on."""
    global _PIPELINE
    later: list[PageJob] = []
    if refresh:
        missing = list(jobs)
    elif link_later and len(jobs) >= later_links.LINK_LATER_FROM:
        missing = []
        for job in jobs:
            (later if cache.holds(job.key) else missing).append(job)
    else:
        missing = _uncached(jobs, files, cache, workers)
    ended = workers_ended or (lambda: None)
    if not missing:
        ended()
        return Rendered(later=later)
    _PIPELINE = pipeline = _Pipeline(files, config, nav, env, cache, story_html, files.documentation_pages())
    rendered: list[tuple[PageJob, str | None, bool]] = []
    try:
        with pipeline.warnings.listening():  # the workers count their own
            parallel = min(workers, len(missing) // MIN_JOBS_PER_WORKER)
            if parallel > 1 and can_fork():
                # One page of each kind first, here: Jinja compiles a template on first use, and workers forked
                # after that inherit the compiled templates instead of each compiling them.
                primers = _first_of_each_kind(missing)
                rendered.extend(_render_batch(primers))
                missing = [job for job in missing if job not in primers]
                listings = [job for job in missing if job.story_id is None] if listings_here_while else []
                first = [job for job in missing if job.story_id is not None] if listings else missing
                rendered.extend(_render_forked(first, parallel, cache))
                ended()
                # The workers have ended: while this process renders listings beside the indexer, their memory is
                # not held beside Pagefind's, which peaks while it builds a part's bundle.
                while listings and listings_here_while is not None and listings_here_while():
                    job = listings.pop()
                    rendered.extend(_render_batch([job]))
                if len(listings) // MIN_JOBS_PER_WORKER > 1:
                    parallel = min(parallel, len(listings) // MIN_JOBS_PER_WORKER)
                    rendered.extend(_render_forked(listings, parallel, cache))
                else:
                    rendered.extend(_render_batch(listings))
            else:
                ended()
                rendered.extend(_render_batch(missing))
    finally:
        _PIPELINE = None
    kept = [(job, html) for job, html, _ in rendered if job.story_id and html is not None]
    cache.keep_fragments((job.key, html) for job, html in kept)
    bodies = {job.story_id: html for job, html in kept if job.story_id}
    return Rendered(bodies, {job.src_uri for job, _, warned in rendered if warned}, later)
