"""Spread independent work over the machine's cores with forked processes.

A fork shares the parent's memory (the content model, a Jinja environment), so nothing but each
item's result crosses between processes. Forking a threaded process is not safe (``mkdocs serve``
runs a server thread): there, and for little work, everything runs in this process."""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import multiprocessing
import multiprocessing.util
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

WORKERS_VARIABLE = "FRONTLINE_WORKERS"

T = TypeVar("T")
R = TypeVar("R")


def worker_count() -> int:
    """How many processes a build may use: ``FRONTLINE_WORKERS``, else one per core."""
    configured = os.environ.get(WORKERS_VARIABLE, "")
    return max(1, int(configured)) if configured.isascii() and configured.isdigit() else os.cpu_count() or 1


def can_fork() -> bool:
    return threading.active_count() == 1


@contextlib.contextmanager
def forking() -> Iterator[None]:
    """Fork inside this: the children leave what they inherit to the parent's collector.

    A collection writes to every object it walks, so a child collecting would copy the memory it shares with
    its parent (the content model, MkDocs' files and nav, compiled templates). ``gc.freeze()`` hides the objects
    alive at the fork from the collector; the parent takes them back (``gc.unfreeze()``) once its children
    started."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@functools.cache  # registered once per process
def collect_nothing_at_exit() -> None:
    """When the interpreter exits, hand what is left to the operating system instead of freeing it object by object.

    A build leaves its content model, MkDocs' files and nav and the compiled templates behind, mostly in reference
    cycles that Python's last collection would walk and free for nothing. ``gc.freeze()`` at exit (``atexit``, so a
    long-running ``serve`` still collects as it goes) hides them from it. Files are closed by then: Frontline
    writes with ``with`` blocks."""
    atexit.register(gc.freeze)


YOUNG_OBJECTS_BEFORE_COLLECTING = 10_000
"""Python 3.11's default is 700."""


@functools.cache  # once per process
def collect_young_objects_less_often() -> None:
    """Let Python's cyclic collector wait for more new objects before it looks at the young ones.

    A build makes millions of short-lived objects (Markdown trees, template contexts), nearly all freed by their
    reference count alone, and a collection walks every young object still alive: run less often, it walks fewer
    in all, and what it frees waits a little longer. A threshold set higher already (by the host program) is
    kept."""
    young, *older = gc.get_threshold()
    if young and young < YOUNG_OBJECTS_BEFORE_COLLECTING:
        gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, *older)


WORKER_ADVICE = (
    "Máy có thể đã hết bộ nhớ: hãy chạy lại; nếu lỗi lặp lại, đặt FRONTLINE_WORKERS=1"
    " để làm mọi việc trong một tiến trình."
)
"""What a reporter is told to do when a forked worker dies."""


class WorkerError(RuntimeError):
    """A forked worker failed or stopped."""


def _run_share(function: Callable[[T], R], share: Sequence[T], report: Connection) -> None:
    try:
        report.send((True, [function(item) for item in share]))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises it
        report.send((False, f"{type(error).__name__}: {error}"))


