"""A spare copy of the live folder release, made in the background after a publish, for the next publish to start from.

A folder release is a tree of hard links, and most of its cost is making its folders (one per page: a 10,000-story
site has 13,000), not linking its files. A publish that starts from a copy of the live release only changes the
files that differ, so the copy is made by a low-priority process that outlives the publish, while nobody waits:

    DEST/.spares/.making-<pid>-<token>/   a copy being made, locked by its process (one not locked is deleted)
    DEST/.spares/<release id>.json        the manifest of the release it copies, written once the copy is whole
    DEST/.spares/<release id>/            a ready spare: renamed from its making name last

A spare is never served and never a release: ``FolderTarget`` renames it into ``releases/`` under the hidden name a
release is filled under, so a publish stopped while changing it leaves what any stopped fill leaves."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

SPARES = ".spares"
MAKING = ".making-"


def spare_manifest(spares: Path, release_id: str) -> Path:
    return spares / f"{release_id}.json"


def making_pid(name: str) -> int | None:
    """The process making the spare ``name`` (``.making-<pid>-<token>``), None for another name."""
    if not name.startswith(MAKING):
        return None
    pid = name[len(MAKING) :].partition("-")[0]
    return int(pid) if pid.isascii() and pid.isdigit() else None


def being_made(folder: Path) -> bool:
    """Whether a process is making the spare ``folder`` now: it holds a lock on the folder while it lives (a
    process id alone could name another process after a restart)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)  # a lock this process took goes with it
    return False


def make_in_background(root: Path, release_id: str) -> None:
    """Start the process making the spare of release ``release_id`` of the folder target at ``root``: at the lowest
    priority, in a session of its own, so that it outlives the publish (and a Ctrl+C given to it)."""
    subprocess.Popen(
        [sys.executable, "-m", __name__, str(root), release_id],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def make(root: Path, release_id: str) -> bool:
    """Copy release ``release_id`` (links of its files, its folders made) into a ready spare; False, and nothing
    left, if the release went meanwhile (pruned) or anything else failed."""
    from frontline.deploy.folder import (
        MANIFEST_SUFFIX,
        RELEASES,
        _write_atomically,
        durable,
        make_folder_of,
        manifest_files,
    )

    source = root / RELEASES / release_id
    spares = root / SPARES
    making = spares / f"{MAKING}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        manifest = (root / RELEASES / (release_id + MANIFEST_SUFFIX)).read_bytes()
        files = manifest_files(manifest)
        spares.mkdir(exist_ok=True)
        making.mkdir()
        held = os.open(making, os.O_RDONLY | os.O_DIRECTORY)  # held until this process ends (``being_made``)
        fcntl.flock(held, fcntl.LOCK_EX)
        top = f"{making}/"
        made = {""}
        for path in files:
            make_folder_of(top, path, made)
            os.link(f"{source}/{path}", top + path)
        # On the disk before it is named ready: a spare a power cut left half-written must not look whole.
        durable([], [making, *(top + folder for folder in made if folder)])
        _write_atomically(spare_manifest(spares, release_id), manifest)
        os.rename(making, spares / release_id)
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(making, ignore_errors=True)
        return False
    return True


def main(argv: list[str]) -> int:
    with contextlib.suppress(OSError):
        os.nice(19)
    root, release_id = argv
    return 0 if make(Path(root), release_id) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
