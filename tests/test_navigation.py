"""Material's primary navigation on every page: rendered once per folder for pages outside the nav,
its links must still lead where the nav says from each page."""

from __future__ import annotations

from urllib.parse import urljoin

from frontline.engine.navigation import link_folder
from tests.sites import make_site, story

SITE = "https://example.vn/"


def test_every_page_links_its_primary_navigation_to_the_nav_pages(tmp_path):
    site = make_site(tmp_path / "newsroom")
    config = site.root / "mkdocs.yml"
    # A nav page inside a place's index folder: from that index its link differs from its neighbours'.
    nav = "  - Chiến dịch: campaigns/index.md\n"
    text = config.read_text(encoding="utf-8")
    assert nav in text
    config.write_text(text.replace(nav, nav + "  - Về Bắc Giang: places/bac-giang/gioi-thieu.md\n"), encoding="utf-8")
    site.write("docs/places/bac-giang/gioi-thieu.md", "# Về Bắc Giang\n\nTrang giới thiệu.\n")
    for n, place in enumerate(["Bắc Giang", "Đà Nẵng", "Bắc Ninh"] * 3):
        day = 10 + n
        site.write(f"stories/2021/05/bai-{n}.md", story(f"Bài {n} ở {place}", f"2021-05-{day}", location=f"'{place}'"))
    result = site.build(extra_env={"FRONTLINE_WORKERS": "1"})
    assert result.returncode == 0, result.stderr
    expected = {SITE, SITE + "campaigns/", SITE + "places/bac-giang/gioi-thieu/"}
    checked = set()
    for path in site.site_dir.rglob("index.html"):
        url = SITE + path.parent.relative_to(site.site_dir).as_posix() + "/"
        url = url.replace(SITE + "./", SITE)
        page = site.html(str(path.relative_to(site.site_dir)))
        links = page.select("nav.md-nav--primary a.md-nav__link[href]")
        assert {urljoin(url, link["href"]) for link in links} == expected, url
        checked.add(url)
    assert {SITE + "places/bac-giang/", SITE + "places/da-nang/", SITE + "places/bac-ninh/"} <= checked
    assert len([url for url in checked if url.startswith(SITE + "2021/05/")]) == 9


def test_a_pages_links_start_from_its_folder_as_mkdocs_makes_them():
    """The memo's key: pages at ``a/`` and ``x.html`` link from different folders (``../`` or not)."""
    assert link_folder("2021/05/bai-1/") == ("2021", "05", "bai-1")
    assert link_folder("places/bac-giang/page/2/") == ("places", "bac-giang", "page", "2")
    assert link_folder("gioi-thieu.html") == ()
    assert link_folder("tin/gioi-thieu.html") == ("tin",)
    assert link_folder("") == ()
