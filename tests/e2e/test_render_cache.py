"""Frontline's own renderer: parallel, cached, and byte-identical to a plain serial build."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from frontline.build.cache import PageCache
from frontline.content.slugs import slugify_vi
from frontline.engine.template_code import FOLDER_VARIABLE
from tests.cli import REPO
from tests.sites import make_site, story
from tests.snapshots import differences

PLACES = ["Bắc Giang", "Đà Nẵng", "Hà Nội", "Bình Dương"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("cache") / "newsroom")
    for n in range(130):
        day = 16 + n % 14
        site.write(
            f"stories/2021/05/bai-{n:03d}.md",
            story(
                f"Bài số {n} về tuyến đầu",
                f"2021-05-{day:02d}T{8 + n % 10:02d}:{n % 60:02d}",
                campaign="bac-giang" if n % 3 else "''",
                location=PLACES[n % 4],
                tags=f"[chủ đề {n % 5}, y tế]",
                body=f"Đoạn mở đầu của bài {n}.\n\nXem thêm [bài trước](bai-{max(n - 1, 0):03d}.md).",
            ),
        )
    return site


def _build(site, target, *, workers, cache, preview=False, template_code=None):
    env = {"SOURCE_DATE_EPOCH": "1622505600"}
    if template_code is not None:
        env[FOLDER_VARIABLE] = str(template_code)
    options = {"workers": workers, "fresh": not cache, "preview": preview, "extra_env": env}
    return site.built(site_dir=target, now=None, timeout=600, **options)


def _warm_and_cold_after(corpus, tmp_path, name, change):
    """A warm, then a cold build with story ``name`` changed by ``change(text)`` (``None``: deleted); then put back."""
    path = corpus.root / "stories/2021/05" / name
    original = path.read_text(encoding="utf-8")
    # The builds record where each story was published; the story is put back, and so is that record (the
    # module's other tests share the corpus and its cache, and would see the story moving back as a move).
    addresses = corpus.root / ".cache/frontline/addresses.json"
    recorded = addresses.read_bytes() if addresses.exists() else None
    try:
        changed = change(original)
        if changed is None:
            path.unlink()
        else:
            path.write_text(changed, encoding="utf-8")
        warm = _build(corpus, tmp_path / "warm", workers=2, cache=True)
        cold = _build(corpus, tmp_path / "cold", workers=1, cache=False)
    finally:
        path.write_text(original, encoding="utf-8")
        if recorded is not None:
            addresses.write_bytes(recorded)
    return warm, cold


def _moved(text: str, old_title: str, new_title: str) -> str:
    """A retitled story, with its old address as an alias, as check asks of a published story that moves."""
    old = f"2021/05/{slugify_vi(old_title)}/"
    return text.replace(old_title, new_title).replace("\n---\n", f"\naliases: [{old}]\n---\n", 1)


def test_parallel_cached_and_serial_builds_are_byte_identical(corpus, tmp_path):
    """Serial, each template compiled in the build; parallel, storing the compiled templates; parallel again,
    running them; warm, from the page cache."""
    compiled = tmp_path / "compiled-templates"
    serial = _build(corpus, tmp_path / "serial", workers=1, cache=False, template_code="")
    parallel = _build(corpus, tmp_path / "parallel", workers=2, cache=False, template_code=compiled)
    stored = {path.name: path.stat().st_ino for path in compiled.iterdir()}
    assert len(stored) > 20  # Material's and Frontline's templates
    parallel_again = _build(corpus, tmp_path / "parallel-again", workers=2, cache=False, template_code=compiled)
    assert {path.name: path.stat().st_ino for path in compiled.iterdir()} == stored  # read, not written again
    warm = _build(corpus, tmp_path / "warm", workers=2, cache=True)
    assert len([p for p in serial if p.endswith("index.html") and p.startswith("2021/05/")]) == 130
    assert differences(serial, parallel) == []
    assert differences(serial, parallel_again) == []
    assert differences(serial, warm) == []


# Loaded by every Python process of the build (``sitecustomize``): lowers the number of pages from which the build's
# own process renders beside its workers to none, and notes which process rendered which page.
RENDER_HERE_SHIM = """\
import os
log = os.environ.get("RENDERED_BY_LOG")
if log:
    import frontline.engine.render as render
    render.RENDER_HERE_FROM = 1
    batch = render._render_batch
    def noted(jobs):
        with open(log, "a", encoding="utf-8") as file:
            file.writelines(f"{os.getpid()} {job.src_uri}\\n" for job in jobs)
        return batch(jobs)
    render._render_batch = noted
