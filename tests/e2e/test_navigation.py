"""Material's primary navigation on every page, rendered once per folder for pages outside the nav, its other
furniture, rendered once per depth, and story cards, rendered once per story: their links must still lead where
they should from each page."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import material
from jinja2 import DictLoader, Environment, FileSystemLoader, pass_context
from markupsafe import escape
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import url_filter

from frontline.content.model import Story, pack_body
from frontline.engine.cards import LINK_PLACEHOLDER, story_cards
from frontline.engine.chrome import same_at_depth, translations
from frontline.engine.links import relative_url_filter
from frontline.engine.navigation import link_folder
from tests.sites import HOSTILE_TITLE, hostile_story, make_site, story

SITE = "https://example.vn/"
SITE_URL = "https://example.vn/tin/"  # the fixture's site_url: 404.html, served at any depth, links from it


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
        # and written as MkDocs writes them: from the page's folder (a link valid from any page as deep is not)
        for link in links:
            target = urljoin(url, link["href"]).removeprefix(SITE)
            assert link["href"] == get_relative_url(target, url.removeprefix(SITE)), (url, link["href"])
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


def test_every_page_loads_materials_assets_and_config_from_its_own_depth(tmp_path):
    site = make_site(tmp_path / "newsroom")
    for n in range(45):  # enough for a second page of the site's story list: one folder deeper
        site.write(f"stories/2021/05/bai-{n}.md", story(f"Bài {n}", f"2021-05-{10 + n % 20}", location="'Bắc Giang'"))
    # Two pages six folders deep (deeper than any listing), the first under assets/: MkDocs shortens its links
    # into assets/, so the second, rendered after it, must not get them.
    site.write("docs/assets/tu-lieu/2021/05/anh/goc/index.md", "# Tư liệu ảnh\n\nẢnh gốc.\n")
    site.write("docs/tu-lieu/2021/05/anh/goc/khac/index.md", "# Tư liệu khác\n\nẢnh khác.\n")
    result = site.build(extra_env={"FRONTLINE_WORKERS": "1"})
    assert result.returncode == 0, result.stderr
    depths = set()
    for path in site.site_dir.rglob("*.html"):
        relative = path.relative_to(site.site_dir).as_posix()
        url = urljoin(SITE_URL, relative.removesuffix("index.html"))
        page = site.html(relative)
        config = json.loads(page.select_one("script#__config").string)
        assets = [tag["href"] for tag in page.select("link[rel=stylesheet][href]")]
        assets += [tag["src"] for tag in page.select("script[src]")] + [config["search"]]
        for asset in assets:
            target = urljoin(url, asset)
            if urlsplit(target).netloc == urlsplit(SITE_URL).netloc:
                assert target.startswith(SITE_URL), (relative, asset)
                assert (site.site_dir / target.removeprefix(SITE_URL)).is_file(), (relative, asset)
        assert urljoin(url, config["base"].rstrip("/") + "/") == SITE_URL, relative
        depths.add(relative.count("/"))
    assert {0, 1, 2, 3, 4, 5, 6} <= depths


def test_the_footer_links_a_nav_pages_neighbours_and_no_other_page(tmp_path):
    """Material's footer is rendered once per depth for pages without neighbours (every Frontline page), and
    afresh for the nav's pages, which link the previous and next nav page: none may get another's footer."""
    site = make_site(tmp_path / "newsroom")
    config = site.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    nav = "  - Chiến dịch: campaigns/index.md\n"
    text = text.replace(nav, nav + "  - Giới thiệu: gioi-thieu/index.md\n")
    text = text.replace("  language: vi\n", "  language: vi\n  features:\n    - navigation.footer\n")
    config.write_text(text + "copyright: © Tuyến đầu thử nghiệm\n", encoding="utf-8")
    site.write("docs/gioi-thieu/index.md", "# Giới thiệu\n\nVề tòa soạn.\n")
    for n in range(6):
        site.write(f"stories/2021/05/bai-{n}.md", story(f"Bài {n}", f"2021-05-{10 + n}", location="'Bắc Giang'"))
    # One process: the pages outside the nav (one at the nav pages' depth) render first, with the same memo.
    result = site.build(extra_env={"FRONTLINE_WORKERS": "1"})
    assert result.returncode == 0, result.stderr
    order = [SITE_URL, SITE_URL + "campaigns/", SITE_URL + "gioi-thieu/"]
    checked = 0
    for path in site.site_dir.rglob("*.html"):
        relative = path.relative_to(site.site_dir).as_posix()
        url = urljoin(SITE_URL, relative.removesuffix("index.html"))
        footer = site.html(relative).select_one("footer.md-footer")
        assert "© Tuyến đầu thử nghiệm" in footer.get_text(), relative
        links = {
            ("prev" if "md-footer__link--prev" in link["class"] else "next", urljoin(url, link["href"]))
            for link in footer.select("a.md-footer__link")
        }
        expected = set()
        if url in order and relative != "404.html":
            at = order.index(url)
            expected |= {("prev", order[at - 1])} if at > 0 else set()
            expected |= {("next", order[at + 1])} if at + 1 < len(order) else set()
            checked += 1
        assert links == expected, relative
    assert checked == 3


def test_a_card_whose_text_holds_the_link_placeholder_gets_its_own_link():
    """Cards are rendered once with a placeholder for their link (tests/e2e/test_readers.py follows every card's
    link on a built site); a story whose text holds the placeholder must not get its link there too."""
    env = Environment(
        loader=DictLoader(
            {
                "card.html": '<{{ heading }}><a href="{{ href }}">{{ story.title }}</a></{{ heading }}>',
                "list.html": "{% for s in stories %}{{ story_card(s) }}{{ story_card(s, 'h2') }}{% endfor %}",
            }
        )
    )
    env.filters["url"] = pass_context(lambda context, url: context["depth"] + url)
    env.globals["story_card"] = story_cards(env.get_template("card.html"))

    def made(ident: str, title: str) -> Story:
        when = datetime.fromisoformat("2021-05-20T09:30:00+07:00")
        return Story(
            ident, f"stories/{ident}.md", title, when, True, ("ha",), ident.rsplit("/", 1)[1], pack_body(""), ""
        )

    plain, odd = made("2021/05/a", "Bài thường"), made("2021/05/b", f"Bài lạ {LINK_PLACEHOLDER}")
    listing = env.get_template("list.html")
    for depth in ["", "../", "../../../"]:
        html = listing.render(stories=[plain, odd], depth=depth)
        assert html == (
            f'<h3><a href="{depth}2021/05/a/">Bài thường</a></h3><h2><a href="{depth}2021/05/a/">Bài thường</a></h2>'
            f'<h3><a href="{depth}2021/05/b/">Bài lạ {LINK_PLACEHOLDER}</a></h3>'
            f'<h2><a href="{depth}2021/05/b/">Bài lạ {LINK_PLACEHOLDER}</a></h2>'
        )


def test_every_pages_header_shows_its_own_title_and_links_home(tmp_path):
    """Material's header is rendered once per depth around the title: each page, whatever its title (one the
    header already holds, like the site's name; one with markup, escaped), must show its own."""
    site = make_site(tmp_path / "newsroom")
    config = site.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  language: vi\n", "  language: vi\n  logo: anh/logo.svg\n"), encoding="utf-8")
    site.write("docs/anh/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    # Two pages at one depth, the first in the logo's folder: MkDocs shortens its link to the logo.
    site.write("docs/anh/tu-lieu/index.md", "# Tư liệu\n\nẢnh.\n")
    site.write("docs/anh/bia/index.md", "---\ntitle: Ảnh bìa\n---\n\nẢnh bìa.\n")
    site.write("docs/khac/tu-lieu/index.md", "# Tư liệu khác\n\nẢnh khác.\n")
    site.write("docs/khac/bia/index.md", "---\ntitle: Bìa khác\n---\n\nBìa khác.\n")
    titles = ["Bài một", "Tuyến đầu thử nghiệm", "Bài hai", "Chốt & trạm", "Bài ba"]
    for n, title in enumerate(titles):
        site.write(f"stories/2021/05/bai-{n}.md", story(f"'{title}'", f"2021-05-{10 + n}", location="'Bắc Giang'"))
    site.write("stories/2021/06/bai-5.md", hostile_story())
    result = site.build(extra_env={"FRONTLINE_WORKERS": "1"})  # one process: one memo for every page
    assert result.returncode == 0, result.stderr
    shown = {}
    for path in site.site_dir.rglob("*.html"):
        relative = path.relative_to(site.site_dir).as_posix()
        url = urljoin(SITE_URL, relative.removesuffix("index.html"))
        page = site.html(relative)
        topic = page.select_one("[data-md-component=header-topic] .md-ellipsis").get_text(strip=True)
        title = page.select_one("title").get_text()
        assert title.startswith(topic), (relative, topic, title)
        home = page.select_one("header a.md-logo")["href"]
        assert urljoin(url, home) == SITE_URL or relative == "404.html", (relative, home)
        logo = page.select_one("header a.md-logo img")["src"]
        if relative != "404.html":  # as MkDocs writes it: shorter from the logo's own folder
            assert logo == get_relative_url("anh/logo.svg", relative.removesuffix("index.html")), relative
        shown[relative] = topic
    stories = [topic for relative, topic in shown.items() if re.fullmatch(r"2021/0[56]/[^/]+/index.html", relative)]
    assert sorted(stories) == sorted([*titles, HOSTILE_TITLE])
    assert shown["index.html"] == "Trang chủ"


def test_a_header_learnt_from_one_title_is_trusted_only_once_another_renders_the_same():
    """The HTML around the title is learnt from the first page. A header that did not print the title where
    it was found (here, none at all) must not lend the pages after the first anything but their own header."""
    env = Environment(
        loader=DictLoader(
            {
                "silent.html": "{% call same_at_depth('header', titled=True) %}<label>Tìm kiếm</label>{% endcall %}",
                "titled.html": "{% call same_at_depth('header', titled=True) %}<h1>{{ page.title }}</h1>{% endcall %}",
                "escaped.html": "{% call same_at_depth('header', titled=True) %}{{ page.title|e }}{% endcall %}",
            }
        )
    )
    env.globals["same_at_depth"] = same_at_depth()

    class Page:
        def __init__(self, title: str) -> None:
            self.title, self.meta, self.url = title, {}, "2021/05/bai/"

    for title in ["Tìm kiếm", "Bài khác", "Bài thứ ba"]:
        assert (
            env.get_template("silent.html").render(page=Page(title), base_url="../../..") == "<label>Tìm kiếm</label>"
        )
    for title in ["Bài đầu", "Bài khác", "Tìm kiếm", "Bài đầu"]:
        html = env.get_template("titled.html").render(page=Page(title), base_url="../../..")
        assert html == f"<h1>{title}</h1>"
    for title in ["Bài đầu", "Bài khác", "Chốt & trạm"]:  # a title escaping changes gets the header it renders
        html = env.get_template("escaped.html").render(page=Page(title), base_url="../..")
        assert html == escape(title)


def test_translations_are_materials_own_lookup_for_every_key():
    """overrides/partials/language.html looks each key up once, in Python: for every key Material's Vietnamese
    and English files know, and one neither knows, it must give what Material's own partial renders."""
    material_templates = Path(material.__file__).parent / "templates"
    env = Environment(loader=FileSystemLoader(str(material_templates)))
    lookup = env.from_string('{% import "partials/language.html" as lang with context %}{{ lang.t(key) }}')
    ours = translations(env, "vi")
    keys = set()
    for language in ("vi", "en"):
        text = (material_templates / f"partials/languages/{language}.html").read_text(encoding="utf-8")
        keys |= set(re.findall(r'^\s*"([^"]+)":', text, flags=re.MULTILINE))
    vietnamese = (material_templates / "partials/languages/vi.html").read_text(encoding="utf-8")
    assert len(keys) > 50 and any(f'"{key}":' not in vietnamese for key in keys)  # some only in English
    for key in sorted(keys) + ["khong.co.khoa.nay"]:
        assert ours(key) == lookup.render(key=key, config={"theme": {"language": "vi"}}), key


def test_the_url_filter_gives_mkdocs_answer_for_every_path_and_page():
    """Frontline's ``url`` filter writes plain paths itself: for paths and pages of every shape (files, folders,
    ``..``, anchors, addresses, Vietnamese, a path into the page's own folder), it must give MkDocs' answer."""
    env = Environment()
    paths = ["assets/stylesheets/main.css", "assets/", "campaigns/bac-giang/", "2021/05/bai/", "2021/06/", "2021/",
             "404.html", "sitemap.xml", "places/đà-nẵng/", "a_b/c-d/", ".", "./x/", "../x/", "x/../y/", "x//y/", "",
             "x/./y", "/tin/x/", "#top", "x/#top", "x/?q=1", "https://example.vn/x/", "mailto:a@example.vn",
             "x\\y", "a.b/c.d", "a..b/", "...", "x/.hidden"]  # fmt: skip
    pages = ["", "index.html", "404.html", "2021/", "2021/05/", "2021/05/bai/", "2021/05/bai/index.html",
             "2021/06/khac/", "campaigns/bac-giang/", "assets/x/", "places/đà-nẵng/", "a.b/"]  # fmt: skip

    class Page:
        def __init__(self, url: str) -> None:
            self.url = url

    expected, ours = [], []
    for filter_, rendered in ((url_filter, expected), (relative_url_filter(url_filter), ours)):
        env.filters["url"] = filter_
        template = env.from_string("{% for path in paths %}{{ path | url }}\n{% endfor %}")
        for url in pages * 2:  # the second time, from the filter's memo of each page's folder
            rendered.append(template.render(paths=paths, page=Page(url), base_url="../..").splitlines())
    assert ours == expected
    assert expected[0][0] == "assets/stylesheets/main.css" and expected[5][0] == "../../../assets/stylesheets/main.css"
