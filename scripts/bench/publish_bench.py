"""The publish benchmark (``scripts/bench.py --publish``): a generated newsroom built, then published to a folder and
to S3 (moto's server, started here on a loopback port), first, then after a one-story edit (its first paragraph, so
its page, the listings and feeds it appears on and its search record change): of the newest story (what a newsroom
edits most: its search part is the small newest one), then of the oldest (its part is a full one). Each step runs the
``frontline`` command as a user does and is measured from outside: wall time, CPU time of the process and its
children (user + sys, from ``os.wait4``), and the files and bytes the publish reports it sent."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1]
REPO = SCRIPTS.parent
FRONTLINE = Path(sys.executable).with_name("frontline")
NOW = "2026-01-01T00:00:00+07:00"
BUCKET = "tuyendau-bench"
_SENT = re.compile(r"gửi (\d+) tệp \(([\d,.]+) (B|KB|MB|GB)\)")
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


@dataclasses.dataclass(frozen=True)
class Step:
    what: str
    seconds: float
    cpu: float  # user + sys of the command and its children
    files: int | None  # sent, as the publish reports it
    sent_bytes: int | None


def _run(command: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (the process and the children it waited for) and output of ``command``."""
    with tempfile.TemporaryFile() as captured:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=captured, stderr=subprocess.STDOUT)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                raise RuntimeError(f"{' '.join(command)}: still running after {timeout:.0f} s")
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        captured.seek(0)
        output = captured.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{output[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, output


def _sent(output: str) -> tuple[int | None, int | None]:
    if "Không có gì thay đổi" in output:
        return 0, 0
    found = _SENT.search(output)
    if found is None:
        return None, None
    return int(found.group(1)), round(float(found.group(2).replace(",", ".")) * _UNITS[found.group(3)])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Moto:
    """moto's S3 server on a free loopback port (``python -m moto.server``, from the test dependencies)."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-p", str(self.port), "-H", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=folder,
        )
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("moto's server did not start")

    def environment(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{self.port}",
            "AWS_DEFAULT_REGION": "ap-southeast-1",
            "AWS_ACCESS_KEY_ID": "bench-access-key",
            "AWS_SECRET_ACCESS_KEY": "bench-secret-key",
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def edit_one_story(project: Path, which: str = "newest") -> Path:
    """Prefix the first paragraph of the body of the newest story (by its ``date:``) or the oldest (the first by
    path) with a new sentence, each call another."""
    stories = sorted((project / "stories").rglob("*.md"))
    story = stories[0] if which == "oldest" else max(stories, key=_story_date)
    text = story.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    story.write_text(f"{head}\n---\nCập nhật lúc {time.time_ns()}. {body.lstrip()}", encoding="utf-8")
    return story


def _story_date(path: Path) -> str:
    """The story's ``date:`` as written (the generator writes ISO dates with one offset: they sort as text)."""
    front = path.read_text(encoding="utf-8").partition("\n---\n")[0]
    found = re.search(r"^date:\s*['\"]?([^'\"\n]+)", front, re.MULTILINE)
    return found.group(1).strip() if found else ""


def bench_publish(project: Path, work: Path, log: Callable[[str], None] = print) -> list[Step]:
    """The steps above on the corpus in ``project`` (built first when it has no site); destinations under ``work``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["FRONTLINE_NOW"] = NOW
    frontline = [str(FRONTLINE)]
    folder = work / "publish-folder"
    shutil.rmtree(folder, ignore_errors=True)
    steps: list[Step] = []

    def measure(what: str, *args: str, extra: dict[str, str] | None = None, timeout: float = 3600) -> None:
        log(f"publish bench: {what}")
        seconds, cpu, output = _run([*frontline, *args], cwd=project, env={**env, **(extra or {})}, timeout=timeout)
        files, sent = _sent(output) if args[0] == "publish" else (None, None)
        steps.append(Step(what, seconds, cpu, files, sent))

    if not (project / "site").is_dir():
        measure("build (cold, not a publish figure)", "build")
    moto_folder = work / "moto"
    moto_folder.mkdir(parents=True, exist_ok=True)
    moto = _Moto(moto_folder)
    try:
        s3 = moto.environment()
        import boto3  # the bench's own client, only to make the bucket

        client = boto3.client(
            "s3",
            endpoint_url=s3["AWS_ENDPOINT_URL_S3"],
            region_name=s3["AWS_DEFAULT_REGION"],
            aws_access_key_id=s3["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=s3["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        measure("publish to a folder, first", "publish", str(folder))
        measure("publish to S3, first", "publish", f"s3://{BUCKET}/site", extra=s3)
        measure("publish to a folder, same build again", "publish", str(folder))
        # A newsroom's builds follow one another: each writes into the site folder the one before kept (the first
        # after a cold build has none yet, and fills a new folder from the page cache).
        measure("build again, nothing changed", "build")
        for which in ("newest", "oldest"):
            edited = edit_one_story(project, which)
            log(f"publish bench: edited {edited.relative_to(project)}")
            measure(f"build after a one-story edit ({which} story)", "build")
            measure(f"publish to a folder, after that edit ({which})", "publish", str(folder))
            measure(f"publish to S3, after that edit ({which})", "publish", f"s3://{BUCKET}/site", extra=s3)
        # The same edits put live the two ways a newsroom can, alternated: `frontline build` then `frontline
        # publish`, and `frontline publish` alone (it builds a site older than its content). Each after the last
        # publish's spare is made, as edits minutes apart find it.
        for run in range(1, ONE_COMMAND_RUNS + 1):
            for which in ("newest", "oldest"):
                for way in ("two commands", "one command"):
                    edited = edit_one_story(project, which)
                    _wait_for_spare(folder)
                    if way == "two commands":
                        measure(f"build after a one-story edit ({which}), run {run}", "build")
                        measure(f"publish to a folder after it ({which}), run {run}", "publish", str(folder))
                    else:
                        measure(
                            f"frontline publish alone after a one-story edit ({which}), run {run}",
                            "publish",
                            str(folder),
                        )
    finally:
        moto.stop()
        shutil.rmtree(moto_folder, ignore_errors=True)
    return steps


ONE_COMMAND_RUNS = 3


def _wait_for_spare(folder: Path, limit: float = 120) -> None:
    """Until the processes the last publish left running are done: the one making a spare release in ``folder``
    (``frontline.deploy.spare``) and those deleting pruned releases (``.pruned-*``), as an edit minutes after the
    last finds them."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and (
        any(p.name.startswith(".making") for p in (folder / ".spares").glob(".*")) or any(folder.glob(".pruned-*"))
    ):
        time.sleep(0.2)


def _size(count: int | None) -> str:
    if count is None:
        return ""
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / 1024 / 1024:.1f} MiB"


