"""The publish bench reads the files and bytes sent from the publish's own summary line: its reading must follow the
wording ``frontline publish`` prints, or the bench would report nothing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from frontline.deploy.base import PublishReport
from frontline.deploy.command import _summary

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench" / "publish_bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("publish_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.mark.parametrize("files, sent", [(2, 37_990), (37_301, 614_567_117), (1, 12)])
def test_the_bench_reads_what_publish_says_it_sent(bench, files, sent):
    line = _summary(PublishReport("20261206T170816Z-a9f36df3", files, sent, 100, 0, False))
    read_files, read_bytes = bench._sent(line)
    assert read_files == files
    assert abs(read_bytes - sent) <= max(sent * 0.001, 1)  # the summary rounds to a tenth of its unit


def test_the_bench_reads_nothing_sent_when_publish_says_nothing_changed(bench):
    line = _summary(PublishReport("20261206T170816Z-a9f36df3", 0, 0, 37_301, 0, False))
    assert bench._sent(line) == (0, 0)


def test_the_bench_edits_the_newest_story_by_its_date_or_the_oldest_by_path(bench, tmp_path):
    dates = {
        "2020/01/a": "2020-01-05T08:00:00+07:00",
        "2021/03/b": "2021-03-31T19:00:00+07:00",
        "2021/03/c": "2021-03-02",
    }
    for name, date in dates.items():
        path = tmp_path / "stories" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {name}\ndate: {date}\n---\nĐoạn đầu.\n", encoding="utf-8")
    assert bench.edit_one_story(tmp_path, "newest") == tmp_path / "stories/2021/03/b.md"
    assert "Cập nhật lúc" in (tmp_path / "stories/2021/03/b.md").read_text(encoding="utf-8")
    assert bench.edit_one_story(tmp_path, "oldest") == tmp_path / "stories/2020/01/a.md"
    assert "Cập nhật lúc" not in (tmp_path / "stories/2021/03/c.md").read_text(encoding="utf-8")


def test_the_bench_reports_the_median_of_each_way_of_putting_an_edit_live(bench):
    steps = []
    for run, (build, publish, alone) in enumerate([(4.0, 1.5, 5.1), (3.0, 1.0, 9.0), (5.0, 2.0, 4.7)], 1):
        for which, more in (("newest", 0.0), ("oldest", 1.0)):
            steps.append(
                bench.Step(f"build after a one-story edit ({which}), run {run}", build + more, 0.0, None, None)
            )
            steps.append(bench.Step(f"publish to a folder after it ({which}), run {run}", publish, 0.0, 74, 1000))
            steps.append(
                bench.Step(
                    f"frontline publish alone after a one-story edit ({which}), run {run}", alone + more, 0, 74, 1
                )
            )
    table = bench.markdown(10_000, steps)
    assert "(newest story), median of 3 alternated: build + publish** | **5.50**" in table
    assert "(newest story), median of 3 alternated: `frontline publish` alone** | **5.10**" in table
    assert "(oldest story), median of 3 alternated: build + publish** | **6.50**" in table
    assert "(oldest story), median of 3 alternated: `frontline publish` alone** | **6.10**" in table
