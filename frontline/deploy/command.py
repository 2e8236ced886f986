"""``frontline publish``, ``rollback`` and ``releases``: which target a DEST names, and the publish flow (a site
newer than the content, verified, read as a release, sent), with its messages in Vietnamese."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from frontline.build.fanout import AndThen, Forked
from frontline.build.locks import build_lock, build_waiting
from frontline.build.manifest import SiteListing, list_site, listed_by_build
from frontline.build.precompress import build_started
from frontline.content.names import shown_name
from frontline.deploy.arguments import DEFAULT_KEEP
from frontline.deploy.base import PublishReport, Release, ReleaseInfo, Target, read_site
from frontline.deploy.folder import FolderTarget, PublishError
from frontline.deploy.git import GitTarget, parse, redact
from frontline.deploy.pings import Ping, send_pings

CACHE_FOLDER = ".cache/frontline"


class DeployError(Exception):
    """What stops a publish, said to the reporter (Vietnamese); nothing was changed on the target."""


def target_for(dest: str, project_root: Path, *, base_path: str = "/", progress=None) -> Target:  # type: ignore[no-untyped-def]
    """The target ``dest`` names: a folder (``/srv/x``, ``./x``, ``file:///srv/x``), a git branch
    (``git+URL#branch``), a server over SSH (``ssh://…``) or S3-compatible storage (``s3://…``)."""
    if dest.startswith("git+"):
        try:
            url, branch = parse(dest)
        except PublishError as error:
            raise DeployError(str(error)) from None
        return GitTarget(url, branch, project_root / CACHE_FOLDER)
    scheme = urlsplit(dest).scheme if "://" in dest else ""
    if scheme == "file":
        parts = urlsplit(dest)
        if parts.netloc not in ("", "localhost"):
            raise DeployError(f"{dest}: file:// chỉ dùng cho thư mục trên máy này (file:///đường/dẫn).")
        return FolderTarget(Path(unquote(parts.path)), base_path=base_path, progress=progress)
    if scheme in ("ssh", "s3"):
        # Written beside this module, imported only when named (boto3 is slow to import).
        try:
            if scheme == "ssh":
                from frontline.deploy.ssh import SshTarget as Remote
            else:
                from frontline.deploy.s3 import S3Target as Remote
        except ModuleNotFoundError:
            raise DeployError(f"{redact(dest)}: bản Frontline này chưa đăng được lên {scheme}://.") from None
        try:
            if scheme == "ssh":  # it writes the web server's settings, which need the site's path
                return Remote(dest, progress=progress, base_path=base_path)
            return Remote(dest, progress=progress)
        except ValueError as error:  # a URL the target refuses (a password in it, say): one line, scrubbed
            raise DeployError(redact(f"{dest}: {error}")) from None
    if scheme:
        raise DeployError(
            f"{redact(dest)}: không biết đăng lên '{scheme}://'. Dùng một thư mục (/srv/trang hoặc file:///srv/trang), "
            "git+ĐỊA_CHỈ#nhánh, ssh://người@máy:cổng/đường/dẫn hoặc s3://bucket/thư-mục."
        )
    return FolderTarget(Path(dest), base_path=base_path, progress=progress)


def newest_content(root: Path, sources: list[Path]) -> tuple[float, Path | None]:
    """The latest change time under ``sources`` (files and folders: a deleted or renamed story changes its
    folder; hidden folders left out), and the path changed then. One ``scandir`` a folder and one ``lstat`` an
    entry: a publish asks twice, of tens of thousands of stories."""
    newest, which = 0.0, None
    for source in sources:
        if not source.exists():
            continue
        moment = source.lstat().st_mtime
        if moment > newest:
            newest, which = moment, str(source)
        folders = [str(source)] if source.is_dir() else []  # stories/ may be a link to the newsroom's folder
        while folders:
            try:
                with os.scandir(folders.pop()) as entries:
                    for entry in entries:
                        folder = entry.is_dir(follow_symlinks=False)
                        if folder and entry.name.startswith("."):
                            continue
                        try:
                            moment = entry.stat(follow_symlinks=False).st_mtime
                        except FileNotFoundError:
                            continue
                        if moment > newest:
                            newest, which = moment, entry.path
                        if folder:
                            folders.append(entry.path)
            except (FileNotFoundError, NotADirectoryError):
                continue
    return newest, Path(which) if which is not None else None


@dataclass
class Publishing:
    """What ``frontline publish`` needs from the command line around it."""

    project_root: Path
    site_dir: Path
    content: list[Path]
    """What the site is built from (stories/, docs/, mkdocs.yml): a change after the build makes the site stale."""
    build: Callable[[], bool]
    verifier: Callable[[], Callable[[SiteListing], list[str] | AndThen]]
    """``frontline verify`` in two steps: the content read, then the site checked as ``list_site`` found it (each
    file's digest, vouched for by the build); its findings, or them and what to do after giving them."""
    base_path: str = "/"
    ping: Callable[[Release | None, Release, bool], list[Ping]] | None = None
    """What a release's changes are announced with (WebSub, IndexNow), when the site names a hub or a key."""
    out: TextIO = sys.stdout
    err: TextIO = sys.stderr


def publish(job: Publishing, dest: str, *, dry_run: bool = False, keep: int = DEFAULT_KEEP, force: bool = False) -> int:
    site = job.site_dir
    progress = _Progress(job.err) if job.err.isatty() and not dry_run else None
    target = target_for(dest, job.project_root, base_path=job.base_path, progress=progress)  # a wrong DEST first
    # A site missing, or older than its content, is built first (a dry run changes nothing: it says so instead);
    # --force publishes the site as it was built.
    reason = f"Chưa có {site}" if not site.is_dir() else None if force else _staleness(job)
    if reason is not None and dry_run:
        raise DeployError(
            f"{reason}: --dry-run không dựng lại trang. Hãy chạy `frontline build` (hoặc đăng không có --dry-run: "
            "lệnh sẽ dựng lại), hoặc thêm --force để xem bản đã dựng."
        )
    # Verify's process reads the content meanwhile: while the site is built when it is, else while it is listed.
    verifying = Forked(_verify_beside(job, builds=reason is not None, force=force))
    built_since = time.time() if reason is not None else None
    try:
        if reason is not None:
            print(f"{reason}: dựng trang trước khi đăng.", file=job.err, flush=True)
            if not job.build():
                raise DeployError("Dựng trang thất bại; không đăng gì.")
        # The build lock, from the checks to the last file read: a build finishing meanwhile would put another site,
        # not the one verified, in place of site/.
        lock = build_lock(job.project_root)
        try:
            lock.acquire(on_wait=lambda pid: print(build_waiting(pid), file=job.err, flush=True))
        except OSError as error:
            raise DeployError(f"Không khoá được dự án: {error}") from None
        timings = _Timings(job.err) if os.environ.get("FRONTLINE_TIMINGS") else None
        with lock:
            report, release, previous = _publish_listed(
                job, target, verifying, dest, dry_run, progress, timings, built_since
            )
    finally:
        verifying.close()
    print(_summary(report), file=job.out)
    if job.ping is not None:  # after the release is live: a ping that fails is told, and the release stays
        for ping in job.ping(previous, release, dry_run):
            print(str(ping), file=job.out if ping.ok else job.err)
    if not dry_run and keep > 0 and hasattr(target, "prune"):
        try:
            gone = target.prune(keep)
        except (PublishError, OSError) as error:  # the release is live: say so, and why the old ones stay
            raise DeployError(redact(f"Đã đăng, nhưng không xoá được các bản cũ ở {dest}: {error}")) from None
        if gone:
            print(f"Đã xoá {len(gone)} bản cũ (giữ {keep} bản mới nhất).", file=job.out)
    return 0


def rollback(dest: str, project_root: Path) -> int:
    target = target_for(dest, project_root)
    try:
        info = target.rollback()
    except (PublishError, ValueError, OSError) as error:
        raise DeployError(redact(f"Không quay lại được ở {dest}: {error}")) from None
    print(f"Đã quay lại bản {info.id} ({info.files} tệp); bản này đang chạy.")
    return 0


def releases(dest: str, project_root: Path) -> int:
    target = target_for(dest, project_root)
    try:
        found: list[ReleaseInfo] = target.releases()
    except (PublishError, ValueError, OSError) as error:
        raise DeployError(redact(f"Không đọc được các bản ở {dest}: {error}")) from None
    if not found:
        print("Chưa có bản nào.")
    for info in found:
        print(f"{'*' if info.live else ' '} {info.id}  {info.files} tệp" + ("  (đang chạy)" if info.live else ""))
    return 0


def _verify_beside(job: Publishing, *, builds: bool, force: bool) -> Callable[[Callable[[], SiteListing]], object]:
    """What verify's process does: read the content, wait for the site's listing, then (but for ``--force``) refuse
    a site older than the content (saved while the build ran: in no site yet), read the content again if it changed
    after this process read it but before the build did, and check the listing. Off the publish's own path: the
    target asks for the verdict before anything readers see changes."""

    def verify(receive: Callable[[], SiteListing]) -> object:
        started = time.time()
        check = job.verifier()
        listing = receive()
        if builds or not force:
            newest = newest_content(job.project_root, job.content)
            if not force:
                _refuse_stale(job, newest)
            if builds and newest[0] > started - MTIME_SLACK:
                check = job.verifier()
        return check(listing)

    return verify


def _publish_listed(
    job: Publishing,
    target: Target,
    verifying: Forked,
    dest: str,
    dry_run: bool,
    progress: _Progress | None,
    timings: _Timings | None,
    built_since: float | None = None,
) -> tuple[PublishReport, Release, Release | None]:
    """The site listed and given to verify's process, the release read and published once verify allowed it;
    returns the report, the release and the release it replaced (for the pings). ``built_since``: when this
    publish asked for the build it ran, if it ran one."""
    site = job.site_dir
    # The site's files and their digests (the build listed them: only files changed since are read) go to
    # verify's process, which checks them while the release is read and put in place beside the live one; the
    # target asks for the verdict (``ready``) before a reader could see anything, and a refusal sends nothing.
    # A site this command has just built is as its build listed it moments ago (at its end): not walked again.
    cache = job.project_root / CACHE_FOLDER
    listing = None
    if built_since is not None and (build_started(site, cache) or 0.0) >= built_since:
        listing = listed_by_build(site, cache)
    fresh = listing is not None
    if listing is None:
        listing = list_site(site, cache)
    verifying.give(listing)
    if timings is not None:
        how = "the build's" if fresh else f"{len(listing.read)} of {len(listing.files)} files read"
        timings.mark(f"listing ({how})")

    def ready() -> None:
        waited = verifying.done
        if timings is not None and not waited:
            timings.mark("release put in place")
        findings = verifying.result()
        if timings is not None and not waited:
            timings.mark("verify waited for")
        if findings:
            lines = "\n".join(f"  {finding}" for finding in findings)
            raise DeployError(f"{lines}\nTrang đã dựng có {len(findings)} vấn đề (frontline verify): không đăng.")

    try:
        release = read_site(site, datetime.now(UTC), listing)
        # What the pings compare the release with, read only when there is someone to tell.
        previous = target.live_release() if job.ping is not None and hasattr(target, "live_release") else None
        if timings is not None:
            timings.mark("release read")
        report = target.publish(site, release, dry_run=dry_run, ready=ready)
        ready()  # a dry run asks here: it changed nothing
        if timings is not None:
            timings.mark("sent")
        if progress is not None:
            progress.done()
        if dry_run and hasattr(target, "changes"):
            for sign, path, size in target.changes(site, release):
                print(f"  {sign} {path}" + (f" ({_size(size)})" if sign == "+" else ""), file=job.out)
    except (PublishError, ValueError, OSError) as error:
        raise DeployError(redact(f"Không đăng được lên {dest}: {error}")) from None
    return report, release, previous


MTIME_SLACK = 0.1
"""Seconds a file's modification time may lag the clock read just before it was written (the kernel stamps files
with a clock that ticks every few milliseconds): a change this close to a moment counts as after it. Verify reading
content the build did not is no danger, only a refusal the next publish does not repeat."""


def _staleness(job: Publishing, newest: tuple[float, Path | None] | None = None) -> str | None:
    """Why the built site is older than its content (``newest``: ``newest_content``'s, when already known), or may
    be; None when it is not."""
    started = build_started(job.site_dir, job.project_root / CACHE_FOLDER)
    if started is None:
        return f"Không biết {job.site_dir} được dựng lúc nào (không phải `frontline build` của dự án này?)"
    moment, which = newest if newest is not None else newest_content(job.project_root, job.content)
    if moment > started and which is not None:
        shown = which.relative_to(job.project_root) if which.is_relative_to(job.project_root) else which
        return f"{shown_name(str(shown))} đã đổi sau lần dựng trang cuối"  # as check prints a name
    return None


def _refuse_stale(job: Publishing, newest: tuple[float, Path | None] | None = None) -> None:
    """Under the build lock, after any build: content saved while it ran is in no site yet."""
    reason = _staleness(job, newest)
    if reason is not None:
        raise DeployError(
            f"{reason}: trang đã dựng cũ hơn nội dung. Hãy đăng lại (lệnh sẽ dựng lại trang), "
            "hoặc thêm --force để đăng bản đã dựng."
        )


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    return f"{count} B"


def _summary(report: PublishReport) -> str:
    if report.dry_run:
        return (
            f"Chạy thử, không thay đổi gì: sẽ gửi {report.sent_files} tệp ({_size(report.sent_bytes)}), "
            f"{report.unchanged_files} tệp không đổi, sẽ xoá {report.deleted_files} tệp; bản {report.release}."
        )
    if report.sent_files == 0 and report.deleted_files == 0:
        return f"Không có gì thay đổi: bản {report.release} đang chạy ({report.unchanged_files} tệp không đổi)."
    return (
        f"Đã đăng bản {report.release}: gửi {report.sent_files} tệp ({_size(report.sent_bytes)}), "
        f"{report.unchanged_files} tệp không đổi, xoá {report.deleted_files} tệp."
    )


class _Timings:
    """Where a publish's time goes (``FRONTLINE_TIMINGS=1``, as the build's stopwatch), told on stderr at the end."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = self.start = time.perf_counter()
        self.phases: list[str] = []

    def mark(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases.append(f"{phase} {now - self.last:.2f}")
        self.last = now
        if phase == "sent":
            print(f"Frontline publish: {now - self.start:.2f} s: " + ", ".join(self.phases), file=self.stream)


class _Progress:
    """One line on the terminal, rewritten as files are sent."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int, sent: int) -> None:
        if done == total or done % 200 == 0:
            self.stream.write(f"\rĐang đăng: {done}/{total} tệp, đã gửi {_size(sent)}   ")
            self.stream.flush()
            self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


# -- the command line ---------------------------------------------------------------------------------------------


def _pings(project):  # type: ignore[no-untyped-def]
    options = project.options
    if not (options.websub_hub or options.indexnow_key):
        return None

    def ping(previous: Release | None, new: Release, dry_run: bool) -> list[Ping]:
        return send_pings(
            previous,
            new,
            project.site_url,
            websub_hub=options.websub_hub,
            indexnow_key=options.indexnow_key,
            indexnow_endpoint=options.indexnow_endpoint,
            dry_run=dry_run,
        )

    return ping


def deploy_commands(stop, build, verifier, site_dir) -> dict[str, Callable]:  # type: ignore[no-untyped-def]
    """The three commands' functions ``(project, args) -> exit code``, given the command line's own pieces:
    ``stop(message)`` its exception, ``build``, ``verifier`` (verify's two steps) and ``site_dir`` its functions."""

    def guarded(run: Callable[[], int]) -> int:
        try:
            return run()
        except DeployError as error:
            raise stop(str(error)) from None

    def publish_(project, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
        if args.keep < 1:
            raise stop("--keep: cần ít nhất 1 (bản đang chạy).", 2)
        # It builds when the content looks newer than the site (a file's time may be ahead of the clock): a build
        # that only looked at the site would leave the publish refusing it every time.
        building = argparse.Namespace(**vars(args), engine="mkdocs", no_wait=False, fresh=False, now=None, look=False)
        job = Publishing(
            project_root=project.root,
            site_dir=Path(os.path.abspath(site_dir(project, args))),
            content=[project.layout.stories_dir, project.layout.docs_dir, project.config_file],
            build=lambda: build(project, building) == 0,
            verifier=lambda: verifier(project, args),
            base_path=urlsplit(project.site_url).path or "/",
            ping=_pings(project),
        )
        return guarded(lambda: publish(job, args.dest, dry_run=args.dry_run, keep=args.keep, force=args.force))

    def rollback_(project, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
        return guarded(lambda: rollback(args.dest, project.root))

    def releases_(project, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
        return guarded(lambda: releases(args.dest, project.root))

    return {"publish": publish_, "rollback": rollback_, "releases": releases_}
