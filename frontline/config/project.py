"""A newsroom project on disk: its config file, folders and editorial options.

Read without the site engine, so ``frontline check`` and ``frontline new`` stay fast."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from yaml_env_tag import construct_env_tag

from frontline.config.options import Options
from frontline.config.settings import Settings
from frontline.content.layout import Layout

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does for what Frontline reads (``!ENV`` gives the environment's value or its
    default), without executing the other tags (``!!python/name``, ``!relative``…)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("", _ignore_tag)
_TolerantLoader.add_constructor("!ENV", construct_env_tag)  # MkDocs' own reading of it (pyyaml-env-tag)


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
    def template_dirs(self) -> tuple[Path, ...]:
        """The theme's ``custom_dir`` (templates that override Material's), if the config names one."""
        theme = self.raw.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        return (self.root / str(custom),) if custom else ()

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


def config_chain(config_file: Path) -> list[Path]:
    """``config_file`` and the files it inherits from (MkDocs' ``INHERIT:``), nearest first."""
    chain = [Path(os.path.normpath(config_file.absolute()))]
    while True:
        raw = yaml.load(chain[-1].read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        parent = raw.get("INHERIT") if isinstance(raw, dict) else None
        if parent is None:
            return chain
        path = Path(os.path.normpath(chain[-1].parent / str(parent)))
        if path in chain:
            raise ValueError(f"INHERIT: {parent}: các tệp cấu hình kế thừa nhau vòng tròn.")
        if not path.is_file():
            raise ValueError(f"INHERIT: không có tệp cấu hình '{parent}' (tìm ở {path}).")
        chain.append(path)


def _merged(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``base`` as MkDocs merges an inherited configuration: mappings key by key, anything else
    replaced."""
    result = dict(base)
    for key, value in child.items():
        below = result.get(key)
        result[key] = _merged(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return result


def _read_raw(config_file: Path) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for path in reversed(config_chain(config_file)):  # as MkDocs reads it: inherited settings first
        written = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        if not isinstance(written, dict):
            raise ValueError("tệp cấu hình phải là một bảng khóa: giá trị (site_name, site_url, extra…)")
        written.pop("INHERIT", None)
        raw = _merged(raw, written)
    return raw


def configured_site_url(config_file: Path) -> str:
    """The ``site_url`` the config file gives (with a closing slash, as MkDocs reads it), '' if none: the engines'
    ``serve`` replaces the loaded value with the server's own address."""
    url = _read_raw(config_file).get("site_url")
    if not isinstance(url, str) or not url:
        return ""
    parsed = urlsplit(url)
    return urlunsplit(parsed if parsed.path.endswith("/") else parsed._replace(path=parsed.path + "/"))


def read_project(config_file: Path) -> Project:
    raw = _read_raw(config_file)
    extra = raw.get("extra")
    root = config_file.parent.resolve()
    docs_dir = root / str(raw.get("docs_dir", "docs"))
    options = Options.from_mapping(
        extra.get("frontline") if isinstance(extra, dict) else None, config_file=config_file, docs_dir=docs_dir
    )
    layout = Layout(root=root, stories_dir=root / options.stories_dir, docs_dir=docs_dir)
    return Project(
        config_file=config_file.resolve(),
        layout=layout,
        options=options,
        site_url=str(raw.get("site_url") or ""),
        site_name=str(raw.get("site_name") or ""),
        raw=raw,
    )
