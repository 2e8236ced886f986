"""Publishing to a folder a web server serves (``/srv/tuyendau`` or ``file:///srv/tuyendau``).

    DEST/releases/<id>/       a release: the site's files (unchanged ones hard links to the previous release's)
    DEST/releases/<id>.json   its manifest; a release is complete when both are there
    DEST/current              a relative link to the live release, replaced in one rename
    DEST/nginx.conf, DEST/Caddyfile, DEST/_headers   the server settings, from the one header policy
    DEST/.spares/             a copy of the live release made after a publish, the next one's start (``spare``)

A release is filled under a hidden name (``releases/.partial-…``), its manifest written, then renamed to its id, and
only then is ``current`` switched: a publish stopped at any moment leaves ``current`` on a complete release, and the
next publish deletes what it left (or switches to the release it completed). Before the switch the release is made
durable (``durable``): its new files' bytes and every folder's entries are on the disk, so a power cut after the
switch cannot leave ``current`` naming a release whose files were still only in memory."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from frontline.build.atomic import delete_in_background
from frontline.build.locks import Lock
from frontline.deploy import servers, spare
from frontline.deploy.base import PublishReport, Release, ReleaseInfo, SiteFile, release_before, releases_to_prune
from frontline.deploy.manifests import release_from_manifest

RELEASES = "releases"
CURRENT = "current"
MANIFEST_SUFFIX = ".json"
PARTIAL = ".partial-"
LINK = ".current-"
LOCK = ".frontline-publish.lock"
PRUNED = ".pruned-"
"""A release deleted by ``prune``, beside ``releases/`` until the process deleting it is done."""

Progress = Callable[[int, int, int], None]
"""Called as files are written: (files done, files in all, bytes sent)."""


class PublishError(Exception):
    """A publish that cannot go on; the message is for the reporter (Vietnamese), the live release is untouched."""


@dataclass(frozen=True)
class Plan:
    """What publishing a release changes compared with the live one."""

    send: tuple[SiteFile, ...]
    unchanged: int
    delete: tuple[str, ...]

    @property
    def sent_bytes(self) -> int:
        return sum(f.size for f in self.send)


def plan(release: Release, live: dict[str, dict], kept: Collection[str] = ()) -> Plan:
    """``live``: the live release's manifest files (path → ``{"sha256", "size"}``); ``kept``: the digests of the
    files of every release kept. A file whose bytes a kept release has, under any name, is linked, not sent."""
    digests = {entry["sha256"] for entry in live.values()} | set(kept)
    send = tuple(f for f in release.files if f.digest not in digests)
    paths = {f.path for f in release.files}
    return Plan(send, len(release.files) - len(send), tuple(sorted(p for p in live if p not in paths)))


class FolderTarget:
    def __init__(self, root: Path, *, base_path: str = "/", progress: Progress | None = None) -> None:
        self.root = Path(os.path.abspath(root))
        self.base_path = base_path
        self.progress = progress
        self._manifests: dict[str, dict[str, dict]] = {}

    @property
    def releases_dir(self) -> Path:
        return self.root / RELEASES

    # -- what is there ------------------------------------------------------------------------------------------

    def live_id(self) -> str | None:
        try:
            target = os.readlink(self.root / CURRENT)
        except OSError:
            return None
        folder, _, name = target.partition("/")
        return name if folder == RELEASES and _is_id(name) else None

    def live_release(self) -> Release | None:
        """The live release as its manifest tells (None before the first publish): what a publish replaces."""
        live = self.live_id()
        if live is None:
            return None
        try:
            return release_from_manifest((self.releases_dir / (live + MANIFEST_SUFFIX)).read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _complete(self) -> list[str]:
        """Ids of the complete releases, oldest first (an id starts with its UTC time)."""
        if not self.releases_dir.is_dir():
            return []
        ids = []
        for entry in self.releases_dir.iterdir():
            manifest = self.releases_dir / (entry.name + MANIFEST_SUFFIX)
            if _is_id(entry.name) and entry.is_dir() and not entry.is_symlink() and manifest.is_file():
                ids.append(entry.name)
        return sorted(ids)

    def _manifest(self, release_id: str) -> dict[str, dict]:
        """The files release ``release_id``'s manifest lists, read once: a complete release's manifest is written
        before the release is given its id, and never changes after."""
        found = self._manifests.get(release_id)
        if found is not None:
            return found
        path = self.releases_dir / (release_id + MANIFEST_SUFFIX)
        try:
            found = self._manifests[release_id] = manifest_files(path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            raise PublishError(f"{path}: không đọc được danh sách tệp của bản {release_id}.") from None
        return found

    def releases(self) -> list[ReleaseInfo]:
        live = self.live_id()
        return [ReleaseInfo(i, len(self._manifest(i)), i == live) for i in self._complete()]

    def plan(self, release: Release) -> Plan:
        live = self.live_id()
        return plan(release, self._manifest(live) if live else {}, set(self._sources(release)))

    def _sources(self, release: Release) -> dict[str, str]:
        """Each digest of ``release`` a kept release has → one of its files, the live release's first. The other
        releases' manifests are read only for digests the live one lacks (after an edit, a few)."""
        live = self.live_id()
        ids = self._complete()
        wanted = {f.digest for f in release.files}
        found: dict[str, str] = {}
        for release_id in ([live] if live in ids else []) + [i for i in reversed(ids) if i != live]:
            if not wanted:
                break
            folder = f"{self.releases_dir / release_id}/"
            for path, entry in self._manifest(release_id).items():
                digest = entry["sha256"]
                if digest in wanted:
                    found[digest] = folder + path
                    wanted.discard(digest)
        return found

    def changes(self, site: Path, release: Release) -> list[tuple[str, str, int]]:
        """What a publish would do, for ``--dry-run``: ``("+", path, bytes)`` sent, ``("-", path, 0)`` deleted."""
        changes = self.plan(release)
        return [("+", f.path, f.size) for f in changes.send] + [("-", p, 0) for p in changes.delete]

    # -- changing it ----------------------------------------------------------------------------------------------

    def publish(
        self, site: Path, release: Release, *, dry_run: bool = False, ready: Callable[[], None] = lambda: None
    ) -> PublishReport:
        if dry_run:
            changes = self.plan(release)
            return _report(release.id, changes, dry_run=True)
        if self.live_id() is None:
            ready()  # a first publish makes DEST: not for a site that is refused
        self.root.mkdir(parents=True, exist_ok=True)
        with Lock(self.root / LOCK):
            self._clear_leftovers()
            live = self.live_id()
            live_files = self._manifest(live) if live else {}
            sources = self._sources(release)
            changes = plan(release, live_files, set(sources))
            wanted = {f.path: {"sha256": f.digest, "size": f.size} for f in release.files}
            if live is not None and wanted == live_files:  # the same site: nothing to send
                ready()
                self._write_server_files(release)
                self._keep_spare(live)
                return PublishReport(live, 0, 0, len(release.files), 0, False)
            if release.id not in self._complete():
                taken = self._take_spare(live)
                try:
                    if taken is None or not self._refill(site, release, sources, *taken, ready=ready):
                        self._fill(site, release, sources, ready=ready)
                except BaseException:
                    if live is not None:  # the spare went into the refused release: the next publish has another
                        self._keep_spare(live)
                    raise
            ready()
            self._switch(release.id)
            self._write_server_files(release)
            self._keep_spare(release.id)
        return _report(release.id, changes, dry_run=False)

    def rollback(self) -> ReleaseInfo:
        with Lock(self.root / LOCK):
            self._clear_leftovers()
            ids = self._complete()
            live = self.live_id()
            if live not in ids:
                raise PublishError(f"{self.root}: chưa có bản nào đang chạy để quay lại bản trước.")
            previous = release_before(ids, live)
            if previous is None:
                raise PublishError(f"bản đang chạy {live} là bản cũ nhất; không có bản trước để quay lại.")
            self._switch(previous)
            return ReleaseInfo(previous, len(self._manifest(previous)), True)

    def prune(self, keep: int) -> list[str]:
        """Delete all but the releases of the ``keep`` newest contents (never the live one); return their ids. Each is
        taken out of ``releases/`` at once and its files deleted by a process left running: a release is tens of
        thousands of links, and the new one is live already."""
        with Lock(self.root / LOCK):
            ids = self._complete()
            live = self.live_id()
            gone = releases_to_prune(ids, live, keep)
            pruned = []
            for release_id in gone:
                # The manifest first: a prune stopped half-way leaves a folder the next publish sees as a leftover.
                (self.releases_dir / (release_id + MANIFEST_SUFFIX)).unlink(missing_ok=True)
                folder = self.root / f"{PRUNED}{release_id}-{os.getpid()}-{secrets.token_hex(4)}"
                try:
                    (self.releases_dir / release_id).rename(folder)
                except OSError:
                    shutil.rmtree(self.releases_dir / release_id, ignore_errors=True)
                    continue
                pruned.append(folder)
            delete_in_background(*pruned)
            return gone

    def _clear_leftovers(self) -> None:
        """What a publish or prune stopped part-way left: unfinished folders, manifests without their folder and
        folders without their manifest (never the live one), a link not yet renamed over ``current``."""
        live = self.live_id()
        for pattern in (LINK + "*", ".*.tmp"):
            for entry in self.root.glob(pattern):
                entry.unlink(missing_ok=True)
        delete_in_background(*self.root.glob(PRUNED + "*"))  # a deleting process stopped before it was done
        if not self.releases_dir.is_dir():
            return
        for entry in self.releases_dir.iterdir():
            name = entry.name
            if name.startswith(".") and name.endswith(".tmp"):
                entry.unlink(missing_ok=True)
            elif name.startswith(PARTIAL):
                shutil.rmtree(entry, ignore_errors=True)
            elif name.endswith(MANIFEST_SUFFIX) and _is_id(name[: -len(MANIFEST_SUFFIX)]):
                if not (self.releases_dir / name[: -len(MANIFEST_SUFFIX)]).is_dir():
                    entry.unlink(missing_ok=True)
            elif _is_id(name) and name != live and not (self.releases_dir / (name + MANIFEST_SUFFIX)).is_file():
                shutil.rmtree(entry, ignore_errors=True)

    def _fill(self, site: Path, release: Release, sources: dict[str, str], *, ready: Callable[[], None]) -> None:
        """Write the release under a hidden name (files a kept release has linked from it), then its manifest, then
        give it its id."""
        self.releases_dir.mkdir(parents=True, exist_ok=True)
        partial = self.releases_dir / f"{PARTIAL}{release.id}-{os.getpid()}-{secrets.token_hex(4)}"
        partial.mkdir()
        root = f"{partial}/"
        groups: dict[str, list[SiteFile]] = {}
        for file in release.files:  # by top folder: no two groups make the same folder
            groups.setdefault(file.path.partition("/")[0] if "/" in file.path else "", []).append(file)

        def fill(files: list[SiteFile]) -> tuple[list[SiteFile], list[str]]:
            """Make the group's folders, each once, and link what a kept release has; return the files left to copy
            and the folders made. Folders and links are the kernel's work: two threads share them."""
            made = {""}
            left = []
            for file in files:
                make_folder_of(root, file.path, made)
                source = sources.get(file.digest)
                if source is None or not _link(source, root + file.path):
                    left.append(file)
            return left, sorted(made - {""})

        copies: list[SiteFile] = []
        folders: list[str | Path] = [partial]
        with ThreadPoolExecutor(2) as pool:
            for left, made in pool.map(fill, sorted(groups.values(), key=len, reverse=True)):
                copies += left
                folders += [root + folder for folder in made]
        written: list[Path] = []
        sent = 0
        linked = len(release.files) - len(copies)
        for done, file in enumerate(copies, 1):
            target = partial / file.path
            _copy_checked(site / file.path, target, file)
            written.append(target)
            sent += file.size
            if self.progress is not None:
                self.progress(linked + done, len(release.files), sent)
        if self.progress is not None:
            self.progress(len(release.files), len(release.files), sent)
        # Linked files' bytes were made durable with the release that first wrote them; its own files and every
        # folder (the names of the links) are this release's.
        self._name_release(release, partial, written, folders, ready)

    def _name_release(
        self,
        release: Release,
        partial: Path,
        written: list[Path],
        folders: Collection[str | Path],
        ready: Callable[[], None],
    ) -> None:
        """Once ``ready()`` allowed it (else the filled release is deleted), the release's manifest written, then
        ``written`` (its files not linked), ``folders`` (those whose entries it changed) and the manifest made
        durable, then the release given its id."""
        try:
            ready()
        except BaseException:
            delete_in_background(partial)
            raise
        manifest = self.releases_dir / (release.id + MANIFEST_SUFFIX)
        _write_atomically(manifest, release.manifest())
        durable([*written, manifest], [*folders, self.releases_dir])
        partial.rename(self.releases_dir / release.id)
        durable([], [self.releases_dir])

    def _take_spare(self, live: str | None) -> tuple[Path, dict[str, dict]] | None:
        """A ready spare (``spare``; the live release's, else the newest) renamed into ``releases/`` under the
        hidden name a release is filled under, with the files it holds; None when there is none."""
        spares = self.root / spare.SPARES
        try:
            ready = sorted(
                (entry.name for entry in spares.iterdir() if _is_id(entry.name) and entry.is_dir()),
                key=lambda name: (name == live, name),
            )
        except OSError:
            return None
        for release_id in reversed(ready):
            manifest = spare.spare_manifest(spares, release_id)
            try:
                files = manifest_files(manifest.read_bytes())
            except (OSError, ValueError, KeyError, TypeError):
                continue
            self.releases_dir.mkdir(parents=True, exist_ok=True)
            partial = self.releases_dir / f"{PARTIAL}{release_id}-{os.getpid()}-{secrets.token_hex(4)}"
            try:
                os.rename(spares / release_id, partial)
            except OSError:
                continue
            manifest.unlink(missing_ok=True)
            return partial, files
        return None

    def _refill(
        self,
        site: Path,
        release: Release,
        sources: dict[str, str],
        partial: Path,
        old: dict,
        *,
        ready: Callable[[], None],
    ) -> bool:
        """Make the spare ``partial`` (the files ``old`` lists) the release: take out what differs, put in the new
        release's files (linked from a kept release, else copied from the site), then as ``_fill`` does. False, and
        the spare given up, if the spare is not what ``old`` says."""
        root = f"{partial}/"
        new = {f.path: f for f in release.files}
        touched: set[str] = set()  # folders whose entries change: synced where there is no syncfs
        try:
            emptied: set[str] = set()
            for path, entry in old.items():
                file = new.get(path)
                if file is not None and entry["sha256"] == file.digest:
                    continue
                os.unlink(root + path)
                touched.add(path.rpartition("/")[0])
                if file is None:
                    emptied.add(path.rpartition("/")[0])
            for folder in sorted(emptied, key=lambda name: name.count("/"), reverse=True):  # deepest first
                while folder:
                    try:
                        os.rmdir(root + folder)
                    except OSError:  # not empty: nor is any folder above it
                        break
                    folder = folder.rpartition("/")[0]
                    touched.add(folder)
            changed = [f for f in release.files if f.path not in old or old[f.path]["sha256"] != f.digest]
            written: list[Path] = []
            sent = 0
            for done, file in enumerate(changed, 1):
                parent = file.path.rpartition("/")[0]
                if parent and not os.path.isdir(root + parent):
                    os.makedirs(root + parent)
                    while parent:
                        touched.add(parent)
                        parent = parent.rpartition("/")[0]
                touched.add(file.path.rpartition("/")[0])
                source = sources.get(file.digest)
                if source is None or not _link(source, root + file.path):
                    _copy_checked(site / file.path, partial / file.path, file)
                    written.append(partial / file.path)
                    sent += file.size
                if self.progress is not None:
                    self.progress(len(release.files) - len(changed) + done, len(release.files), sent)
        except (OSError, KeyError, TypeError):
            delete_in_background(partial)
            return False
        if self.progress is not None:
            self.progress(len(release.files), len(release.files), sent)
        # The folders whose entries changed and are still folders (one emptied was removed, or is a file now).
        changed_folders = [root + folder for folder in sorted(touched) if os.path.isdir(root + folder)]
        self._name_release(release, partial, written, [partial, *changed_folders], ready)
        return True

    def _keep_spare(self, live: str) -> None:
        """Start making a spare of the live release unless one is ready or being made; delete the spares of other
        releases, and those whose making process died."""
        spares = self.root / spare.SPARES
        making = False
        try:
            entries = list(spares.iterdir())
        except FileNotFoundError:
            entries = []
        gone = []
        for entry in entries:
            name = entry.name
            if not entry.is_dir() or entry.is_symlink():  # a manifest, or what a maker stopped mid-write left
                if name != live + MANIFEST_SUFFIX:
                    entry.unlink(missing_ok=True)
            elif spare.making_pid(name) is not None:
                if spare.being_made(entry):
                    making = True
                else:
                    gone.append(entry)
            elif name != live:
                gone.append(entry)
        hidden = []
        for entry in gone:  # out of the way at once, deleted by a process left running
            target = self.root / f"{PRUNED}{entry.name.lstrip('.')}-{os.getpid()}-{secrets.token_hex(4)}"
            with contextlib.suppress(OSError):
                entry.rename(target)
                hidden.append(target)
        delete_in_background(*hidden)
        if not making and not (spares / live).is_dir():
            spare.make_in_background(self.root, live)

    def _switch(self, release_id: str) -> None:
        """``current`` made a link to the release in one rename: a reader gets the old or the new, never none."""
        link = self.root / f"{LINK}{os.getpid()}-{secrets.token_hex(4)}"
        os.symlink(f"{RELEASES}/{release_id}", link)
        os.replace(link, self.root / CURRENT)
        durable([], [self.root])  # the switch itself survives a power cut

    def _write_server_files(self, release: Release) -> None:
        current = str(self.root / CURRENT)
        files = {
            servers.NGINX: servers.nginx_snippet(
                current, self_path=str(self.root / servers.NGINX), base_path=self.base_path
            ),
            servers.CADDY: servers.caddy_snippet(
                current, self_path=str(self.root / servers.CADDY), base_path=self.base_path
            ),
            servers.HEADERS: servers.headers_file((f.path for f in release.files), self.base_path),
        }
        for name, text in files.items():
            _write_atomically(self.root / name, text.encode("utf-8"))


