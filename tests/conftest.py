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


def pytest_ignore_collect(collection_path, config):
    """Under ``-m "not e2e"`` the e2e folder is not even imported (MkDocs, Playwright…): every test in it is e2e."""
    if config.option.markexpr.replace(" ", "") == "note2e" and collection_path.is_relative_to(E2E_FOLDER):
        return True
    return None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own, which reads the groups: after it, they are ignored
def pytest_collection_modifyitems(config, items):
    e2e = pytest.mark.e2e
    for item in items:
        if item.path.is_relative_to(E2E_FOLDER):
            item.add_marker(e2e)
        if item.get_closest_marker("e2e"):
            # Under pytest-xdist (``make test``: ``-n auto --dist loadgroup``) an end-to-end module's tests stay on
            # one worker, so the site or server its module-scoped fixture starts is started once. The sites many
            # modules read are built once per run for all workers (``tests/e2e/conftest.py``), and each worker
            # starts one Chromium for its browser tests. Unit tests go wherever a worker is free.
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(scope="session", autouse=True)
def compiled_templates_of_this_run(tmp_path_factory):
    """The builds of a test run keep their compiled templates in a folder of the run's own, not the installation's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(FOLDER_VARIABLE, str(tmp_path_factory.mktemp("compiled-templates")))
        yield


@pytest.fixture
def site(tmp_path) -> FixtureSite:
    return make_site(tmp_path / "newsroom")
