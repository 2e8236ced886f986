"""Publishing over SSH with rsync: ``ssh://user@host:port/path`` holds the same layout as a folder target.

On the server, ``path/releases/<id>/`` is one release (its manifest in ``.frontline/release.json``) and
``path/current`` a symlink to the live one; the web server serves ``path/current``. A release is sent into a folder
of its own, ``path/releases/.incoming-<id>/``, with ``rsync --link-dest`` to the live release, so an unchanged file
is a hard link and is not sent; files are compared by content (``--checksum``), not by time, since a rebuild
rewrites unchanged files. Only then is the folder renamed to its id and ``current`` switched, by ``mv -T`` of a
fresh symlink over it: a rename, so readers see the old release or the new one. A publish killed at any moment
leaves ``current`` where it was; the next one links what the killed one had sent (its folder is one more
``--link-dest``), finishes, and deletes the leftovers. A folder of its own, because the server may still finish the
last command of a killed publish while the next one sends: one folder renamed under another's rsync would put
that rsync's files into a live release. One publish at a time to a destination.

The server needs a POSIX shell, GNU ``mv``/``ln`` and rsync. ``ssh`` runs as it does for a person (keys from
ssh-agent or ``~/.ssh``, ``~/.ssh/config``), in batch mode, so it fails rather than asking for a password;
``FRONTLINE_SSH_OPTIONS`` adds options in ssh's own syntax (``-i ~/.ssh/deploy -o UserKnownHostsFile=…``), placed
first so they win over Frontline's defaults."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from frontline.deploy import servers
from frontline.deploy.base import PublishReport, Release, ReleaseInfo, release_before, releases_to_prune
from frontline.deploy.failures import TargetFailed
from frontline.deploy.manifests import release_from_manifest

OPTIONS_VARIABLE = "FRONTLINE_SSH_OPTIONS"
MANIFEST = ".frontline/release.json"
_INCOMING = "releases/.incoming-"
_RELEASE_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
_MARK = "--frontline-manifest--"
_PROGRESS = re.compile(r"^\s*([\d,.']+)\s+\d+%.*(?:to|ir)-chk=(\d+)/(\d+)")
_ITEM = re.compile(r"^[<>]f\S*\s(.+)$", re.MULTILINE)  # "<f…": a file sent

Progress = Callable[[int, int, int], None]
"""Told as rsync goes: (files and folders checked, of all, bytes sent), from its ``--info=progress2``."""


@dataclass(frozen=True)
class _State:
    live: str | None
    releases: tuple[str, ...]  # oldest first (ids begin with their UTC time)
    leftovers: tuple[str, ...]  # ``.incoming-<id>`` folders of publishes that were killed
    counts: dict[str, int]
    manifest: bytes | None  # the live release's


class SshTarget:
    """A server reached with ``ssh``; see the module's text for the layout."""

    def __init__(
        self, url: str, *, ssh_options: str | None = None, progress: Progress | None = None, base_path: str = "/"
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme != "ssh" or not parts.hostname:
            raise TargetFailed(f"địa chỉ SSH phải có dạng ssh://người-dùng@máy:cổng/thư-mục, không phải {url!r}")
        if parts.password is not None:
            raise TargetFailed("địa chỉ SSH không được chứa mật khẩu: dùng khóa SSH (ssh-agent hoặc ~/.ssh)")
        path = unquote(parts.path)
        if path.strip("/") == "":
            raise TargetFailed(f"địa chỉ SSH thiếu thư mục trên máy chủ: {url!r}")
        self.user = unquote(parts.username) if parts.username else None
        self.host = parts.hostname
        if self.host.startswith("-") or (self.user or "").startswith("-"):  # ssh would read it as an option
            raise TargetFailed(f"tên máy hoặc người dùng SSH không hợp lệ: {url!r}")
        self.port = parts.port
        self.path = path.rstrip("/")
        self._shared: list[str] = []
        self.progress = progress
        self.base_path = base_path
        written = os.environ.get(OPTIONS_VARIABLE, "") if ssh_options is None else ssh_options
        try:
            self.options = shlex.split(written)
        except ValueError as error:
            raise TargetFailed(f"{OPTIONS_VARIABLE} không đọc được ({error})") from None

    @property
    def name(self) -> str:
        """The destination as a person wrote it, for messages."""
        login = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"ssh://{login}{self.host}{port}{self.path}"

    # What the target does.

    def publish(
        self, site: Path, release: Release, *, dry_run: bool = False, ready: Callable[[], None] = lambda: None
    ) -> PublishReport:
        if not dry_run:
            ready()
        _check_id(release.id)
        with self._connection():
            return self._publish(site, release, dry_run=dry_run)

    def _publish(self, site: Path, release: Release, *, dry_run: bool) -> PublishReport:
        state = self._state(with_manifest=True, create=not dry_run)
        live_paths = set()
        if state.manifest is not None:
            live_paths = {f.path for f in release_from_manifest(state.manifest).files}
        deleted = len(live_paths - {f.path for f in release.files})
        if release.id in state.releases:
            # Sent before (a rollback went past it, or a publish stopped after its rename): switched to as it is.
            if not dry_run:
                self._switch(release.id)
                self._write_server_files(release)
            return PublishReport(release.id, 0, 0, len(release.files), deleted, dry_run)
        sent_files, sent_bytes = self._send(site, release.id, state, dry_run=dry_run)
        if not dry_run:
            # The manifest comes on ssh's standard input: a publish killed while sending it ends ``cat`` early, with
            # success, so its length is checked before the release may go live.
            manifest = release.manifest()
            incoming = _INCOMING + release.id
            script = (
                f"{self._cd()} && mkdir -p {incoming}/.frontline && cat > {incoming}/{MANIFEST}"
                f' && test "$(wc -c < {incoming}/{MANIFEST})" -eq {len(manifest)}'
                # On the disk before it goes live: a power cut after the switch finds the release whole.
                f" && {_SYNC} && mv -T {incoming} releases/{release.id} && {_switch_script(release.id)} && {_SYNC}"
                f" && rm -rf -- {_INCOMING}*"
            )
            self._run(script, data=manifest)
            self._write_server_files(release)
        return PublishReport(release.id, sent_files, sent_bytes, len(release.files) - sent_files, deleted, dry_run)

    def changes(self, site: Path, release: Release) -> list[tuple[str, str, int]]:
        """What a publish would do, for ``--dry-run``: ``("+", path, bytes)`` sent, ``("-", path, 0)`` no longer
        served (rsync's dry run, itemized)."""
        with self._connection():
            state = self._state(with_manifest=True)
            live = {f.path for f in release_from_manifest(state.manifest).files} if state.manifest else set()
            gone = [("-", path, 0) for path in sorted(live - {f.path for f in release.files})]
            if release.id in state.releases:
                return gone
            output = self._rsync(site, release.id, state, dry_run=True, itemize=True)
        sizes = {f.path: f.size for f in release.files}
        return [("+", path, sizes.get(path, 0)) for path in _ITEM.findall(output)] + gone

    def rollback(self) -> ReleaseInfo:
        with self._connection():
            state = self._state(counts=True)
            previous = release_before(list(state.releases), state.live)
            if previous is None:
                raise TargetFailed(f"{self.name}: không có bản phát hành nào trước bản đang chạy để quay lại")
            self._switch(previous)
        return ReleaseInfo(previous, state.counts.get(previous, 0), True)

    def releases(self) -> list[ReleaseInfo]:
        state = self._state(counts=True)
        return [ReleaseInfo(r, state.counts.get(r, 0), r == state.live) for r in state.releases]

    def live_release(self) -> Release | None:
        """The live release as its manifest tells (None before the first publish): what a publish replaces."""
        manifest = self._state(with_manifest=True).manifest
        return release_from_manifest(manifest) if manifest is not None else None

    def prune(self, keep: int) -> list[str]:
        """Deletes all but the releases of the newest ``keep`` contents (never the live one); returns the ids
        deleted."""
        state = self._state()
        doomed = releases_to_prune(list(state.releases), state.live, keep)
        if doomed:
            self._run(f"{self._cd()} && rm -rf -- " + " ".join(f"releases/{r}" for r in doomed))
        return doomed

    # How.

    @contextmanager
    def _connection(self) -> Iterator[None]:
        """One SSH connection shared by the commands and the rsync of a publish (each new one costs a key
        exchange): a master ``ssh`` started here and ended on leaving; unless the options name a ControlPath."""
        if any("controlpath" in option.lower() for option in self.options):
            yield
            return
        folder = tempfile.mkdtemp(prefix="frontline-ssh-")
        control = os.path.join(folder, "master")
        master = subprocess.Popen(
            [*self._ssh(), "-o", "ControlMaster=yes", "-o", f"ControlPath={control}", "-N", self._login()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # Up to 3 s: a master slower than that (or one that never comes up) leaves each command its own
            # connection until it is there, rather than holding every publish, rollback and dry run for it.
            for _ in range(150):
                if os.path.exists(control) or master.poll() is not None:
                    break
                time.sleep(0.02)
            self._shared = ["-o", "ControlMaster=no", "-o", f"ControlPath={control}"]
            yield
        finally:
            self._shared = []
            master.terminate()
            master.wait()
            shutil.rmtree(folder, ignore_errors=True)

    def _send(self, site: Path, release_id: str, state: _State, *, dry_run: bool) -> tuple[int, int]:
        """rsync the site into its ``.incoming-<id>``; the files and bytes it sent, from its ``--stats``."""
        output = self._rsync(site, release_id, state, dry_run=dry_run)
        return _stat(output, "Number of regular files transferred"), _stat(output, "Total transferred file size")

    def _rsync(self, site: Path, release_id: str, state: _State, *, dry_run: bool, itemize: bool = False) -> str:
        # rsync takes at most 20: the live release first, then what killed publishes left, then the newest releases.
        links = ([state.live] if state.live else []) + list(reversed(state.leftovers)) + list(reversed(state.releases))
        links = list(dict.fromkeys(link for link in links if link != _INCOMING.removeprefix("releases/") + release_id))
        command = ["rsync", "-a", "--checksum", "--delete", "--stats", "-e", shlex.join(self._ssh())]
        command += [f"--link-dest=../{link}" for link in links[:20]]
        if dry_run:
            command.append("--dry-run")
        if itemize:
            command += ["--itemize-changes", "--8-bit-output"]  # names as they are, not escaped
        elif self.progress is not None and not dry_run:
            command.append("--info=progress2")
        command += [f"{site}/", f"{self._login()}:{self.path}/{_INCOMING}{release_id}/"]
        # Its errors go to a file, not a second pipe: a pipe nobody reads while the output is followed could fill.
        with (
            tempfile.TemporaryFile() as stderr,
            subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr) as running,
        ):
            assert running.stdout is not None
            output = self._follow(running.stdout)
            running.wait()
            stderr.seek(0)
            errors = stderr.read().decode("utf-8", "replace")
        if running.returncode != 0:
            raise TargetFailed(f"{self.name}: rsync không gửi được bản phát hành ({_last_line(errors)})")
        return output

    def _follow(self, stream: IO[bytes]) -> str:
        """rsync's output, whole; its progress lines told to ``progress`` as they come."""
        chunks = []
        pending = ""
        while chunk := stream.read1(65536):
            chunks.append(chunk)
            if self.progress is not None:
                *lines, pending = re.split(r"[\r\n]", pending + chunk.decode("utf-8", "replace"))
                for line in lines:
                    if found := _PROGRESS.match(line):
                        sent, left, total = found.groups()
                        self.progress(int(total) - int(left), int(total), int(re.sub(r"\D", "", sent)))
        return b"".join(chunks).decode("utf-8", "replace")

    def _write_server_files(self, release: Release) -> None:
        """``nginx.conf``, ``Caddyfile`` and ``_headers`` beside ``current`` on the server, as the folder target writes
        them (from the one header policy); rsync replaces each by a rename, and sends none that is unchanged."""
        current = f"{self.path}/current"
        files = {
            servers.NGINX: servers.nginx_snippet(
                current, self_path=f"{self.path}/{servers.NGINX}", base_path=self.base_path
            ),
            servers.CADDY: servers.caddy_snippet(
                current, self_path=f"{self.path}/{servers.CADDY}", base_path=self.base_path
            ),
            servers.HEADERS: servers.headers_file((f.path for f in release.files), self.base_path),
        }
        with tempfile.TemporaryDirectory(prefix="frontline-ssh-") as folder:
            for name, text in files.items():
                Path(folder, name).write_text(text, encoding="utf-8")
            command = ["rsync", "--checksum", "--times", "-e", shlex.join(self._ssh())]
            command += [str(Path(folder, name)) for name in files]
            command.append(f"{self._login()}:{self.path}/")
            done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True)
        if done.returncode != 0:
            reason = _last_line(done.stderr.decode("utf-8", "replace"))
            raise TargetFailed(f"{self.name}: không gửi được cấu hình máy chủ web ({reason})")

    def _switch(self, release_id: str) -> None:
        self._run(f"{self._cd()} && test -d releases/{release_id} && {_switch_script(release_id)}")

    def _state(self, *, counts: bool = False, with_manifest: bool = False, create: bool = False) -> _State:
        """What the server holds; ``create`` makes the folders a publish sends into."""
        script = [
            self._cd(),
            "mkdir -p releases" if create else "true",
            'printf "live=%s\\n" "$(readlink current 2>/dev/null || true)"',
            'for d in releases/*/; do [ -d "$d" ] || continue; r=${d#releases/}; r=${r%/}; '
            + (
                'printf "release=%s %s\\n" "$r" "$(find "$d" -type f ! -path "*/.frontline/*" | wc -l)"; done'
                if counts
                else 'printf "release=%s 0\\n" "$r"; done'
            ),
            'for d in releases/.incoming-*/; do [ -d "$d" ] && printf "leftover=%s\\n" "${d#releases/}"; done; true',
        ]
        if with_manifest:
            script.append(f"if [ -f current/{MANIFEST} ]; then echo {_MARK}; cat current/{MANIFEST}; fi")
        output = self._run("\n".join(script), create=create)
        text, _, manifest = output.partition(f"{_MARK}\n".encode())
        live = None
        releases: dict[str, int] = {}
        leftovers = []
        for line in text.decode("utf-8", "replace").splitlines():
            if line.startswith("live="):
                target = line.removeprefix("live=").strip()
                live = target.removeprefix("releases/") if target else None
            elif line.startswith("release="):
                name, _, count = line.removeprefix("release=").rpartition(" ")
                releases[name] = int(count or 0)
            elif line.startswith("leftover="):
                leftovers.append(line.removeprefix("leftover=").strip().rstrip("/"))
        ordered = tuple(sorted(releases))
        kept_manifest = manifest if with_manifest and manifest else None
        return _State(live, ordered, tuple(sorted(leftovers)), releases, kept_manifest)

    def _cd(self) -> str:
        return f"cd -- {shlex.quote(self.path)}"

    def _run(self, script: str, *, data: bytes | None = None, create: bool = True) -> bytes:
        """Runs ``script`` in the server's shell, stopping at the first command that fails; its output. The target
        folder is made first, or, told not to, a missing folder is an empty output."""
        folder = shlex.quote(self.path)
        script = f"set -e\n{f'mkdir -p -- {folder}' if create else f'[ -d {folder} ] || exit 0'}\n{script}"
        done = subprocess.run(
            [*self._ssh(), self._login(), script],
            input=data if data is not None else b"",
            capture_output=True,
        )
        if done.returncode != 0:
            reason = _last_line(done.stderr.decode("utf-8", "replace"))
            raise TargetFailed(f"{self.name}: lệnh trên máy chủ không chạy được ({reason})")
        return done.stdout

    def _ssh(self) -> list[str]:
        # A host that stops answering ends the publish within a minute (ServerAlive*), rather than leaving it waiting.
        command = ["ssh", *self.options, *self._shared, "-o", "BatchMode=yes", "-o", "ConnectTimeout=30"]
        command += ["-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4"]
        if self.port:
            command += ["-p", str(self.port)]
        return command

    def _login(self) -> str:
        return f"{self.user}@{self.host}" if self.user else self.host


_SYNC = "{ sync -f . 2>/dev/null || sync; }"
"""The server's file system written to its disk (``sync -f``: this one only, where GNU sync has it)."""


def _switch_script(release_id: str) -> str:
    """A fresh symlink renamed over ``current``: one rename, so ``current`` always names a whole release."""
    return f"ln -sfn releases/{release_id} .current-{release_id} && mv -T .current-{release_id} current"


def _check_id(release_id: str) -> None:
    if not _RELEASE_ID.fullmatch(release_id):
        raise TargetFailed(f"mã bản phát hành không hợp lệ: {release_id!r}")


def _stat(stats: str, label: str) -> int:
    found = re.search(rf"^{re.escape(label)}: ([0-9,.' ]+)", stats, re.MULTILINE)
    return int(re.sub(r"\D", "", found.group(1))) if found else 0


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "không rõ lý do"