def make_folder_of(root: str, path: str, made: set[str]) -> None:
    """Make the folder of ``path`` (relative, with "/") under ``root`` (ending in "/") and those above it that
    ``made`` (relative folders made so far, "" the root) lacks, each once: a release's folders, one ``mkdir`` each."""
    parent = path.rpartition("/")[0]
    missing = []
    while parent not in made:
        missing.append(parent)
        parent = parent.rpartition("/")[0]
    for folder in reversed(missing):
        os.mkdir(root + folder)
        made.add(folder)


def manifest_files(manifest: bytes) -> dict[str, dict]:
    """The files a release's manifest lists: path → ``{"sha256", "size"}``."""
    files = json.loads(manifest)["files"]
    if not isinstance(files, dict):
        raise TypeError
    return files


def _report(release_id: str, changes: Plan, *, dry_run: bool) -> PublishReport:
    sent, deleted = len(changes.send), len(changes.delete)
    return PublishReport(release_id, sent, changes.sent_bytes, changes.unchanged, deleted, dry_run)


def _is_id(name: str) -> bool:
    """A release id as ``read_site`` makes it (``20210520T093000123Z-1a2b3c4d``, or without the milliseconds as
    releases published before them are named): a plain name, never a path."""
    stamp, _, digest = name.partition("-")
    return (
        len(stamp) in (16, 19)
        and stamp[8] == "T"
        and stamp.endswith("Z")
        and stamp[:8].isdigit()
        and stamp[9:-1].isdigit()
        and len(digest) == 8
        and all(c in "0123456789abcdef" for c in digest)
    )