def markdown(stories: int, steps: list[Step]) -> str:
    lines = [
        f"| {stories:,} stories | wall (s) | CPU user+sys (s) | files sent | bytes sent |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for step in steps:
        files = "" if step.files is None else f"{step.files:,}"
        lines.append(f"| {step.what} | {step.seconds:.2f} | {step.cpu:.2f} | {files} | {_size(step.sent_bytes)} |")
    by_name = {step.what: step for step in steps}
    for which in ("newest", "oldest"):
        build = by_name.get(f"build after a one-story edit ({which} story)")
        folder = by_name.get(f"publish to a folder, after that edit ({which})")
        if build and folder:
            lines.append(
                f"| **one-story edit live (build + publish to a folder), {which} story** "
                f"| **{build.seconds + folder.seconds:.2f}** | **{build.cpu + folder.cpu:.2f}** | | |"
            )
    for which in ("newest", "oldest"):
        two = [
            by_name[f"build after a one-story edit ({which}), run {run}"].seconds
            + by_name[f"publish to a folder after it ({which}), run {run}"].seconds
            for run in range(1, ONE_COMMAND_RUNS + 1)
            if f"publish to a folder after it ({which}), run {run}" in by_name
        ]
        one = [
            by_name[f"frontline publish alone after a one-story edit ({which}), run {run}"].seconds
            for run in range(1, ONE_COMMAND_RUNS + 1)
            if f"frontline publish alone after a one-story edit ({which}), run {run}" in by_name
        ]
        if two and one:
            lines.append(
                f"| **one-story edit live ({which} story), median of {len(two)} alternated: build + publish** "
                f"| **{statistics.median(two):.2f}** | | | |"
            )
            lines.append(
                f"| **one-story edit live ({which} story), median of {len(one)} alternated: `frontline publish` "
                f"alone** | **{statistics.median(one):.2f}** | | | |"
            )
    return "\n".join(lines)


def as_json(steps: list[Step]) -> str:
    return json.dumps([dataclasses.asdict(step) for step in steps], indent=1)
