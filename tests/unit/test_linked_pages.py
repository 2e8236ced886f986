"""A warm build's cached pages put into the site folder by threads (``render._uncached``), as a preview's first build
puts the whole site: every cached page linked where it goes, the others left to render, in their order."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from frontline.build.cache import PageCache
from frontline.engine.render import FETCH_THREADS_FROM, PageJob, _uncached


def test_threads_link_every_cached_page_and_leave_the_others_in_order(tmp_path: Path) -> None:
    site, rendered = tmp_path / "site", tmp_path / "rendered"
    rendered.mkdir()
    writing = PageCache(tmp_path / "cache")
    count = FETCH_THREADS_FROM * 3 + 7  # in threads, and not a multiple of their chunks
    jobs, files = [], {}
    for n in range(count):
        files[f"{n}.md"] = SimpleNamespace(abs_dest_path=str(site / f"2021/{n % 13:02d}/tin-{n}/index.html"))
        jobs.append(PageJob(f"{n}.md", f"{n:016x}"))  # a key is a hex digest
        if n % 5:  # every fifth page not cached
            page = rendered / f"{n}.html"
            page.write_text(f"<p>Trang {n}</p>", encoding="utf-8")
            writing.store(f"{n:016x}", page)

    left = _uncached(jobs, SimpleNamespace(src_uris=files), PageCache(tmp_path / "cache"), workers=2)

    assert left == [job for n, job in enumerate(jobs) if n % 5 == 0]
    for n in range(count):
        page = Path(files[f"{n}.md"].abs_dest_path)
        assert (page.read_text(encoding="utf-8") if n % 5 else page.exists()) == (
            f"<p>Trang {n}</p>" if n % 5 else False
        )
