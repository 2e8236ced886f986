"""MkDocs (and ProperDocs) event wiring: each event handed to the build under way (``engine/session.py``).

A build's work lives in its session; the renderer in ``engine/render.py``, the outputs after the pages in
``engine/outputs.py``, and MkDocs' private functions in ``engine/mkdocs_private.py``."""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from frontline.build.fanout import collect_nothing_at_exit, collect_young_objects_less_often
from frontline.build.locks import release
from frontline.build.memory import CollectBetweenBuilds
from frontline.engine.render import ENGINE_LOGGERS
from frontline.engine.session import CACHE_FOLDER, MEMO_FILE, PREVIEW_VARIABLE, BuildSession

__all__ = ["CACHE_FOLDER", "MEMO_FILE", "PREVIEW_VARIABLE", "FrontlineHooks"]


class _QuietDirtyWarning(logging.Filter):
    """A preview keeps its site folder on purpose; MkDocs' warning about it would alarm reporters."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class FrontlineHooks:
    """The hook module exposes this object's methods. ``mkdocs serve`` may keep it across
    rebuilds, so ``on_config`` starts every build with a new session."""

    def __init__(self) -> None:
        self.keep_site = False
        """Whether the site folder is kept between builds (``serve --dirty``, as ``frontline preview`` runs)."""
        self.session = BuildSession()
        self.collector: CollectBetweenBuilds | None = None
        """``serve``'s: its garbage collected between builds."""

    def on_startup(self, command: str, dirty: bool) -> None:
        collect_nothing_at_exit()
        collect_young_objects_less_often()
        self.keep_site = dirty
        if command == "serve":
            self.collector = CollectBetweenBuilds()
        if dirty:
            for engine in ENGINE_LOGGERS:
                logging.getLogger(f"{engine}.commands.build").addFilter(_QuietDirtyWarning())

    def on_shutdown(self) -> None:
        self.session.save_memo()
        self.session.save_folder()
        release(self.session.build_lock)  # a build stopped by Ctrl+C ran no on_build_error

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # A lock the last session still holds (a build that ended by neither event) would make this process wait
        # for itself.
        release(self.session.build_lock)
        if self.collector is not None:
            self.collector.build_starts()
        self.session = BuildSession(keep_site=self.keep_site, previous=self.session)
        return self.session.configure(config)

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self.session.retire_site(config)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        return self.session.add_files(files, config)

    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        return self.session.keep_nav(nav, files, config)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.session.page_markdown(markdown, page)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.session.page_content(html, page)

    def on_env(self, env, config: MkDocsConfig, files: Files):
        return self.session.prepare_env(env, config)

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
        return self.session.page_context(context, page)

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.session.finish(config)
        if self.collector is not None:
            self.collector.build_ended()

    def on_build_error(self, error: Exception) -> None:
        self.session.abandon()
        if self.collector is not None:
            self.collector.build_ended()
