"""Memory of a build over time, process by process: RSS and PSS of every process in the build's tree.

Runs a command (a cold ``mkdocs build`` of a bench corpus, say), samples ``/proc/<pid>/smaps_rollup`` of it and all
its descendants every ``--every`` seconds, and prints the timeline (one line a sample: each process's RSS), the
summed peak with what each process held at that moment, and each process's own peak. Processes are named by their
program, their parent and their niceness (the search records process runs at 19), numbered in order of appearance.

    .venv/bin/python scripts/bench/memory_profile.py --cwd scripts/bench/work/frontline-10000 \\
        -- .venv/bin/mkdocs build -q

The bench's environment (``FRONTLINE_NOW``, its compiled templates) is added unless ``--no-bench-env``."""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SCRIPTS))

from bench import BUILD_ENV, TEMPLATE_CODE_FOLDER, TEMPLATE_CODE_VARIABLE, descendants  # noqa: E402


@dataclass
class Member:
    name: str
    first: float
    last: float = 0.0
    peak_rss: int = 0
    peak_pss: int = 0
    cpu: float = 0.0


@dataclass
class Sample:
    at: float
    rss: dict[int, int] = field(default_factory=dict)
    pss: dict[int, int] = field(default_factory=dict)


def rollup(pid: int) -> tuple[int, int] | None:
    """RSS and PSS of ``pid`` in KiB, or ``None`` once it is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    values = {}
    for line in text.splitlines()[1:]:
        key, _, rest = line.partition(":")
        with contextlib.suppress(ValueError, IndexError):
            values[key] = int(rest.split()[0])
    return values.get("Rss", 0), values.get("Pss", 0)


def stat(pid: int) -> tuple[str, int, int, float] | None:
    """Program name, parent, niceness and CPU seconds (user + system) of ``pid``."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return name, int(fields[1]), int(fields[16]), (int(fields[11]) + int(fields[12])) / ticks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=0.25, help="seconds between samples")
    parser.add_argument("--cwd", type=Path, default=Path.cwd())
    parser.add_argument("--no-bench-env", action="store_true")
    parser.add_argument("--timeline", action="store_true", help="print every sample")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    env = dict(os.environ)
    if not args.no_bench_env:
        env.update(BUILD_ENV)
        env.setdefault(TEMPLATE_CODE_VARIABLE, str(SCRIPTS / "bench" / "work" / TEMPLATE_CODE_FOLDER))
    started = time.perf_counter()
    process = subprocess.Popen(args.command, cwd=args.cwd, env=env)
    members: dict[int, Member] = {}
    samples: list[Sample] = []
    counts: dict[str, int] = {}
    while process.poll() is None:
        now = time.perf_counter() - started
        sample = Sample(now)
        for pid in descendants(process.pid):
            about = stat(pid)
            memory = rollup(pid)
            if about is None or memory is None:
                continue
            name, parent, nice, cpu = about
            if pid not in members:
                parent_name = members[parent].name if parent in members else "-"
                base = "build" if pid == process.pid else f"{name}<{parent_name}>" + (f" nice {nice}" if nice else "")
                counts[base] = counts.get(base, 0) + 1
                members[pid] = Member(f"{base} #{counts[base]}" if pid != process.pid else base, now)
            member = members[pid]
            member.last, member.cpu = now, cpu
            sample.rss[pid], sample.pss[pid] = memory
            member.peak_rss = max(member.peak_rss, memory[0])
            member.peak_pss = max(member.peak_pss, memory[1])
        samples.append(sample)
        if args.timeline and sample.rss:
            parts = ", ".join(f"{members[pid].name} {kib / 1024:.0f}" for pid, kib in sample.rss.items())
            print(f"[{now:7.2f} s] sum {sum(sample.rss.values()) / 1024:6.0f} MiB: {parts}", file=sys.stderr)
        time.sleep(args.every)
    elapsed = time.perf_counter() - started
    children = os.times()
    peak = max(samples, key=lambda s: sum(s.rss.values()), default=Sample(0))
    peak_pss = max(samples, key=lambda s: sum(s.pss.values()), default=Sample(0))
    print(
        f"exit {process.returncode}, {elapsed:.1f} s wall, children's CPU {children.children_user:.1f} s user "
        f"+ {children.children_system:.1f} s system, {len(samples)} samples"
    )
    print(
        f"summed RSS peak {sum(peak.rss.values()) / 1024:.0f} MiB at {peak.at:.1f} s (PSS then "
        f"{sum(peak.pss.values()) / 1024:.0f} MiB):"
    )
    for pid, kib in peak.rss.items():
        print(f"  {members[pid].name}: RSS {kib / 1024:.0f} MiB, PSS {peak.pss[pid] / 1024:.0f} MiB")
    print(f"summed PSS peak {sum(peak_pss.pss.values()) / 1024:.0f} MiB at {peak_pss.at:.1f} s")
    print("each process: alive from-to (s), peak RSS / PSS (MiB), CPU (s)")
    for member in members.values():
        print(
            f"  {member.name}: {member.first:.1f}-{member.last:.1f}, {member.peak_rss / 1024:.0f} / "
            f"{member.peak_pss / 1024:.0f}, {member.cpu:.1f}"
        )
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
