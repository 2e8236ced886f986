"""Pagefind's indexing service, and the process that feeds it a build's records when the build forks one.

Kept apart from ``frontline.output.search`` so that the process feeding Pagefind (``python -m`` this module) imports
nothing but the standard library and ``pagefind_bundle``: forked from the build, that process counted every page of
the build's memory it inherited (the content model, some hundreds of MiB at 10,000 stories) beside Pagefind's,
which peaks while it builds a part's bundle. The forked process renders the records into files, then becomes this
module (``exec``), which holds a few MiB besides the part it is sending.

    python -m frontline.output.pagefind_service REPORT_FD PROGRESS_FD GATE_FD RECORDS OUTPUT [RECORDS OUTPUT ...]

Each ``RECORDS`` file (JSON lines ``[url, html]``, deleted once read) is indexed into its ``OUTPUT`` folder, one
Pagefind after another; ``PROGRESS_FD`` is told each folder's name as it is written, ``REPORT_FD`` the outcome
(``None`` when done, else the message), both as ``multiprocessing`` connections; ``GATE_FD`` is read from (waited
for) before each bundle."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any

from frontline.build.memory import give_back_freed_memory
from frontline.output.pagefind_bundle import BundleFormatError, canonical

UNUSED_BUNDLE_FILES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.")
"""Pagefind's ready-made interfaces, not written: the search page has its own, over ``pagefind.js``."""
BUNDLE_WRITERS = 4
"""Threads writing the bundle's files (about one a story) at the build's very end. Creating files in one folder goes
one at a time and threads waiting for the folder spin, so each thread writes into folders of its own
(``fragment~0`` to ``fragment~3``), which ``_link_tree`` puts back together in the site."""
SHARE_MARK = "~"
RECORD_STORE = ".records"
"""In each cached part's bundle, its records as indexed, by their fingerprints (``write_records``): a part indexed
again after one of its stories changed takes the others' records from the bundle it replaces instead of rendering
them (``search.SearchJob.start``). Not linked into the site: ``search._link_tree`` leaves out the dot-files of a
bundle's top."""
PAGEFIND_ALLOCATOR_SETTING = "_RJEM_MALLOC_CONF"
PAGEFIND_ALLOCATOR = "tcache_max:1048576,dirty_decay_ms:0,muzzy_decay_ms:0"
"""Pagefind's Linux build allocates with jemalloc, which reads this setting: its thread cache then keeps freed
blocks of up to 1 MiB (not 32 KiB) for reuse, so indexing touches fewer fresh pages of memory and takes less CPU,
for the same peak memory; and the pages it frees go back to the system at once rather than after seconds, which
lowers its peak while it builds a part's bundle, for a little more CPU (RESULTS.md, "Memory summed over
processes")."""


class SearchIndexError(RuntimeError):
    pass


FAILED = "Pagefind không tạo được chỉ mục tìm kiếm"


