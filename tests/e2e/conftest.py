"""Sites every end-to-end module may read, built once per test run (``tests/shared_sites.py``): the demo and the
fixture site of every page kind. A test must not change them; one that needs a changed site builds its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.readers_tools import NOW, build_every_kind
from tests.shared_sites import built_once
from tests.sites import REPO, FixtureSite


def _build_demo(folder: Path) -> None:
    site_dir = folder / "site"
    result = FixtureSite(REPO).build(now=NOW, strict=False, site_dir=site_dir)
    assert result.returncode == 0, f"demo build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    assert (site_dir / "index.html").is_file(), "demo build produced no index.html"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The repository's demo site, built with ``mkdocs build`` at a fixed 'now': its folder."""
    return built_once(tmp_path_factory, "demo", _build_demo) / "site"


@pytest.fixture(scope="session")
def every_kind_site(tmp_path_factory) -> FixtureSite:
    """``tests.readers_tools.build_every_kind``: the fixture site with the page kinds the demo lacks, built."""
    folder = built_once(tmp_path_factory, "every-kind", lambda folder: build_every_kind(folder / "newsroom"))
    return FixtureSite(folder / "newsroom")


def _build_newsroom(folder: Path) -> None:
    from tests.e2e.test_deploy_folder import build, newsroom

    site = newsroom(folder / "newsroom")
    build(site.root)
    shutil.rmtree(site.site_dir)


@pytest.fixture(scope="session")
def built_newsroom(tmp_path_factory) -> Path:
    """The publish tests' newsroom (``tests.e2e.test_deploy_folder.newsroom``) built once per run with ``frontline
    build``, its site folder then deleted: its content and build cache, which a test copies (``newsroom_copy``)
    and changes as it likes."""
    return built_once(tmp_path_factory, "newsroom", _build_newsroom) / "newsroom"
