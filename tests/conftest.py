"""Shared fixtures, and which tests are end-to-end.

Unit tests live in ``tests/unit/``; end-to-end tests, which build a site (MkDocs, Pagefind, the ``frontline``
command) or drive Chromium, in ``tests/e2e/`` (the browser's in ``tests/e2e/browser/``). Every test under
``tests/e2e/`` is marked ``e2e`` here, so ``pytest -m "not e2e"`` runs the unit tests alone in seconds; a test
elsewhere that builds carries ``@pytest.mark.e2e`` (or a module's ``pytestmark``) itself."""

from pathlib import Path

import pytest

from frontline.engine.template_code import FOLDER_VARIABLE
from tests.sites import FixtureSite, make_site

E2E_FOLDER = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(config, items):
    e2e = pytest.mark.e2e
    for item in items:
        if item.path.is_relative_to(E2E_FOLDER):
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