def pagefind_executable() -> Path | None:
    """Pagefind's program, looked for where Pagefind's Python API looks (``PAGEFIND_BINARY_PATH``, the
    ``pagefind_bin_extended`` then ``pagefind_bin`` package, the ``PATH``) without importing that API, whose
    asyncio is slow to import in the process indexing the stories while the pages render."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return Path(configured)
    suffixes = ("", ".exe") if os.name == "nt" else ("",)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        spec = importlib.util.find_spec(package)  # finds the package's folder, imports nothing
        folders = (spec.submodule_search_locations or []) if spec is not None else []
        for folder in folders:
            for name in ("pagefind_extended", "pagefind"):
                for suffix in suffixes:
                    if (candidate := Path(folder, name + suffix)).is_file():
                        return candidate
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found else None


class PagefindService:
    """Pagefind's indexing service (``pagefind --service``: what its Python and Node APIs drive), spoken
    to directly. Records go in over a pipe, so none is written to disk; Pagefind's own Python wrapper
    sleeps before reading each reply, a pause per story.

    The protocol: base64-encoded JSON messages, each followed by a comma, both ways; a reply carries
    the ``message_id`` of its request. Requests are sent without waiting (a thread reads the replies,
    so neither pipe fills up); the service stops when its input closes, so that waits for the last reply."""

    def __init__(self, language: str | None = None) -> None:
        executable = pagefind_executable()
        if executable is None:
            raise SearchIndexError("Không tìm thấy chương trình Pagefind: chạy lại lệnh cài đặt trong README.")
        self.process = subprocess.Popen(
            [str(executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={PAGEFIND_ALLOCATOR_SETTING: PAGEFIND_ALLOCATOR, **os.environ},  # a setting of the caller's wins
        )
        self.errors: list[str] = []
        self.files: list[dict] | None = None
        self.awaited = 0
        self.replied = threading.Event()
        self.stderr = b""
        self._sent = 0
        self._readers = [
            threading.Thread(target=self._read_replies, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self._send({"type": "NewIndex", "config": {"force_language": language}})
        self.index_id = 0  # the service numbers its indexes from 0; a reply that says otherwise is an error

    def _send(self, payload: dict) -> int:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode("utf-8")
        self._write(base64.b64encode(message) + b",")
        return self._sent

    def _write(self, data: bytes, *, flush: bool = False) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(data)
            if flush:
                self.process.stdin.flush()
        except BrokenPipeError:
            self.close()
            raise SearchIndexError(self._failure("Pagefind dừng giữa chừng")) from None

    def _read_replies(self) -> None:
        assert self.process.stdout is not None
        buffer = bytearray()  # a bundle's reply is megabytes: scan only what arrives, never copy it all again
        while chunk := self.process.stdout.read1(1 << 20):
            start = len(buffer)
            buffer += chunk
            consumed, end = 0, buffer.find(b",", start)
            while end != -1:
                self._handle(json.loads(base64.b64decode(buffer[consumed:end])))
                consumed, end = end + 1, buffer.find(b",", end + 1)
            del buffer[:consumed]
        self.replied.set()  # the service stopped: whoever waits must not wait for ever

    def _handle(self, reply: dict) -> None:
        payload = reply.get("payload") or {}
        if payload.get("type") == "Error":
            self.errors.append(str(payload.get("message")))
        elif payload.get("type") == "NewIndex" and payload.get("index_id") != 0:
            self.errors.append(f"chỉ mục số {payload.get('index_id')}, không phải 0")
        if reply.get("message_id") == self.awaited:
            self.files = payload.get("files")
            self.replied.set()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()

    def add(self, url: str, html: str) -> None:
        """Index one page: ``html`` as if it were the file served at ``url``."""
        self._send({"type": "AddFile", "index_id": self.index_id, "file_path": None, "url": url, "file_contents": html})

    def bundle(self, timeout: float = 900) -> list[tuple[PurePosixPath, bytes]]:
        """Build the index, stop the service and return the bundle's files (paths relative to the bundle
        folder); ``SearchIndexError`` if anything failed.

        The files come back in the reply rather than being written by the service: its ``WriteFiles``
        replies while its last files are still being written, and it exits, losing them, when its input closes."""
        self.awaited = self._sent + 1  # before sending: the reply must not arrive before it is awaited
        self._send({"type": "GetFiles", "index_id": self.index_id})
        self._write(b"", flush=True)
        finished = self.replied.wait(timeout)
        self.close()
        if not finished or self.errors or not self.files:
            raise SearchIndexError(self._failure("; ".join(self.errors[:3]) or "Pagefind không trả về chỉ mục"))
        found = []
        for file in self.files:
            name = PurePosixPath(file["path"])
            if name.is_absolute() or ".." in name.parts:
                raise SearchIndexError(self._failure(f"tệp ngoài thư mục chỉ mục: {name}"))
            found.append((name, base64.b64decode(file["content"])))
        return found

    def close(self) -> None:
        """Close the service's input (it stops) and wait for it and its readers."""
        assert self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for reader in self._readers:
            reader.join(timeout=30)

    def _failure(self, what: str) -> str:
        detail = self.stderr.decode("utf-8", "replace").strip()
        return f"{FAILED}: {what}" + (f" ({detail})" if detail else "")


def index_records(
    records: Iterable[tuple[str, str]],
    output: Path,
    stop: threading.Event | None = None,
    before_bundle: Callable[[], object] | None = None,
) -> None:
    """Build the Pagefind bundle of ``records`` (address, HTML as indexed) into ``output``. Pagefind's ready-made
    interfaces are left out. ``stop``, once set, ends it without writing anything; ``before_bundle`` is called once
    the records are in, before Pagefind builds the bundle (where its memory peaks)."""
    stop = stop or threading.Event()
    service = PagefindService()
    try:
        for url, html in records:
            if stop.is_set():
                raise SearchIndexError(f"{FAILED}: đã hủy")
            service.add(url, html)
        if before_bundle is not None:
            before_bundle()
        try:
            files = canonical(service.bundle())
        except BundleFormatError as error:
            raise SearchIndexError(f"{FAILED}: {error}") from None
    finally:
        if service.process.poll() is None:  # something failed while records were going in
            service.process.kill()
            service.close()
    if stop.is_set():
        raise SearchIndexError(f"{FAILED}: đã hủy")
    shares: list[list[tuple[Path, bytes]]] = [[] for _ in range(BUNDLE_WRITERS)]
    kept = ((name, data) for name, data in files if not name.name.startswith(UNUSED_BUNDLE_FILES))
    for number, (name, data) in enumerate(kept):
        share = number % BUNDLE_WRITERS
        shares[share].append((output.joinpath(*_shared(name, share)), data))
    del files, kept
    for folder in sorted({path.parent for share in shares for path, _ in share}):
        folder.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(BUNDLE_WRITERS) as threads:  # a thread per share, each writing into its own folders
        for written in [threads.submit(_write_files, share, stop) for share in shares]:
            written.result()  # an error raised in one (a full disk) is raised here
    if stop.is_set():
        raise SearchIndexError(f"{FAILED}: đã hủy")


def _shared(name: PurePosixPath, share: int) -> tuple[str, ...]:
    """Where the bundle file ``name`` is written by the thread writing share ``share``: a file in a folder goes
    into that folder's share (``fragment/x`` → ``fragment~2/x``), a file at the top stays there."""
    if len(name.parts) == 1:
        return name.parts
    return (f"{name.parts[0]}{SHARE_MARK}{share}", *name.parts[1:])


