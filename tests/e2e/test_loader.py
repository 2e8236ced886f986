"""The content model, loaded and validated without MkDocs."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from frontline.content.loader import Layout, load_content
from tests.sites import make_site, story

PARALLEL_LOAD = """
import pickle, sys
from pathlib import Path
from frontline.content.loader import Layout, load_content
sys.stdout.buffer.write(pickle.dumps(load_content(Layout.for_project(Path(sys.argv[1])), workers=2)))
"""


@pytest.fixture
def newsroom(tmp_path):
    return make_site(tmp_path / "n")


def test_reading_in_several_processes_gives_the_same_content_and_problems(newsroom):
    """A cold build of a large archive reads its files across cores: nothing may differ, problems included.
    (Read in a fresh interpreter: this one may have threads, and a threaded process reads alone.)"""
    for number in range(520):
        date = "2021-13-45" if number % 97 == 0 else "2021-06-01T08:00"
        newsroom.write(f"stories/2021/06/tin-{number:03}.md", story(f"Tin số {number} ở Đà Nẵng", date))
    alone = load_content(Layout.for_project(newsroom.root), workers=1)
    result = subprocess.run([sys.executable, "-c", PARALLEL_LOAD, str(newsroom.root)], capture_output=True)
    assert result.returncode == 0, result.stderr
    assert len(alone[0].stories) == 520 - 6
    assert len(alone[1]) == 6
    assert pickle.loads(result.stdout) == alone