"""


def _shimmed(tmp_path, log):
    shim = tmp_path / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sitecustomize.py").write_text(RENDER_HERE_SHIM, encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(shim), str(REPO), os.environ.get("PYTHONPATH")]))
    return {"SOURCE_DATE_EPOCH": "1622505600", "PYTHONPATH": path, "RENDERED_BY_LOG": str(log)}


def _by_process(log) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, src_uri = line.split(" ", 1)
        found.setdefault(pid, []).append(src_uri)
    return found


def test_a_build_that_renders_beside_one_worker_fewer_is_byte_identical(corpus, tmp_path):
    """A big archive's build renders in its own process too, taking chunks from the end that no worker started:
    every story once, by two processes, as a serial build writes it."""
    log = tmp_path / "rendered-by.txt"
    env = _shimmed(tmp_path, log)
    here = corpus.built(site_dir=tmp_path / "here", workers=2, fresh=True, extra_env=env, now=None, timeout=600)
    serial = _build(corpus, tmp_path / "serial", workers=1, cache=False)
    assert differences(serial, here) == []
    stories = {pid: [s for s in uris if s.startswith("stories/")] for pid, uris in _by_process(log).items()}
    stories = {pid: uris for pid, uris in stories.items() if uris}
    assert len(stories) == 2, {pid: len(uris) for pid, uris in stories.items()}
    assert min(len(uris) for uris in stories.values()) > 2
    every = [uri for uris in stories.values() for uri in uris]
    assert len(every) == len(set(every)) == 130  # none lost, none twice


def test_a_warning_on_a_page_the_build_renders_itself_fails_every_strict_build(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/bai-cu.md", story("Bài cũ", "2021-05-01", draft="true"))
    warned = {f"stories/2021/05/bai-{n:03d}.md" for n in range(0, 130, 7)}
    for n in range(130):
        body = "Xem [bài nháp](bai-cu.md)." if f"stories/2021/05/bai-{n:03d}.md" in warned else f"Đoạn {n}."
        site.write(f"stories/2021/05/bai-{n:03d}.md", story(f"Bài số {n}", f"2021-05-{1 + n % 28:02d}", body=body))
    log = tmp_path / "rendered-by.txt"
    env = _shimmed(tmp_path, log)
    result = site.build(workers=2, fresh=True, extra_env=env, now="2021-12-31T00:00", quiet=False)
    assert result.returncode == 1, result.stderr
    by = _by_process(log)
    parent = max(by, key=lambda pid: len(by[pid]))  # the primers and the listings are the build's own
    assert warned & set(by[parent]), "some warned page was rendered by the build's own process"
    assert sum("contains a link 'bai-cu.md'" in line for line in result.stderr.splitlines()) == len(warned)
    log.unlink()
    result = site.build(workers=2, extra_env=env, now="2021-12-31T00:00", quiet=False)
    assert result.returncode == 1, result.stderr
    assert warned <= {uri for uris in _by_process(log).values() for uri in uris}, "warned pages are not cached"


def test_an_edit_rebuilds_what_it_touches_and_matches_a_cold_build(corpus, tmp_path):
    _build(corpus, tmp_path / "before", workers=2, cache=True)
    warm, cold = _warm_and_cold_after(
        corpus, tmp_path, "bai-007.md", lambda text: _moved(text, "Bài số 7 về tuyến đầu", "Bài số 7 đã sửa tiêu đề")
    )
    assert differences(warm, cold) == []
    assert "Bài số 7 đã sửa tiêu đề" in warm["2021/05/bai-so-7-da-sua-tieu-de/index.html"].decode()
    assert "bai-so-7-da-sua-tieu-de/" in warm["2021/05/bai-so-7-ve-tuyen-dau/index.html"].decode()  # a redirect
    # bài 8 links to bài 7 in its body: the cached page must not keep the old address
    assert 'href="../bai-so-7-da-sua-tieu-de/"' in warm["2021/05/bai-so-8-ve-tuyen-dau/index.html"].decode()


def test_a_story_joining_a_feed_carries_its_body_from_a_warm_build(corpus, tmp_path):
    """The site feed holds the 50 newest stories: moving the newest back a month (deleting it would break the
    next story's link to it) brings in the 51st, whose page (and cache entry) did not change and so has no body
    kept for feeds."""
    _build(corpus, tmp_path / "before", workers=2, cache=True)

    def backdated(text):
        assert "date: 2021-05-29T13:05" in text
        moved = text.replace("date: 2021-05-29T13:05", "date: 2021-04-01T08:00")
        return moved.replace("\n---\n", "\naliases: [2021/05/bai-so-125-ve-tuyen-dau/]\n---\n", 1)

    warm, cold = _warm_and_cold_after(corpus, tmp_path, "bai-125.md", backdated)
    assert differences(warm, cold) == []
    feed = warm["feed.xml"].decode()
    assert feed.count("<item>") == 50
    assert feed.count("Đoạn mở đầu của bài") == 100  # every item: in its summary and its body


def test_an_unreadable_body_store_costs_a_render_not_the_feeds(corpus, tmp_path):
    """Feeds carry story bodies kept in ``bodies.sqlite`` from earlier builds; a damaged file is started afresh."""
    _build(corpus, tmp_path / "before", workers=2, cache=True)
    store = corpus.root / ".cache/frontline/pages/bodies.sqlite"
    assert store.is_file()
    store.write_bytes(b"not a database " * 100)
    warm, cold = _warm_and_cold_after(
        corpus, tmp_path, "bai-011.md", lambda text: _moved(text, "Bài số 11 về tuyến đầu", "Bài số 11, bản sửa")
    )
    assert differences(warm, cold) == []
    assert warm["feed.xml"].decode().count("Đoạn mở đầu của bài") == 100


def test_previews_and_production_builds_keep_each_others_cached_pages(corpus, tmp_path):
    """Two preview sessions between production builds: the second production build still links every
    story page from the entry the first one stored (the same file: nothing rendered again)."""
    story = "2021/05/bai-so-3-ve-tuyen-dau/index.html"
    _build(corpus, tmp_path / "first", workers=2, cache=True)
    stored = (tmp_path / "first" / story).stat()
    assert stored.st_nlink >= 2  # the site's page and the cache entry are one file
    for number in (1, 2):
        _build(corpus, tmp_path / f"preview-{number}", workers=2, cache=True, preview=True)
        # a preview's page is the production build's own (test_preview_address.py), linked from the same entry
        assert (tmp_path / f"preview-{number}" / story).stat().st_ino == stored.st_ino
    _build(corpus, tmp_path / "second", workers=2, cache=True)
    assert (tmp_path / "second" / story).stat().st_ino == stored.st_ino


def test_one_markdown_converter_for_many_stories_carries_nothing_from_one_to_the_next(tmp_path):
    """The renderer converts every story with one reused converter a process: each story's footnotes,
    heading ids, abbreviations and code blocks are its own, serially and across workers."""
    site = make_site(tmp_path / "newsroom")
    config = site.root / "mkdocs.yml"
    extensions = "  - frontline.markdown_ext\n"
    extra = "  - footnotes\n  - abbr\n  - toc\n  - pymdownx.superfences\n"
    config.write_text(config.read_text(encoding="utf-8").replace(extensions, extensions + extra), encoding="utf-8")
    for n in range(120):
        abbreviation = f"\n\n*[BV]: Bệnh viện số {n}" if n % 2 else ""  # the same word, explained in half of them
        body = (
            f"## Diễn biến\n\nBV tiếp nhận ca bệnh.[^nguon]\n\n```\nmã {n}\n```\n\n"
            f"[^nguon]: Nguồn của bài {n}.{abbreviation}"
        )
        site.write(f"stories/2021/05/bai-{n:03d}.md", story(f"Bài {n} giữa đợt dịch", "2021-05-20", body=body))
    for workers in (1, 2):
        pages = _build(site, tmp_path / f"site-{workers}", workers=workers, cache=False)
        for n in range(120):
            html = pages[f"2021/05/bai-{n}-giua-dot-dich/index.html"].decode()
            assert html.count('class="footnote"') == 1 and f"Nguồn của bài {n}." in html
            assert html.count("Nguồn của bài") == 1
            assert '<h2 id="dien-bien">' in html
            assert '<sup id="fnref:nguon">' in html
            assert html.count("<abbr") == n % 2 and html.count("Bệnh viện số") == n % 2
            assert html.count("mã ") == 1 and f"mã {n}\n" in html


STOPPING_EXTENSION = """
import multiprocessing, os
from markdown import Extension
from markdown.preprocessors import Preprocessor


class _Stop(Preprocessor):
    def run(self, lines):
        if multiprocessing.parent_process() is not None and any("TẮT MÁY" in line for line in lines):
            os._exit(9)  # as the kernel's out-of-memory killer would end a render worker
        return lines


class StopExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_Stop(md), "tat_may", 100)


