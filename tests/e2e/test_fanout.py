"""Work spread over forked processes: same results, in order, and failures reported, never lost.

Each case runs in a fresh interpreter: the test runner may have threads (browser tests start some),
and a threaded process never forks, it does the work itself."""

from __future__ import annotations

import subprocess
import sys
import textwrap

COLLECTOR = textwrap.dedent(
    """
    import gc, sys
    from frontline.engine.mkdocs import FrontlineHooks

    gc.set_threshold(int(sys.argv[1]), 10, 10)
    FrontlineHooks().on_startup(command="build", dirty=False)
    print(*gc.get_threshold())
    """
)


def test_a_build_lets_the_collector_wait_for_more_new_objects_unless_told_otherwise():
    def thresholds_after_startup(young: int) -> str:
        command = [sys.executable, "-c", COLLECTOR, str(young)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert thresholds_after_startup(700) == "10000 10 10"  # Python 3.11's default
    assert thresholds_after_startup(2000) == "10000 10 10"  # any lower setting
    assert thresholds_after_startup(50_000) == "50000 10 10"  # a host program's higher setting is kept
    assert thresholds_after_startup(0) == "0 10 10"  # and so is a collector turned off
