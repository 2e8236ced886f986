"""``frontline verify`` (and so ``publish``) reads the stories through the build's memo, and is still a check of the
site against the content as it is now: a story changed after the build is read again, and what verify reports is
the same with the memo or without it. A draft sharing a published story's title is not a leak."""

from __future__ import annotations

from frontline.build.cache import CACHE_FOLDER
from frontline.content.memo import MEMO_FILE
from tests.cli import run_frontline
from tests.sites import story


def _newsroom(site):
    site.write("stories/2021/05/a.md", story("Lên đường chi viện Bắc Giang", "2021-05-17T06:00", campaign="bac-giang"))
    site.write("stories/2021/05/b.md", story("Bệnh viện dã chiến tiếp nhận", "2021-05-20T09:30", campaign="bac-giang"))
    # A rewrite in progress of a published story: same title, another address.
    site.write(
        "stories/2021/05/a-sua.md",
        story("Lên đường chi viện Bắc Giang", "2021-05-18T06:00", campaign="bac-giang", draft="true", slug="a-sua"),
    )
    site.write("stories/2021/05/nhap.md", story("Bản nháp chưa duyệt", "2021-05-21", draft="true"))
    # A draft whose id (its path) starts a published story's: ``2021/05/tin`` and ``2021/05/tin-2``.
    site.write("stories/2021/05/tin.md", story("Tin chưa xong", "2021-05-22", draft="true"))
    site.write("stories/2021/05/tin-2.md", story("Tin đã xong", "2021-05-22T10:00", campaign="bac-giang"))
    return site


def test_a_draft_repeating_a_published_title_is_no_leak_but_its_address_would_be(site):
    _newsroom(site)
    assert site.build().returncode == 0
    ok = run_frontline("verify", cwd=site.root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "3 bài đã xuất bản, 3 bài nháp hoặc hẹn giờ" in ok.stdout
    # The draft's own marks are still looked for everywhere: its address, and the other draft's unique title.
    feed = site.site_dir / "feed.xml"
    feed.write_text(
        feed.read_text(encoding="utf-8").replace("</channel>", "<!-- 2021/05/a-sua/ --></channel>"), encoding="utf-8"
    )
    page = site.site_dir / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "Bản nháp chưa duyệt", encoding="utf-8")
    bad = run_frontline("verify", cwd=site.root)
    assert bad.returncode == 1
    assert "stories/2021/05/a-sua.md: bài chưa xuất bản xuất hiện trong feed.xml." in bad.stdout
    assert "stories/2021/05/nhap.md: bài chưa xuất bản xuất hiện trong index.html." in bad.stdout
    assert "a-sua.md: bài chưa xuất bản xuất hiện trong index.html" not in bad.stdout


def test_verify_reads_again_a_story_changed_after_the_build_and_says_the_same_with_or_without_the_memo(site):
    _newsroom(site)
    assert site.build().returncode == 0
    memo = site.root / CACHE_FOLDER / MEMO_FILE
    assert memo.is_file()
    with_memo = run_frontline("verify", cwd=site.root)
    assert with_memo.returncode == 0, with_memo.stdout + with_memo.stderr
    # Withdrawn after the build: the memo's reading of it is stale, and verify must see the draft's page.
    path = site.root / "stories/2021/05/b.md"
    path.write_text(path.read_text(encoding="utf-8").replace("campaign:", "draft: true\ncampaign:"), encoding="utf-8")
    stale = run_frontline("verify", cwd=site.root)
    assert stale.returncode == 1
    assert "stories/2021/05/b.md: bài chưa xuất bản có trang /2021/05/benh-vien-da-chien-tiep-nhan/." in stale.stdout
    memo.unlink()
    fresh = run_frontline("verify", cwd=site.root)
    assert (fresh.returncode, fresh.stdout) == (stale.returncode, stale.stdout)
    assert not memo.exists()  # verify reads the build's memo, never writes it
