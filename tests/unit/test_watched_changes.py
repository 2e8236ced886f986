"""What a preview's watcher saw, as its next build takes it (``frontline.engine.watched``): nothing vouched for
before the first build since the watcher started, after a folder's event or lost events, nor ever after the
watcher warned that it could not watch everything."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from frontline.engine.watched import Changes, _WatcherTrouble


def _event(kind: str, path: str, *, folder: bool = False, dest: str = "") -> SimpleNamespace:
    return SimpleNamespace(event_type=kind, src_path=path, dest_path=dest, is_directory=folder)


def _watching() -> Changes:
    changes = Changes()
    changes.watching("/du-an/stories")
    assert changes.take() is None  # the first build since the watcher started looks at every file
    return changes


def test_saves_are_named_and_creations_deletions_and_moves_ask_for_a_new_listing():
    changes = _watching()
    changes.saw(_event("modified", "/du-an/stories/a.md"))
    since = changes.take()
    assert since is not None and since.changed == {"/du-an/stories/a.md"} and not since.listing
    assert since.watched == ("/du-an/stories/",)
    changes.saw(_event("moved", "/du-an/stories/b.md", dest="/du-an/stories/c.md"))
    since = changes.take()
    assert since is not None and since.changed == {"/du-an/stories/b.md", "/du-an/stories/c.md"} and since.listing
    assert changes.take() == type(since)(frozenset(), False, ("/du-an/stories/",))  # taken once


def test_a_folders_event_or_lost_events_make_the_next_build_look_at_every_file():
    changes = _watching()
    changes.saw(_event("deleted", "/du-an/stories/2021/05/anh", folder=True))
    assert changes.take() is None
    assert changes.take() is not None
    changes.saw(_event("events_lost", "/du-an/stories"))
    assert changes.take() is None


def test_what_a_failed_load_took_is_given_back():
    changes = _watching()
    changes.saw(_event("modified", "/du-an/stories/a.md"))
    taken = changes.take()
    changes.give_back(taken)
    again = changes.take()
    assert again is not None and again.changed == {"/du-an/stories/a.md"}
    changes.give_back(None)  # a first build's
    assert changes.take() is None


def test_a_watcher_that_warns_vouches_for_nothing_from_then_on(monkeypatch):
    changes = _watching()
    monkeypatch.setattr("frontline.engine.watched.CHANGES", changes)
    logger = logging.getLogger("watchdog.observers.inotify")
    handler = _WatcherTrouble(logging.WARNING)
    logger.addHandler(handler)
    try:
        logger.info("watching")
        assert changes.take() is not None
        logger.warning("Unable to watch %r: %s", "/du-an/stories/2030", "No space left on device")
    finally:
        logger.removeHandler(handler)
    changes.saw(_event("modified", "/du-an/stories/a.md"))
    assert changes.take() is None and changes.take() is None