def map_forked(function: Callable[[T], R], items: Sequence[T], *, workers: int, min_per_worker: int) -> list[R]:
    """``[function(item) for item in items]``, computed by this process and up to ``workers - 1`` forked
    ones when each gets at least ``min_per_worker`` items. ``function`` need not be picklable (a fork
    inherits it); its results must be. Results keep the order of ``items``."""
    parallel = min(workers, len(items) // max(1, min_per_worker))
    if parallel < 2 or not can_fork():
        return [function(item) for item in items]
    size = -(-len(items) // parallel)
    shares = [items[start : start + size] for start in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    children = []
    with forking():
        for share in shares[1:]:
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_run_share, args=(function, share, sender), daemon=True)
            child.start()
            sender.close()  # the child holds it: if the child dies, receiving ends instead of waiting
            children.append((child, receiver))
    try:
        results = [function(item) for item in shares[0]]  # this process's own share, meanwhile
        for child, receiver in children:
            try:
                finished, outcome = receiver.recv()
            except EOFError:
                child.join()
                stopped = f"Một tiến trình đọc bài dừng đột ngột (mã {child.exitcode})."
                raise WorkerError(f"{stopped} {WORKER_ADVICE}") from None
            if not finished:
                raise WorkerError(outcome)
            results.extend(outcome)
        return results
    finally:
        for child, receiver in children:
            receiver.close()
            if child.is_alive():
                child.kill()
            child.join()


class Forked:
    """``function(receive)`` computed by a forked process while this one goes on: ``receive()`` returns what this
    process ``give``s it (the child can start on its own part first), ``result()`` waits for the value, and raises
    what it raised. Where forking is not safe, ``result()`` computes it here. Use as a context manager: leaving it
    before the result was asked for stops the child, whose work nobody will read."""

    def __init__(self, function: Callable[[Callable[[], Any]], R]) -> None:
        self._function = function
        self._given: list[Any] = []
        self._child: multiprocessing.process.BaseProcess | None = None
        self._outcome: tuple[bool, object] | None = None
        if not can_fork() or worker_count() < 2:
            return
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        inbox, self._outbox = context.Pipe(duplex=False)
        with forking():
            # Not a daemon: the function may fork workers of its own (a daemon process may not); ``close`` ends it.
            self._child = context.Process(
                target=_send_outcome, args=(function, inbox, (self._outbox, self._receiver), sender)
            )
            self._child.start()
        sender.close()  # the child holds these: if the child dies, receiving ends instead of waiting
        inbox.close()
        # At the process's exit (Ctrl-C reaches no engine hook: MkDocs calls its error event for an Exception only),
        # before multiprocessing joins its children: a child whose result was never read, blocked sending one
        # larger than a pipe holds, would wait for this process while this process waits for it.
        self._at_exit: multiprocessing.util.Finalize | None = multiprocessing.util.Finalize(
            None, self.close, exitpriority=10
        )

    @property
    def done(self) -> bool:
        """Whether ``result()`` was asked for already."""
        return self._outcome is not None

    def give(self, value: Any) -> None:
        """What the function's ``receive()`` returns (once)."""
        if self._child is not None:
            with contextlib.suppress(OSError):  # the child stopped before it asked: ``result()`` tells why
                self._outbox.send(value)
        else:
            self._given.append(value)

    def result(self):  # type: ignore[no-untyped-def]
        if self._outcome is None and self._child is None:
            self._outcome = _outcome(lambda: self._function(self._given.pop))
            if self._outcome[0] and isinstance(self._outcome[1], AndThen):
                with contextlib.suppress(Exception):
                    self._outcome[1].then()
                self._outcome = (True, self._outcome[1].value)
        elif self._outcome is None:
            assert self._child is not None
            try:
                self._outcome = self._receiver.recv()
            except EOFError:
                self._child.join()
                stopped = f"Một tiến trình kiểm tra dừng đột ngột (mã {self._child.exitcode})."
                self._outcome = (False, WorkerError(f"{stopped} {WORKER_ADVICE}"))
        finished, value = self._outcome
        if not finished:
            raise value  # type: ignore[misc]
        return value

    def close(self) -> None:
        """Wait for the child to end (its ``AndThen`` work done); stop it if its result was never asked for."""
        at_exit, self._at_exit = getattr(self, "_at_exit", None), None
        if at_exit is not None:
            at_exit.cancel()
        if self._child is not None:
            self._receiver.close()
            self._outbox.close()
            if self._child.is_alive() and self._outcome is None:
                self._child.kill()
            self._child.join()
            self._child = None

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class AndThen:
    """What a ``Forked`` function returns to give ``value`` as its result before it does ``then()``: work the result
    does not wait for, such as writing a memo, whose failure is no failure of the result."""

    value: Any
    then: Callable[[], None]


def _outcome(function: Callable[[], R]) -> tuple[bool, object]:
    try:
        return True, function()
    except Exception as error:  # noqa: BLE001 - given to whoever asks for the result, as it was raised
        return False, error


def _send_outcome(
    function: Callable[[Callable[[], Any]], R],
    inbox: Connection,
    parents_ends: tuple[Connection, ...],
    report: Connection,
) -> None:
    # Ctrl-C reaches the whole process group: the parent stops this child itself, without a second traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for end in parents_ends:  # so that the parent going away ends receive() and send() instead of their waiting
        end.close()
    finished, value = _outcome(lambda: function(inbox.recv))
    # Not asking any more: a parent still sending what it gives (more than a pipe holds) stops instead of waiting
    # for this child, which waits for the parent to read what it sends.
    inbox.close()
    then = value.then if finished and isinstance(value, AndThen) else None
    outcome = (True, value.value) if then is not None else (finished, value)
    try:
        report.send(outcome)
    except OSError:  # the parent is gone (stopped by Ctrl-C): nobody left to tell
        return
    except Exception:  # noqa: BLE001 - a result or error that cannot be pickled is told as text
        with contextlib.suppress(OSError):
            report.send((False, WorkerError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
    if then is not None:
        with contextlib.suppress(Exception):  # the result is given: what is left is worth a try, not a failure
            then()
