"""Shared fixtures, and which tests are end-to-end.

An end-to-end test builds a site (MkDocs, Pagefind, the ``frontline`` command in a subprocess) or drives Chromium;
it is marked ``e2e``, so ``pytest -m "not e2e"`` runs the unit tests alone in seconds. A test is end-to-end when
it is in ``tests/browser/`` or in a module of builds (``E2E_MODULES``); one elsewhere carries
``@pytest.mark.e2e`` itself."""

import pytest

from frontline.engine.template_code import FOLDER_VARIABLE
from tests.sites import FixtureSite, make_site

E2E_MODULES = frozenset(
    {
        "test_atomic_build",
        "test_bad_input",
        "test_build",
        "test_escaping",
        "test_incremental_preview",
        "test_navigation",
        "test_preview",
        "test_published_files",
        "test_publishing",
        "test_readers",
        "test_render_cache",
        "test_reporting",
        "test_retired_site",
        "test_search",
    }
)


def pytest_collection_modifyitems(config, items):
    e2e = pytest.mark.e2e
    for item in items:
        if "browser" in item.path.parts or item.path.stem in E2E_MODULES:
            item.add_marker(e2e)


@pytest.fixture(scope="session", autouse=True)
def compiled_templates_of_this_run(tmp_path_factory):
    """The builds of a test run keep their compiled templates in a folder of the run's own, not the installation's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(FOLDER_VARIABLE, str(tmp_path_factory.mktemp("compiled-templates")))
        yield


@pytest.fixture
def site(tmp_path) -> FixtureSite:
    return make_site(tmp_path / "newsroom")
