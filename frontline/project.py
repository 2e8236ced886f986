"""A newsroom project on disk: its config file, folders and editorial options.

Read without the site engine, so ``frontline check`` and ``frontline new`` stay fast."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from frontline.loader import Layout
from frontline.views.feeds import SiteInfo
from frontline.views.site import Settings

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")


@dataclass(frozen=True, slots=True)
class Options:
    """``extra.frontline`` in the config file."""

    stories_dir: str = "stories"
    per_page: int = 20
    feed_size: int = 50
    section_feed_size: int = 20
    home_size: int = 20
    logo: str | None = None
    feed_id_authority: str = ""
    feed_id_date: str = "2020"
    iframe_hosts: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, mapping: dict[str, Any] | None) -> Options:
        mapping = dict(mapping or {})
        unknown = sorted(set(mapping) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(f"extra.frontline: không có tùy chọn {', '.join(unknown)}.")
        if "iframe_hosts" in mapping:
            mapping["iframe_hosts"] = tuple(str(host).lower() for host in mapping["iframe_hosts"] or ())
        for name in ("per_page", "feed_size", "section_feed_size", "home_size"):
            if name in mapping:
                mapping[name] = int(mapping[name])
        for name in ("feed_id_authority", "feed_id_date", "stories_dir"):
            if name in mapping:
                mapping[name] = str(mapping[name])
        return cls(**mapping)

    def settings(self, site_url: str, site_name: str, site_description: str = "") -> Settings:
        """The views' settings for a site served at ``site_url``."""
        return Settings(
            site=SiteInfo(
                url=site_url if site_url.endswith("/") else site_url + "/",
                name=site_name,
                description=site_description,
                id_authority=self.feed_id_authority,
                id_date=self.feed_id_date,
            ),
            per_page=self.per_page,
            feed_size=self.feed_size,
            section_feed_size=self.section_feed_size,
            home_size=self.home_size,
            logo=self.logo,
        )


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its tags (``!ENV``, ``!!python/name``…)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("", _ignore_tag)


@dataclass(frozen=True, slots=True)
class Project:
    config_file: Path
    layout: Layout
    options: Options
    site_url: str = ""
    site_name: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.layout.root

    @property
    def settings(self) -> Settings:
        return self.options.settings(self.site_url, self.site_name, str(self.raw.get("site_description") or ""))


def find_config(start: Path) -> Path | None:
    """The nearest config file in ``start`` or its parents."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def read_project(config_file: Path) -> Project:
    raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    options = Options.from_mapping((raw.get("extra") or {}).get("frontline"))
    root = config_file.parent.resolve()
    layout = Layout(root=root, stories_dir=root / options.stories_dir, docs_dir=root / str(raw.get("docs_dir", "docs")))
    return Project(
        config_file=config_file.resolve(),
        layout=layout,
        options=options,
        site_url=str(raw.get("site_url") or ""),
        site_name=str(raw.get("site_name") or ""),
        raw=raw,
    )
