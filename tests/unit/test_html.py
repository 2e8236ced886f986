"""Links in a story's body made absolute for feeds: every link lxml knows, and prose left byte for byte."""

from __future__ import annotations

import random

import lxml.html
import pytest

from frontline.output.html import _may_hold_links, absolutize_links

BASE = "https://example.vn/tin/2021/05/ngay-dau/"


@pytest.mark.parametrize(
    ("fragment", "links"),
    [
        ('<p><a href="../khac/">bài khác</a></p>', ["https://example.vn/tin/2021/05/khac/"]),
        ('<P><A HREF="anh.jpg">ảnh</A></P>', [BASE + "anh.jpg"]),
        ('<p><a title="a>b" href="x/">x</a></p>', [BASE + "x/"]),
        ('<p><a href = "x/">x</a></p>', [BASE + "x/"]),
        ("<svg><a xlink:href='y/'>y</a></svg>", [BASE + "y/"]),
        ('<p><img\nsrc="/tin/anh.jpg" alt=""></p>', ["https://example.vn/tin/anh.jpg"]),
        ('<p style="background: url(nen.png)">Đà Nẵng</p>', [BASE + "nen.png"]),
        ("<style>p { background: url(nen.png) }</style><p>x</p>", [BASE + "nen.png"]),
        ('<p><a href="https://vn.example/">ngoài</a></p>', ["https://vn.example/"]),
    ],
)
def test_relative_links_become_absolute(fragment, links):
    tree = lxml.html.fragment_fromstring(absolutize_links(fragment, BASE), create_parent="div")
    assert [link for _, _, link, _ in tree.iterlinks()] == links


def test_srcset_candidates_become_absolute():
    html = absolutize_links('<p><img src="a.jpg" srcset="a-640.jpg 640w, /b.jpg 2x" alt=""></p>', BASE)
    img = lxml.html.fragment_fromstring(html, create_parent="div").find(".//img")
    assert img.get("srcset") == f"{BASE}a-640.jpg 640w, https://example.vn/b.jpg 2x"


@pytest.mark.parametrize(
    "fragment",
    [
        '<h2 id="chot">Chốt kiểm dịch</h2>\n<p>Người dân &amp; chiến sĩ:<br />\n<em>“mình phải cố gắng”</em></p>',
        '<p title="href=x">chữ href= trong văn bản</p>',
        "<p>a &lt; b</p>",
    ],
)
def test_a_fragment_without_links_is_kept_as_written(fragment):
    assert absolutize_links(fragment, BASE) == fragment


PIECES = [
    "<p>",
    "</p>",
    "<a ",
    "<img ",
    "<style>",
    "<meta ",
    "<object ",
    ">",
    " ",
    "=",
    '"',
    "'",
    "x",
    "Đà",
    "href",
    "HREF",
    "src",
    "srcset",
    "style",
    "data",
    "content",
    "http-equiv",
    "refresh",
    "url(",
    ")",
    "url",
    ' href="a"',
    " src='b'",
    ' style="background: url(c)"',
    " data=d",
]


def test_every_link_lxml_finds_is_seen_by_the_quick_test():
    """Random markup: wherever lxml would rewrite a link, the quick test sends the fragment to lxml."""
    rng = random.Random(5)
    with_links = 0
    for _ in range(3000):
        fragment = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 24)))
        try:
            tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
        except Exception:  # noqa: BLE001 - markup lxml cannot read at all
            continue
        if any(link for _, _, link, _ in tree.iterlinks()):
            with_links += 1
            assert _may_hold_links(fragment), fragment
    assert with_links > 500  # the pieces do make links
