"""Locks that keep two builds of one project from running at once.

Builds share the project's ``.cache/frontline/`` (story memo, page cache, search bundle) and
``frontline build`` also swaps the site folder, so each takes an exclusive ``flock`` on a file there.
Two locks, two files: ``frontline build`` holds ``build.lock`` for its whole run, and the engine hooks
hold ``engine.lock`` from ``on_config`` to the build's end, which guards a bare ``mkdocs build`` or
``mkdocs serve`` rebuild too. The ``mkdocs build`` that ``frontline build`` starts takes the second
while its parent holds the first, so neither waits for itself.

The kernel releases a ``flock`` when its holder exits, however it ends (even SIGKILL), so a lock
file left behind never blocks a later build; the files are never deleted (deleting a lock file
lets two processes lock two different files of one name)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Callable
from pathlib import Path

CACHE_FOLDER = ".cache/frontline"
"""The project's cache folder, as the engine names it (``frontline.engine.session.CACHE_FOLDER``)."""
BUILD_LOCK = "build.lock"
"""Held by ``frontline build``: staging, swap and leftovers of the site folder."""
ENGINE_LOCK = "engine.lock"
"""Held by the engine hooks during one build: the shared caches."""


class Busy(Exception):
    """Another process holds the lock (raised only when not waiting)."""

    def __init__(self, holder: int | None) -> None:
        super().__init__(holder)
        self.holder = holder


class Lock:
    """An exclusive lock on ``path``; the holder's PID is written into the file for those who wait."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, *, wait: bool = True, on_wait: Callable[[int | None], None] | None = None) -> Lock:
        """Take the lock. If another process has it: ``on_wait(its PID or None)`` once, then wait for it,
        or raise :class:`Busy` when ``wait`` is false."""
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = _open_lock_file(self.path)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                if not wait:
                    raise Busy(holder) from None
                if on_wait is not None:
                    on_wait(holder)
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def release(self) -> None:
        """Let the next build go; does nothing if not held."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # a PID read later would name a process that no longer holds it
        os.close(fd)  # closing the only descriptor releases the flock

    def __enter__(self) -> Lock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _open_lock_file(path: Path) -> int:
    """The lock file, opened for writing, never through a symbolic link: a ``.cache`` folder restored from a
    shared cache may hold one at its name, and the holder truncates and writes the file it opens. Such a link is
    replaced by a file. (``os.open`` makes the descriptor non-inheritable: a child, such as MkDocs or the
    background deleter, never holds it.)"""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
    try:
        return os.open(path, flags, 0o666)
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise
    with contextlib.suppress(FileNotFoundError):
        if path.is_symlink():  # checked again: another build may have replaced it meanwhile
            path.unlink()
    return os.open(path, flags, 0o666)


def _holder(fd: int) -> int | None:
    """The PID written by the lock's holder, if it is still running (it may not have written it yet)."""
    try:
        pid = int(os.pread(fd, 32, 0).decode("ascii").strip())
        os.kill(pid, 0)
    except (ValueError, UnicodeDecodeError, ProcessLookupError):
        return None
    except PermissionError:  # running, as another user
        return pid
    return pid


def build_lock(project_root: Path) -> Lock:
    """The lock of ``frontline build`` in the project at ``project_root`` (not yet taken)."""
    return Lock(project_root / CACHE_FOLDER / BUILD_LOCK)


def hold_engine_lock(project_root: Path, say: Callable[[str], None]) -> Lock:
    """Take the engine's per-build lock of the project at ``project_root``, waiting for another build
    (told once through ``say``, in Vietnamese). Release it with :func:`release`."""
    return Lock(project_root / CACHE_FOLDER / ENGINE_LOCK).acquire(on_wait=lambda pid: say(engine_waiting(pid)))


def release(lock: Lock | None) -> None:
    """Release ``lock`` if there is one and it is held (a build's end and its error both call this)."""
    if lock is not None:
        lock.release()


def _whose(pid: int | None) -> str:
    return f" (PID {pid})" if pid is not None else ""


def build_waiting(pid: int | None) -> str:
    return f"Một lần dựng khác đang chạy trong dự án này{_whose(pid)}; đang chờ nó xong rồi dựng tiếp…"


def build_busy(pid: int | None) -> str:
    return (
        f"Một lần dựng khác đang chạy trong dự án này{_whose(pid)}; không dựng vì có --no-wait. "
        "Hãy chạy lại khi lần dựng đó xong."
    )


def engine_waiting(pid: int | None) -> str:
    return f"Frontline: một lần dựng khác đang dùng {CACHE_FOLDER}{_whose(pid)}; đang chờ nó xong…"
