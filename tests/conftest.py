import pytest

from tests.sites import FixtureSite, make_site


@pytest.fixture
def site(tmp_path) -> FixtureSite:
    return make_site(tmp_path / "newsroom")
