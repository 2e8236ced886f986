"""A preview freezes what a build leaves alive, so the next build's collections skip it, and collects the garbage
frozen with it once idle, or after a run of builds: the garbage is not kept for ever. Run in a process of its own
(the collector's state is the interpreter's)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.cli import REPO

SCRIPT = textwrap.dedent(
    """
    import gc, time, weakref
    from frontline.build.memory import CollectBetweenBuilds

    class Node:
        pass

    def garbage():
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: freed by the collector only
        return weakref.ref(a)

    collector = CollectBetweenBuilds(idle=0.3, builds=3)
    gone = garbage()
    collector.build_ended()
    frozen = gc.get_freeze_count() > 0
    gc.collect()
    kept_while_frozen = gone() is not None
    deadline = time.monotonic() + 30  # the idle collection runs on a timer thread: a busy machine may delay it
    while gone() is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    collected_when_idle = gone() is None

    gone = garbage()
    collector.build_ended()
    collector.build_starts()  # a save: no collection during its build
    time.sleep(1.0)
    kept_during_a_build = gone() is not None
    collector.build_ended()
    collector.build_starts()
    still = gone() is not None
    collector.build_ended()  # the third build since the last collection
    collected_after_builds = gone() is None
    print(frozen, kept_while_frozen, collected_when_idle, kept_during_a_build, still, collected_after_builds)
    """
)


def test_a_builds_garbage_is_frozen_with_it_and_collected_when_idle_or_after_a_run_of_builds():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["True"] * 6, result.stderr
