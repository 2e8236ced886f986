"""``frontline preview``'s server: the engine's own ``serve`` command, except that it learns of a saved file from
the operating system (through watchdog) instead of rescanning every watched file twice a second, a scan that
grows with the archive, takes CPU from the rebuild and delays its start. ``--poll`` keeps the engine's scanning
(network or mounted folders send no events). Every page it serves gets the preview's scripts, added as the engine adds
its livereload script. A SIGTERM stops it as Ctrl-C does, so the engine deletes the temporary folder it serves from.

Usage: ``python -m frontline.engine.serve ENGINE [--poll] SERVE-ARGUMENTS…``"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from types import FrameType
from typing import Any

from frontline.content import urls


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
    before their first build, which would then run in a threaded process, one Frontline does not fork:
    every page on one core."""

    def __init__(self, make: Any) -> None:
        self._make = make
        self._observer: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._observer is None:
            self._observer = self._make()
        return getattr(self._observer, name)


def _add_preview_scripts(engine: str) -> None:
    """Every HTML page the server sends gets the preview's scripts (the problems banner), as the engine's server adds
    its livereload script: the preview's pages are the production build's, and stay so in the folder it serves.
    The lines are those the preview's build wrote (``urls.PREVIEW_SCRIPTS``, from a template); ``serve_request`` is
    the server's WSGI application, wrapped before the server is made."""
    server_class = importlib.import_module(f"{engine}.livereload").LiveReloadServer
    serve_request = server_class.serve_request

    def with_preview_scripts(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        answer: list[Any] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[:] = [status, headers, exc_info]
            return _no_write

        body = serve_request(self, environ, hold)
        status, headers, exc_info = answer
        scripts = _preview_scripts(self.root) if _is_html(headers) else None
        if scripts is None:
            start_response(status, headers, exc_info)
            return body
        try:
            page = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        end = page.rfind(b"</body>")
        page = page[:end] + scripts + page[end:] if end >= 0 else page + scripts
        headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(page)))], exc_info)
        return [page]

    server_class.serve_request = with_preview_scripts


def _no_write(data: bytes) -> None:
    raise RuntimeError("the preview's server answers with a body, never through write()")


def _is_html(headers: list[tuple[str, str]]) -> bool:
    return any(name.lower() == "content-type" and value.startswith("text/html") for name, value in headers)


def _preview_scripts(root: str) -> bytes | None:
    try:
        with open(os.path.join(root, urls.PREVIEW_SCRIPTS), "rb") as written:
            return written.read()
    except OSError:  # before the first build has written them
        return None


def _stop_as_on_ctrl_c(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (what ``docker stop``, systemd, an editor's stop button or ``kill`` send) handled as Ctrl-C: the engine's
    ``serve`` then shuts down and deletes the temporary site it builds into (``mkdocs_*`` in the system's temporary
    folder, a whole site's files), which the default SIGTERM, ending the process at once, leaves behind. A second
    SIGTERM ends it at once."""
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
    _add_preview_scripts(engine)
    cli(["serve", *arguments], prog_name=engine)


if __name__ == "__main__":
    main(sys.argv[1:])