def _link(source: str, target: str) -> bool:
    try:
        os.link(source, target)
    except OSError:  # gone from the previous release, or links refused: the file is sent
        return False
    return True


def _copy_checked(source: Path, target: Path, file: SiteFile) -> None:
    """Copy one file of the site, refusing bytes that are not those the release lists (a build replaced the site
    meanwhile)."""
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != file.digest:
        raise PublishError(f"{file.path}: tệp đã đổi trong lúc đăng (một lần dựng trang khác?); hãy đăng lại.")
    with open(target, "xb") as out:
        out.write(data)


def durable(files: Collection[Path], folders: Collection[str | Path]) -> None:
    """``files``' bytes and ``folders``' entries written to the disk, before anything names them. Where the system
    has ``syncfs`` (Linux), one call for their file system: an fsync a folder costs a disk flush each, and a release
    has a folder a page."""
    anchor = next(iter(folders), None) or next(iter(files), None)
    if anchor is None or _sync_file_system(anchor):
        return
    for path in files:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    for path in folders:
        descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _sync_file_system(path: str | Path) -> bool:
    """``syncfs`` of the file system holding ``path``; False where the C library has none (then fsync each)."""
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    descriptor = os.open(path, os.O_RDONLY)
    try:
        return syncfs(descriptor) == 0
    finally:
        os.close(descriptor)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
