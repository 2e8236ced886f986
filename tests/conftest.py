import pytest

from frontline.engine.template_code import FOLDER_VARIABLE
from tests.sites import FixtureSite, make_site


@pytest.fixture(scope="session", autouse=True)
def compiled_templates_of_this_run(tmp_path_factory):
    """The builds of a test run keep their compiled templates in a folder of the run's own, not the installation's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(FOLDER_VARIABLE, str(tmp_path_factory.mktemp("compiled-templates")))
        yield


@pytest.fixture
def site(tmp_path) -> FixtureSite:
    return make_site(tmp_path / "newsroom")