def makeExtension(**kwargs):
    return StopExtension(**kwargs)
"""


def test_a_render_worker_that_dies_fails_the_build_at_once_with_what_to_do(tmp_path):
    site = make_site(tmp_path / "newsroom")
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - frontline.markdown_ext\n", "  - frontline.markdown_ext\n  - tat_may\n"
        ),
        encoding="utf-8",
    )
    site.write("tat_may.py", STOPPING_EXTENSION)
    for n in range(110):
        body = "TẮT MÁY" if n == 77 else f"Đoạn mở đầu của bài {n}."
        site.write(f"stories/2021/05/bai-{n:03d}.md", story(f"Bài số {n}", f"2021-05-{1 + n % 28:02d}", body=body))
    # multiprocessing.Pool waited for ever for the chunk a killed worker held; 120 s would end such a wait.
    result = site.build(
        strict=False, workers=2, now="2021-12-31T00:00", extra_env={"PYTHONPATH": str(site.root)}, timeout=120
    )
    assert result.returncode == 1
    assert "Một tiến trình dựng trang dừng đột ngột. Máy có thể đã hết bộ nhớ" in result.stderr
    assert "FRONTLINE_WORKERS=1" in result.stderr and "Traceback" not in result.stderr


def test_the_cache_keeps_in_one_folder_what_the_last_two_builds_used(tmp_path):
    """Entries are files named by their keys and contents' digests, in one folder (no folder to create for an
    entry); a build's retain() deletes what neither it nor the build before used."""
    folder, site = tmp_path / "pages", tmp_path / "site"
    site.mkdir()
    keys = {name: name * 40 for name in "abcd"}

    def build(*used: str, feed: str = "") -> int:
        cache = PageCache(folder)
        for name in used:
            page = site / f"{name}.html"
            page.write_text(f"trang {name}", encoding="utf-8")
            cache.store(keys[name], page)
        if feed:
            (site / "feed.xml").write_text("<rss/>", encoding="utf-8")
            cache.store(keys[feed], site / "feed.xml", suffix=".rss")
        cache.keep_fragments([(keys[name], f"<p>{name}</p>") for name in used])
        return cache.retain()

    assert build("a", "b", "c", feed="d") == 0
    assert build("a") == 0  # b, c and d: used by the build before
    assert build("a") == 2 * 2 + 1  # b, c (pages and bodies) and d, used by neither
    assert [path.name.split("-")[0] for path in folder.iterdir() if path.name.endswith(".html")] == [keys["a"]]
    fetched = tmp_path / "fetched.html"
    assert PageCache(folder).fetch(keys["a"], fetched) and fetched.read_text(encoding="utf-8") == "trang a"
    assert PageCache(folder).fragment(keys["a"]) == "<p>a</p>"
    assert not PageCache(folder).fetch(keys["b"], tmp_path / "gone.html")


