"""The suite's own scheduling under ``make test`` (pytest-xdist, ``--dist loadgroup``): an end-to-end module's tests
run on one worker, so the site or server its module-scoped fixture starts is started once, not once per worker."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.cli import REPO

MODULE = "tests/e2e/test_search.py"
CHEAP = [  # tests of one module that build nothing
    f"{MODULE}::test_pagefind_is_found_where_its_own_api_finds_it_and_then_on_the_path",
    f"{MODULE}::test_pagefind_runs_with_its_allocator_setting_unless_the_caller_set_one",
]


def test_an_end_to_end_modules_tests_run_on_one_worker_as_one_group(tmp_path):
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup", "-v"]
    command += ["--basetemp", str(tmp_path / "run"), *CHEAP]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    passed = re.findall(r"^\[(gw\d+)\] .*PASSED (\S+)", result.stdout, re.MULTILINE)
    assert len(passed) == 3, result.stdout  # the second test has two cases
    assert all(nodeid.endswith(f"@{MODULE}") for _worker, nodeid in passed), result.stdout
    assert len({worker for worker, _nodeid in passed}) == 1, result.stdout
