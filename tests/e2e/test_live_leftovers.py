"""Live pages, what issue 25 left: a mistake in one update leaves the page up in the preview (built from its valid
updates, the problem in the preview's banner) while `frontline build` still refuses it; live pages are in the Google
News sitemap (started in the last two days, or still live) and in the search index."""

from __future__ import annotations

import json

from lxml import etree

from tests.e2e.test_incremental_preview import PreviewProcess, _clean_build
from tests.live_fixture import LIVE_ID, LIVE_URL, make_live_site, update
from tests.sites import search_documents
from tests.snapshots import differences, snapshot

FOLDER = f"stories/live/{LIVE_ID}"
NEWS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}


def test_an_invalid_update_leaves_the_page_up_in_the_preview_and_the_build_refuses_it(tmp_path):
    site = make_live_site(tmp_path / "newsroom")
    served = tmp_path / "served"
    preview = PreviewProcess(site, served)
    try:
        assert preview.result == "built"
        site.write(f"{FOLDER}/1000-sai.md", update("2021-05-21T10:00", "Tác giả sai.", authors="[khong-co]"))
        result = preview.rebuild()
        assert result.startswith("built, warned: Nội dung có 1 lỗi"), result
        page = (served / LIVE_URL / "index.html").read_text(encoding="utf-8")
        assert 'id="cap-nhat-0630-xuat-phat"' in page and 'id="cap-nhat-0800-ngay-hai"' in page
        assert "cap-nhat-1000-sai" not in page and "Tác giả sai." not in page
        problems = json.loads((served / "_xem-truoc/loi.json").read_text(encoding="utf-8"))
        assert [p["text"].split(": ")[0] for p in problems] == [f"{FOLDER}/1000-sai.md:3"]
        updates = json.loads((served / LIVE_URL / "updates.json").read_text(encoding="utf-8"))
        assert [u["id"] for u in updates["updates"]] == [
            "0800-ngay-hai",
            "1400-khu-dieu-tri",
            "0900-tiep-nhan",
            "0630-xuat-phat",
        ]
        assert differences(snapshot(served), _clean_build(site, tmp_path / "clean")) == []
    finally:
        preview.close()
    build = site.build()
    assert (
        build.returncode == 1
        and f"{FOLDER}/1000-sai.md:3: authors: không có tác giả 'khong-co'" in build.stdout + build.stderr
    )


def _news(site) -> dict[str, tuple[str, str]]:
    root = etree.fromstring((site.site_dir / "news-sitemap.xml").read_bytes())
    return {
        url.findtext("s:loc", namespaces=NEWS): (
            url.findtext("n:news/n:publication_date", namespaces=NEWS),
            url.findtext("n:news/n:title", namespaces=NEWS),
        )
        for url in root.iterfind("s:url", NEWS)
    }


def test_a_live_page_is_in_the_news_sitemap_while_recent_or_live(tmp_path):
    address = f"https://example.vn/tin/{LIVE_URL}"
    live = make_live_site(tmp_path / "live")
    assert live.build().returncode == 0  # long after its start, still live (no end)
    assert _news(live)[address] == ("2021-05-20T06:00:00+07:00", "Bắc Giang ngày cao điểm")
    ended = make_live_site(tmp_path / "ended", end="2021-05-21T20:00")
    assert ended.build(now="2021-05-21T21:00:00+07:00").returncode == 0  # ended, but started a day and a half ago
    news = _news(ended)
    assert list(news) == [address]  # the story, 61 hours old, is not
    assert ended.build().returncode == 0  # ended months ago
    assert address not in _news(ended)


def test_a_live_page_is_in_the_search_index(tmp_path):
    site = make_live_site(tmp_path / "newsroom")
    assert site.build().returncode == 0
    (record,) = [d for d in search_documents(site.site_dir) if d["url"] == LIVE_URL]
    assert record["meta"]["kind"] == "Trực tiếp" and record["meta"]["title"] == "Bắc Giang ngày cao điểm"
    assert "tiep nhan 120 benh nhan" in record["content"].lower()  # the pinned update's words, folded
