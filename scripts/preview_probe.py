"""Measure ``frontline preview`` on a bench corpus: seconds and CPU (user + kernel, from ``/proc``, of the server
process and every process it ran) from its start to the home page served, then for each saved edit (a story
retitled, or one more update on the live page ``scripts/bench.py --live`` adds) until the change is served.

Usage: ``python scripts/preview_probe.py PROJECT [--edits 3] [--updates 3] [--label TEXT]``; one line per step and a
summary line, with the host's load. The project keeps its ``.cache/`` (a reporter's machine after a build); the
story is restored afterwards and the updates added are deleted."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` (with its waited-for children) and of its living descendants."""
    total = 0.0
    for process in [pid, *bench.descendants(pid)]:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        own = int(fields[11]) + int(fields[12])
        waited = int(fields[13]) + int(fields[14]) if process == pid else 0
        total += (own + waited) / TICKS
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--updates", type=int, default=3, help="updates added to the live page, if it is there")
    parser.add_argument("--label", default="")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    project = args.project.resolve()
    bench.BUILD_ENV[bench.TEMPLATE_CODE_VARIABLE] = str(project.parent / bench.TEMPLATE_CODE_FOLDER)
    os.environ["FRONTLINE_TIMINGS"] = "1"
    target = bench.pick_target(project)
    original = target.path.read_bytes()
    slug = None if target.has_slug else target.url.rstrip("/").rsplit("/", 1)[-1]
    live = project / "stories/live" / bench.LIVE_ID
    added: list[Path] = []
    port = bench.free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = project.parent / f"{project.name}-probe.log"
    load = os.getloadavg()[0]
    try:
        started = time.perf_counter()
        with bench.preview_server(project, port, log_path) as server:

            def alive() -> bool:
                return server.poll() is None

            bench.wait_until(lambda left: bench.fetch(base, min(left, 60)) is not None, args.timeout, "home", alive)
            start = time.perf_counter() - started
            start_cpu = tree_cpu(server.pid)
            print(f"start {start:.2f} s, CPU {start_cpu:.2f} s, load {load:.1f}", flush=True)
            edits: list[tuple[float, float]] = []
            for number in range(args.edits):
                time.sleep(1)
                marker = f"PROBE{time.time_ns():x}"
                before = tree_cpu(server.pid)
                target.path.write_text(bench.retitle(original.decode(), marker, slug), encoding="utf-8")
                saved = time.perf_counter()
                bench.wait_until(
                    lambda left, m=marker: m in (bench.fetch(base + target.url, min(left, 60)) or ""),
                    args.timeout,
                    "the edit",
                    alive,
                )
                edits.append((time.perf_counter() - saved, tree_cpu(server.pid) - before))
                print(f"edit {number + 1}: {edits[-1][0]:.2f} s, CPU {edits[-1][1]:.2f} s", flush=True)
            updates: list[tuple[float, float]] = []
            for number in range(args.updates if live.is_dir() else 0):
                time.sleep(1)
                before = tree_cpu(server.pid)
                path, anchor = bench.new_update(live, 900 + number)
                added.append(path)
                saved = time.perf_counter()
                bench.wait_until(
                    lambda left, a=anchor: (
                        f'id="{a}"' in (bench.fetch(f"{base}truc-tiep/{bench.LIVE_ID}/", min(left, 60)) or "")
                    ),
                    args.timeout,
                    "the update",
                    alive,
                )
                updates.append((time.perf_counter() - saved, tree_cpu(server.pid) - before))
                print(f"update {number + 1}: {updates[-1][0]:.2f} s, CPU {updates[-1][1]:.2f} s", flush=True)
            time.sleep(0.5)
    finally:
        target.path.write_bytes(original)
        for path in added:
            path.unlink(missing_ok=True)

    def median(pairs: list[tuple[float, float]]) -> str:
        if not pairs:
            return "-"
        return f"{statistics.median(p[0] for p in pairs):.2f} s / CPU {statistics.median(p[1] for p in pairs):.2f} s"

    print(
        f"SUMMARY {args.label}: start {start:.2f} s / CPU {start_cpu:.2f} s; edit {median(edits)}; "
        f"update {median(updates)}; load {load:.1f} -> {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    timings = [line for line in log_path.read_text(errors="replace").splitlines() if "Frontline:" in line]
    for line in timings:
        print("  " + line.split("Frontline:", 1)[1].strip())
    subprocess.run(["true"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
