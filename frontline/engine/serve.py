"""``frontline preview``'s server: the engine's own ``serve`` command, except that it learns of a saved file from
the operating system (through watchdog) instead of rescanning every watched file twice a second, a scan that
grows with the archive, takes CPU from the rebuild and delays its start. ``--poll`` keeps the engine's scanning
(network or mounted folders send no events). It serves from a folder kept between previews
(``frontline.engine.kept_folder``) rather than a new temporary one. Every page it serves gets the preview's scripts,
added as the engine adds its livereload script. A SIGTERM stops it as Ctrl-C does, so the engine stops as it does
on Ctrl-C (the record of the kept folder is saved; a temporary folder is deleted).

Usage: ``python -m frontline.engine.serve ENGINE [--poll] SERVE-ARGUMENTS…``"""

from __future__ import annotations

import fcntl
import importlib
import os
import posixpath
import signal
import socketserver
import sys
import threading
from pathlib import Path
from types import FrameType, SimpleNamespace
from typing import IO, Any

from frontline.content import urls
from frontline.engine import kept_folder, later_links, watched


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
        events.EventsLostEvent,
    ]
    watched.notice_watcher_trouble()

    class Noting(events.FileSystemEventHandler):  # type: ignore[misc]
        """The engine's handler, after noting what changed for the next build (``engine/watched.py``)."""

        def __init__(self, handler: Any) -> None:
            self.handler = handler

        def dispatch(self, event: Any) -> None:
            watched.CHANGES.saw(event)
            self.handler.dispatch(event)

    class ChangeObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
        def schedule(self, handler: Any, path: Any, *, event_filter: Any = None, **options: Any) -> Any:
            watched.CHANGES.watching(os.fsdecode(path))
            return super().schedule(Noting(handler), path, event_filter=event_filter or changes, **options)

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
    the server's WSGI application, wrapped before the server is made.

    A page the last build left to be linked after it (``frontline.engine.later_links``) and not linked yet is linked
    when it is asked for, and the request answered again."""
    server_class = importlib.import_module(f"{engine}.livereload").LiveReloadServer
    serve_request = server_class.serve_request
    made = server_class.__init__

    def registering(self: Any, *args: Any, **options: Any) -> None:
        made(self, *args, **options)
        later_links.ON_MISSING[:] = [lambda: _request_rebuild(self)]

    def with_preview_scripts(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        answer: list[Any] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[:] = [status, headers, exc_info]
            return _no_write

        body = serve_request(self, environ, hold)
        if answer[0].startswith("404") and later_links.link_now(_requested_files(self, environ)):
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
    server_class.__init__ = registering


def _requested_files(server: Any, environ: dict[str, Any]) -> list[str]:
    """The file a request asks for, as the engine's ``_serve_request`` finds it, and the ``index.html`` in it if it
    is a folder (the engine then redirects to the address with a slash)."""
    path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
    if not (path + "/").startswith(server.mount_path):
        return []
    relative = path[len(server.mount_path) :] + ("index.html" if path.endswith("/") else "")
    found = os.path.join(server.root, posixpath.normpath("/" + relative).lstrip("/"))
    return [found, os.path.join(found, "index.html")]


def _request_rebuild(server: Any) -> None:
    """What the engine's server does when a watched file changes: a page the last build keyed could not be linked
    (its cache entry is gone), and the next build renders it."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


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


_HELD: list[IO[bytes]] = []
"""The lock on the kept folder, held while the process lives."""


def _serve_from_kept_folder(engine: str, arguments: list[str]) -> None:
    """Serve from the folder previews keep in the project's cache (``frontline.engine.kept_folder``) rather than
    from a new temporary folder the engine deletes when it stops, unless another preview of the project holds it
    (it then serves from a temporary folder, as the engine does)."""
    config_file = arguments[arguments.index("-f") + 1] if "-f" in arguments else "mkdocs.yml"
    folder = kept_folder.folder_for(Path(config_file).resolve().parent)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder.with_name(folder.name + ".lock"), "ab")  # noqa: SIM115 (held until the process ends)
    except OSError:
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        return
    _HELD.append(lock)
    os.environ[kept_folder.VARIABLE] = str(folder)
    record = kept_folder.peek_record(str(folder))
    if record is not None and kept_folder.current_until(record, Path(config_file).resolve(), engine):
        _serve_during_first_build(engine)
    # The engine's serve makes its folder with tempfile.mkdtemp and deletes it with shutil.rmtree when it stops.
    serve = importlib.import_module(f"{engine}.commands.serve")
    rmtree = serve.shutil.rmtree

    def delete_unless_kept(path: Any, *args: Any, **options: Any) -> None:
        if Path(path) != folder:
            rmtree(path, *args, **options)

    serve.tempfile = SimpleNamespace(mkdtemp=lambda *args, **options: str(folder))
    serve.shutil = SimpleNamespace(rmtree=delete_unless_kept)


def _serve_during_first_build(engine: str) -> None:
    """The kept folder is what the first build would write (its record's inputs are the project's, and the clock has
    not reached a moment its pages change by): the server answers from it at once, while the first build (which a
    preview needs all the same, for the view its rebuilds start from) runs. Pages are held, as in any rebuild, from
    the moment that build first changes the folder (``kept_folder.writing_begins``) until it ends."""
    serve = importlib.import_module(f"{engine}.commands.serve")
    engine_server = serve.LiveReloadServer

    class ServingAtOnce(engine_server):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **options: Any) -> None:
            super().__init__(*args, **options)
            self._bound = False
            self.server_bind()
            self.server_activate()
            self._bound = True
            kept_folder.WRITING.append(self._hold_pages)
            self._at_once: threading.Thread | None = threading.Thread(
                target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._at_once.start()
            serve.log.info("Frontline: phục vụ ngay bản xem trước đã dựng (không có gì thay đổi), trong khi dựng lại.")

        def _hold_pages(self) -> None:
            with self._epoch_cond:
                self._wanted_epoch = self._visible_epoch + 1

        def server_bind(self) -> None:
            if not self._bound:
                super().server_bind()

        def server_activate(self) -> None:
            if not self._bound:
                super().server_activate()

        def serve(self, *args: Any, **options: Any) -> Any:
            # The first build has ended: the engine's own loop takes over the socket the pages were served on.
            if self._at_once is not None:
                socketserver.BaseServer.shutdown(self)
                self._at_once.join()
                self._at_once = None
            with self._epoch_cond:
                self._visible_epoch = self._wanted_epoch
                self._epoch_cond.notify_all()
            return super().serve(*args, **options)

    serve.LiveReloadServer = ServingAtOnce


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
    _serve_from_kept_folder(engine, arguments)
    cli(["serve", *arguments], prog_name=engine)


if __name__ == "__main__":
    main(sys.argv[1:])
