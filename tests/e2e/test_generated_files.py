"""docs/ and the files the build writes itself: a file of docs/ where the build writes a feed, robots.txt, the search
bundle or the preview's problem list is told, not silently replaced; a docs page cannot stand in for a live page; a
production build does not ship the preview's script."""

from __future__ import annotations

from tests.cli import run_frontline
from tests.live_fixture import LIVE_ID, make_live_site
from tests.sites import make_site, story

TAKEN = (
    "robots.txt",
    "feed.json",
    "_xem-truoc/loi.json",
    "places/bac-giang/feed.json",
    "campaigns/bac-giang/timeline.json",
    "truc-tiep/ngay-dau/updates.json",
    "pagefind/pagefind-entry.json",
)


def test_a_docs_file_where_the_build_writes_its_own_is_a_problem_for_check_and_build(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/bai.md", story("Bài ở Bắc Giang", "2021-05-20T09:30", location="Bắc Giang"))
    for name in TAKEN:
        site.write(f"docs/{name}", "{}\n")
    site.write("docs/places/bac-giang/ban-do.json", "{}\n")  # a file of its own beside a section's: allowed
    checked = run_frontline("check", cwd=site.root)
    assert checked.returncode == 1
    for name in TAKEN:
        assert f"docs/{name}:1: tệp: Frontline tự tạo tệp /{name} khi dựng trang" in checked.stdout, name
    assert "ban-do.json" not in checked.stdout
    built = run_frontline("build", cwd=site.root)
    assert built.returncode == 1
    assert "docs/robots.txt:1: tệp:" in built.stdout + built.stderr


def test_a_docs_page_at_a_live_pages_address_is_refused(tmp_path):
    site = make_live_site(tmp_path / "newsroom")
    site.write(f"docs/truc-tiep/{LIVE_ID}/index.md", "# Trang đè lên trang trực tiếp\n")
    result = site.build()
    assert result.returncode != 0
    assert f"stories/live/{LIVE_ID}/index.md: trùng tệp truc-tiep/{LIVE_ID}/index.md trong docs/" in result.stderr


def test_a_production_build_leaves_the_preview_script_out_and_a_preview_keeps_it(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/bai.md", story("Bài ở Bắc Giang", "2021-05-20T09:30", location="Bắc Giang"))
    assert site.build().returncode == 0
    script = "assets/javascripts/frontline-preview.js"
    assert not (site.site_dir / script).exists()
    assert (site.site_dir / "assets/javascripts/frontline-search.js").is_file()
    preview = site.build(preview=True, site_dir=str(tmp_path / "preview"))
    assert preview.returncode == 0, preview.stderr
    assert (tmp_path / "preview" / script).is_file()
