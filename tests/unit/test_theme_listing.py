"""The theme's template listing skips hidden folders, and MkDocs still copies every static file of the theme."""

from __future__ import annotations

import pytest
from jinja2 import FileSystemLoader
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from frontline.engine.theme_listing import VisibleTemplateLoader, list_visible_templates
from tests.sites import make_site, story


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("theme") / "newsroom")
    site.write("stories/2021/05/ngay-dau.md", story("Ngày đầu", "2021-05-20"))
    return site


def _hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))


def test_the_listing_is_jinjas_less_what_is_hidden(newsroom):
    dirs = load_config(str(newsroom.root / "mkdocs.yml")).theme.dirs
    everything = FileSystemLoader(dirs).list_templates()
    visible = VisibleTemplateLoader(dirs).list_templates()
    assert sum(name.startswith(".icons/") for name in everything) > 10_000  # what the listing no longer walks
    assert visible == [name for name in everything if not _hidden(name)]
    assert "main.html" in visible and "assets/stylesheets/frontline.css" in visible


def test_hidden_templates_still_load(newsroom):
    theme = load_config(str(newsroom.root / "mkdocs.yml")).theme
    list_visible_templates(theme)
    wrapped = theme.get_env
    list_visible_templates(theme)  # a second on_config on the same theme
    assert theme.get_env is wrapped, "wrapped once, not twice"
    env = theme.get_env()
    assert isinstance(env.loader, VisibleTemplateLoader)
    assert "<svg" in env.get_template(".icons/material/menu.svg").render()
    assert "url" in env.filters and "gettext" in env.globals  # MkDocs' own setup kept


def test_mkdocs_finds_the_same_static_files(newsroom):
    config = load_config(str(newsroom.root / "mkdocs.yml"))
    plain, visible = Files([]), Files([])
    plain.add_files_from_theme(config.theme.get_env(), config)
    list_visible_templates(config.theme)
    visible.add_files_from_theme(config.theme.get_env(), config)
    assert [f.src_uri for f in visible] == [f.src_uri for f in plain]
    assert any(f.src_uri.startswith("assets/javascripts/bundle.") for f in plain)


def test_frontlines_hooks_give_mkdocs_the_visible_listing(newsroom, monkeypatch):
    monkeypatch.setenv("FRONTLINE_PREVIEW", "1")  # no search index: nothing left running
    monkeypatch.setenv("FRONTLINE_NOW", "2021-12-31T00:00:00+07:00")
    config = load_config(str(newsroom.root / "mkdocs.yml"))
    config = config.plugins.on_config(config)  # the hooks file named in mkdocs.yml
    assert isinstance(config.theme.get_env().loader, VisibleTemplateLoader)
