"""Absolute addresses: the fast path for plain site-relative paths gives exactly what ``urljoin`` gives."""

from __future__ import annotations

from urllib.parse import urljoin

from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.config.settings import SiteInfo

BASES = st.sampled_from(
    [
        "https://example.vn/tin/",
        "https://example.vn/",
        "http://127.0.0.1:8000/a/b/",
        "https://example.vn/tin",  # no final slash: urljoin replaces the last segment
        "https://example.vn/a/../b/",
        "https://example.vn/?q=/",
        "https://example.vn/#/",
    ]
)
PATHS = st.text(st.sampled_from(list("ab/.:?#% \t\n\r\\-_~đẠ1")), max_size=14)


@settings(max_examples=3000, deadline=None)
@given(BASES, PATHS)
def test_absolute_is_urljoin(base, path):
    assert SiteInfo(url=base, name="Tuyến đầu").absolute(path) == urljoin(base, path)


def test_the_site_s_own_addresses():
    site = SiteInfo(url="https://example.vn/tin/", name="Tuyến đầu")
    assert site.absolute("2021/05/benh-vien-da-chien/") == "https://example.vn/tin/2021/05/benh-vien-da-chien/"
    assert site.absolute("images/anh 2.png") == "https://example.vn/tin/images/anh 2.png"
    assert site.absolute("/tin/") == "https://example.vn/tin/"
    assert site.absolute("../ngoai/") == "https://example.vn/ngoai/"
