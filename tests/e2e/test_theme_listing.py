"""The theme's template listing skips hidden folders, and MkDocs still copies every static file of the theme."""

from __future__ import annotations

import pytest
from jinja2 import Environment, FileSystemLoader
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from frontline.content import urls
from tests.sites import make_site, story


@pytest.fixture
def newsroom(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/ngay-dau.md", story("Ngày đầu", "2021-05-20"))
    return site


def test_a_build_copies_every_static_file_of_the_theme(newsroom):
    result = newsroom.build()
    assert result.returncode == 0, result.stderr
    config = load_config(str(newsroom.root / "mkdocs.yml"))
    expected = Files([])
    expected.add_files_from_theme(Environment(loader=FileSystemLoader(config.theme.dirs)), config)
    assert len(expected) > 20
    for file in expected:
        if file.dest_uri == urls.PREVIEW_SCRIPT:  # the preview's own script: a production site leaves it out
            assert not (newsroom.site_dir / file.dest_uri).exists()
            continue
        assert (newsroom.site_dir / file.dest_uri).is_file(), file.dest_uri
