"""Run Frontline's commands as a user does: in a subprocess, from a folder, with an environment.

``run_frontline``/``start_frontline`` run ``frontline …``; ``build_command`` is the one ``mkdocs build`` (or
``properdocs build``) command line, and ``build_env`` the one environment, every test's build uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOW = "2021-12-31T00:00:00+07:00"
"""The fixture sites' "now": every dated story in them is published by then."""


def build_env(
    *, now: str | None = NOW, workers: int | None = None, preview: bool = False, extra_env: dict | None = None
) -> dict[str, str]:
    """This process's environment with the build's clock (``now``; ``None``: the build reads ``SOURCE_DATE_EPOCH``
    or the time), its number of processes (``workers``; ``None``: one per core) and preview mode set."""
    env = dict(os.environ)
    env.pop("FRONTLINE_PREVIEW", None)
    if now is None:
        env.pop("FRONTLINE_NOW", None)
    else:
        env["FRONTLINE_NOW"] = now
    if workers is not None:
        env["FRONTLINE_WORKERS"] = str(workers)
    if preview:
        env["FRONTLINE_PREVIEW"] = "1"
    env.update(extra_env or {})
    return env


def build_command(
    config: Path, *, engine: str = "mkdocs", strict: bool = True, quiet: bool = True, site_dir: Path | None = None
) -> list[str]:
    """``ENGINE build [-q] [--strict] -f CONFIG [-d SITE_DIR]``, run by this interpreter."""
    command = [sys.executable, "-m", engine, "build"]
    if quiet:
        command.append("-q")
    if strict:
        command.append("--strict")
    command += ["-f", str(config)]
    if site_dir is not None:
        command += ["-d", str(site_dir)]
    return command


def frontline_command(*args: str, config: Path | None = None) -> list[str]:
    """``frontline [--config CONFIG] ARGS``, run by this interpreter (as the installed ``frontline`` script does)."""
    return [sys.executable, "-m", "frontline.cli", *(["--config", str(config)] if config else []), *args]


def run_frontline(
    *args: str,
    cwd: Path,
    config: Path | None = None,
    now: str | None = NOW,
    env: dict | None = None,
    timeout: float = 300,
    text: bool = True,
    **run,
) -> subprocess.CompletedProcess:
    """``frontline ARGS`` in ``cwd``, finished: its code, stdout and stderr (``env``: variables set on top)."""
    command = frontline_command(*args, config=config)
    environment = build_env(now=now, extra_env=env)
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=text, timeout=timeout, **run)


def start_frontline(
    *args: str, cwd: Path, config: Path | None = None, now: str | None = NOW, env: dict | None = None, **popen
) -> subprocess.Popen:
    """``frontline ARGS`` in ``cwd``, started and not waited for (``popen``: ``subprocess.Popen``'s arguments)."""
    command = frontline_command(*args, config=config)
    return subprocess.Popen(command, cwd=cwd, env=build_env(now=now, extra_env=env), **popen)
