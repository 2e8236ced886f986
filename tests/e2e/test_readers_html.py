"""Every page type passes the Nu Html Checker (vnu, the W3C's validator) with no error."""

from __future__ import annotations

import pytest

from tests.readers_tools import vnu_errors

pytestmark = pytest.mark.e2e


def test_every_page_of_the_demo_and_of_every_kind_is_valid_html(demo_site, every_kind_site):
    demo, fixture = demo_site, every_kind_site
    pages = sorted(demo.rglob("*.html")) + sorted(fixture.site_dir.rglob("*.html"))
    # The page kinds the fixture exists for are there, so the check covers them.
    site = fixture.site_dir
    for page in ("authors/ha/page/2/index.html", "2021/05/ten-cu/index.html", "dong-dau/index.html"):
        assert (site / page).is_file(), page
    assert 'http-equiv="refresh"' in (site / "2021/05/ten-cu/index.html").read_text(encoding="utf-8")
    errors = vnu_errors(pages)
    assert errors == [], f"{len(errors)} HTML errors in {len(pages)} pages:\n" + "\n".join(errors[:40])