def _unshared(folder: Path) -> Path:
    """A written folder's place in the bundle: ``fragment~2`` → ``fragment``."""
    if not folder.parts:
        return folder
    return Path(folder.parts[0].split(SHARE_MARK)[0], *folder.parts[1:])


def _write_files(files: Sequence[tuple[Path, bytes]], stop: threading.Event) -> None:
    for path, data in files:
        if stop.is_set():
            return
        with open(path, "wb") as file:
            file.write(data)


def read_records(path: Path) -> Iterator[tuple[str, str]]:
    """The records a ``RECORDS`` file holds, in order."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            url, html, *_ = json.loads(line)
            yield url, html


def write_records(records: Iterable[tuple[str, str, str | None]], path: Path) -> None:
    """Each record as a line ``[url, html, fingerprint, check]``, ``check`` a digest of the HTML: the same file,
    kept in the part's bundle once indexed (``search.RECORD_STORE``), is read back by ``read_store``."""
    with path.open("w", encoding="utf-8") as lines:
        for url, html, fingerprint in records:
            lines.write(json.dumps([url, html, fingerprint, _check(html)], ensure_ascii=False) + "\n")


def read_store(paths: Iterable[Path]) -> dict[str, str]:
    """The records of the files ``paths`` (``write_records``'s) by their fingerprints, leaving out any whose HTML
    is not the one its check was made of (a file damaged since: that record is rendered again), or unreadable."""
    known: dict[str, str] = {}
    for path in paths:
        try:
            for _, html, fingerprint in _stored(path):
                known[fingerprint] = html
        except OSError:
            continue
    return known


def read_store_pages(path: Path) -> dict[str, tuple[str, str]] | None:
    """The records of the file ``path`` (``write_records``'s) as address → (fingerprint, HTML), leaving out any
    whose HTML is not the one its check was made of; ``None`` when it cannot be read."""
    try:
        return {url: (fingerprint, html) for url, html, fingerprint in _stored(path)}
    except OSError:
        return None


def _stored(path: Path) -> Iterator[tuple[str, str, str]]:
    """Each line of a record store as ``(url, html, fingerprint)``, a line not as written (damaged) left out."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                url, html, fingerprint, check = json.loads(line)
            except (ValueError, TypeError, RecursionError):  # a damaged line: the lines after it are read all the same
                continue
            if (
                isinstance(url, str)
                and isinstance(fingerprint, str)
                and isinstance(html, str)
                and check == _check(html)
            ):
                yield url, html, fingerprint


def _check(html: str) -> str:
    return hashlib.blake2b(html.encode("utf-8"), digest_size=12).hexdigest()


def feed(report_fd: int, progress_fd: int, gate_fd: int, work: Sequence[tuple[Path, Path]]) -> None:
    """Index each ``(records file, output folder)`` of ``work`` in turn, telling the build through the two
    connections (``multiprocessing``'s, imported only here: the build's end of them is one). Each part's bundle
    waits for the gate to open (``SearchJob.open_gate``): not while the build's page workers are alive."""
    from multiprocessing.connection import Connection, wait

    report, progress = Connection(report_fd, readable=False), Connection(progress_fd, readable=False)
    gate = Connection(gate_fd, writable=False)
    with reporting_to(report):
        for records, output in work:
            index_records(read_records(records), output, before_bundle=lambda: wait([gate]))
            records.replace(output / RECORD_STORE)  # kept with the bundle: its records, when it is indexed again
            give_back_freed_memory()  # the part's bundle, which went through this process, before the next part's
            progress.send(output.name)


@contextlib.contextmanager
def reporting_to(report: Any) -> Iterator[None]:
    """The indexer's outcome sent to the build over ``report`` (a ``multiprocessing`` connection): ``None`` when
    the block completed, else the message the build stops with; no traceback, the build reports it in Vietnamese."""
    try:
        yield
    except SearchIndexError as error:
        report.send(str(error))
    except Exception as error:  # noqa: BLE001 - reported to the build, which stops with it
        report.send(f"{FAILED}: {type(error).__name__}: {error}")
    else:
        report.send(None)


def become_feeder(report_fd: int, progress_fd: int, gate_fd: int, work: Sequence[tuple[Path, Path]]) -> None:
    """Replace this (forked) process by the feeding process, keeping its process id (the build waits for it, or
    kills it) and the three connections' descriptors. Returns only if there is no interpreter to run."""
    if not sys.executable:
        return
    for fd in (report_fd, progress_fd, gate_fd):
        os.set_inheritable(fd, True)
    arguments = [str(report_fd), str(progress_fd), str(gate_fd), *(str(path) for pair in work for path in pair)]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", __name__, *arguments])


def main(argv: Sequence[str]) -> int:
    report_fd, progress_fd, gate_fd, *paths = argv
    work = [(Path(paths[n]), Path(paths[n + 1])) for n in range(0, len(paths), 2)]
    feed(int(report_fd), int(progress_fd), int(gate_fd), work)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
