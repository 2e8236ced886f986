"""What the search indexer holds beside Pagefind (issue 27, memory summed over a build's processes): once its records
are written, the forked indexer becomes a process of its own (``python -m frontline.output.pagefind_service``, the
build's memory not inherited), it builds no bundle before the build opens its gate (the page workers have ended),
and its temporary records (in the cache's staging folder, never ``/tmp``) are gone once the job is finished or
cancelled, and a killed build's with the next build's index."""

from __future__ import annotations

import subprocess
import sys

GATED_JOB = """
import os, sys, time
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from frontline.output.search import SearchJob

folder = Path(sys.argv[1])
os.environ["FRONTLINE_SEARCH_PART_RECORDS"] = "2"

def record(story):
    return f"<html lang='vi'><body><main><h1>Tin {story.url}</h1></main></body></html>"

stories = [SimpleNamespace(url=f"/2021/06/tin-{n}/", date=date(2021, 6, n + 1)) for n in range(5)]
# What a build killed outright leaves: its staging folder with the records its indexer had written.
leftover = folder / "cache/search/.staging.1.2/.records/0.records"
leftover.parent.mkdir(parents=True)
leftover.write_text("x")
job = SearchJob.start(stories, record, lambda items: items[0].url.strip("/").replace("/", "-"), folder / "site",
                      folder / "cache")
told = [job.progress.recv() for _ in job.parts]  # each part's records written
print("records", sorted(told))
print("temporary", sorted(path.name for path in job.records.iterdir()))
print("in the staging folder", job.records.parent == job.staging and job.staging.parent == folder / "cache/search")
for _ in range(300):  # the same process runs the feeding program once the last part's records are told
    program = Path(f"/proc/{job.worker.pid}/cmdline").read_bytes().split(b"\\0")
    if b"frontline.output.pagefind_service" in program:
        break
    time.sleep(0.1)
print("program", b"frontline.output.pagefind_service" in program)
# Without the gate the first part's bundle (two tiny records) would be told within a second or so.
print("bundle before the gate", job.progress.poll(4))
records = job.records
job.finish()
print("done", sorted(path.name for path in (folder / "site/pagefind").glob("phan-*")), records.exists())
print("a killed build's records", leftover.exists(), leftover.parent.parent.exists())

cancelled = SearchJob.start(stories, record, lambda items: "x" + items[0].url.strip("/").replace("/", "-"),
                            folder / "site2", folder / "cache2")
records = cancelled.records
cancelled.progress.recv()
cancelled.cancel()
print("cancelled", records.exists(), any((folder / "cache2/search").glob(".staging*/*")))
"""


def test_the_forked_indexer_feeds_pagefind_from_a_process_of_its_own_and_waits_for_the_gate(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", GATED_JOB, str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "records ['0.records', 'phan-1.records', 'phan-2.records']",
        "temporary ['0.records', 'phan-1.records', 'phan-2.records']",
        "in the staging folder True",
        "program True",
        "bundle before the gate False",
        "done ['phan-1', 'phan-2'] False",
        "a killed build's records False False",
        "cancelled False False",
    ]
