"""`frontline preview` serves the production build's pages, whatever its port: the pages keep the site's own address
(canonical links, sharing cards, JSON-LD), so a preview started after a build, or on another port, renders no page
again; its server adds the preview's scripts to every page it sends, and the folder it serves holds none."""

from __future__ import annotations

import re

import pytest

from tests.cli import start_frontline
from tests.e2e.test_preview import _free_port, _get, _wait_for
from tests.sites import make_site, story

STORY_URL = "2021/05/bai-so-3/"


def _cache_entries(site) -> set[str]:
    return {path.name for path in (site.root / ".cache/frontline/pages").glob("*.html")}


def _serve(site, tmp_path, name: str, engine: str) -> tuple[str, str, str]:
    """A preview on a new port: the home page and a story as served, and the story's page in the served folder."""
    port = _free_port()
    temporary = tmp_path / name
    temporary.mkdir()
    server = start_frontline(
        "preview",
        "--engine",
        engine,
        "-a",
        f"127.0.0.1:{port}",
        cwd=site.root,
        config=site.config,
        env={"TMPDIR": str(temporary)},
    )
    try:
        base = f"http://127.0.0.1:{port}/tin/"
        home = _wait_for(base, "Bài số 7", 60)
        served = _get(base + STORY_URL) or ""
        written = (site.root / ".cache/frontline/preview-site" / STORY_URL / "index.html").read_text(encoding="utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return home, served, written


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_preview_reuses_the_built_pages_and_adds_its_scripts_when_serving(tmp_path, engine):
    site = make_site(tmp_path / "newsroom")
    for n in range(8):
        site.write(f"stories/2021/05/bai-{n}.md", story(f"Bài số {n}", f"2021-05-{10 + n}T09:00", campaign="bac-giang"))
    assert site.build(engine=engine).returncode == 0  # by the same engine: each page names the one that built it
    built = (site.site_dir / STORY_URL / "index.html").read_text(encoding="utf-8")
    entries = _cache_entries(site)
    assert entries

    for name in ("first", "second"):  # two previews, each on a port of its own
        home, served, written = _serve(site, tmp_path, name, engine)
        assert _cache_entries(site) == entries, f"{name} preview rendered pages again"
        assert written == built  # the served folder holds the production page, byte for byte
        assert '<link rel="canonical" href="https://example.vn/tin/2021/05/bai-so-3/">' in served
        assert "127.0.0.1" not in served.split("</head>")[0]
        # What the server adds before </body>: its livereload script, then the problems banner's script.
        end = built.rindex("</body>")
        assert served.startswith(built[:end]) and served.endswith(built[end:])
        added = served[end : len(served) - len(built) + end]
        assert re.search(
            r'<script src="/tin/assets/javascripts/frontline-preview\.js" '
            r'data-problems="/tin/_xem-truoc/loi\.json"></script>\s*$',
            added,
        ), added
        assert "frontline-preview.js" in home