def test_links_between_stories_resolve_quietly_and_a_broken_one_warns_from_any_process(tmp_path):
    """A story's Markdown link to another story's file leads to that story's page, from a story or a page of
    docs/, with nothing said about it (MkDocs would call the target "excluded": Frontline marks its own pages
    so); a link to a story that is not published (its file exists: `check` passes it) warns, naming the story,
    whichever process renders it."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/bai-cu.md", story("Bài cũ", "2021-05-01", draft="true"))
    for n in range(110):
        body = f"Đoạn mở đầu của bài {n}."
        if n == 40:
            body += "\n\nXem [bài sau](bai-041.md) và [bài nháp](bai-cu.md)."
        site.write(f"stories/2021/05/bai-{n:03d}.md", story(f"Bài số {n}", f"2021-05-{1 + n % 28:02d}", body=body))
    site.write("docs/gioi-thieu.md", "# Giới thiệu\n\nĐọc [bài số 41](stories/2021/05/bai-041.md).\n")
    for workers in (1, 2):
        # fresh: a cached page is not rendered, nor checked, again
        result = site.build(fresh=True, workers=workers, now=None, strict=False, quiet=False)
        assert result.returncode == 0, result.stderr
        warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
        assert len(warnings) == 1, result.stderr
        assert "'stories/2021/05/bai-040.md'" in warnings[0] and "'bai-cu.md'" in warnings[0]
        assert "excluded" not in result.stderr
        assert site.html("2021/05/bai-so-40/").find("a", string="bài sau")["href"] == "../bai-so-41/"
        assert site.html("gioi-thieu/").find("a", string="bài số 41")["href"] == "../2021/05/bai-so-41/"


def test_a_story_that_warns_fails_every_strict_build_until_mended_under_either_engine(tmp_path):
    """Its page is not cached, so the next build renders it and warns again (a second `frontline build` used to
    pass); and a worker's warning counts under ProperDocs too (it was printed, not counted). Its link is to a draft,
    whose file exists (a link to no file stops `check` and the build before anything renders)."""
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/bai-cu.md", story("Bài cũ", "2021-05-01", draft="true"))
    for n in range(110):
        body = "Xem [bài nháp](bai-cu.md)." if n == 40 else f"Đoạn mở đầu của bài {n}."
        site.write(f"stories/2021/05/bai-{n:03d}.md", story(f"Bài số {n}", f"2021-05-{1 + n % 28:02d}", body=body))

    def strict_build(engine: str, workers: int) -> subprocess.CompletedProcess:
        return site.build(engine=engine, workers=workers, now="2021-12-31T00:00", quiet=False)

    for engine, workers in (("mkdocs", 1), ("mkdocs", 2), ("properdocs", 2)):
        shutil.rmtree(site.root / ".cache", ignore_errors=True)
        for attempt in ("cold", "warm"):
            result = strict_build(engine, workers)
            assert result.returncode == 1, (engine, workers, attempt, result.stderr)
            assert "'stories/2021/05/bai-040.md' contains a link 'bai-cu.md'" in result.stderr
    site.write("stories/2021/05/bai-040.md", story("Bài số 40", "2021-05-13", body="Đã sửa liên kết."))
    result = strict_build("mkdocs", 2)
    assert result.returncode == 0, result.stderr
