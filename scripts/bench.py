#!/usr/bin/env python3
"""Benchmark Frontline at newsroom scale ("Newsroom scale").

    .venv/bin/python scripts/bench.py [--sizes 1000 10000] [--work DIR] [--skip-bare]

For each N: generate a synthetic corpus (scripts/gen_corpus.py), build it cold and
warm with ``mkdocs build`` from this interpreter's bin folder, weigh the output (a
story page and what it links, the first search), and time an edit in ``frontline preview``
from saving the file to the new page being served. For the 1,000-story corpus a
"bare Material" site with the same stories gives a baseline. Prints a Markdown table
and writes it, with the machine, to scripts/bench/RESULTS.md. Linux only (os.wait4).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import gzip
import http.client
import importlib.util
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from frontline.engine.template_code import FOLDER_VARIABLE as TEMPLATE_CODE_VARIABLE

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its neighbour below, also when it is loaded by path
import hugo_site  # noqa: E402

SCRIPTS = Path(__file__).resolve().parent
BENCH_DIR = SCRIPTS / "bench"
RESULTS = BENCH_DIR / "RESULTS.md"
BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs"
FRONTLINE = BIN / "frontline"
BUILD_ENV = {"FRONTLINE_NOW": "2026-01-01T00:00:00+07:00"}
"""A fixed "now": every generated story (2020–2025) is published, whatever the date of the run. ``main`` adds
where Frontline keeps compiled templates: in the work folder."""
TEMPLATE_CODE_FOLDER = "compiled-templates"
COMPILING_EVERY_BUILD = {TEMPLATE_CODE_VARIABLE: ""}
"""Frontline with no folder for compiled templates: each build compiles them, as the first build after an install."""
COMPILING_ROW = "Frontline, templates compiled in the build"
BARE_SIZE = 1000
BARE_MARKER = ".bench-bare"
COLD_FOLDERS = ("site", ".cache")
"""Moved away before a cold build: the output and the caches kept in the project (Frontline's .cache/frontline)."""
TRASH = ".trash"
"""Under the work folder: what the run replaces, deleted when it ends. Nothing is deleted while builds are measured:
on this kind of disk (ext4 without a journal) a new file skips the inodes freed in the last minutes, so a build
right after a deletion of thousands of files pays for it, and would be timed with the deletion that came before it."""
RETIRED = Path(".cache/frontline/retired")
"""Where a Frontline build moves the site it replaces, deleted by a process left running after the build."""
CORPUS_MARKER = ".frontline-corpus"
"""Written by gen_corpus.py; a folder holding it may be deleted and generated again."""
POLL_SECONDS = 0.05
RSS_SAMPLE_SECONDS = 0.02
EDIT_TIMEOUT = 300.0
EDITS = 3
"""Saves timed in one preview session; the median is reported (the session's first build is the slow part)."""
LIVE_ID = "bench-truc-tiep"
LIVE_UPDATES = 500
"""Updates of the live page the live case adds to the corpus (issue 25's "Speed")."""


class BenchError(RuntimeError):
    """A step failed or timed out; the message says which and shows the tool's output."""


# -- running things ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_kib: int
    """Peak RSS of the command's own process (``VmHWM``, sampled every 20 ms until it exits)."""
    tree_rss_kib: int
    """Largest peak RSS of the process and its waited-for children (``os.wait4`` rusage), e.g. Pagefind."""
    output: str
    sum_rss_kib: int = 0
    """Peak of the RSS summed over the process and all its descendants at one moment (sampled): what a runner
    must hold. Memory forked children share with their parent counts once per process, as the kernel's RSS does."""
    user: float = 0.0
    system: float = 0.0
    """CPU seconds of the process and its waited-for children (``os.wait4`` rusage), in user space and in the kernel."""


def compile_sources() -> None:
    """Frontline's bytecode, as a regular install writes it (an editable one leaves it to the first import,
    which ``PYTHONDONTWRITEBYTECODE`` forbids): the builds load Frontline's modules as they load MkDocs' and
    Material's, instead of compiling them again in each build and timing that."""
    for folder in ("frontline", "hooks"):
        if not compileall.compile_dir(SCRIPTS.parent / folder, quiet=1):
            raise BenchError(f"{folder}/ does not compile")


def build_timeout(stories: int) -> float:
    """Generous per-step limit: a large corpus on a busy shared machine may take minutes."""
    return 300.0 + 0.3 * stories


def high_water_kib(pid: int) -> int:
    """The process's peak RSS so far (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from ``/proc/<pid>/task/<tid>/children``."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            with contextlib.suppress(OSError):
                pending += [int(child) for child in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
    return found


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_rss_now_kib(pid: int) -> int:
    """The RSS of ``pid`` and its descendants summed, now (``statm``'s resident pages)."""
    total = 0
    for member in descendants(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * PAGE_KIB
    return total


def run_measured(
    command: list[str], *, timeout: float, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run ``command`` (``env`` added to its environment) with a time limit; return its wall time, peak RSS, output."""
    env = {**os.environ, **BUILD_ENV, **(env or {})}
    with tempfile.TemporaryFile() as captured:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=captured, stderr=subprocess.STDOUT)
        reaped: dict[str, object] = {}

        def reap() -> None:
            reaped["status"] = os.wait4(process.pid, 0)
            reaped["ended"] = time.perf_counter()

        waiter = threading.Thread(target=reap, daemon=True)
        waiter.start()
        rss = summed = 0
        while waiter.is_alive() and time.perf_counter() - started < timeout:
            if "status" not in reaped:
                rss = max(rss, high_water_kib(process.pid))
                summed = max(summed, tree_rss_now_kib(process.pid))
            waiter.join(RSS_SAMPLE_SECONDS)
        timed_out = waiter.is_alive()
        if timed_out:
            process.kill()
            waiter.join()
        _, status, usage = reaped["status"]  # type: ignore[misc]
        process.returncode = os.waitstatus_to_exitcode(status)
        captured.seek(0)
        output = captured.read().decode("utf-8", "replace")
    if timed_out:
        raise BenchError(f"timed out after {timeout:.0f} s: {' '.join(command)}\n{tail(output)}")
    if process.returncode != 0:
        raise BenchError(f"exit code {process.returncode}: {' '.join(command)}\n{tail(output)}")
    seconds = reaped["ended"] - started  # type: ignore[operator]
    return Run(
        seconds,
        rss or usage.ru_maxrss,
        usage.ru_maxrss,
        output,
        summed or usage.ru_maxrss,
        usage.ru_utime,
        usage.ru_stime,
    )


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- measuring a built site -------------------------------------------------------------------


class _Links(HTMLParser):
    """Stylesheets, scripts and Material's ``__config`` JSON of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.config_json = ""
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and "stylesheet" in (values.get("rel") or "").split() and values.get("href"):
            self.assets.append(values["href"] or "")
        elif tag == "script" and values.get("src"):
            self.assets.append(values["src"] or "")
        self._in_config = tag == "script" and values.get("id") == "__config"

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config_json += data

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False


def resolve(site: Path, page_url: str, reference: str) -> Path | None:
    """The file in ``site`` that ``reference`` (as written in the page at ``page_url``) points at."""
    target = urllib.parse.urlsplit(urllib.parse.urljoin("http://site/" + page_url, reference))
    if target.netloc != "site":
        return None
    return site / urllib.parse.unquote(target.path).lstrip("/")


@dataclass
class PageWeight:
    url: str
    html: int
    with_assets: int
    assets: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    search_worker: Path | None = None


def page_weight(site: Path, url: str) -> PageWeight:
    """The page's HTML plus the CSS/JS it links from ``site``, each file counted once."""
    page = site / url / "index.html"
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    files: dict[Path, int] = {}
    external: list[str] = []
    for reference in parser.assets:
        path = resolve(site, url, reference)
        if path is None:
            external.append(reference)
        elif path.is_file():
            files.setdefault(path.resolve(), path.stat().st_size)
    worker = None
    if parser.config_json:
        search = json.loads(parser.config_json).get("search")
        worker = resolve(site, url, search) if search else None
    html = page.stat().st_size
    assets = [path.relative_to(site.resolve()).as_posix() for path in files]
    return PageWeight(url, html, html + sum(files.values()), assets, external, worker)


@dataclass
class SearchWeight:
    """What one search engine of the site makes a reader download for a first search."""

    engine: str
    files: dict[str, int]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(self.files.values())

    def describe(self) -> str:
        parts = ", ".join(f"{name} {human(size)}" for name, size in self.files.items())
        return f"{self.engine} {human(self.total)} = {parts}" + (f" ({self.note})" if self.note else "")


def add_files(found: dict[str, int], site: Path, paths: list[Path]) -> None:
    for path in paths:
        if path.is_file():
            found[path.relative_to(site).as_posix()] = path.stat().st_size


def lunr_search(site: Path, worker: Path | None) -> SearchWeight | None:
    """Material's search: the whole ``search_index.json``, the worker and the lunr language files it imports."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return None
    found: dict[str, int] = {}
    add_files(found, site, [index])
    if worker is not None:
        langs = json.loads(index.read_text(encoding="utf-8")).get("config", {}).get("lang", ["en"])
        lunr = worker.parent.parent / "lunr"
        # Mirrors Material's search worker: the lunr-languages files it imports for config.lang.
        wanted = [lunr / "min" / f"lunr.{lang}.min.js" for lang in langs if lang != "en"]
        wanted += [lunr / "tinyseg.js" for lang in langs if lang == "ja"]
        wanted += [lunr / "wordcut.js" for lang in langs if lang in ("hi", "th")]
        wanted += [lunr / "min" / "lunr.multi.min.js"] if len(langs) > 1 else []
        wanted = [lunr / "min" / "lunr.stemmer.support.min.js", *wanted] if wanted else []
        add_files(found, site, [worker, *wanted])
    gzipped = len(gzip.compress(index.read_bytes(), 6))
    return SearchWeight("lunr", found, f"search_index.json is {human(gzipped)} with gzip -6")


def pagefind_search(site: Path, results: int = 5) -> SearchWeight | None:
    """Pagefind as Frontline's search page uses it, estimated: the page's own script and stylesheet,
    ``pagefind.js`` and the wasm it loads (the page asks for no web worker), then for each part of the index
    (``pagefind/`` and the folders ``pagefind/phan.json`` lists, which the page merges) its entry, its metadata and
    its largest index chunk (one query word, worst case), and ``results`` fragments of mean size (the results shown
    first). The note adds what some typical queries fetch: the chunks Pagefind's ``request_indexes`` picks in each
    part for each folded query word from the chunk ranges in the part's metadata (1.5.x), checked against what
    Chromium downloads. Pagefind's stock UI and worker (``pagefind-ui.js``, ``pagefind-worker.js``…) are still
    written into the bundle, but the page loads neither."""
    from frontline.output.search import fold  # as the search page folds a query (which lower-cases it too)

    folder = site / "pagefind"
    entry_path = folder / "pagefind-entry.json"
    if not entry_path.is_file():
        return None
    languages = json.loads(entry_path.read_text(encoding="utf-8")).get("languages", {})
    if not languages:
        return None
    lang = max(languages, key=lambda key: languages[key].get("page_count", 0))
    meta = languages[lang]
    listing = folder / "phan.json"
    listed = json.loads(listing.read_text(encoding="utf-8")).get("parts", []) if listing.is_file() else []
    found: dict[str, int] = {}
    # overrides/search.html loads these two; frontline.css is every page's, counted here all the same.
    own = [site / "assets" / "javascripts" / "frontline-search.js", site / "assets" / "stylesheets" / "frontline.css"]
    fixed = ["pagefind.js", f"wasm.{meta.get('wasm') or 'unknown'}.pagefind"]
    add_files(found, site, [*own, *(folder / name for name in fixed), listing])
    parts = [folder, *(folder / name for name in listed)]
    chunks: list[Path] = []
    fragments: list[int] = []
    largest = 0
    ranges: list[tuple[Path, list]] = []
    for part in parts:
        part_languages = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        meta_path = part / f"pagefind.{part_languages[lang]['hash']}.pf_meta"
        add_files(found, site, [part / "pagefind-entry.json", meta_path])
        own_chunks = sorted(part.glob(f"index/{lang}_*.pf_index"), key=lambda path: path.stat().st_size)
        add_files(found, site, own_chunks[-1:])
        largest += own_chunks[-1].stat().st_size if own_chunks else 0
        chunks += own_chunks
        fragments += [path.stat().st_size for path in part.glob(f"fragment/{lang}_*.pf_fragment")]
        with contextlib.suppress(OSError, ValueError, IndexError, TypeError):
            ranges.append((part, cbor(gzip.decompress(meta_path.read_bytes()).removeprefix(b"pagefind_dcd"))[0][2]))
    if fragments:
        found[f"{min(results, len(fragments))} × fragment/ (mean)"] = min(results, len(fragments)) * (
            sum(fragments) // len(fragments)
        )
    note = f"{len(parts)} part(s), {len(chunks)} index chunks, {len(fragments)} fragments in all"
    note += "; estimate for a one-word query"
    if chunks:
        sizes = [path.stat().st_size for path in chunks]
        typical = sum(found.values()) - largest + len(parts) * (sum(sizes) // len(sizes))
        note += f"; {human(typical)} with a chunk of mean size in each part"
    if len(ranges) != len(parts):
        return SearchWeight("Pagefind", found, note)

    def needed(word: str, part_ranges: list) -> set[str]:
        strict = {hash_ for start, end, hash_ in part_ranges if start <= word <= end}
        if strict:
            return strict
        loose = set()
        for start, end, hash_ in part_ranges:
            low, high = min(len(word), len(start)), min(len(word), len(end))
            if word[:low] >= start[:low] and word[:high] <= end[:high]:
                loose.add(hash_)
        return loose

    base = sum(found.values()) - largest
    typical_queries = ["vaccine", "công an", "da nang", "tiêm vaccine", "bệnh viện dã chiến", "cảnh sát cơ động"]
    estimates = []
    for query in typical_queries:
        total = base
        for part, part_ranges in ranges:
            on_disk = {path.stem: path.stat().st_size for path in part.glob(f"index/{lang}_*.pf_index")}
            wanted = set().union(*(needed(word, part_ranges) for word in fold(query).lower().split()))
            total += sum(on_disk.get(hash_, 0) for hash_ in wanted)
        estimates.append(f"“{query}” {human(total)}")
    return SearchWeight("Pagefind", found, note + "; typical queries: " + ", ".join(estimates))


def cbor(data: bytes, at: int = 0) -> tuple[object, int]:
    """Just enough CBOR for Pagefind's metadata: integers, strings, arrays, maps."""
    kind, info = data[at] >> 5, data[at] & 31
    at += 1
    if info >= 24:
        width = 1 << (info - 24)
        value, at = int.from_bytes(data[at : at + width], "big"), at + width
    else:
        value = info
    if kind in (0, 1):
        return (value if kind == 0 else -1 - value), at
    if kind in (2, 3):
        return data[at : at + value].decode("utf-8", "replace"), at + value
    items = []
    for _ in range(value * (2 if kind == 5 else 1)):
        item, at = cbor(data, at)
        items.append(item)
    return items, at


def search_weights(site: Path, worker: Path | None) -> list[SearchWeight]:
    return [weight for weight in (lunr_search(site, worker), pagefind_search(site)) if weight is not None]


def site_totals(site: Path) -> tuple[int, int]:
    """(number of index.html pages, total bytes of site/)."""
    pages = total = 0
    for path in site.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            pages += path.name == "index.html"
    return pages, total


def human(size: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError


# -- the corpus and the story we look at ------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The story whose page is weighed and which is edited under ``frontline preview``."""

    path: Path
    url: str
    has_slug: bool


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n")) or {}


def pick_target(project: Path) -> Target:
    """The first published story with an explicit ``slug:`` (so a new title keeps its URL), else the first one."""
    stories = project / "stories"
    fallback: Target | None = None
    for path in sorted(stories.rglob("*.md")):
        meta = front_matter(path.read_text(encoding="utf-8"))
        if meta.get("draft"):
            continue
        url = path.relative_to(stories).with_suffix("").as_posix() + "/"  # gen_corpus names files by slug
        target = Target(path, url, "slug" in meta)
        if target.has_slug:
            return target
        fallback = fallback or target
    if fallback is None:
        raise BenchError(f"no published story under {stories}")
    return fallback


def retitle(text: str, marker: str, slug: str | None) -> str:
    """``text`` with `` <marker>`` appended to its title (and ``slug:`` pinned when given)."""
    head, body = text.split("\n---\n", 1)
    lines = head.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("title:"):
            title = yaml.safe_load(line)["title"]
            lines[number] = "title: " + json.dumps(f"{title} {marker}", ensure_ascii=False)
    if slug:
        lines.append(f"slug: {slug}")
    return "\n".join(lines) + "\n---\n" + body


def discard(path: Path, work: Path) -> None:
    """Move ``path`` into the ``work`` folder's trash (deleted when the run ends); nothing if it does not exist."""
    if path.exists():
        trash = work / TRASH
        trash.mkdir(exist_ok=True)
        path.rename(Path(tempfile.mkdtemp(prefix=f"{path.name}-", dir=trash)) / path.name)


PROBE_FOLDERS = 1000


def file_system_probe(work: Path) -> str:
    """How fast the work folder's disk creates what a build creates: ``PROBE_FOLDERS`` folders holding a 28 KiB file
    each (then moved to the trash). That cost varies widely on one disk, with the folder, the hour and the files
    deleted not long before, and weighs on each site in proportion to the files and folders it creates, so the
    report gives it beside the builds."""
    probe = Path(tempfile.mkdtemp(prefix="fs-probe-", dir=work))
    payload = b"x" * 28 * 1024
    before, started = os.times(), time.perf_counter()
    for number in range(PROBE_FOLDERS):
        folder = probe / str(number)
        folder.mkdir()
        (folder / "index.html").write_bytes(payload)
    wall, kernel = time.perf_counter() - started, os.times().system - before.system
    discard(probe, work)
    return f"{wall:.2f} s ({kernel:.2f} s in the kernel)"


LAST_DELETION = ".last-deletion"
"""When a run last emptied the trash (seconds since the epoch), in the work folder."""
DELETIONS_REMEMBERED = 360
"""Seconds ext4 without a journal keeps a freed inode from being reused: 60, or 360 while the inode's table block
is not yet written back (``recently_deleted`` in Linux's fs/ext4/ialloc.c). A file created meanwhile skips them
one by one, so a build timed soon after a large deletion pays for it."""


def empty_trash(work: Path) -> None:
    shutil.rmtree(work / TRASH, ignore_errors=True)
    (work / LAST_DELETION).write_text(f"{time.time()}\n", encoding="ascii")


def wait_for_deletions_to_age(work: Path) -> None:
    """Wait (untimed) until the last run's deletions are old enough not to slow this run's file creation."""
    try:
        deleted = float((work / LAST_DELETION).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return
    left = deleted + DELETIONS_REMEMBERED - time.time()
    if left > 0:
        log(f"waiting {left:.0f} s: the file system still skips the inodes the last run freed")
        time.sleep(left)


def wait_for_retired(project: Path, timeout: float = 600) -> None:
    """Wait (untimed) until Frontline's background deletion of the site it replaced is done."""
    deadline = time.monotonic() + timeout
    while any((project / RETIRED).glob("retired-*")) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)


def generate(project: Path, stories: int, seed: int) -> float:
    """Seconds to generate the corpus (an earlier corpus in ``project`` is moved to the trash first, untimed)."""
    if (project / CORPUS_MARKER).is_file():
        discard(project, project.parent)
    command = [sys.executable, str(SCRIPTS / "gen_corpus.py"), str(project), "--stories", str(stories)]
    return run_measured([*command, "--seed", str(seed)], timeout=60 + stories / 20).seconds


def make_bare(frontline: Path, bare: Path) -> int:
    """Copy the published stories as plain Material pages (front matter: title only); return how many."""
    if bare.exists():
        if any(bare.iterdir()) and not (bare / BARE_MARKER).is_file():
            raise BenchError(f"{bare} exists and was not made by bench.py")
        discard(bare, bare.parent)
    (bare / "docs").mkdir(parents=True)
    (bare / BARE_MARKER).write_text("Bare Material baseline made by scripts/bench.py\n", encoding="utf-8")
    (bare / "mkdocs.yml").write_text(
        "site_name: Tuyến đầu – Material thuần\n"
        "site_url: https://bench.example.vn/\n"
        "theme:\n  name: material\n  language: vi\n"
        "plugins:\n  - search\n"
        "not_in_nav: |\n  /stories/\n"
        "nav:\n  - Trang chủ: index.md\n",
        encoding="utf-8",
    )
    (bare / "docs" / "index.md").write_text("---\ntitle: Trang chủ\n---\n", encoding="utf-8")
    count = 0
    for path in sorted((frontline / "stories").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = front_matter(text)
        if meta.get("draft"):
            continue
        target = bare / "docs" / "stories" / path.relative_to(frontline / "stories")
        target.parent.mkdir(parents=True, exist_ok=True)
        title = json.dumps(str(meta["title"]), ensure_ascii=False)
        target.write_text(f"---\ntitle: {title}\n---\n" + text.split("\n---\n", 1)[1], encoding="utf-8")
        count += 1
    return count


# -- the preview server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float) -> str | None:
    """The page's text, or None while it is not (yet) served."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):  # refused, reset, timed out, 404 while rebuilding…
        return None


def wait_until(check: Callable[[float], bool], timeout: float, what: str, alive: Callable[[], bool]) -> float:
    """Call ``check(seconds_left)`` every POLL_SECONDS until it is true; return the seconds it took."""
    started = time.perf_counter()
    while True:
        left = timeout - (time.perf_counter() - started)
        if left <= 0:
            raise BenchError(f"timed out after {timeout:.0f} s waiting for {what}")
        if not alive():
            raise BenchError(f"the preview server stopped while waiting for {what}")
        if check(left):
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)


@contextlib.contextmanager
def preview_server(project: Path, port: int, log_path: Path) -> Iterator[subprocess.Popen]:
    # What a reporter runs: `frontline preview` (mkdocs serve --livereload --dirty, drafts shown).
    command = [str(FRONTLINE), "-f", str(project / "mkdocs.yml"), "preview", "-a", f"127.0.0.1:{port}"]
    with log_path.open("wb") as log_file:
        server = subprocess.Popen(
            command, cwd=project, env={**os.environ, **BUILD_ENV}, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            yield server
        finally:
            # SIGTERM, which frontline preview handles as Ctrl-C (it then deletes its temporary site): a bench run
            # in the background (`nohup … &`) starts the server with SIGINT ignored, and a SIGINT left it behind.
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=20)


def edit_to_served(
    project: Path, target: Target, startup_timeout: float, edit_timeout: float, edits: int = EDITS
) -> tuple[float, float]:
    """Seconds from starting ``frontline preview`` to its home page being served (its first build: the port is new,
    so is the site's address) and the median seconds from saving a retitled story to the new title being served,
    over ``edits`` saves in that preview session (each with a new title)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    original = target.path.read_bytes()
    slug = None if target.has_slug else target.url.rstrip("/").rsplit("/", 1)[-1]
    log_path = project.parent / f"{project.name}-serve.log"
    try:
        started = time.perf_counter()
        with preview_server(project, port, log_path) as server:

            def alive() -> bool:
                return server.poll() is None

            try:
                wait_until(lambda left: fetch(base, min(left, 60)) is not None, startup_timeout, "the home page", alive)
                start = time.perf_counter() - started
                log(f"Frontline: preview serving its first build in {start:.2f} s")
                if fetch(base + target.url, 60) is None:
                    raise BenchError(f"the preview server does not serve /{target.url}")
                seconds = []
                for number in range(1, edits + 1):
                    marker = f"BENCH{time.time_ns():x}"
                    target.path.write_text(retitle(original.decode("utf-8"), marker, slug), encoding="utf-8")
                    saved = time.perf_counter()

                    def shows_marker(left: float, marker: str = marker) -> bool:
                        return marker in (fetch(base + target.url, min(left, 60)) or "")

                    wait_until(shows_marker, edit_timeout, f"/{target.url} to show the new title", alive)
                    seconds.append(time.perf_counter() - saved)
                    log(f"Frontline: edit {number}/{edits} served in {seconds[-1]:.2f} s")
                    time.sleep(1)  # the server settles (livereload) before the next save
                return start, statistics.median(seconds)
            except BenchError as error:
                raise BenchError(f"{error}\n{tail(log_path.read_text(encoding='utf-8', errors='replace'))}") from None
    finally:
        target.path.write_bytes(original)


def preview_restart(project: Path, startup_timeout: float) -> float:
    """Seconds from starting ``frontline preview`` again, nothing changed since the last preview stopped, to its home
    page being served: a reporter's usual start of the day. One preview is started and stopped first (with SIGTERM,
    as Ctrl-C), so that the kept preview folder's record describes this project as it is."""
    seconds = []
    for _turn in range(2):
        port = free_port()
        log_path = project.parent / f"{project.name}-serve.log"
        started = time.perf_counter()
        with preview_server(project, port, log_path) as server:

            def alive(server: subprocess.Popen = server) -> bool:
                return server.poll() is None

            wait_until(
                lambda left, port=port: fetch(f"http://127.0.0.1:{port}/", min(left, 60)) is not None,
                startup_timeout,
                "the home page",
                alive,
            )
            seconds.append(time.perf_counter() - started)
            # the first build goes on after an early answer: the record is saved when the preview stops after it
            wait_until(
                lambda left, log_path=log_path: "Serving on" in log_path.read_text(encoding="utf-8", errors="replace"),
                startup_timeout,
                "the first build's end",
                alive,
            )
    log(f"Frontline: preview restarted with nothing changed, home page served in {seconds[-1]:.2f} s")
    return seconds[-1]


# -- the live case ---------------------------------------------------------------------------


def add_live_page(project: Path) -> Path:
    """A live page of ``LIVE_UPDATES`` updates by four of the corpus's authors, on its first campaign's first day;
    returns its folder."""
    authors = list(front_matter("---\n" + (project / "stories/authors.yml").read_text(encoding="utf-8")))[:4]
    campaign = sorted((project / "docs/campaigns").glob("*.md"))[0]
    start = dt.date.fromisoformat(str(front_matter(campaign.read_text(encoding="utf-8"))["start"]))
    folder = project / "stories/live" / LIVE_ID
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(
        f"---\ntitle: Ngày cao điểm\ncampaign: {campaign.stem}\nstart: {start}T00:00\n"
        "summary: Tường thuật trực tiếp ngày cao điểm.\n---\n",
        encoding="utf-8",
    )
    words = ["Lực lượng", "công an", "chốt", "kiểm soát", "tăng cường", "người dân", "hỗ trợ", "**khẩn**"]
    for number in range(LIVE_UPDATES):
        moment = dt.datetime.combine(start, dt.time()) + dt.timedelta(minutes=2 * number + 1)
        body = " ".join(words[(number + step) % len(words)] for step in range(40))
        (folder / f"u{number:04d}.md").write_text(
            f"---\ntime: {moment:%Y-%m-%dT%H:%M}\nauthors: [{authors[number % len(authors)]}]\n---\n\n{body}.\n",
            encoding="utf-8",
        )
    return folder


def new_update(folder: Path, number: int) -> tuple[Path, str]:
    """One more update (after the others), named so that its anchor marks it on the page."""
    name = f"v{number:04d}-{time.time_ns():x}"
    authors = front_matter((folder / "u0000.md").read_text(encoding="utf-8"))["authors"]
    start = front_matter((folder / "index.md").read_text(encoding="utf-8"))["start"]
    moment = dt.datetime.fromisoformat(str(start)) + dt.timedelta(minutes=2 * LIVE_UPDATES + number)
    path = folder / f"{name}.md"
    path.write_text(
        f"---\ntime: {moment:%Y-%m-%dT%H:%M}\nauthors: [{authors[0]}]\n---\n\nCập nhật mới số {number}.\n",
        encoding="utf-8",
    )
    return path, f"cap-nhat-{name}"


def kept_case(subject: Subject, timeout: float) -> tuple[Run, Run, Run]:
    """``frontline build`` as a newsroom runs it, which keeps the site it replaces and brings that one up to date
    at the next build: two builds to have one kept, then one with nothing changed (which only looks at the site),
    one after the stories' folder is touched (a build, with nothing changed in what it shows), then one after a
    sentence is added to a story's body (the story is put back afterwards)."""
    project, row, target = subject.project, subject.row, subject.target
    command = [str(FRONTLINE), "build"]
    stories = project / "stories"

    def touched() -> None:  # a new modification time: the next build builds
        status = stories.stat()
        os.utime(stories, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))

    for number in (1, 2):
        touched()
        run = run_measured(command, timeout=timeout, cwd=project)
        log(f"{row.name}: frontline build {number}/2 to keep a site: {run.seconds:.2f} s")
    nothing = run_measured(command, timeout=timeout, cwd=project)
    log(f"{row.name}: frontline build, nothing changed: {nothing.seconds:.2f} s (CPU {nothing.user:.2f} s user)")
    touched()
    again = run_measured(command, timeout=timeout, cwd=project)
    log(f"{row.name}: frontline build, the stories' folder touched: {again.seconds:.2f} s (CPU {again.user:.2f} s)")
    original = target.path.read_bytes()
    try:
        target.path.write_bytes(original + "\nMột câu thêm vào để đo.\n".encode())
        edited = run_measured(command, timeout=timeout, cwd=project)
    finally:
        target.path.write_bytes(original)
    log(f"{row.name}: frontline build after a one-story edit: {edited.seconds:.2f} s (CPU {edited.user:.2f} s user)")
    return nothing, again, edited


def live_case(subject: Subject, repeat: int, edit_timeout: float, startup_timeout: float) -> None:
    """Issue 25's "Speed": with a live page of ``LIVE_UPDATES`` updates in the corpus, warm rebuilds after a
    one-story edit and after one update added, taking turns; then, in ``frontline preview``, seconds from saving
    an update to the live page serving it. The page and its updates are removed afterwards."""
    project, row, target = subject.project, subject.row, subject.target
    folder = add_live_page(project)
    original = target.path.read_bytes()
    slug = None if target.has_slug else target.url.rstrip("/").rsplit("/", 1)[-1]
    try:
        timed_build(row, project, cold=False, label=f", live page of {LIVE_UPDATES} updates added")
        story_runs, update_runs = [], []
        for number in range(1, repeat + 1):
            target.path.write_text(retitle(original.decode("utf-8"), f"BENCH{number}", slug), encoding="utf-8")
            story_runs.append(timed_build(row, project, cold=False, label=f" after a story edit {number}/{repeat}"))
            new_update(folder, number)
            update_runs.append(timed_build(row, project, cold=False, label=f" after an update {number}/{repeat}"))
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        page = f"{base}truc-tiep/{LIVE_ID}/"
        log_path = project.parent / f"{project.name}-serve-live.log"
        seconds = []
        with preview_server(project, port, log_path) as server:

            def alive() -> bool:
                return server.poll() is None

            wait_until(lambda left: fetch(page, min(left, 60)) is not None, startup_timeout, "the live page", alive)
            for number in range(repeat + 1, repeat + 1 + EDITS):
                _, anchor = new_update(folder, number)
                saved = time.perf_counter()

                def shows(left: float, anchor: str = anchor) -> bool:
                    return f'id="{anchor}"' in (fetch(page, min(left, 60)) or "")

                wait_until(shows, edit_timeout, "the live page to show the new update", alive)
                seconds.append(time.perf_counter() - saved)
                log(f"Frontline: live update {number - repeat}/{EDITS} served in {seconds[-1]:.2f} s")
                time.sleep(1)
        row.live = (
            statistics.median(run.seconds for run in story_runs),
            statistics.median(run.seconds for run in update_runs),
            statistics.median(seconds),
        )
    finally:
        target.path.write_bytes(original)
        discard(folder.parent, project.parent)


# -- one row of the table ---------------------------------------------------------------------


@dataclass
class Row:
    name: str
    stories: int
    generate: float | None = None
    pages: int = 0
    cold: float = 0.0
    rss_kib: int = 0
    tree_rss_kib: int = 0
    sum_rss_kib: int = 0
    size: int = 0
    page: PageWeight | None = None
    search: list[SearchWeight] = field(default_factory=list)
    cold_cpu: tuple[float, float] = (0.0, 0.0)
    """Median CPU seconds of the cold builds, in user space and in the kernel."""
    cold_runs: list[float] = field(default_factory=list)
    """Seconds of each cold build, in the order they ran (turns with the other sites)."""
    warm: float | None = None
    preview_start: float | None = None
    preview_restart: float | None = None
    """A preview started again with nothing changed since the last one stopped (``preview_restart``)."""
    kept: tuple[Run, Run, Run] | None = None
    """``frontline build`` into the site it kept (``kept_case``): with nothing changed, with the stories' folder
    touched, then after a one-story edit."""
    served: float | None = None
    in_table: bool = True
    live: tuple[float, float, float] | None = None
    """The live case: warm rebuild after one story edit, after one update added to the live page, and the preview's
    update → served (seconds, medians)."""
    page_set: Counter | None = None
    """The built site's pages and feeds by kind (``hugo_site.page_set``), for the comparison with Hugo."""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.cold if self.cold else 0.0


def build(project: Path, stories: int, env: dict[str, str] | None = None, engine: str = "mkdocs") -> Run:
    command = [str(MKDOCS), "build", "-q", "-f", str(project / "mkdocs.yml")]
    if engine == "hugo":
        command = hugo_site.build_command(project)
    return run_measured(command, timeout=build_timeout(stories), cwd=project, env=env)


def timed_build(
    row: Row, project: Path, *, cold: bool, label: str = "", env: dict[str, str] | None = None, engine: str = "mkdocs"
) -> Run:
    """One build (COLD_FOLDERS moved away first when ``cold``); keeps the peak RSS."""
    what = f"{row.name}: {'cold build' if cold else 'warm rebuild'}{label}"
    if cold:
        for folder in hugo_site.COLD_FOLDERS if engine == "hugo" else COLD_FOLDERS:
            discard(project / folder, project.parent)  # corpora live in the work folder
    run = build(project, row.stories, env, engine)
    log(f"{what}: {run.seconds:.2f} s (CPU {run.user:.2f} s user, {run.system:.2f} s kernel)")
    row.rss_kib, row.tree_rss_kib = max(row.rss_kib, run.rss_kib), max(row.tree_rss_kib, run.tree_rss_kib)
    row.sum_rss_kib = max(row.sum_rss_kib, run.sum_rss_kib)
    wait_for_retired(project)
    return run


def alternated_builds(subjects: list[Subject], repeat: int, *, cold: bool) -> list[tuple[float, float, float]]:
    """For each subject, the medians of ``repeat`` builds, taking turns (Frontline, bare, Frontline…): seconds,
    then CPU seconds in user space and in the kernel. A shared machine's speed drifts over minutes, and taking
    turns spreads the drift over both."""
    runs: list[list[Run]] = [[] for _ in subjects]
    for number in range(1, repeat + 1):
        label = f" {number}/{repeat}" if repeat > 1 else ""
        for subject, measured in zip(subjects, runs, strict=True):
            row, project, env, engine = subject.row, subject.project, subject.env, subject.engine
            measured.append(timed_build(row, project, cold=cold, label=label, env=env, engine=engine))
    if cold:
        for subject, measured in zip(subjects, runs, strict=True):
            subject.row.cold_runs = [run.seconds for run in measured]
    return [
        (
            statistics.median(run.seconds for run in measured),
            statistics.median(run.user for run in measured),
            statistics.median(run.system for run in measured),
        )
        for measured in runs
    ]


def weigh(row: Row, project: Path, target: Target, engine: str = "mkdocs") -> None:
    site = project / (hugo_site.SITE_FOLDER if engine == "hugo" else "site")
    row.pages, row.size = site_totals(site)
    row.page_set = hugo_site.page_set(site)
    if engine == "hugo":
        row.pages -= row.page_set["redirects"]  # Hugo's page/1/ of each listing, sending the reader to its first page
    row.page = page_weight(site, target.url)
    row.search = search_weights(site, row.page.search_worker)


@dataclass
class Subject:
    row: Row
    project: Path
    target: Target
    env: dict[str, str] = field(default_factory=dict)
    engine: str = "mkdocs"
    """``hugo`` for the Hugo reference site (built with ``hugo``, no warm rebuild)."""


def bench_size(
    work: Path, stories: int, seed: int, repeat: int, *, bare: bool, live: bool = False, hugo: bool = False
) -> list[Row]:
    """Frontline at ``stories`` (and bare Material on the same stories when ``bare``, Hugo when ``hugo``): the cold
    builds first, in turns, then the warm rebuilds, then the edit in ``frontline preview``; so no cold build
    follows another site's deletion of its old pages."""
    project = work / f"frontline-{stories}"
    log(f"generating {stories} stories into {project}")
    seconds = generate(project, stories, seed)
    frontline = Subject(Row("Frontline", stories, generate=seconds), project, pick_target(project))
    subjects = [frontline]
    if bare:
        folder = work / f"bare-{stories}"
        log(f"bare Material baseline in {folder}")
        target = Target(frontline.target.path, "stories/" + frontline.target.url, frontline.target.has_slug)
        subjects.append(Subject(Row("Bare Material", make_bare(project, folder)), folder, target))
    if bare and stories == BARE_SIZE:
        # The same builds with every template compiled in the build (no compiled templates kept), in the same turns.
        compiling = Row(COMPILING_ROW, stories, in_table=False)
        subjects.append(Subject(compiling, project, frontline.target, COMPILING_EVERY_BUILD))
    if hugo:
        folder = work / f"hugo-{stories}"
        log(f"Hugo reference site in {folder}")
        converted = hugo_site.convert(project, folder)
        row = Row(hugo_site.row_name(), converted.stories)
        subjects.append(Subject(row, folder, frontline.target, engine="hugo"))
    for subject, (seconds, user, system) in zip(subjects, alternated_builds(subjects, repeat, cold=True), strict=True):
        subject.row.cold, subject.row.cold_cpu = seconds, (user, system)
        if subject.row.in_table:
            weigh(subject.row, subject.project, subject.target, subject.engine)
    kept = [subject for subject in subjects if subject.row.in_table and subject.engine != "hugo"]
    for subject, (seconds, _, _) in zip(kept, alternated_builds(kept, repeat, cold=False), strict=True):
        subject.row.warm = seconds
    log(f"Frontline: edit → served under frontline preview (/{frontline.target.url})")
    timeout = build_timeout(stories)
    frontline.row.preview_start, frontline.row.served = edit_to_served(
        project, frontline.target, timeout, max(EDIT_TIMEOUT, 2 * frontline.row.cold)
    )
    frontline.row.preview_restart = preview_restart(project, timeout)
    frontline.row.kept = kept_case(frontline, timeout)
    if live:
        log(f"Frontline: the live case ({LIVE_UPDATES} updates)")
        live_case(frontline, repeat, max(EDIT_TIMEOUT, 2 * frontline.row.cold), timeout)
    return [subject.row for subject in subjects]


# -- reporting --------------------------------------------------------------------------------

HEADER = (
    "Site",
    "Stories",
    "Generate (s)",
    "Pages",
    "Cold build (s)",
    "Pages/s",
    "Peak RSS mkdocs",
    "Peak RSS any process",
    "Peak RSS summed",
    "Output size",
    "Story page HTML",
    "Story page + CSS/JS",
    "First search",
    "Warm rebuild (s)",
    "Preview start (s)",
    "Edit → served (s)",
)


def cells(row: Row) -> list[str]:
    def seconds(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}"

    return [
        row.name,
        f"{row.stories:,}",
        seconds(row.generate),
        f"{row.pages:,}",
        seconds(row.cold),
        f"{row.pages_per_second:.0f}",
        human(row.rss_kib * 1024),
        human(row.tree_rss_kib * 1024),
        human(row.sum_rss_kib * 1024),
        human(row.size),
        human(row.page.html) if row.page else "–",
        human(row.page.with_assets) if row.page else "–",
        " / ".join(f"{weight.engine} {human(weight.total)}" for weight in row.search) or "–",
        seconds(row.warm),
        seconds(row.preview_start),
        seconds(row.served),
    ]


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(" --- " for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows if row.in_table]
    return "\n".join(lines)


def notes(rows: list[Row]) -> str:
    lines: list[str] = []
    for bare in (row for row in rows if row.name == "Bare Material" and row.cold):
        frontline = frontline_of(rows, bare)
        if frontline is None:
            continue
        lines.append(
            f"- Cold build, Frontline / bare Material at {frontline.stories:,} stories: "
            f"{frontline.cold:.2f} s / {bare.cold:.2f} s = **{frontline.cold / bare.cold:.2f}×**. "
            f"CPU (medians, the process and what it ran): Frontline {frontline.cold_cpu[0]:.2f} s user + "
            f"{frontline.cold_cpu[1]:.2f} s kernel, bare Material {bare.cold_cpu[0]:.2f} s + {bare.cold_cpu[1]:.2f} s."
        )
    frontline = next((row for row in rows if row.name == "Frontline" and row.stories == BARE_SIZE), None)
    bare = next((row for row in rows if row.name == "Bare Material" and row.stories == BARE_SIZE), None)
    compiling = next((row for row in rows if row.name == COMPILING_ROW), None)
    if compiling and bare and bare.cold:
        lines.append(
            f"- The same cold build with every template compiled in the build (as the first build after an install; "
            f"bare Material always compiles its templates): {compiling.cold:.2f} s = "
            f"**{compiling.cold / bare.cold:.2f}×** bare Material; CPU {compiling.cold_cpu[0]:.2f} s user + "
            f"{compiling.cold_cpu[1]:.2f} s kernel."
        )
    for row in rows:
        if row.preview_restart is not None:
            lines.append(
                f"- {row.name} {row.stories:,}: `frontline preview` started again with nothing changed since the "
                f"last preview stopped: home page served in {row.preview_restart:.2f} s (the column's preview start "
                "follows a production build: its first build renders what the preview shows differently)."
            )
        if row.kept:
            nothing, again, edited = row.kept
            lines.append(
                f"- {row.name} {row.stories:,}: `frontline build`, which brings the site it kept up to date (the "
                f"column's warm rebuild is `mkdocs build` into `site/`): nothing changed {nothing.seconds:.2f} s "
                f"(CPU {nothing.user:.2f} s user + {nothing.system:.2f} s kernel: it looks at the site and builds "
                f"nothing), the stories' folder touched {again.seconds:.2f} s (CPU {again.user:.2f} s + "
                f"{again.system:.2f} s: a build, nothing changed in what it shows), after a one-story edit "
                f"{edited.seconds:.2f} s (CPU {edited.user:.2f} s + {edited.system:.2f} s)."
            )
        if row.live:
            story, update, served = row.live
            lines.append(
                f"- {row.name} {row.stories:,}, live page of {LIVE_UPDATES} updates: warm rebuild after a one-story "
                f"edit {story:.2f} s, after one update added {update:.2f} s; preview: update → served {served:.2f} s."
            )
        if row.page:
            assets = ", ".join(row.page.assets) or "none"
            external = f"; not counted, from other hosts: {', '.join(row.page.external)}" if row.page.external else ""
            lines.append(f"- {row.name} {row.stories:,}: story page `/{row.page.url}` links {assets}{external}.")
        for weight in row.search:
            lines.append(f"- {row.name} {row.stories:,}: first search with {weight.describe()}.")
    lines += hugo_notes(rows)
    return "\n".join(lines)


def frontline_of(rows: list[Row], other: Row) -> Row | None:
    """The Frontline row of the corpus ``other`` was built from (the last one before it: rows come by size)."""
    before = rows[: position(rows, other)]
    return next((row for row in reversed(before) if row.name == "Frontline"), None)


def position(rows: list[Row], row: Row) -> int:
    return next(number for number, found in enumerate(rows) if found is row)


def hugo_notes(rows: list[Row]) -> list[str]:
    """Frontline against the Hugo reference at each size both were built: the ratio of the medians and the median
    of each turn's ratio, CPU and memory beside issue 27's targets, then both sites' page sets side by side."""
    lines: list[str] = []
    for hugo in (row for row in rows if row.name.startswith("Hugo") and row.cold):
        frontline = frontline_of(rows, hugo)
        if frontline is None:
            continue
        same = rows[position(rows, frontline) : position(rows, hugo) + 1]
        same = [row for row in same if row.in_table and row.page_set]
        turns = [ours / theirs for ours, theirs in zip(frontline.cold_runs, hugo.cold_runs, strict=False) if theirs]
        turn_ratio = f"; median of the {len(turns)} turns' ratios {statistics.median(turns):.2f}×" if turns else ""
        lines.append(
            f"- Cold build, Frontline / {hugo.name} at {frontline.stories:,} stories: {frontline.cold:.2f} s / "
            f"{hugo.cold:.2f} s = **{frontline.cold / hugo.cold:.2f}×** (issue 27's target: ≤ 0.8×){turn_ratio}. "
            f"CPU (medians): Frontline {frontline.cold_cpu[0]:.2f} s user + {frontline.cold_cpu[1]:.2f} s kernel, "
            f"{hugo.name} {hugo.cold_cpu[0]:.2f} s + {hugo.cold_cpu[1]:.2f} s. Peak RSS summed: Frontline "
            f"{human(frontline.sum_rss_kib * 1024)} (target ≤ 1 GB), {hugo.name} {human(hugo.sum_rss_kib * 1024)}. "
            "Each cold build's seconds, in turns: "
            + "; ".join(f"{row.name} " + ", ".join(f"{value:.1f}" for value in row.cold_runs) for row in same)
            + "."
        )
        table = hugo_site.page_set_table({row.name: row.page_set for row in same})
        lines.append(f"- Page sets at {frontline.stories:,} stories (files by kind in each built site):\n\n{table}\n")
    return lines


PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pagefind")
VERSIONS_CODE = """
import importlib.metadata as m, sys
for name in sys.argv[1:]:
    try:
        print(name, m.version(name))
    except m.PackageNotFoundError:
        print(name, "not-installed")
"""


def machine(load: tuple[float, float, float]) -> dict[str, str]:
    """What the numbers were measured on; ``load`` is the load average when the run started."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    listed = subprocess.run(
        [str(BIN / "python"), "-c", VERSIONS_CODE, *PACKAGES], capture_output=True, text=True, timeout=60
    ).stdout
    versions = dict(line.split(" ", 1) for line in listed.splitlines() if " " in line)
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "CPU": cpu,
        "Python": platform.python_version(),
        **{name: versions.get(name, "unknown") for name in PACKAGES},
        "OS": platform.platform(),
        "Load average at start (1/5/15 min)": " / ".join(f"{value:.2f}" for value in load),
    }


GENERATED_SECTIONS = ("## Machine", "## Results", "## What is measured")


def kept_sections(previous: str) -> str:
    """The hand-written sections of an earlier RESULTS.md (comparisons, figures behind the code's choices):
    everything from the first section this script does not write, kept below a new run's figures."""
    lines = previous.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.startswith("## ") and not line.rstrip().startswith(GENERATED_SECTIONS):
            return "\n" + "".join(lines[number:])
    return ""


def results_markdown(rows: list[Row], argv: list[str], info: dict[str, str], started: dt.datetime) -> str:
    command = " ".join(["python scripts/bench.py", *argv])
    specs = "\n".join(f"- {key}: {value}" for key, value in info.items())
    return f"""# Frontline benchmark results

Measured {started:%Y-%m-%d %H:%M} UTC with `{command}`.

## Machine

{specs}

## Results

{table(rows)}

{notes(rows)}

## What is measured

- *Generate*: `scripts/gen_corpus.py` writing the synthetic corpus (seeded, byte-identical for a seed and N).
- *Cold build*: `mkdocs build -q` after moving `site/` and `.cache/` away (Frontline's page cache lives in
  `.cache/frontline`); *Pages/s*: `index.html` files in `site/` per second of it. Nothing is deleted while
  builds are measured (what a run replaces is deleted when it ends, and a run started within 6 minutes of
  that waits for them to age): on this kind of disk (ext4 without a journal) creating a file skips the
  inodes freed in the last minutes, and a build right after thousands of deletions pays for them. The cold
  builds run first, Frontline and bare Material taking turns (with
  `--repeat N`, N each and the median shown: a shared machine's speed drifts), then the warm rebuilds the
  same way, then the edit. The note below the table gives both sites' CPU time in user space and in the kernel
  (mostly creating files and folders), and *Machine* how long the work folder's disk took to create
  {PROBE_FOLDERS:,} folders with a file each, at the start and at the end of the run: that cost varies tenfold
  on one disk, and weighs on each site in proportion to the files it writes.
- *Compiled templates*: Frontline keeps the templates it compiles (Material's and its own) in a folder, as an
  installation keeps Python's `.pyc` files (`frontline/engine/template_code.py`); the bench's folder is
  `{TEMPLATE_CODE_FOLDER}/` in the work folder, kept between runs, not moved away for cold builds. At
  {BARE_SIZE:,} stories the cold builds take turns with a third series, Frontline with no such folder (every
  template compiled in the build, as after an install), whose median the note below the table gives.
- *Peak RSS mkdocs*: the `mkdocs build` process's own peak resident set (`VmHWM`, sampled every 20 ms);
  *any process*: the largest peak of it and the processes it ran (e.g. Pagefind), from `os.wait4`'s rusage;
  *summed*: the peak, over samples every 20 ms, of the RSS of the process and all its descendants added up
  (render workers, Pagefind): what the machine must hold at once. Forked workers count the memory they share
  with the main process again, as the kernel's RSS does. All three are the larger of the cold and warm build.
- *Story page*: one story's `index.html`, then plus the stylesheets and scripts it links from `site/`, each once.
- *First search*, per engine found in `site/`: lunr (Material's `search` plugin) = `search/search_index.json`
  plus Material's search worker and the lunr language files it imports; Pagefind (`site/pagefind/`) = an
  estimate: the search page's own script and `frontline.css`, `pagefind.js` and its wasm (the page runs
  Pagefind without a web worker), entry, metadata, the largest index chunk and five mean fragments (the
  five results shown first); the note adds what some typical queries fetch.
- *Warm rebuild*: the same `mkdocs build -q` again with nothing changed (`site/` and `.cache/` kept). Frontline
  deletes the site it replaced after the build, in a process left running; the next measurement waits for it.
- *Preview start*: from starting `frontline preview` (`mkdocs serve --livereload --dirty`, drafts shown) on a
  new port of 127.0.0.1 to its home page being served: its first build, with the site's address new (the port is
  part of it), so every page is rendered again (`.cache/` is kept from the builds before).
- *Preview restart* (a line under the table): `frontline preview` started, stopped (SIGTERM, as Ctrl-C) and started
  again with nothing changed in between; seconds from the second start to its home page being served.
- *Edit → served*: in that preview, after the home page is served, one story's
  title gets a unique marker and its URL is polled every {POLL_SECONDS * 1000:.0f} ms until the marker appears;
  the median of {EDITS} such saves
  (`.cache/` is kept from the builds before, as on a reporter's machine; the story is restored afterwards).
- *Live case* (`--live`): a live page of {LIVE_UPDATES} updates added to the corpus; warm rebuilds after a one-story
  edit and after one update added, taking turns; then, in a new `frontline preview`, seconds from saving one more
  update to the live page serving it (median of {EDITS}).
- *Hugo* (`--hugo`, by default at {hugo_site.HUGO_SIZE:,} stories where `hugo` is installed; bare Material is
  then built at that size too): `scripts/hugo_site.py` converts the same corpus into a Hugo project with minimal
  templates of its own (`scripts/bench/hugo/`) rendering the same page set; its cold build is `hugo --quiet` after
  moving `public/` and `resources/` away, in turns with the other sites' cold builds, measured the same way (its
  *Peak RSS mkdocs* is the `hugo` process's). It has no warm rebuild. The note below the table counts both sites'
  pages and feeds by kind.
- Builds run with `FRONTLINE_NOW={BUILD_ENV["FRONTLINE_NOW"]}`, so every generated story is published.
"""


# -- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (stories)")
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "work", help="where corpora are generated")
    parser.add_argument("--skip-bare", action="store_true", help="no bare Material baseline")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="builds per measurement; the median is reported")
    parser.add_argument(
        "--live", action="store_true", help=f"also the live case: a live page of {LIVE_UPDATES} updates, one added"
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="only the publish bench (scripts/bench/publish_bench.py), printed, RESULTS.md left as it is",
    )
    parser.add_argument(
        "--hugo",
        action=argparse.BooleanOptionalAction,
        help=f"build the Hugo reference site too (default: at {hugo_site.HUGO_SIZE:,} stories, where hugo is "
        "installed; not larger: Hugo 0.111 did not build 100,000 stories in 18 GB); bare Material is then built at "
        "that size too",
    )
    args = parser.parse_args(argv)
    if args.publish:
        return publish_bench_main(args)
    if not MKDOCS.is_file():
        parser.error(f"{MKDOCS} not found: run this script with the virtualenv's python (.venv/bin/python)")
    if args.repeat < 1 or min(args.sizes) < 1:
        parser.error("--repeat and --sizes must be at least 1")
    if args.hugo and not hugo_site.hugo_program():
        parser.error("--hugo: no hugo on PATH (make install brings Debian's)")
    started = dt.datetime.now(dt.UTC)
    load = os.getloadavg()
    args.work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    work = args.work.resolve()  # a trash left by a run that stopped part-way is emptied at the end, with this run's
    probes: list[str] = []
    BUILD_ENV[TEMPLATE_CODE_VARIABLE] = str(work / TEMPLATE_CODE_FOLDER)  # kept between runs, as by an installation
    try:
        compile_sources()
        wait_for_deletions_to_age(work)
        probes.append(file_system_probe(work))
        for stories in args.sizes:
            hugo = args.hugo
            if hugo is None:
                hugo = stories == hugo_site.HUGO_SIZE and bool(hugo_site.hugo_program())
            bare = (stories == BARE_SIZE or hugo) and not args.skip_bare
            rows.extend(bench_size(work, stories, args.seed, args.repeat, bare=bare, live=args.live, hugo=hugo))
        probes.append(file_system_probe(work))
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        if rows:
            print("Measured before the failure (not written to RESULTS.md):\n" + table(rows))
        return 1
    finally:
        log("deleting what the run replaced")
        empty_trash(work)
    print(table(rows))
    print()
    print(notes(rows))
    info = machine(load)
    if any(row.name.startswith("Hugo") for row in rows):
        info["hugo"] = hugo_site.hugo_version()
    info[f"Creating {PROBE_FOLDERS:,} folders with a 28 KiB file each in the work folder (start / end)"] = " / ".join(
        probes
    )
    text = results_markdown(rows, argv, info, started)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if RESULTS.exists():
        text = text.rstrip("\n") + "\n" + kept_sections(RESULTS.read_text(encoding="utf-8"))
    RESULTS.write_text(text, encoding="utf-8")
    log(f"wrote {RESULTS}")
    return 0


def publish_bench_main(args: argparse.Namespace) -> int:
    """``--publish``: for each size, a corpus generated in the work folder, then ``publish_bench.bench_publish``."""
    spec = importlib.util.spec_from_file_location("publish_bench", BENCH_DIR / "publish_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    for stories in args.sizes:
        project = work / f"publish-{stories}"
        log(f"load before {stories:,}: {' / '.join(f'{value:.2f}' for value in os.getloadavg())}")
        generate(project, stories, args.seed)
        steps = module.bench_publish(project, work, log=log)
        print(module.markdown(stories, steps))
        print(f"load after: {' / '.join(f'{value:.2f}' for value in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
