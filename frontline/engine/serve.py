"""``frontline preview``'s server: the engine's own ``serve`` command, unchanged, except
that it learns of a saved file from the operating system (inotify, FSEvents or
ReadDirectoryChangesW, through watchdog) instead of rescanning every watched file twice a
second, which is what MkDocs and ProperDocs do. With tens of thousands of stories that
scan takes a share of the CPU the rebuild needs and adds up to half a second before a
rebuild starts. ``--poll`` keeps the engine's scanning (for network or mounted folders,
where the operating system sends no events). And a SIGTERM stops it as Ctrl-C does, so the
engine deletes the temporary folder it serves from.

Usage: ``python -m frontline.engine.serve ENGINE [--poll] SERVE-ARGUMENTS…``"""

from __future__ import annotations

import importlib
import signal
import sys
from types import FrameType
from typing import Any


def _use_system_events() -> None:
    import watchdog.observers
    import watchdog.observers.polling
    from watchdog import events

    # Changes only: the engines rebuild on any event, and the system also reports files being
    # opened and read (by the build itself), which would rebuild again and again.
    changes = [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileClosedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]

    class ChangeObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
        def schedule(self, handler: Any, path: Any, *, event_filter: Any = None, **options: Any) -> Any:
            return super().schedule(handler, path, event_filter=event_filter or changes, **options)

    def observer(*, timeout: float = 1.0, **_: Any) -> Any:
        return _MadeOnFirstUse(lambda: ChangeObserver(timeout=timeout))

    # Both engines' livereload servers make their observer as watchdog.observers.polling.PollingObserver(...).
    watchdog.observers.polling.PollingObserver = observer  # type: ignore[misc,assignment]


class _MadeOnFirstUse:
    """An observer made when the server first uses it (to watch a path, after its first build).

    watchdog's inotify observer starts a thread as it is made, and both engines make their observer
    before their first build: that build then saw a threaded process, which Frontline does not fork,
    and rendered every page on one core (a new preview of a large archive took twice as long)."""

    def __init__(self, make: Any) -> None:
        self._make = make
        self._observer: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._observer is None:
            self._observer = self._make()
        return getattr(self._observer, name)


def _stop_as_on_ctrl_c(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (what ``docker stop``, systemd, an editor's stop button or ``kill`` send) handled as Ctrl-C: the engine's
    ``serve`` then shuts down and deletes the temporary site it builds into (``mkdocs_*`` in the system's temporary
    folder: 27,000 files for 10,000 stories), which the default SIGTERM, ending the process at once, leaves behind.
    A second SIGTERM ends it at once."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise KeyboardInterrupt


def main(argv: list[str]) -> None:
    signal.signal(signal.SIGTERM, _stop_as_on_ctrl_c)
    engine, *arguments = argv
    if "--poll" in arguments:
        arguments.remove("--poll")
    else:
        _use_system_events()
    try:
        cli = importlib.import_module(f"{engine}.__main__").cli
    except ModuleNotFoundError:
        sys.exit(f"frontline preview: chưa cài {engine}. Chạy make site (hoặc pip install {engine}) rồi thử lại.")
    cli(["serve", *arguments], prog_name=engine)


if __name__ == "__main__":
    main(sys.argv[1:])
