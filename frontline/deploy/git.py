"""Publishing to a git branch (``git+file:///srv/repo.git#gh-pages``, ``git+https://…/repo.git#pages``): the site's
files are the branch's whole tree, one commit per release (its id in the message), pushed, as GitHub Pages and GitLab
Pages serve a branch.

The commits are made in a bare repository in the project's cache (``.cache/frontline/deploy/git-…``), from the site
folder as work tree and an index of its own, so git hashes only files whose stat changed and nothing is checked
out. History is never rewritten: a rollback is a new commit restoring the previous release's tree, and a push that
is not a fast-forward (someone else pushed) is refused by the remote, not forced. A publish stopped before its push
changes nothing on the remote; the next one fetches and starts again. The URL is given to git at each command, never
written into that repository's configuration: CI keeps ``.cache/frontline/`` between runs, and a token in the URL
would go with it.

What is live (``live_release``, which decides the feeds a publish pings) is read from the branch's tip: its files
and, for their SHA-256 digests, a map from git's blob ids kept beside the repository, filled as releases are
committed; a blob it does not know is read from the repository and hashed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from frontline.build.locks import Lock
from frontline.deploy.base import PublishReport, Release, ReleaseInfo, SiteFile
from frontline.deploy.folder import PublishError

CACHE = "deploy"
REMOTE_REF = "refs/frontline/remote"
INDEX = "frontline-index"
DIGESTS = "frontline-digests.json"
"""Git blob id → the SHA-256 of its bytes, for the files of the releases this cache committed."""
NOJEKYLL = ".nojekyll"
"""Tells GitHub Pages to serve the files as they are (no Jekyll, which skips names starting with ``_``)."""
_RELEASE_LINE = re.compile(r"^release: (\S+)$", re.MULTILINE)
_CREDENTIALS = re.compile(r"(//)[^/\s]*@")  # to the last @ before the host: a password may hold an @


def redact(text: str) -> str:
    """``text`` with any user and password written in a URL (``https://user:token@host``) hidden."""
    return _CREDENTIALS.sub(r"\1***@", text)


def parse(dest: str) -> tuple[str, str]:
    """``git+URL#branch`` → (URL, branch); the branch defaults to ``gh-pages``."""
    url, _, branch = dest.removeprefix("git+").partition("#")
    branch = branch or "gh-pages"
    if not url or not re.fullmatch(r"[A-Za-z0-9._/-]+", branch) or ".." in branch or branch.startswith(("-", "/")):
        raise PublishError(f"{redact(dest)}: cần dạng git+ĐỊA_CHỈ#nhánh, ví dụ git+file:///srv/trang.git#gh-pages.")
    return url, branch


@dataclass(frozen=True)
class Change:
    status: str  # A, M or D
    path: str


class GitTarget:
    def __init__(self, url: str, branch: str, cache_root: Path) -> None:
        self.url = url
        self.branch = branch
        key = hashlib.sha256(f"{url}#{branch}".encode()).hexdigest()[:16]
        self.repo = Path(cache_root) / CACHE / f"git-{key}"

    # -- git ---------------------------------------------------------------------------------------------------------

    def _git(self, *args: str, work_tree: Path | None = None, input: bytes | None = None, check: bool = True) -> str:
        command = ["git", f"--git-dir={self.repo}"]
        if work_tree is not None:
            command.append(f"--work-tree={work_tree}")
        # A user's settings must not change the tree: no ignore files, no line-ending conversion.
        command += ["-c", "core.excludesFile=/dev/null", "-c", "core.autocrlf=false", "-c", "core.safecrlf=false"]
        env = {
            **os.environ,
            "GIT_INDEX_FILE": str(self.repo / INDEX),
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "Frontline"),
            "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", "frontline@localhost"),
            "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", "Frontline"),
            "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", "frontline@localhost"),
        }
        result = subprocess.run(command + list(args), input=input, capture_output=True, env=env, cwd=work_tree)
        if check and result.returncode != 0:
            said = redact(result.stderr.decode("utf-8", "replace").strip())
            raise PublishError(f"git {args[0]} không thành công với {redact(self.url)}#{self.branch}: {said}")
        return result.stdout.decode("utf-8", "replace")

    def _prepare(self) -> str | None:
        """The cache repository, fetched: the branch's tip on the remote, or None if it has no such branch."""
        if not (self.repo / "HEAD").is_file():
            self.repo.mkdir(parents=True, exist_ok=True)
            self._git("init", "--bare", "--quiet")
        self._git("config", "--unset-all", "remote.origin.url", check=False)  # written there by earlier versions
        (self.repo / (INDEX + ".lock")).unlink(missing_ok=True)  # a publish killed while adding (we hold the lock)
        listed = self._git("ls-remote", self.url, f"refs/heads/{self.branch}")
        if not listed.strip():
            self._git("update-ref", "-d", REMOTE_REF, check=False)
            return None
        self._git("fetch", "--quiet", "--no-tags", self.url, f"+refs/heads/{self.branch}:{REMOTE_REF}")
        return self._git("rev-parse", REMOTE_REF).strip()

    def _tree_of(self, site: Path) -> str:
        """The tree of the site folder's files, plus ``.nojekyll``."""
        self._git("add", "--all", "--force", ".", work_tree=site)
        empty = self._git("hash-object", "-w", "--stdin", input=b"").strip()
        self._git("update-index", "--add", "--cacheinfo", f"100644,{empty},{NOJEKYLL}")
        return self._git("write-tree").strip()

    def _changes(self, old: str | None, new: str) -> list[Change]:
        if old is None:
            listed = self._git("ls-tree", "-r", "--name-only", "-z", new)
            return [Change("A", path) for path in listed.split("\0") if path]
        raw = self._git("diff-tree", "-r", "--no-renames", "-z", "--name-status", old, new)
        fields = [field for field in raw.split("\0") if field]
        return [Change(fields[i][0], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]

    def _count(self, tree: str) -> int:
        return len([p for p in self._git("ls-tree", "-r", "--name-only", "-z", tree).split("\0") if p])

    def _lock(self) -> Lock:
        return Lock(self.repo.parent / f"{self.repo.name}.lock")

    # -- the target ----------------------------------------------------------------------------------------------

    def changes(self, site: Path, release: Release) -> list[tuple[str, str, int]]:
        """What a publish would do, for ``--dry-run``: ``("+", path, bytes)`` sent, ``("-", path, 0)`` deleted."""
        sizes = {f.path: f.size for f in release.files}
        with self._lock():
            tip = self._prepare()
            changes = self._changes(f"{tip}^{{tree}}" if tip else None, self._tree_of(site))
        return [("-" if c.status == "D" else "+", c.path, sizes.get(c.path, 0)) for c in changes]

    def publish(
        self, site: Path, release: Release, *, dry_run: bool = False, ready: Callable[[], None] = lambda: None
    ) -> PublishReport:
        if not dry_run:
            ready()
        with self._lock():
            tip = self._prepare()
            tree = self._tree_of(site)
            changes = self._changes(f"{tip}^{{tree}}" if tip else None, tree)
            sizes = {f.path: f.size for f in release.files}
            sent = [c for c in changes if c.status != "D"]
            deleted = sum(1 for c in changes if c.status == "D")
            total = self._count(tree)
            if not changes and tip is not None:  # the same tree is live: no commit, nothing pushed
                live = self._release_of(tip) or release.id
                return PublishReport(live, 0, 0, total, 0, dry_run)
            report = PublishReport(
                release.id,
                len(sent),
                sum(sizes.get(c.path, 0) for c in sent),
                total - len(sent),
                deleted,
                dry_run,
            )
            if dry_run:
                return report
            message = f"Frontline: bản {release.id}\n\nrelease: {release.id}\n"
            self._remember_digests(tree, release)
            self._commit_and_push(tree, tip, message)
            return report

    def live_release(self) -> Release | None:
        """The release the branch's tip holds (None when the branch has none): what a publish replaces."""
        with self._lock():
            tip = self._prepare()
            release_id = self._release_of(tip) if tip else None
            if tip is None or release_id is None:
                return None
            listed = self._listing(tip)
            known = self._digests()
            unknown = sorted({blob for blob, _size in listed.values()} - set(known))
            if unknown:
                known.update(self._hash_blobs(unknown))
            created = datetime.fromisoformat(self._git("log", "-1", "--format=%cI", tip).strip())
            files = tuple(
                SiteFile(path, known[blob], size) for path, (blob, size) in sorted(listed.items()) if path != NOJEKYLL
            )
            return Release(release_id, created, files)

    def _listing(self, commit: str) -> dict[str, tuple[str, int]]:
        """Each file of ``commit``'s tree: its blob id and size."""
        found = {}
        for record in self._git("ls-tree", "-r", "-l", "-z", commit).split("\0"):
            head, _, path = record.partition("\t")
            fields = head.split()
            if len(fields) == 4 and fields[1] == "blob":
                found[path] = (fields[2], int(fields[3]))
        return found

    def _digests(self) -> dict[str, str]:
        try:
            known = json.loads((self.repo / DIGESTS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return known if isinstance(known, dict) else {}

    def _remember_digests(self, tree: str, release: Release) -> None:
        """The new tree's blob ids with the SHA-256 the release read from the same files (only those of the trees
        still useful: the new one's), written atomically."""
        digests = {f.path: f.digest for f in release.files}
        known = {blob: digests[path] for path, (blob, _size) in self._listing(tree).items() if path in digests}
        temporary = self.repo / f".{DIGESTS}.{os.getpid()}"
        temporary.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.repo / DIGESTS)

    def _hash_blobs(self, blobs: list[str]) -> dict[str, str]:
        """The SHA-256 of each blob's bytes, read in one ``git cat-file --batch``."""
        command = ["git", f"--git-dir={self.repo}", "cat-file", "--batch"]
        done = subprocess.run(command, input="".join(f"{blob}\n" for blob in blobs).encode(), capture_output=True)
        if done.returncode != 0:
            raise PublishError(f"git cat-file không đọc được các tệp đang chạy ở {redact(self.url)}#{self.branch}.")
        out, at, found = done.stdout, 0, {}
        for blob in blobs:
            end = out.index(b"\n", at)
            _name, kind, size = out[at:end].decode().split()
            if kind != "blob":
                raise PublishError(f"git cat-file: {blob} không phải một tệp.")
            start = end + 1
            found[blob] = hashlib.sha256(out[start : start + int(size)]).hexdigest()
            at = start + int(size) + 1
        return found

    def _commit_and_push(self, tree: str, parent: str | None, message: str) -> str:
        commit = self._git("commit-tree", tree, *(["-p", parent] if parent else []), input=message.encode()).strip()
        self._git("push", "--quiet", self.url, f"{commit}:refs/heads/{self.branch}")
        self._git("update-ref", REMOTE_REF, commit)
        return commit

    def _release_of(self, commit: str) -> str | None:
        found = _RELEASE_LINE.search(self._git("log", "-1", "--format=%B", commit))
        return found.group(1) if found else None

    def _history(self, tip: str) -> list[tuple[str, str, str]]:
        """(commit, tree, release id) of the branch's releases, newest first."""
        log = self._git("log", "--format=%H %T%x00%B%x01", tip)
        found = []
        for record in log.split("\x01"):
            head, _, body = record.strip().partition("\0")
            match = _RELEASE_LINE.search(body)
            if match and " " in head:
                commit, tree = head.split(" ", 1)
                found.append((commit, tree, match.group(1)))
        return found

    def releases(self) -> list[ReleaseInfo]:
        with self._lock():
            tip = self._prepare()
            if tip is None:
                return []
            history = self._history(tip)
            live = self._release_of(tip)
            trees: dict[str, str] = {}
            for _commit, tree, release_id in reversed(history):
                trees.setdefault(release_id, tree)  # a rollback commit repeats a release's tree
            return [ReleaseInfo(i, self._count(trees[i]), i == live) for i in sorted(trees)]

    def rollback(self) -> ReleaseInfo:
        with self._lock():
            tip = self._prepare()
            live = self._release_of(tip) if tip else None
            if tip is None or live is None:
                raise PublishError(f"{redact(self.url)}#{self.branch}: chưa có bản nào để quay lại.")
            trees: dict[str, str] = {}
            for _commit, tree, release_id in self._history(tip):
                trees.setdefault(release_id, tree)
            # A release with the live one's tree (published again) would change nothing for readers.
            live_tree = self._git("rev-parse", f"{tip}^{{tree}}").strip()
            older = sorted(i for i in trees if i < live and trees[i] != live_tree)
            if not older:
                raise PublishError(f"bản đang chạy {live} là bản cũ nhất; không có bản trước để quay lại.")
            previous = older[-1]
            message = f"Frontline: quay lại bản {previous}\n\nrelease: {previous}\n"
            self._commit_and_push(trees[previous], tip, message)
            return ReleaseInfo(previous, self._count(trees[previous]), True)

    def prune(self, keep: int) -> list[str]:
        """A branch keeps its history: nothing is deleted."""
        return []
