"""Site search: a Pagefind index of the stories, built beside the rest of the build.

Pagefind splits its index into chunks fetched on demand, so a reader's first search downloads a small part of it
(Material's built-in index is one file holding every word of every page). Its memory and chunks grow with the
words it indexes, so each story contributes a small record (title, place, unit, standfirst, the body's first
``RECORD_WORDS`` words, tags), rendered from ``overrides/search-record.html`` and piped to Pagefind's indexing
service in its own process while the pages render; a bundle built from the same records is reused from the cache.

Records are indexed without diacritics (``index_form``): Pagefind 1.5's chunker does not count a word's accented
"variants", so with Vietnamese text a chunk kept taking words until it held several of the commonest, and a
one-word search fetched a large chunk. Folded, a common word gets a chunk of its own, and "da nang" finds "Đà
Nẵng" (the search page folds a query the same way). What a result shows is given in ``data-pagefind-meta``
attribute values, which keep their accents."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import multiprocessing
import multiprocessing.process
import multiprocessing.util
import os
import re
import shutil
import threading
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from frontline.build.fanout import can_fork, forking
from frontline.build.kept_site import Signature, same_file
from frontline.content.model import Story
from frontline.content.urls import SEARCH_BUNDLE_FOLDER, SEARCH_PARTS_FILE, SEARCH_PATCH_FOLDER, search_part_folder
from frontline.output.pagefind_bundle import SIGNATURE
from frontline.output.pagefind_service import (
    FAILED,
    RECORD_STORE,
    SHARE_MARK,
    SearchIndexError,
    _unshared,
    become_feeder,
    index_records,
    read_records,
    read_store,
    read_store_pages,
    reporting_to,
    write_records,
)

SEARCH_FOLDER = SEARCH_BUNDLE_FOLDER
PART_RECORDS = 5000
"""Dated records (stories, campaigns, live pages) in each part of the index but the newest. Pagefind holds a part
whole while it indexes it, so a part's size bounds its memory; each part adds an entry, a metadata file and an index
chunk per query word to a first search. Half this size would keep a 10,000-story build's summed memory under issue
27's target, but nearly double what a first search of several words fetches there, past issue 5's limit
(RESULTS.md, "Search in parts")."""
RECENT_SHARE = 10
"""The newest stories are indexed in a part of ``PART_RECORDS // RECENT_SHARE`` to twice that many records, so that
an edit to one of them, what a newsroom edits most, re-indexes that small part, not one of ``PART_RECORDS``
(Pagefind's time is linear in the records of the part it indexes). The stories between it and the last full part
are a middle part, indexed again each time the newest part has grown by that many stories."""
SUPERSEDED_SHARE = 50
"""An older part whose records changed keeps its bundle while at most one in ``SUPERSEDED_SHARE`` of a part's records
(100 of 5,000, in all parts together: ``phan.json`` names them, about 100 bytes each) are superseded: the changed
records go into the patch part (``SEARCH_PATCH_FOLDER``, at most ``PART_RECORDS // RECENT_SHARE`` records, indexed in
a fraction of a second) and the search page leaves out the ones they supersede (``phan.json``'s ``stale``). Past
either bound the part is indexed again, as Pagefind's time is linear in a part's records (6.6 s for 5,000 here): an
edit to an old story then costs what one to a new story does."""
PARTS_RECORD = ".parts.json"
"""In the bundles' folder: the bundle each older part was taken from by the last build, by the part's folder."""
PAGES_RECORD = ".pages.json"
"""In a cached bundle: each of its pages' Pagefind id (the name of its fragment, a result's ``id``) and filters, by
address, read from its fragments the first time one of them is superseded."""
PART_SIZE_VARIABLE = "FRONTLINE_SEARCH_PART_RECORDS"
"""Sets ``PART_RECORDS`` (tests build sites of a few stories in several parts)."""
MERGED_PART_FILES = re.compile(r"^(pagefind-entry\.json|pagefind\..*\.pf_meta)$")
"""The files of a part's own folder that the search page reads when it merges the part (``mergeIndex``) with the
first: its entry and metadata; Pagefind's script and wasm come from the first part's folder."""
RECORD_WORDS = 120
"""Words of a story's body in its record: the fewer, the smaller a common word's index entry (what a search for it
fetches); the more, the more of the body a search finds. The standfirst, when written, is whole."""
RECORD_FORMAT = "folded-1, exact-after-weighted-1, blockwise-words, sorted-filters"
"""Changes whenever ``index_form``, ``exact_words``, ``summaries.leading_words`` or ``pagefind_bundle.canonical``
does: it is part of the bundle's cache key, so a bundle indexed from records made the old way is not reused."""

# "đã", a past-tense particle, is one of the commonest syllables of Vietnamese prose: folded, it would share "da"
# with "Đà", "dã" and "da", and a search for those would fetch far more of the index.
_UNSEARCHED = re.compile(r"(?<!\w)đã(?!\w)\s*", re.IGNORECASE)
_QUOTES = str.maketrans("", "", "“”‘’«»")  # Pagefind would keep them in the word: “Mỗi → “moi


class _FoldedCharacters(dict):
    """Code point → the character without its diacritics (its canonical decomposition less the combining
    marks; "đ" → "d", curly quotes → nothing), worked out the first time a character is met. A text's
    decomposition is its characters' decompositions (then reordered, but only among combining marks,
    which go), so ``str.translate`` with this table folds a whole text in one pass."""

    def __missing__(self, code: int) -> str:
        character = chr(code)
        folded = "".join(c for c in unicodedata.normalize("NFD", character) if not unicodedata.combining(c))
        self[code] = folded = folded.replace("đ", "d").replace("Đ", "D").translate(_QUOTES)
        return folded


_FOLDED = _FoldedCharacters()


def fold(text: str) -> str:
    """``text`` without diacritics, "đ" as "d" and curly quotes dropped: what the index holds."""
    return _UNSEARCHED.sub("", unicodedata.normalize("NFC", text)).translate(_FOLDED)


EXACT_MARK = "‿"
"""Starts an exact word in the index and joins its folded form to the code of its diacritics ("hải" is
``‿hai‿rz``): a connector Pagefind keeps inside a word (its ``include_characters``), where it splits words at ``_``.
Starting with it, an exact word is never the continuation of a folded one (Pagefind matches a query word as the start
of indexed words), and all of them sort after the folded words, in index chunks of their own: a folded search fetches
what it fetched without them."""
EXACT_END = "z"
_MARK_LETTERS = {
    "\u0300": "f",  # huyền
    "\u0301": "s",  # sắc
    "\u0309": "r",  # hỏi
    "\u0303": "x",  # ngã
    "\u0323": "j",  # nặng
    "\u0302": "a",  # â ê ô
    "\u0306": "w",  # ă
    "\u031b": "w",  # ơ ư
}
"""Telex's letters for Vietnamese diacritics; any other mark is ``k``, ``đ`` is ``d``. None is ``z``, which ends
a code, so no exact word is the start of another ("đa" ``‿da‿dz``, "đà" ``‿da‿dfz``)."""
_WORD = re.compile(r"\w+")


class _ExactWords(dict):
    """Word → its exact form in the index, worked out the first time it is met: ``‿``, the word folded and lower-
    cased, ``‿``, the letters of its diacritics and ``z``; '' for a word without diacritics (its folded form is
    exact). The letters are sorted, not placed: "hoà" and "hòa", the two ways of placing a tone, are one word."""

    def __missing__(self, word: str) -> str:
        letters = []
        for character in word.lower():
            if character == "đ":
                letters.append("d")
            for mark in unicodedata.normalize("NFD", character)[1:]:
                if unicodedata.combining(mark):
                    letters.append(_MARK_LETTERS.get(mark, "k"))
        folded = word.translate(_FOLDED).lower()
        self[word] = exact = f"{EXACT_MARK}{folded}{EXACT_MARK}{''.join(sorted(letters))}{EXACT_END}" if letters else ""
        return exact


_EXACT = _ExactWords()


def exact_words(text: str) -> str:
    """The exact forms (``_ExactWords``) of the words of ``text`` that have diacritics, in order ("đã" left out)."""
    text = _UNSEARCHED.sub("", unicodedata.normalize("NFC", text))
    return " ".join(exact for word in _WORD.findall(text) if (exact := _EXACT[word]))


_TAGGED_TEXT = re.compile(r"(<[^>]*>)([^<]+)")
_WEIGHTED = re.compile(r"^<(h1\b|[^>]*\sdata-pagefind-weight=)")


def _indexed(match: re.Match[str]) -> str:
    """A text of a record as Pagefind reads it, after the tag it follows: folded; in the title and the weighted
    fields (place and unit, standfirst or lede), then the exact forms of its words with diacritics, in the same
    element (so with its weight) and after the text (so its phrases stay whole). Not in the rest of the body: the
    exact forms of its words would double the index a search with diacritics fetches, for words that weigh least."""
    tag, text = match.groups()
    exact = exact_words(text) if _WEIGHTED.match(tag) else ""
    return f"{tag}{fold(text)} {exact}" if exact else tag + fold(text)


def index_form(record: str) -> str:
    """A rendered record as it is indexed: its text folded, the title and weighted fields followed by their exact
    words (``_indexed``), its attributes (the shown metadata) as they are."""
    return _TAGGED_TEXT.sub(_indexed, record)


def part_records() -> int:
    """``PART_RECORDS``, or the size ``FRONTLINE_SEARCH_PART_RECORDS`` sets (a whole number above 0)."""
    configured = os.environ.get(PART_SIZE_VARIABLE, "")
    return int(configured) if configured.isascii() and configured.isdigit() and int(configured) > 0 else PART_RECORDS


@dataclass(frozen=True)
class SearchPart:
    """One part of the search index: its folder in the bundle's (``""`` for the newest part, at the bundle's own
    place, so that the addresses of an index in one part keep working) and the pages it holds."""

    folder: str
    items: tuple


def search_day(item: object) -> str | None:
    """The day a record is sorted by (its ``data-pagefind-sort`` value), ``None`` for an undated page."""
    moment = getattr(item, "date", None)
    return moment.strftime("%Y-%m-%d") if moment is not None else None


def partition(items: Iterable, size: int, recent: int | None = None) -> list[SearchPart]:
    """``items`` in parts, newest first. The dated ones, from the oldest (by day, time, address), fill parts of
    ``size`` (``phan-1/`` the oldest) while ``recent`` (``size // RECENT_SHARE``; 0 for none) newer ones follow them;
    the newest part holds the ``recent`` to ``2 × recent - 1`` newest (all of them when fewer) and the undated pages,
    and the dated ones between are a middle part, a multiple of ``recent`` in size. A new story (dated after the
    others) joins the newest part and an edited one stays in its own, so the other parts' records, and their bundles,
    stay as they were until the newest part is full; a story dated back moves the parts' bounds after it. Parts never
    share a day's range but at their bounds, so the search page sorts by date part by part."""
    dated, undated = [], []
    for item in items:
        day = search_day(item)
        if day is None:
            undated.append(item)
        else:  # by day (what the search page sorts by), then time within the day: a new story of today comes last
            dated.append((day, item.date.isoformat(), item.url, item))
    dated.sort(key=lambda entry: entry[:3])
    ordered = [item for *_, item in dated]
    recent = size // RECENT_SHARE if recent is None else recent
    if 0 < recent < size:
        full = max(0, len(ordered) - recent) // size
        middle_end = full * size + max(0, len(ordered) - full * size - recent) // recent * recent
    else:  # no newest part kept small: the newest holds the rest after the full parts
        full = max(0, -(-len(ordered) // size) - 1)
        middle_end = full * size
    parts = [SearchPart(search_part_folder(n + 1), tuple(ordered[n * size : (n + 1) * size])) for n in range(full)]
    if middle_end > full * size:
        parts.append(SearchPart(search_part_folder(full + 1), tuple(ordered[full * size : middle_end])))
    newest = SearchPart("", tuple(ordered[middle_end:]) + tuple(undated))
    return [newest, *reversed(parts)]


def records_digest(fingerprints: Iterable[tuple[str, str]]) -> str:
    """One digest of every record: ``(url, fingerprint)`` pairs, a fingerprint changing whenever its record would."""
    payload = json.dumps([RECORD_FORMAT, sorted(fingerprints)], ensure_ascii=False).encode("utf-8")
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


RECORDS_SUFFIX = ".records"
"""A part's records, rendered by the forked indexer for the feeding process it becomes (``SearchJob.records``)."""


def _records(
    items: Sequence,
    render: Callable[[Story], str],
    fingerprint: Callable[[Story], str] | None = None,
    known: Mapping[str, str] = {},
) -> Iterator[tuple[str, str, str | None]]:
    """Each item's address, record as indexed and fingerprint, in the order of their addresses; a record ``known``
    by its fingerprint is not rendered again. The fingerprint is named after ``RECORD_FORMAT``: a record made the
    old way is not one made now, whatever its inputs."""
    for item in sorted(items, key=lambda item: item.url):
        key = _record_key(fingerprint, item) if fingerprint is not None else None
        record = known.get(key) if key is not None else None
        yield item.url, record if record is not None else index_form(render(item)), key


def _record_key(fingerprint: Callable[[Story], str], item: Story) -> str:
    return f"{RECORD_FORMAT}: {fingerprint(item)}"


_PAGE_ID = re.compile(r"^[a-z0-9_-]{1,80}$")
_FRAGMENT = ".pf_fragment"
Filters = dict[str, list[str]]


def bundle_pages(bundle: Path) -> dict[str, tuple[str, Filters]] | None:
    """Each page of the cached bundle ``bundle`` by address: its Pagefind id and filters, from its ``PAGES_RECORD``
    when that names each of the bundle's fragments once, else from the fragments (then kept there: the bundle never
    changes); ``None`` when they cannot be read."""
    names = _fragment_files(bundle)
    if names is None:
        return None
    record = bundle / PAGES_RECORD
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
        pages = {str(url): _page(*entry) for url, entry in kept.items()}
        if sorted(name for name, _ in pages.values()) == sorted(names):
            return pages
    except (OSError, ValueError, AttributeError, TypeError, RecursionError):  # none yet, or not one this wrote
        pass
    pages = {}
    try:
        for name, path in names.items():
            data = gzip.decompress(path.read_bytes())
            if not data.startswith(SIGNATURE):
                return None
            fragment = json.loads(data[len(SIGNATURE) :])
            url = str(fragment["url"])
            if url in pages:  # not as Pagefind writes a bundle
                return None
            pages[url] = _page(name, fragment.get("filters") or {})
    except (OSError, EOFError, zlib.error, ValueError, KeyError, AttributeError, TypeError, RecursionError):
        return None
    temporary = record.with_name(f"{record.name}.{os.getpid()}")
    try:
        temporary.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, record)
    except OSError:  # read from the fragments again next time
        temporary.unlink(missing_ok=True)
    return pages


def _fragment_files(bundle: Path) -> dict[str, Path] | None:
    """The fragment files of the cached bundle ``bundle`` by their Pagefind id; ``None`` if it cannot be listed or
    holds another file there."""
    files = {}
    try:
        for folder in bundle.iterdir():
            if folder.name.split(SHARE_MARK)[0] == "fragment":
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if not entry.name.endswith(_FRAGMENT):
                            return None
                        files[entry.name[: -len(_FRAGMENT)]] = Path(entry.path)
    except OSError:
        return None
    return files


def _page(name: object, filters: object) -> tuple[str, Filters]:
    """A page's id and filters as ``bundle_pages`` gives them, checked: a cache is not trusted."""
    if not isinstance(name, str) or not _PAGE_ID.match(name) or not isinstance(filters, dict):
        raise ValueError(name)
    return name, {str(key): [str(value) for value in values] for key, values in filters.items()}


def _changes(
    part: SearchPart,
    bundle: Path,
    render: Callable[[Story], str],
    fingerprint: Callable[[Story], str],
    limit: int,
) -> tuple[list, dict[str, Filters]] | None:
    """What serving ``part`` from ``bundle`` (a bundle of the same part's records, made before some changed) takes:
    the part's pages whose records are not the bundle's, and the ids (with filters) of the bundle's pages those
    supersede or that the part no longer holds; ``None`` if more than ``limit`` are superseded, or the bundle
    cannot be read. A record whose fingerprint changed is rendered, and is the bundle's if it is the same HTML."""
    kept = read_store_pages(bundle / RECORD_STORE)
    if kept is None:
        return None
    changed = [item for item in part.items if kept.get(item.url, ("",))[0] != _record_key(fingerprint, item)]
    if len(changed) > limit:  # before the fragments are read: after a change of every record, nothing else is
        return None
    pages = bundle_pages(bundle)
    if pages is None:
        return None
    held = {item.url for item in part.items}
    gone = [url for url in pages if url not in held]
    listed = {id(item) for item in changed}
    changed += [item for item in part.items if id(item) not in listed and item.url not in pages]
    if len(gone) + len(changed) > limit:
        return None
    fresh = [
        item
        for item in changed
        if item.url not in pages or item.url not in kept or kept[item.url][1] != index_form(render(item))
    ]
    superseded = gone + [item.url for item in fresh if item.url in pages]
    return fresh, {pages[url][0]: pages[url][1] for url in sorted(superseded)}


def _remembered(entry: dict, part: SearchPart, bundle: Path) -> tuple[list, dict[str, Filters]] | None:
    """What the last build found serving ``part`` from ``bundle`` took (a ``PARTS_RECORD`` entry made for the same
    records); ``None`` if the entry is not as written, or names a page the bundle does not hold. Like the bundles
    themselves, the cache's records are otherwise taken as made: they are checked for their form, and against
    the bundle's files where that costs no reading of them."""
    try:
        by_url = {item.url: item for item in part.items}
        fresh = [by_url[str(url)] for url in entry["fresh"]]
        stale = {str(name): _page(name, filters)[1] for name, filters in entry["stale"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    names = _fragment_files(bundle)
    if names is None or not stale.keys() <= names.keys() or len({item.url for item in fresh}) != len(fresh):
        return None
    return fresh, stale


def _index_in_child(
    parts: Sequence[tuple[Sequence, Path]],
    render: Callable[[Story], str],
    report: Connection,
    progress: Connection,
    stop: threading.Event,
    records_folder: Path | None = None,
    gate: Connection | None = None,
    fingerprint: Callable[[Story], str] | None = None,
    stores: Sequence[Path] = (),
) -> None:
    forked = threading.current_thread() is threading.main_thread()  # a forked process, not a thread of the build
    if forked:
        # The index takes the CPU the page workers leave and the build's single-threaded end (feeds,
        # sitemaps): at equal priority, it and Pagefind slowed the pages by more than they gained.
        os.nice(19)
    with reporting_to(report):
        if forked and records_folder is not None:
            # Every record into a file, then this process becomes one that holds none of the build's memory
            # (``pagefind_service``) and sends them to Pagefind, part after part.
            work = []
            known = read_store(stores)
            for items, output in parts:
                records = records_folder / (output.name + RECORDS_SUFFIX)
                write_records(_records(items, render, fingerprint, known), records)
                work.append((records, output))
                progress.send(records.name)  # the build waits its time for each part's records, then its bundle
            assert gate is not None
            become_feeder(report.fileno(), progress.fileno(), gate.fileno(), work)
            parts = [(list(read_records(records)), output) for records, output in work]  # no interpreter to run
        known = read_store(stores) if records_folder is None else {}
        for items, output in parts:  # one Pagefind after another: each part's memory is returned before the next
            if records_folder is not None:
                records: Iterable[tuple[str, str]] = iter(items)
            else:  # a thread: the part's records are kept with its bundle as the feeding process keeps them
                rendered = list(_records(items, render, fingerprint, known))
                records = ((url, html) for url, html, _ in rendered)
            index_records(records, output, stop, before_bundle=(lambda: wait([gate])) if gate is not None else None)
            if records_folder is None and fingerprint is not None:
                write_records(rendered, output / RECORD_STORE)
            progress.send(output.name)


@dataclass
class SearchJob:
    """The search bundle of a build, made beside the pages: in a forked process (the build is single-threaded,
    so forking is safe) or a thread (in a threaded host such as ``mkdocs serve``, which then renders pages
    one by one anyway). The index is in parts (``partition``), each its own bundle, taken from the cache when
    the same records were indexed before, else indexed by a Pagefind of its own, one part after another.

    Each part's bundle is built into the cache (``cache_root/search/<digest>``), then linked into the site when
    the build finishes (indexing may start before MkDocs empties the site folder), with ``phan.json`` listing the
    parts' folders for the search page."""

    site_dir: Path
    bundles: Path
    digest: Callable[[Sequence], str]
    parts: list[SearchPart] = field(default_factory=list)
    cached: dict[str, Path] = field(default_factory=dict)
    """Each part's bundle in the cache, by the part's folder, once its digest is known."""
    indexed: list[SearchPart] = field(default_factory=list)
    """The parts indexed in this build (the others are taken from the cache)."""
    changes: dict[str, tuple[list, dict[str, Filters]]] = field(default_factory=dict)
    """By folder, each older part served from a bundle made before some of its records changed
    (``SUPERSEDED_SHARE``): its pages whose records are in the patch part, and the Pagefind ids and filters of the
    bundle's pages they supersede (or that the part no longer holds), which the search page leaves out."""
    nominal: dict[str, str] = field(default_factory=dict)
    """By folder, each of those parts' own digest (the name of the bundle its records now make)."""
    staging: Path | None = None
    records: Path | None = None
    """The records a forked indexer renders, in the staging folder: on the project's disk, not in a ``/tmp`` that may
    be memory, and gone with it (a cancelled job deletes it; a killed build's goes at the next build)."""
    made: Path | None = None
    """The outermost folder the job made for its records: a cancelled job leaves none of those it made."""
    worker: multiprocessing.process.BaseProcess | threading.Thread | None = None
    report: Connection | None = None
    progress: Connection | None = None
    """Tells of each part's records rendered and each part indexed: ``finish`` waits its time for each, not for the
    whole index."""
    stop: threading.Event = field(default_factory=threading.Event)
    gate: Connection | None = None
    """Opened (``open_gate``) once the build's page workers have ended: a forked indexer builds no part's bundle
    before, so that Pagefind's peak, while it builds one, is not summed with theirs."""
    at_exit: multiprocessing.util.Finalize | None = None
    """Cancels the job as the process exits, before multiprocessing joins the indexer it would wait for (Ctrl-C
    during a build reaches no engine hook)."""

    @classmethod
    def start(
        cls,
        items: Sequence[Story],
        render: Callable[[Story], str],
        digest: Callable[[Sequence], str],
        site_dir: Path,
        cache_root: Path,
        fingerprint: Callable[[Story], str] | None = None,
    ) -> SearchJob:
        """Index the parts of ``items`` whose bundle, named ``digest(part's items)``, is not cached, in the
        background; ``finish`` puts the bundles in ``site_dir/pagefind``. With no bundle cached at all, indexing
        starts before the digests are worked out (``finish`` does it), since they read every story. With
        ``fingerprint`` (an item's, as ``digest`` takes it in; worked out by the forked indexer where the digests were
        not), each bundle keeps its records, and a part indexed again takes those of its items that the cached
        bundles it replaces hold (``RECORD_STORE``)."""
        job = cls(site_dir, cache_root / "search", digest, partition(items, part_records()))
        job.indexed = list(job.parts)
        stores: list[Path] = []
        if job.bundles.is_dir() and any(not entry.name.startswith(".") for entry in job.bundles.iterdir()):
            job.cached = {part.folder: job.bundles / digest(part.items) for part in job.parts}
            if fingerprint is not None:
                job._keep_older_parts(render, fingerprint)
            job.indexed = [part for part in job.parts if not job.cached[part.folder].is_dir()]
            if not job.indexed:
                return job
            if fingerprint is not None:
                used = set(job.cached.values())
                stores = [
                    bundle / RECORD_STORE
                    for bundle in job.bundles.iterdir()
                    if not bundle.name.startswith(".") and bundle not in used and (bundle / RECORD_STORE).is_file()
                ]
        job.staging = job.bundles / f".staging.{os.getpid()}.{id(job)}"
        receiver, sender = multiprocessing.Pipe(duplex=False)
        job.report = receiver
        job.progress, told = multiprocessing.Pipe(duplex=False)
        work = [(list(part.items), job._staged(part)) for part in job.indexed]
        arguments: tuple = (work, render, sender, told, job.stop)
        if can_fork():
            job.records = job.staging / ".records"
            job.made = next((folder for folder in reversed(job.records.parents) if not folder.exists()), job.records)
            job.records.mkdir(parents=True)
            waiting, job.gate = multiprocessing.Pipe(duplex=False)
            arguments = (*arguments, job.records, waiting, fingerprint, stores)
            job.worker = multiprocessing.get_context("fork").Process(target=_index_in_child, args=arguments)
            with forking():
                job.worker.start()
            job.at_exit = multiprocessing.util.Finalize(None, job.cancel, exitpriority=10)
            sender.close()  # the child holds it now: if the child dies, the report is an end of file, not a wait
            told.close()
            waiting.close()
        else:
            arguments = (*arguments, None, None, fingerprint, stores)
            job.worker = threading.Thread(target=_index_in_child, args=arguments, daemon=True)
            job.worker.start()
        return job

    def _keep_older_parts(self, render: Callable[[Story], str], fingerprint: Callable[[Story], str]) -> None:
        """Serve each older part whose records changed, but few of them, from the bundle the last build served it
        from, and put its changed records in the patch part (``SUPERSEDED_SHARE``), the parts with fewest changes
        first while the patch has room. A part served so by the last build, with the same records, is served the
        same way without the bundle being read again (``PARTS_RECORD``)."""
        try:
            served = json.loads((self.bundles / PARTS_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return
        if not isinstance(served, dict):
            return
        size = part_records()
        limit, room = -(-size // SUPERSEDED_SHARE), -(-size // RECENT_SHARE)
        found = []
        for part in self.parts:
            entry = served.get(part.folder)
            nominal = self.cached[part.folder]
            if not part.folder or not isinstance(entry, dict) or nominal.is_dir():
                continue
            name = entry.get("bundle")
            bundle = self.bundles / name if isinstance(name, str) and not name.startswith(".") else None
            if bundle is None or bundle.parent != self.bundles or not bundle.is_dir():
                continue
            changes = _remembered(entry, part, bundle) if entry.get("items") == nominal.name else None
            if changes is None:
                changes = _changes(part, bundle, render, fingerprint, limit)
            if changes is not None:
                found.append((len(changes[0]) + len(changes[1]), part.folder, bundle, changes))
        fresh: list = []
        stale = 0  # every part's superseded records: phan.json, which a reader's first search fetches, names them
        for _, folder, bundle, changes in sorted(found, key=lambda entry: entry[:2]):
            if len(fresh) + len(changes[0]) <= room and stale + len(changes[1]) <= limit:
                self.nominal[folder] = self.cached[folder].name
                self.cached[folder] = bundle
                self.changes[folder] = changes
                fresh += changes[0]
                stale += len(changes[1])
        if fresh:
            patch = SearchPart(SEARCH_PATCH_FOLDER, tuple(sorted(fresh, key=lambda item: item.url)))
            self.parts.append(patch)
            self.cached[patch.folder] = self.bundles / self.digest(patch.items)

    def _exit_handled(self) -> None:
        if self.at_exit is not None:
            self.at_exit.cancel()
            self.at_exit = None

    def _staged(self, part: SearchPart) -> Path:
        assert self.staging is not None
        return self.staging / (part.folder.strip("/") or "0")

    def indexing(self) -> bool:
        """Whether the index is being built beside the build now (not taken from the cache, not done yet)."""
        return self.worker is not None and self.report is not None and not self.report.poll()

    def _outcome(self, timeout: float) -> str | None:
        """The indexer's report (``None``: done), waiting up to ``timeout`` for each part: a large index on a busy
        machine takes as long as it needs while its parts keep coming, a Pagefind that hangs stops the build."""
        assert self.report is not None
        while True:
            ready = wait([self.report, *([self.progress] if self.progress is not None else [])], timeout)
            if not ready:
                return f"{FAILED}: Pagefind không trả lời"
            try:
                if self.report in ready:
                    return self.report.recv()
                assert self.progress is not None
                self.progress.recv()
            except EOFError:
                if self.report in ready:
                    return f"{FAILED}: tiến trình lập chỉ mục dừng đột ngột"
                self.progress = None  # the indexer ended: its report, or the end of it, follows

    def open_gate(self) -> None:
        """Let the indexer build its parts' bundles from now on (the build's page workers have ended)."""
        if self.gate is not None:
            with contextlib.suppress(OSError):  # an indexer that ended (failed) reads nothing
                self.gate.send_bytes(b"open")
            self.gate.close()
            self.gate = None

    def finish(
        self, linked: set[str] | None = None, timeout: float = 900, present: Mapping[str, Signature] | None = None
    ) -> None:
        """Wait for the index, keep its parts' bundles as the only cached ones and link them into the site (a kept
        site folder's links that are the bundle's files already are left, and named in ``linked``; ``present``:
        the kept folder's files as the build found them, ``kept_site.signatures``)."""
        self.open_gate()
        if self.worker is not None:
            assert self.report is not None and self.staging is not None
            failure = self._outcome(timeout)
            if failure is not None:
                self.cancel()  # an indexer that did not answer must not write on, nor keep the build from exiting
                raise SearchIndexError(failure)
            self.worker.join(timeout=30)
            self.worker = None
            self._exit_handled()
            for part in self.parts:
                if part.folder not in self.cached:
                    self.cached[part.folder] = self.bundles / self.digest(part.items)
            self._sweep()
            for part in self.indexed:
                shutil.rmtree(self.cached[part.folder], ignore_errors=True)  # two parts never share records
                self._staged(part).rename(self.cached[part.folder])
            shutil.rmtree(self.staging, ignore_errors=True)
            self._remove_records()
        elif self.bundles.is_dir():
            self._sweep()
        output = self.site_dir / SEARCH_FOLDER
        if present is not None and os.stat(self.bundles).st_dev != os.stat(self.site_dir).st_dev:
            present = None  # inodes name a file on one device only
        for part in self.parts:
            merged = bool(part.folder)  # the newest part's folder is the bundle's own: Pagefind's script is there
            _link_tree(self.cached[part.folder], output / part.folder, merged=merged, linked=linked, present=present)
        self._remember_parts()
        listed = [part.folder for part in self.parts if part.folder and part.folder != SEARCH_PATCH_FOLDER]
        document: dict[str, object] = {"parts": listed}
        if SEARCH_PATCH_FOLDER in self.cached:
            document["patch"] = SEARCH_PATCH_FOLDER
        stale = {folder: superseded for folder, (_, superseded) in self.changes.items() if superseded}
        if stale:
            document["stale"] = stale
        (output / SEARCH_PARTS_FILE).write_text(json.dumps(document, ensure_ascii=False) + "\n", encoding="utf-8")

    def _sweep(self) -> None:
        """Delete the cached bundles this build does not serve (older ones, a patch part no longer needed) and what
        an interrupted build left (a staging folder, a part record half written), whether or not this build
        indexed anything."""
        kept = set(self.cached.values())
        for other in self.bundles.iterdir():
            if other.name.startswith(PARTS_RECORD + "."):
                other.unlink(missing_ok=True)
            elif other != self.staging and other not in kept and other.name != PARTS_RECORD:
                shutil.rmtree(other, ignore_errors=True)

    def _remember_parts(self) -> None:
        """Keep which bundle served each older part, with the digest of the part's records and what serving it
        took (``PARTS_RECORD``), for the next build's ``_keep_older_parts``."""
        served = {}
        for part in self.parts:
            if part.folder and part.folder != SEARCH_PATCH_FOLDER:
                fresh, superseded = self.changes.get(part.folder, ([], {}))
                served[part.folder] = {
                    "bundle": self.cached[part.folder].name,
                    "items": self.nominal.get(part.folder, self.cached[part.folder].name),
                    "fresh": [item.url for item in fresh],
                    "stale": superseded,
                }
        record = self.bundles / PARTS_RECORD
        if not served:  # an index in one part
            with contextlib.suppress(OSError):
                record.unlink(missing_ok=True)
            return
        text = json.dumps(served, ensure_ascii=False, sort_keys=True)
        with contextlib.suppress(OSError):
            if record.read_text(encoding="utf-8") == text:
                return
        temporary = record.with_name(f"{record.name}.{os.getpid()}")
        try:
            self.bundles.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, record)
        except OSError:  # the next build reads the bundles of the changed parts again
            temporary.unlink(missing_ok=True)

    def cancel(self) -> None:
        """Stop indexing (the build failed): nothing is kept."""
        self._exit_handled()
        self.stop.set()  # a thread stops at its next record, or before writing
        if self.gate is not None:
            self.gate.close()
            self.gate = None
        if isinstance(self.worker, multiprocessing.process.BaseProcess) and self.worker.is_alive():
            self.worker.kill()
        if self.worker is not None:
            self.worker.join(timeout=60)
        self.worker = None
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        self._remove_records()
        if self.made is not None and self.staging is not None:
            # The folders above the staging folder that the job made, while nothing else is in them.
            for folder in [folder for folder in self.staging.parents if folder.is_relative_to(self.made)]:
                try:
                    folder.rmdir()
                except OSError:
                    break

    def _remove_records(self) -> None:
        if self.records is not None:
            shutil.rmtree(self.records, ignore_errors=True)
            self.records = None


def _link_tree(
    source: Path,
    destination: Path,
    *,
    merged: bool = False,
    linked: set[str] | None = None,
    present: Mapping[str, Signature] | None = None,
) -> None:
    """``destination`` made to hold ``source``'s files, linked, each folder's shares in one folder (one thread:
    links are cheap, and threads linking into one folder would only wait for each other). A ``merged`` part
    leaves out the files of its top folder the search page does not read there (``MERGED_PART_FILES``). With
    ``linked``, the destination may hold files already (a kept site folder): each is named there. ``present``
    gives those files' signatures as the build found them, on the source's device: a file whose inode is its
    source's is that file (both exist), and is left without a system call."""
    folders = [(str(source), Path())]
    while folders:
        folder, relative = folders.pop()
        target = destination / _unshared(relative)
        target.mkdir(parents=True, exist_ok=True)
        into = str(target)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, relative / entry.name))
                    continue
                top = not relative.parts
                if top and (entry.name.startswith(".") or merged and not MERGED_PART_FILES.match(entry.name)):
                    continue  # the bundle's record store; a merged part's files the search page reads elsewhere
                path = os.path.join(into, entry.name)
                found = present.get(path) if present is not None else None
                if found is None or found[2] != entry.inode():
                    _link(entry.path, path)
                if linked is not None:
                    linked.add(path)


def _link(source: str, destination: str) -> None:
    """Bundle files are never modified in place: share them instead of copying. A file already there is kept if it
    is this one, else replaced (never written through: it may be another bundle's file)."""
    try:
        os.link(source, destination)
        return
    except FileExistsError:
        if same_file(source, destination):
            return
        os.unlink(destination)
        with contextlib.suppress(OSError):
            os.link(source, destination)
            return
    except OSError:
        pass
    shutil.copy2(source, destination)
