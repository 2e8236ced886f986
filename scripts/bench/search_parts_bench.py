"""The search index in one part and in parts, compared on one generated corpus (RESULTS.md, "Search in parts").

Builds the corpus in turns with ``FRONTLINE_SEARCH_PART_RECORDS`` set to each size given (a size above the corpus is
one part, as before the index was split), cold (``site/`` and ``.cache/`` moved away) then warm after one story's
title is edited, and samples the build's process tree every 50 ms: the RSS summed over it, each process's peak
(Pagefind's, by name), and each process's CPU time (user + kernel, last seen before it ended) by role: Pagefind, the
process feeding it (the search records), the rest of the build. Then weighs a first search in each built site: what
Chromium fetches for some queries (``--browser``).

    .venv/bin/python scripts/bench/search_parts_bench.py scripts/bench/work/frontline-10000 --sizes 1000000 5000 \\
        --repeat 3 [--browser]

Prints one JSON line per build and a summary; changes the corpus' one story back when done."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent)]
import bench  # noqa: E402 - the bench's own process-tree helpers and build environment

TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE = 0.05
PART_VARIABLE = "FRONTLINE_SEARCH_PART_RECORDS"


def process_stat(pid: int) -> tuple[str, int, float, int] | None:
    """``pid``'s command name, parent, CPU seconds so far (user + kernel) and RSS in KiB."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        statm = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return None
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2 :].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS, int(statm[1]) * bench.PAGE_KIB


def measured_build(project: Path, env: dict[str, str]) -> dict:
    command = [str(bench.MKDOCS), "build", "-q", "-f", str(project / "mkdocs.yml")]
    environment = {**os.environ, **bench.BUILD_ENV, **env}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=project, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()), daemon=True)
    reader.start()
    seen: dict[int, tuple[str, int, float, int]] = {}
    peak_rss: dict[int, int] = {}
    summed = 0
    while process.poll() is None:
        total = 0
        for pid in bench.descendants(process.pid):
            found = process_stat(pid)
            if found is None:
                continue
            seen[pid] = found
            peak_rss[pid] = max(peak_rss.get(pid, 0), found[3])
            total += found[3]
        summed = max(summed, total)
        time.sleep(SAMPLE)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reader.join()
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}):\n{b''.join(output).decode(errors='replace')[-3000:]}")
    pagefind = [pid for pid, (name, *_) in seen.items() if name.startswith("pagefind")]
    feeders = {seen[pid][1] for pid in pagefind}
    cpu = {"pagefind": 0.0, "search records": 0.0, "rest": 0.0}
    for pid, (_, _, seconds_used, _) in seen.items():
        role = "pagefind" if pid in pagefind else "search records" if pid in feeders else "rest"
        cpu[role] += seconds_used
    bench.wait_for_retired(project)
    return {
        "seconds": round(seconds, 2),
        "user": round(after.ru_utime - before.ru_utime, 1),
        "system": round(after.ru_stime - before.ru_stime, 1),
        "summed_mib": round(summed / 1024),
        "pagefind_runs": len(pagefind),
        "pagefind_peak_mib": round(max((peak_rss[pid] for pid in pagefind), default=0) / 1024),
        "largest_mib": round(max(peak_rss.values(), default=0) / 1024),
        "cpu": {role: round(value, 1) for role, value in cpu.items()},
    }


def cold(project: Path) -> None:
    for folder in bench.COLD_FOLDERS:
        shutil.rmtree(project / folder, ignore_errors=True)


def edit_story(project: Path, marker: str) -> tuple[Path, str]:
    """An old story (the first of 2020's, in the oldest part) with ``marker`` first in its body (in its search
    record, its address kept); its path and old text."""
    path = sorted((project / "stories" / "2020").rglob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", f"\n---\n{marker} ", 1), encoding="utf-8")
    return path, text


def bundle_bytes(site: Path) -> dict[str, int]:
    folder = site / "pagefind"
    listed = json.loads((folder / "phan.json").read_text(encoding="utf-8"))["parts"]
    files = [path for path in folder.rglob("*") if path.is_file() and not path.name.endswith(".gz")]
    return {"parts": 1 + len(listed), "files": len(files), "bytes": sum(path.stat().st_size for path in files)}


FIRST_SEARCH = """
import json, sys
from playwright.sync_api import sync_playwright
base, queries = sys.argv[1], sys.argv[2:]
out = {}
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    for query in queries:
        context = browser.new_context()
        page = context.new_page()
        sizes = {}
        def done(request):
            response = request.response()
            if response is not None and request.url.startswith(base):
                sizes[request.url] = len(response.body())
        page.on("requestfinished", done)
        page.goto(base + "/tim-kiem/?q=" + query)
        status = page.locator(".fl-search__status")
        done = "/^(Tìm thấy|Không tìm thấy) /.test(document.querySelector('.fl-search__status').textContent)"
        page.wait_for_function(done, timeout=120000)
        page.wait_for_timeout(300)
        searched = {url: size for url, size in sizes.items() if "/pagefind/" in url or "frontline-search" in url}
        out[query] = {"bytes": sum(searched.values()), "files": len(searched), "status": status.inner_text()}
        context.close()
    browser.close()
print(json.dumps(out, ensure_ascii=False))
"""


def first_searches(site: Path, queries: list[str]) -> dict:
    from tests.e2e.browser.conftest import serving  # the tests' own static server

    with serving(site) as url:
        result = subprocess.run(
            [sys.executable, "-c", FIRST_SEARCH, url, *queries], capture_output=True, text=True, timeout=900
        )
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--queries", nargs="+", default=["công an", "vaccine", "Cà Mau", "bệnh viện dã chiến", "xyzzy"])
    args = parser.parse_args()
    project = args.project.resolve()
    bench.BUILD_ENV[bench.TEMPLATE_CODE_VARIABLE] = str(project.parent / bench.TEMPLATE_CODE_FOLDER)
    runs: dict[int, list[dict]] = {size: [] for size in args.sizes}
    for turn in range(args.repeat):
        for size in args.sizes:
            env = {PART_VARIABLE: str(size)}
            cold(project)
            first = measured_build(project, env)
            first["bundle"] = bundle_bytes(project / "site")
            if args.browser and turn == 0:
                kept = project.parent / f"site-parts-{size}"
                shutil.rmtree(kept, ignore_errors=True)
                shutil.copytree(project / "site", kept, copy_function=os.link)
                first["first_search"] = first_searches(kept, args.queries)
            path, text = edit_story(project, f"Sửa{turn}{size}")
            try:
                warm = measured_build(project, env)
            finally:
                path.write_text(text, encoding="utf-8")
            run = {"size": size, "turn": turn, "uptime": os.getloadavg(), "cold": first, "warm_after_edit": warm}
            print(json.dumps(run, ensure_ascii=False), flush=True)
            runs[size].append(run)
    for size, measured in runs.items():
        for phase in ("cold", "warm_after_edit"):
            values = [run[phase] for run in measured]
            print(
                size,
                phase,
                "median seconds",
                statistics.median(v["seconds"] for v in values),
                "CPU pagefind+records",
                statistics.median(v["cpu"]["pagefind"] + v["cpu"]["search records"] for v in values),
                "CPU user+sys",
                statistics.median(v["user"] + v["system"] for v in values),
                "summed MiB",
                statistics.median(v["summed_mib"] for v in values),
                "pagefind peak MiB",
                statistics.median(v["pagefind_peak_mib"] for v in values),
                "pagefind runs",
                [v["pagefind_runs"] for v in values],
            )
    with contextlib.suppress(OSError):
        cold(project)


if __name__ == "__main__":
    main()
