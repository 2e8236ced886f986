"""Sites built once per test run and read by every test that needs them, on every pytest-xdist worker.

A site that tests only read (the demo, the fixture of every page kind) is the same for all of them, so it is built
once, into a folder of the run shared by the workers; the first worker to ask builds it while the others wait on a
lock. A test that changes a site builds one of its own."""

from __future__ import annotations

import fcntl
import os
import shutil
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run: each xdist worker's own is a subfolder of it (``popen-gw0``…)."""
    own = tmp_path_factory.getbasetemp()
    return own.parent if os.environ.get("PYTEST_XDIST_WORKER") else own


@contextmanager
def _locked(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """``ROOT/shared-NAME``, filled by ``build(folder)`` the first time any worker of this run asks for it. A build
    that failed fails every test that asks again, with the first failure's report, rather than building again."""
    root = run_folder(tmp_path_factory)
    folder = root / f"shared-{name}"
    done, failed = root / f"shared-{name}.done", root / f"shared-{name}.failed"
    with _locked(root / f"shared-{name}.lock"):
        if failed.exists():
            pytest.fail(f"the shared site {name!r} failed to build earlier in this run:\n{failed.read_text()}")
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                build(folder)
            except BaseException:
                failed.write_text(traceback.format_exc())
                raise
            done.touch()
    return folder
